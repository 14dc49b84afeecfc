import { describe, it, expect } from 'vitest';
import { WordReader, WordWriter } from '../../../src/model.ts';
import { boolean, integer, integerSet, list, measurer, natural, record, union, withMember, type Codec } from '../../../src/actors/codec.ts';

function roundTrip<T>(codec: Codec<T>, value: T): { words: number[]; back: T } {
  const writer = new WordWriter(2);
  codec.encode(value, writer);
  const words = [...writer.view()];
  const reader = new WordReader(writer.words, 0, writer.length);
  const back = codec.decode(reader);
  expect(reader.atEnd()).toBe(true);
  return { words, back };
}

type Message =
  | { readonly type: 'Ping'; readonly round: number }
  | { readonly type: 'Vote'; readonly round: number; readonly value: number; readonly yes: boolean };

const message: Codec<Message> = union<'type', Message>('type', {
  Ping: record({ round: natural(7) }),
  Vote: record({ round: natural(7), value: natural(3), yes: boolean }),
});

describe('codecs', () => {
  it('write records in declaration order and read them back', () => {
    const codec = record<{ a: number; b: readonly number[]; c: number }>({ a: integer, b: integerSet, c: integer });
    const { words, back } = roundTrip(codec, { a: -5, b: [3, 9], c: 7 });
    expect(words).toEqual([-5, 2, 3, 9, 7]);
    expect(back).toEqual({ a: -5, b: [3, 9], c: 7 });
  });

  it('write a set the same whatever order or repetition it is kept in', () => {
    expect(roundTrip(integerSet, [9, 3, 3, 5]).words).toEqual([3, 3, 5, 9]);
    expect(roundTrip(integerSet, [3, 5, 9]).words).toEqual([3, 3, 5, 9]);
    expect(roundTrip(integerSet, [9, 3, 3, 5]).back).toEqual([3, 5, 9]);
  });

  it('keep a list in its order', () => {
    expect(roundTrip(list(integer), [4, 1, 4]).words).toEqual([3, 4, 1, 4]);
  });

  it('pack bounded unions into one number and unpack them with their tag', () => {
    // Tag 1 bit; widest variant: 3 + 2 + 1 bits.
    expect(message.bits).toBe(7);
    const vote: Message = { type: 'Vote', round: 5, value: 2, yes: true };
    const packed = message.pack!(vote);
    expect(packed).toBe(1 * 64 + (5 * 4 + 2) * 2 + 1);
    expect(message.unpack!(packed)).toEqual(vote);
    expect(message.unpack!(message.pack!({ type: 'Ping', round: 7 }))).toEqual({ type: 'Ping', round: 7 });
    expect(roundTrip(message, vote).back).toEqual(vote);
  });

  it('refuse values outside a bounded range', () => {
    expect(() => message.pack!({ type: 'Ping', round: 8 })).toThrow(/outside 0..7/);
    expect(() => natural(0)).toThrow(RangeError);
    expect(() => message.pack!({ type: 'Nope', round: 1 } as unknown as Message)).toThrow(/unknown type 'Nope'/);
  });
});

describe('withMember', () => {
  it('inserts in order, and gives back the same array when the member is there', () => {
    const empty: readonly number[] = [];
    const one = withMember(empty, 5);
    expect(one).toEqual([5]);
    expect(withMember(one, 1)).toEqual([1, 5]);
    expect(withMember([1, 5], 3)).toEqual([1, 3, 5]);
    expect(withMember([1, 5], 9)).toEqual([1, 5, 9]);
    const set = [1, 3, 5];
    expect(withMember(set, 3)).toBe(set);
    expect(set).toEqual([1, 3, 5]);
  });

  it('measure a value without decoding it, by width, by size or, for a custom codec, by decoding', () => {
    const nested = record<{ a: number; votes: readonly number[]; log: readonly (readonly number[])[]; last: Message }>({
      a: integer,
      votes: integerSet,
      log: list(integerSet),
      last: message,
    });
    const pair: Codec<readonly [number, number]> = {
      encode: (value, out) => {
        out.push(value[0]);
        out.push(value[1]);
      },
      decode: (input) => [input.next(), input.next()],
    };
    const cases: [Codec<any>, unknown][] = [
      [integer, 4],
      [record({ x: natural(3), y: boolean }), { x: 2, y: true }],
      [integerSet, [1, 5, 8]],
      [list(integer), [3, 3, 1]],
      [message, { type: 'Vote', round: 1, value: 2, yes: false }],
      [nested, { a: 1, votes: [2, 4], log: [[1], [], [6, 7]], last: { type: 'Ping', round: 3 } }],
      [record({ first: pair, then: integerSet }), { first: [1, 2], then: [9] }],
    ];
    for (const [codec, value] of cases) {
      const writer = new WordWriter();
      writer.push(99);
      codec.encode(value, writer);
      writer.push(99);
      expect(measurer(codec)(writer.words, 1)).toBe(writer.length - 2);
    }
    expect(record({ x: natural(3), y: boolean }).width).toBe(2);
    expect(message.width).toBeUndefined();
    expect(union<'type', { readonly type: 'A'; readonly n: number } | { readonly type: 'B'; readonly m: number }>('type', {
      A: record({ n: natural(3) }),
      B: record({ m: natural(3) }),
    }).width).toBe(2);
  });
});
