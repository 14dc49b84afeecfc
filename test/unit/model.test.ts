import { describe, it, expect } from 'vitest';
import { WordReader, WordWriter, defineSpec } from '../../src/model.ts';
import { countersModel } from '../toys/counters.ts';

describe('WordWriter', () => {
  it('appends words and grows past its initial capacity', () => {
    const writer = new WordWriter(2);
    for (let i = 0; i < 1000; i++) writer.push(i * 3 - 500);
    expect(writer.length).toBe(1000);
    expect(writer.words.length).toBe(1024);
    const view = writer.view();
    expect(view.length).toBe(1000);
    expect(view[0]).toBe(-500);
    expect(view[999]).toBe(999 * 3 - 500);
  });

  it('reserve makes room for direct writes', () => {
    const writer = new WordWriter(4);
    writer.push(1);
    writer.reserve(100);
    expect(writer.words.length).toBe(128);
    expect(writer.words[0]).toBe(1);
    writer.reserve(10);
    expect(writer.words.length).toBe(128);
  });

  it('reset empties it without shrinking', () => {
    const writer = new WordWriter(4);
    for (let i = 0; i < 10; i++) writer.push(i);
    writer.reset();
    expect(writer.length).toBe(0);
    expect(writer.view().length).toBe(0);
    expect(writer.words.length).toBe(16);
    writer.push(42);
    expect(Array.from(writer.view())).toEqual([42]);
  });

  it('stores words as 32-bit integers, an unsigned one as mask | 0', () => {
    const writer = new WordWriter();
    writer.push(0xffffffff);
    writer.push(-(2 ** 31));
    expect(Array.from(writer.view())).toEqual([-1, -(2 ** 31)]);
  });

  it('refuses a word that would be stored as another number, or is none, naming it and its index', () => {
    const writer = new WordWriter();
    writer.push(7);
    const refused = (word: unknown, stored: number) =>
      new RangeError(`encode wrote ${word} as word 1; words must be 32-bit integers (stored, it becomes ${stored}, so states that differ there would be merged)`);
    expect(() => writer.push(2 ** 32 + 5)).toThrow(refused(4294967301, 5));
    expect(() => writer.push(0.5)).toThrow(refused(0.5, 0));
    expect(() => writer.push(Number.NaN)).toThrow(refused(Number.NaN, 0));
    expect(() => writer.push(-(2 ** 31) - 1)).toThrow(refused(-2147483649, 2147483647));
    const notANumber = (word: string, kind: string) => new RangeError(`encode wrote ${word} as word 1; words must be 32-bit integers (${kind} is not a number)`);
    const pushed = (word: unknown) => () => writer.push(word as number);
    expect(pushed('5')).toThrow(notANumber('"5"', 'a string'));
    expect(pushed(undefined)).toThrow(notANumber('undefined', 'undefined'));
    expect(pushed([1])).toThrow(notANumber('[1]', 'an array'));
    expect(pushed(1n)).toThrow(notANumber('1n', 'a bigint'));
    expect(pushed({ valueOf: () => 1 })).toThrow(notANumber('{}', 'an object'));
    expect(writer.length).toBe(1);
  });

  it('stores a boolean as 1 or 0, as it always did', () => {
    const writer = new WordWriter();
    writer.push(true as unknown as number);
    writer.push(false as unknown as number);
    expect(Array.from(writer.view())).toEqual([1, 0]);
  });
});

describe('WordReader', () => {
  it('reads a range and refuses to read past its end', () => {
    const reader = new WordReader(Int32Array.from([9, 1, 2, 9]), 1, 3);
    expect(reader.atEnd()).toBe(false);
    expect(reader.next()).toBe(1);
    expect(reader.next()).toBe(2);
    expect(reader.atEnd()).toBe(true);
    expect(() => reader.next()).toThrow(RangeError);
    expect(() => reader.next()).toThrow('decode read past the end of the encoded state');
  });

  it('round-trips a toy model state', () => {
    const model = countersModel({ maxX: 5, maxY: 5 });
    const writer = new WordWriter();
    model.encode({ x: 4, y: 2 }, writer);
    expect(Array.from(writer.view())).toEqual([4, 2]);
    expect(model.decode(new WordReader(writer.words, 0, writer.length))).toEqual({ x: 4, y: 2 });
  });
});

describe('defineSpec', () => {
  it('returns the spec it is given', () => {
    const spec = {
      name: 'counters',
      description: 'two counters',
      parameters: { size: { type: 'integer', min: 0, max: 9, default: 2, description: 'bound' } },
      build: (parameters: { readonly size: number }) => countersModel({ maxX: parameters.size, maxY: parameters.size }),
    } as const;
    const defined = defineSpec(spec);
    expect(defined).toBe(spec);
    expect(defined.build({ size: 3 }).name).toBe('counters 3x3');
  });
});
