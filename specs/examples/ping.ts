// specs/examples/ping.ts: a pinger sends Ping, the ponger answers Pong; the pinger counts answers.
import { defineSpec } from '../../src/model.ts';
import { ActorSystem, NETWORK_SEMANTICS, IGNORED_DELIVERY, type Role } from '../../src/actors/system.ts';
import { natural, record, union, type Codec } from '../../src/actors/codec.ts';

type Message = { readonly type: 'Ping' } | { readonly type: 'Pong' };
const messages: Codec<Message> = union<'type', Message>('type', { Ping: record({}), Pong: record({}) });

interface Pinger { readonly sent: number; readonly answers: number }

export default defineSpec({
  name: 'ping',
  description: 'one pinger, one ponger',
  parameters: {
    pings: { type: 'integer', min: 1, max: 5, default: 2, description: 'pings to send' },
    network: { type: 'choice', choices: NETWORK_SEMANTICS, default: 'bag', description: 'network semantics' },
  },
  build: ({ pings, network }) => {
    let ponger: Role<null, Message>;
    const pinger: Role<Pinger, Message> = {
      name: 'pinger', prefix: 'pinger', count: 1,
      codec: record({ sent: natural(7), answers: natural(7) }),
      initial: () => ({ sent: 0, answers: 0 }),
      timers: [{
        name: 'Ping',
        enabled: (local) => local.sent < pings,
        fire(context) {
          context.update({ ...context.local, sent: context.local.sent + 1 });
          context.broadcast(ponger, { type: 'Ping' });
        },
      }],
      receive(context, message) {
        if (message.type === 'Pong') context.update({ ...context.local, answers: context.local.answers + 1 });
      },
    };
    ponger = {
      name: 'ponger', prefix: 'ponger', count: 1,
      codec: { encode: () => {}, decode: () => null },
      initial: () => null,
      receive(context, message, from) {
        if (message.type === 'Ping') context.send(from, { type: 'Pong' });
      },
    };
    const system: ActorSystem<Message> = new ActorSystem<Message>({
      name: 'ping', roles: [pinger, ponger], messageCodec: messages,
      network, ignored: IGNORED_DELIVERY[0]!,
      formatMessage: (message) => message.type,
      properties: (system) => [
        { name: 'NoExtraAnswers', kind: 'always',
          holds: (state) => system.local(state, pinger, 0).answers <= system.local(state, pinger, 0).sent },
        { name: 'AllAnswered', kind: 'sometimes', holds: (state) => system.local(state, pinger, 0).answers === pings },
      ],
    });
    return system.model;
  },
});
