import { describe, expect, it } from 'vitest';
import { ActorSystem, type Role } from '../../../src/actors/system.ts';
import { natural, record, union, type Codec } from '../../../src/actors/codec.ts';

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

  it('a message codec too wide to pack, saying so', () => {
    const wide: Codec<Message> = union<'type', Message>('type', { Hello: record({ n: natural(2 ** 31 - 1), m: natural(2 ** 30) } as never) });
    expect(() => system([role('client', 'c')], wide)).toThrow(/is not bounded, or needs more than 52 bits/);
  });
});
