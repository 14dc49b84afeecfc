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

  it('pack consecutive bounded fields into shared words of at most 31 bits, first field highest', () => {
    type Fields = { a: number; b: boolean; c: number; d: number; e: readonly number[]; f: number; g: number };
    // a (3 bits) + b (1) + c (20) fit in 24 bits; d (10 more) would pass 31, so it starts a word;
    // the set e is written on its own; f and g (plain and bounded) each take a word.
    const codec = record<Fields>({ a: natural(7), b: boolean, c: natural(2 ** 20 - 1), d: natural(1023), e: integerSet, f: integer, g: natural(1) });
    const value = { a: 5, b: true, c: 2 ** 20 - 1, d: 1023, e: [4, 2], f: -3, g: 1 };
    const { words, back } = roundTrip(codec, value);
    expect(words).toEqual([(5 * 2 + 1) * 2 ** 20 + (2 ** 20 - 1), 1023, 2, 2, 4, -3, 1]);
    expect(back).toEqual({ ...value, e: [2, 4] });
    expect(codec.width).toBeUndefined();
    expect(measurer(codec)(new Int32Array(words), 0)).toBe(7);
    // A word compares as its fields would, one by one: a decides before c.
    const first = roundTrip(codec, { ...value, a: 4, c: 0 }).words[0]!;
    const second = roundTrip(codec, { ...value, a: 3, c: 2 ** 20 - 1 }).words[0]!;
    expect(first).toBeGreaterThan(second);
    expect(() => roundTrip(codec, { ...value, c: 2 ** 20 })).toThrow(RangeError);
  });

  it('give a record of bounded fields one word, and a nested bounded record its packed value', () => {
    const inner = record<{ x: number; y: number }>({ x: natural(15), y: natural(15) });
    const outer = record<{ p: { x: number; y: number }; q: number }>({ p: inner, q: natural(3) });
    expect(outer.width).toBe(1);
    const { words, back } = roundTrip(outer, { p: { x: 9, y: 2 }, q: 3 });
    expect(words).toEqual([(9 * 16 + 2) * 4 + 3]);
    expect(back).toEqual({ p: { x: 9, y: 2 }, q: 3 });
    // A field of 31 bits fills a word; one wider than that is written as its codec writes it.
    const wide = record<{ w: number; n: number }>({ w: natural(2 ** 31 - 1), n: natural(1) });
    expect(roundTrip(wide, { w: 2 ** 31 - 1, n: 1 }).words).toEqual([2 ** 31 - 1, 1]);
  });

  it('write a set the same whatever order or repetition it is kept in', () => {
    expect(roundTrip(integerSet, [9, 3, 3, 5]).words).toEqual([3, 3, 5, 9]);
    expect(roundTrip(integerSet, [3, 5, 9]).words).toEqual([3, 3, 5, 9]);
    expect(roundTrip(integerSet, [9, 3, 3, 5]).back).toEqual([3, 5, 9]);
  });

  it('refuse a value a 32-bit word would store as another number, as natural() refuses one out of range', () => {
    for (const value of [0.5, 2 ** 31, -(2 ** 31) - 1, 2 ** 32, Number.NaN, Number.POSITIVE_INFINITY]) {
      // An unsigned mask (x >>> 0) past 2^31 gets a hint.
      const hint = value === 2 ** 31 ? '; a 32-bit mask is stored as mask | 0' : '';
      const message = `value ${value} is not a 32-bit integer (-2147483648..2147483647${hint})`;
      expect(() => roundTrip(integer, value)).toThrow(new RangeError(message));
      expect(() => roundTrip(integerSet, [1, value])).toThrow(new RangeError(message));
      expect(() => roundTrip(list(integer), [value])).toThrow(new RangeError(message));
    }
    // A record writes a plain integer field inline: checked there too, and named.
    expect(() => roundTrip(record<{ n: number; x: number }>({ n: natural(3), x: integer }), { n: 1, x: 0.5 })).toThrow(
      new RangeError('field x: value 0.5 is not a 32-bit integer (-2147483648..2147483647)'),
    );
    // Packed fields, and records in records, name the field too.
    const nested = record<{ inner: { flag: number; n: number }; m: number }>({ inner: record({ flag: natural(1), n: natural(7) }), m: natural(3) });
    expect(() => roundTrip(nested, { inner: { flag: 1, n: 9 }, m: 0 })).toThrow(new RangeError('field inner: field n: value 9 is outside 0..7'));
    expect(() => roundTrip(nested, { inner: { flag: 0, n: 1 }, m: 4 })).toThrow(new RangeError('field m: value 4 is outside 0..3'));
    expect(roundTrip(integer, -(2 ** 31)).back).toBe(-(2 ** 31));
    expect(roundTrip(integerSet, [2 ** 31 - 1, -(2 ** 31)]).back).toEqual([-(2 ** 31), 2 ** 31 - 1]);
    expect(() => roundTrip(natural(7), 0.5)).toThrow(new RangeError('value 0.5 is outside 0..7'));
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
    expect(record({ x: natural(3), y: boolean }).width).toBe(1);
    expect(record({ x: natural(3), y: integer }).width).toBe(2);
    // Each variant of `message` packs into one word, so every message takes a tag and one word.
    expect(message.width).toBe(2);
    expect(union<'type', { readonly type: 'A'; readonly n: number } | { readonly type: 'B'; readonly m: number; readonly k: number }>('type', {
      A: record({ n: natural(3) }),
      B: record({ m: integer, k: integer }),
    }).width).toBeUndefined();
    expect(union<'type', { readonly type: 'A'; readonly n: number } | { readonly type: 'B'; readonly m: number }>('type', {
      A: record({ n: natural(3) }),
      B: record({ m: natural(3) }),
    }).width).toBe(2);
  });
});
