import { describe, expect, it } from 'vitest';
import { placeOf, withoutPlace } from '../../places.ts';
import { ActorSystem, type Role } from '../../../src/actors/system.ts';
import { boolean, natural, record, union, type Codec } from '../../../src/actors/codec.ts';
import { exploreBreadthFirst } from '../../../src/explore/breadth-first.ts';

type Message = { readonly type: 'Hello'; readonly n: number };

function system(roles: Role<null, Message>[], messageCodec: Codec<Message>) {
  return new ActorSystem<Message>({
    name: 'declared',
    roles,
    messageCodec,
    network: 'bag',
    ignored: 'prune',
    formatMessage: (message) => message.type,
    properties: () => [],
  });
}

function role(name: string, prefix: string): Role<null, Message> {
  return { name, prefix, count: 1, codec: { encode: () => {}, decode: () => null }, initial: () => null, receive: () => {} };
}

const hello: Codec<Message> = union<'type', Message>('type', { Hello: record({ n: natural(3) }) });

describe('ActorSystem refuses declarations that would mislead', () => {
  it('two roles whose actors would have the same names', () => {
    expect(() => system([role('client', 'c'), role('server', 's'), role('coordinator', 'c')], hello)).toThrow(
      new Error("roles client and coordinator of declared both name their actors 'c1', 'c2', ...: give them different prefixes"),
    );
    expect(() => system([role('client', 'c'), role('coordinator', 'co')], hello)).not.toThrow();
  });

  it('a role whose count is not a whole number, 0 or more', () => {
    for (const count of [-1, 1.5, Number.NaN]) {
      expect(() => system([role('client', 'c'), { ...role('server', 's'), count }], hello)).toThrow(
        new Error(`role server of declared has count ${count}: a role's count is a whole number, 0 or more`),
      );
    }
    expect(() => system([role('client', 'c'), { ...role('server', 's'), count: 0 }], hello)).not.toThrow();
  });

  it('a network, ignored delivery or fault semantics that is none of those it knows (specs run without a type check)', () => {
    const declared = (extra: Record<string, unknown>) => () =>
      new ActorSystem<Message>({ ...{ name: 'declared', roles: [role('client', 'c')], messageCodec: hello, network: 'bag', ignored: 'prune' }, formatMessage: (message: Message) => message.type, properties: () => [], ...extra } as never);
    expect(declared({ network: undefined })).toThrow(new Error('declared gives network undefined: it must be one of bag, dup, lossy'));
    expect(declared({ network: 'set' })).toThrow(new Error('declared gives network set: it must be one of bag, dup, lossy'));
    expect(declared({ ignored: 'drop' })).toThrow(new Error('declared gives ignored drop: it must be one of prune, consume'));
    const client = role('client', 'c');
    expect(declared({ roles: [client], faults: { crashes: 1, restart: 'forget', roles: [client] } })).toThrow(
      new Error('declared gives restart forget: it must be one of durable, amnesia'),
    );
    for (const crashes of [-1, 1.5, undefined]) {
      expect(declared({ roles: [client], faults: { crashes, restart: 'durable', roles: [client] } })).toThrow(
        new Error(`declared allows ${crashes} crashes: a whole number, 0 or more`),
      );
    }
    // Without formatMessage every delivery in a trace would read "(formatAction threw: ...)".
    expect(declared({ formatMessage: undefined })).toThrow(
      new Error('declared has no formatMessage, which names a message in traces (give it one, such as formatMessage: (message) => message.type)'),
    );
    const timer = { name: 'Tick', enabled: () => true, fire: () => {} };
    expect(declared({ roles: [{ ...client, timers: Array.from({ length: 17 }, () => timer) }] })).toThrow(
      new Error('role client of declared has 17 timers: a role has at most 16 (an action numbers its timer in 4 bits)'),
    );
    expect(declared({ roles: [{ ...client, timers: Array.from({ length: 16 }, () => timer) }] })).not.toThrow();
    for (const network of ['bag', 'dup', 'lossy']) expect(declared({ network })).not.toThrow();
    expect(declared({ ignored: 'consume', roles: [client], faults: { crashes: 0, restart: 'amnesia', roles: [client] } })).not.toThrow();
  });

  it('a message codec too wide to pack, saying so', () => {
    const wide: Codec<Message> = union<'type', Message>('type', { Hello: record({ n: natural(2 ** 31 - 1), m: natural(2 ** 30) } as never) });
    expect(() => system([role('client', 'c')], wide)).toThrow(/is not bounded, or needs more than 52 bits/);
  });
});

describe('a handler that sends what cannot be sent is the model throwing, named', () => {
  // c1 sends as `send` says when it receives Hello; s1 starts it all.
  function sender(send: (context: { send(to: number, message: Message): void; broadcast(role: Role<null, Message>, message: Message): void }) => void) {
    const server: Role<null, Message> = { ...role('server', 's'), initial: () => null };
    const client: Role<null, Message> = { ...role('client', 'c'), receive: (context) => send(context as never) };
    const starter: Role<null, Message> = {
      ...role('starter', 'st'),
      timers: [{ name: 'Start', enabled: () => true, fire: (context) => context.send(0, { type: 'Hello', n: 0 }) }],
    };
    return system([client, server, starter], hello).model;
  }
  const expandAll = (model: ReturnType<typeof sender>) => {
    const frontier = [...model.initialStates()];
    for (let steps = 0; steps < 20 && frontier.length > 0; steps++) {
      const state = frontier.shift()!;
      const actions: unknown[] = [];
      model.actions(state, actions as never);
      for (const action of actions) {
        const next = model.nextState(state, action as never);
        if (next !== undefined) frontier.push(next);
      }
    }
  };

  it('to an actor index that is not a whole number (1.5 packed as another actor and message before)', () => {
    expect(() => expandAll(sender((context) => context.send(1.5, { type: 'Hello', n: 1 })))).toThrow(new RangeError('send to unknown actor 1.5'));
    expect(() => expandAll(sender((context) => context.send(7, { type: 'Hello', n: 1 })))).toThrow(new RangeError('send to unknown actor 7'));
  });

  it('to no role at all', () => {
    expect(() => expandAll(sender((context) => context.broadcast(undefined as never, { type: 'Hello', n: 1 })))).toThrow(new Error('role undefined is not part of declared'));
  });

  it('a field that is not a number, shown as it is (a string is not in range however it reads)', () => {
    expect(() => expandAll(sender((context) => context.send(1, { type: 'Hello', n: '1' as never })))).toThrow(/value "1" is not a number in 0\.\.3/);
  });

  it("a field out of range, named as the message's (a local state's field may have its name)", () => {
    expect(() => expandAll(sender((context) => context.send(1, { type: 'Hello', n: 4 })))).toThrow(new RangeError('message sent: field n: value 4 is outside 0..3'));
  });
});

describe("a local state a codec cannot encode is named as the local state's", () => {
  /** A counter ticking up by one, with `codec`: a step function that takes its tick again (three fit). */
  function ticking<Local>(codec: Codec<Local>, initial: Local, next: (local: Local) => Local): () => void {
    const counter: Role<Local, Message> = {
      name: 'counter',
      prefix: 'c',
      count: 1,
      codec,
      initial: () => initial,
      timers: [{ name: 'Tick', enabled: () => true, fire: (context) => context.update(next(context.local)) }],
      receive: () => {},
    };
    const model = new ActorSystem<Message>({ name: 'local', roles: [counter], messageCodec: hello, network: 'bag', ignored: 'prune', formatMessage: (message) => message.type, properties: () => [] })
      .model;
    let state = model.initialStates()[0]!;
    const step = () => {
      const actions: unknown[] = [];
      model.actions(state, actions as never);
      state = model.nextState(state, actions[0] as never)!;
    };
    for (let n = 1; n <= 3; n++) step();
    return step;
  }

  it('by the field that failed', () => {
    const step = ticking(record({ n: natural(3) }), { n: 0 }, (local) => ({ n: local.n + 1 }));
    expect(step).toThrow(new RangeError('local state: field n: value 4 is outside 0..3'));
  });

  it("once, though the codec throws one shared, frozen error each time (the handler's step is worked out twice)", () => {
    const tooLarge = Object.freeze(new RangeError('counter above 3'));
    const codec: Codec<number> = {
      encode: (n, out) => {
        if (n > 3) throw tooLarge;
        out.push(n);
      },
      decode: (input) => input.next(),
    };
    const step = ticking(codec, 0, (n) => n + 1);
    for (let again = 0; again < 2; again++) expect(step).toThrow(new RangeError('local state: counter above 3'));
  });
});

describe("a timer's enabled that throws is named, though no action is being taken", () => {
  const starting = (enabled: (local: { readonly started: boolean }) => boolean) => {
    const starter: Role<{ readonly started: boolean }, Message> = {
      name: 'starter', prefix: 'st', count: 2,
      codec: record({ started: boolean }),
      initial: () => ({ started: false }),
      timers: [{ name: 'Start', enabled, fire: (context) => context.update({ started: true }) }],
      receive: () => {},
    };
    return new ActorSystem<Message>({ name: 'starting', roles: [starter], messageCodec: hello, network: 'bag', ignored: 'prune', formatMessage: (message) => message.type, properties: () => [] }).model;
  };

  it('by actor and timer, with what it threw, where the explorer reports it', async () => {
    const model = starting((local) => {
      if (local.started) throw new Error('no answer once started');
      return true;
    });
    const { result } = await exploreBreadthFirst(model);
    expect(result.status).toBe('error');
    expect(result.error!.message).toBe(
      `no answer once started at ${placeOf('test/unit/actors/system-declaration.test.ts', "new Error('no answer once started')")} (in st1's timer Start, asked whether it is enabled) (expanding a state at depth 2)`,
    );
  });

  it('keeping the hint for a local state changed in place', async () => {
    const model = starting((local) => {
      (local as { started: boolean }).started = true;
      return true;
    });
    const { result } = await exploreBreadthFirst(model);
    expect(withoutPlace(result.error!.message)).toMatch(
      /^Cannot assign to read only property 'started' of object '#<Object>' \(in st1's timer Start, asked whether it is enabled\) \(states are immutable: .*\) \(expanding a state at depth 1\)$/,
    );
  });
});

describe('a renameMessage that gives a message the codec cannot hold', () => {
  it('is named as the renaming --symmetry does, not as a message sent', () => {
    const pinger: Role<null, Message> = {
      ...role('pinger', 'p'),
      count: 2,
      timers: [{ name: 'Hello', enabled: () => true, fire: (context) => context.send(2, { type: 'Hello', n: context.index }) }],
    };
    const model = new ActorSystem<Message>({
      name: 'renamed',
      roles: [pinger, role('server', 's')],
      messageCodec: hello,
      network: 'bag',
      ignored: 'prune',
      formatMessage: (message) => message.type,
      symmetric: { pingers: pinger },
      renameMessage: (message) => ({ ...message, n: 9 }),
      properties: () => [],
    }).model;
    const initial = model.initialStates()[0]!;
    const actions: number[] = [];
    model.actions(initial, actions);
    const sent = model.nextState(initial, actions[0]!)!;
    expect(() => model.symmetry!.representative(sent, ['pingers'], { size: 0 })).toThrow(
      new RangeError('renaming for --symmetry (renameLocal, renameMessage): message: field n: value 9 is outside 0..3'),
    );
  });
});
