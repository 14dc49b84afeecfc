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

  it('keeps apart encodings whose fingerprints order them alike (the same high half)', () => {
    // [29068] and [59736] share Fingerprinter's high half, which the set orders by.
    const both = setOf([29068], [59736]);
    expect(both.size).toBe(2);
    expect(setOf([29068]).equals(setOf([59736]))).toBe(false);
    expect(both.equals(setOf([59736], [29068]))).toBe(true);
    expect(setOf([29068]).holdsOnly(Int32Array.from([59736]), 1)).toBe(false);
    // [9656] and [3756, 0] too, at two lengths.
    expect(setOf([9656]).equals(setOf([3756, 0]))).toBe(false);
    expect(setOf([9656], [3756, 0]).size).toBe(2);
  });

  it('says whether it holds one given encoding and nothing else', () => {
    expect(setOf([5, 6], [5, 6]).holdsOnly(Int32Array.from([5, 6]), 2)).toBe(true);
    expect(setOf([5, 6]).holdsOnly(Int32Array.from([5, 6, 7]), 2)).toBe(true);
    expect(setOf([5, 6]).holdsOnly(Int32Array.from([5, 7]), 2)).toBe(false);
    expect(setOf([5, 6]).holdsOnly(Int32Array.from([5]), 1)).toBe(false);
    expect(setOf([5, 6], [7]).holdsOnly(Int32Array.from([5, 6]), 2)).toBe(false);
    expect(setOf().holdsOnly(Int32Array.from([]), 0)).toBe(false);
  });

  // 40 goes through the insertion sort, 300 through Array.prototype.sort.
  for (const count of [40, 300]) {
    it(`is reused after clear, and grows past its first room (${count} distinct encodings, each added twice, long ones)`, () => {
      const set = new EncodingSet();
      set.add(Int32Array.from([9]), 1);
      set.seal();
      set.clear();
      const encodings = Array.from({ length: count }, (_, index) => Array.from({ length: 20 }, (_unused, word) => index * 31 + word * 7));
      for (const encoding of [...encodings].reverse()) set.add(Int32Array.from(encoding), encoding.length);
      for (const encoding of encodings) set.add(Int32Array.from(encoding), encoding.length);
      set.seal();
      expect(set.size).toBe(count);
      expect(set.equals(setOf(...encodings))).toBe(true);
      expect(set.equals(setOf(...encodings.slice(1)))).toBe(false);
      const changed = encodings.map((encoding, index) => (index === count / 2 ? [...encoding.slice(0, 19), -1] : encoding));
      expect(set.equals(setOf(...changed))).toBe(false);
    });
  }
});
