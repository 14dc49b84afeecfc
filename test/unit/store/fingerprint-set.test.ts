import { describe, it, expect } from 'vitest';
import { OpenAddressingFingerprintSet, ReferenceFingerprintSet, allocateWithRoom } from '../../../src/store/fingerprint-set.ts';
import { expectEveryFingerprintKept, fingerprintSetContract } from './fingerprint-set-contract.ts';
import { mulberry32 } from '../prng.ts';

fingerprintSetContract('OpenAddressingFingerprintSet', (initialCapacity) => new OpenAddressingFingerprintSet(initialCapacity));
fingerprintSetContract('ReferenceFingerprintSet', () => new ReferenceFingerprintSet());

describe('OpenAddressingFingerprintSet', () => {
  it('starts with the capacity asked for, at least 16 home slots of 8 bytes, and 64 overflow slots', () => {
    expect(new OpenAddressingFingerprintSet(1).capacity).toBe(16);
    expect(new OpenAddressingFingerprintSet(16).capacity).toBe(16);
    expect(new OpenAddressingFingerprintSet(17).capacity).toBe(17);
    expect(new OpenAddressingFingerprintSet(1000).capacity).toBe(1000);
    expect(new OpenAddressingFingerprintSet().capacity).toBe(256);
    expect(new OpenAddressingFingerprintSet(16).approximateBytes()).toBe((16 + 64) * 8);
  });

  it('grows by a quarter once more than 75% full', () => {
    const set = new OpenAddressingFingerprintSet(100);
    for (let i = 1; i <= 75; i++) set.addIfAbsent(i, i);
    expect(set.capacity).toBe(100);
    set.addIfAbsent(76, 76);
    expect(set.capacity).toBe(125);
    expect(set.approximateBytes()).toBe((125 + 64) * 8);
    for (let i = 1; i <= 76; i++) expect(set.has(i, i)).toBe(true);
    expect(set.has(77, 77)).toBe(false);
  });

  it('refuses (0, 0), which marks empty slots, and keeps what it holds', () => {
    const set = new OpenAddressingFingerprintSet(16);
    for (let i = 1; i <= 10; i++) set.addIfAbsent(0, i);
    expect(() => set.addIfAbsent(0, 0)).toThrow(/not a fingerprint/);
    expect(set.size).toBe(10);
    for (let i = 1; i <= 10; i++) expect(set.has(0, i)).toBe(true);
  });

  it('keeps a run of fingerprints that all start at the last slot, past the overflow slots', () => {
    // With a zero high half the mix is the low half: all of these scale to the last home slot of
    // any table this size, so their run spills past the end, on inserts and on growth alike.
    const set = new OpenAddressingFingerprintSet(16);
    const count = 1000;
    for (let i = 0; i < count; i++) expect(set.addIfAbsent(0, 0xffffffff - 2 * i)).toBe(true);
    // Interleaved with the run (odd offsets) and ordinary ones, inserted after it.
    for (let i = 0; i < 100; i++) expect(set.addIfAbsent(0, 0xfffffffe - 2 * i)).toBe(true);
    for (let i = 1; i <= 100; i++) expect(set.addIfAbsent(i, i)).toBe(true);
    expect(set.size).toBe(count + 200);
    for (let i = 0; i < count; i++) expect(set.addIfAbsent(0, 0xffffffff - 2 * i)).toBe(false);
    for (let i = 0; i < 100; i++) expect(set.has(0, 0xfffffffe - 2 * i)).toBe(true);
    for (let i = 100; i < 200; i++) expect(set.has(0, 0xfffffffe - 2 * i)).toBe(false);
    for (let i = 1; i <= 100; i++) expect(set.has(i, i)).toBe(true);
    expect(set.has(0, 0xffffffff - 2 * count)).toBe(false);
  });

  it('grows, in place and into new room, to exactly the table of a set made at its final size', () => {
    // An ordered table's layout depends only on its entries: a set grown from 16 slots (in place
    // while its room lasts, moved to more room when it does not) must match, word for word, one
    // that never grew. One fingerprint in 50 crowds the last hundredth of the mix range (a long
    // run there, spilling into overflow slots).
    const next = mulberry32(0x5eed);
    const grown = new OpenAddressingFingerprintSet(16);
    const entries: [number, number][] = [];
    for (let i = 0; i < 200_000; i++) {
      const high = i % 50 === 0 ? 0 : next();
      const low = i % 50 === 0 ? 0xfd70a3d7 + Math.floor(next() / 100) : next();
      if ((high | low) !== 0 && grown.addIfAbsent(high, low)) entries.push([high, low]);
    }
    const made = new OpenAddressingFingerprintSet(grown.capacity);
    for (const [high, low] of entries) made.addIfAbsent(high, low);
    expect(made.capacity).toBe(grown.capacity);
    const a = grown.inOrder();
    const b = made.inOrder();
    const common = Math.min(a.length, b.length);
    let differing = 0;
    for (let i = 0; i < common; i++) if (a[i] !== b[i]) differing++;
    expect(differing).toBe(0);
    expect(a.subarray(common).every((word) => word === 0) && b.subarray(common).every((word) => word === 0)).toBe(true);
    expect(grown.size).toBe(entries.length);
    expect(a.length).toBeGreaterThan((grown.capacity + 64) * 2);
  });

  it('survives growth past 3 million inserts with no lost entries', () => {
    const count = 3_000_000;
    const set = new OpenAddressingFingerprintSet(16);
    const next = mulberry32(0xc0ffee);
    const high = new Uint32Array(count);
    const low = new Uint32Array(count);
    let fresh = 0;
    for (let i = 0; i < count; i++) {
      // Distinct by construction: the low half carries the index.
      const h = next();
      high[i] = h;
      low[i] = (i + 1) ^ (h & 0xff000000);
      if (set.addIfAbsent(h, low[i]!)) fresh++;
    }
    expect(fresh).toBe(count);
    expect(set.size).toBe(count);
    // After growing, the table is always between 60% and 75% full: at most 13.4 bytes an entry.
    expect(set.size / set.capacity).toBeGreaterThan(0.6);
    expect(set.size / set.capacity).toBeLessThanOrEqual(0.75);
    expect(set.approximateBytes() / set.size).toBeLessThan(13.4);
    expectEveryFingerprintKept(set, high, low);
  }, 30_000);
});

describe('allocateWithRoom', () => {
  /** Allocates a length, refusing any above `limit` as the system would (a RangeError); records the tries. */
  function system(limit: number) {
    const tries: number[] = [];
    const allocate = (words: number) => {
      tries.push(words);
      if (words > limit) throw new RangeError('Array buffer allocation failed');
      return words;
    };
    return { tries, allocate };
  }

  it('gives a small table its factor of room, and a table of 2^22 words or more all of 2^31', () => {
    const small = system(Infinity);
    expect(allocateWithRoom(1000, 16, small.allocate)).toBe(16_000);
    const large = system(Infinity);
    expect(allocateWithRoom(2 ** 22, 4, large.allocate)).toBe(2 ** 31);
    expect(allocateWithRoom(2 ** 30, 4, large.allocate)).toBe(2 ** 31);
  });

  it('falls back to the factor, then to no room, when the system refuses the address space', () => {
    const lending = system(2 ** 25);
    expect(allocateWithRoom(2 ** 22, 4, lending.allocate)).toBe(2 ** 24);
    expect(lending.tries).toEqual([2 ** 31, 2 ** 24]);
    const refusing = system(2 ** 22);
    expect(allocateWithRoom(2 ** 22, 4, refusing.allocate)).toBe(2 ** 22);
    expect(refusing.tries).toEqual([2 ** 31, 2 ** 24, 2 ** 22]);
    const smallRefused = system(1000);
    expect(allocateWithRoom(1000, 16, smallRefused.allocate)).toBe(1000);
    expect(smallRefused.tries).toEqual([16_000, 1000]);
  });
});
