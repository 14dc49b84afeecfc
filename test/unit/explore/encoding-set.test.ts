import { describe, expect, it } from 'vitest';
import { EncodingSet } from '../../../src/explore/encoding-set.ts';

function setOf(...encodings: number[][]): EncodingSet {
  const set = new EncodingSet();
  for (const encoding of encodings) set.add(Int32Array.from(encoding), encoding.length);
  set.seal();
  return set;
}

describe('EncodingSet', () => {
  it('compares encodings as a set: any order, each once', () => {
    const one = setOf([1, 2], [3], [], [1, 2], [-7, 2 ** 31 - 1]);
    const other = setOf([-7, 2 ** 31 - 1], [], [3], [1, 2]);
    expect(one.size).toBe(4);
    expect(other.size).toBe(4);
    expect(one.equals(other)).toBe(true);
    expect(other.equals(one)).toBe(true);
  });

  it('tells apart sets that differ in one word, in length, or in one encoding more', () => {
    const base = setOf([1, 2, 3], [4]);
    expect(base.equals(setOf([1, 2, 4], [4]))).toBe(false);
    expect(base.equals(setOf([1, 2, 3, 0], [4]))).toBe(false);
    expect(base.equals(setOf([1, 2], [3, 4]))).toBe(false);
    expect(base.equals(setOf([1, 2, 3], [4], [5]))).toBe(false);
    expect(base.equals(setOf([1, 2, 3]))).toBe(false);
    expect(setOf().equals(setOf())).toBe(true);
    expect(setOf().equals(setOf([]))).toBe(false);
  });

  it('says whether it holds one given encoding and nothing else', () => {
    expect(setOf([5, 6], [5, 6]).holdsOnly(Int32Array.from([5, 6]), 2)).toBe(true);
    expect(setOf([5, 6]).holdsOnly(Int32Array.from([5, 6, 7]), 2)).toBe(true);
    expect(setOf([5, 6]).holdsOnly(Int32Array.from([5, 7]), 2)).toBe(false);
    expect(setOf([5, 6]).holdsOnly(Int32Array.from([5]), 1)).toBe(false);
    expect(setOf([5, 6], [7]).holdsOnly(Int32Array.from([5, 6]), 2)).toBe(false);
    expect(setOf().holdsOnly(Int32Array.from([]), 0)).toBe(false);
  });

  it('is reused after clear, and grows past its first room (many and long encodings)', () => {
    const set = new EncodingSet();
    set.add(Int32Array.from([9]), 1);
    set.seal();
    set.clear();
    const encodings = Array.from({ length: 100 }, (_, index) => Array.from({ length: 20 }, (_unused, word) => (index * 31 + word) % 7));
    for (const encoding of [...encodings].reverse()) set.add(Int32Array.from(encoding), encoding.length);
    set.seal();
    const distinct = new Set(encodings.map((encoding) => encoding.join(','))).size;
    expect(set.size).toBe(distinct);
    expect(set.equals(setOf(...encodings))).toBe(true);
    expect(set.equals(setOf(...encodings.slice(1)))).toBe(encodings.slice(1).some((encoding) => encoding.join() === encodings[0]!.join()));
  });
});
