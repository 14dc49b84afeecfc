/**
 * The contract every FingerprintSet must pass, written once over a factory.
 * `(0, 0)` is never used: the Fingerprinter never produces it (it marks empty slots).
 */
import { describe, it, expect } from 'vitest';
import type { FingerprintSet } from '../../../src/store/fingerprint-set.ts';
import { ReferenceFingerprintSet } from '../../../src/store/fingerprint-set.ts';
import { mulberry32, randomFingerprints } from '../prng.ts';

export type FingerprintSetFactory = (initialCapacity: number) => FingerprintSet;

export function fingerprintSetContract(name: string, create: FingerprintSetFactory): void {
  describe(`FingerprintSet contract: ${name}`, () => {
    it('starts empty', () => {
      const set = create(16);
      expect(set.size).toBe(0);
      expect(set.has(1, 2)).toBe(false);
      expect(set.has(0xffffffff, 0xffffffff)).toBe(false);
    });

    it('addIfAbsent is true for a new fingerprint and false for one already present', () => {
      const set = create(16);
      expect(set.addIfAbsent(7, 9)).toBe(true);
      expect(set.size).toBe(1);
      expect(set.addIfAbsent(7, 9)).toBe(false);
      expect(set.size).toBe(1);
      expect(set.has(7, 9)).toBe(true);
      // The halves are not interchangeable, and each half matters.
      expect(set.has(9, 7)).toBe(false);
      expect(set.has(7, 8)).toBe(false);
      expect(set.has(6, 9)).toBe(false);
      expect(set.addIfAbsent(9, 7)).toBe(true);
      expect(set.size).toBe(2);
    });

    it('accepts fingerprints with a zero half', () => {
      const set = create(16);
      expect(set.addIfAbsent(0, 1)).toBe(true);
      expect(set.addIfAbsent(1, 0)).toBe(true);
      expect(set.addIfAbsent(0, 1)).toBe(false);
      expect(set.addIfAbsent(1, 0)).toBe(false);
      expect(set.has(0, 1)).toBe(true);
      expect(set.has(1, 0)).toBe(true);
      expect(set.size).toBe(2);
    });

    it('treats a half as an unsigned 32-bit value (-1 is 0xffffffff)', () => {
      const set = create(16);
      expect(set.addIfAbsent(-1, -2)).toBe(true);
      expect(set.has(0xffffffff, 0xfffffffe)).toBe(true);
      expect(set.addIfAbsent(0xffffffff, 0xfffffffe)).toBe(false);
      expect(set.addIfAbsent(0x80000000, 1)).toBe(true);
      expect(set.has(-0x80000000, 1)).toBe(true);
      expect(set.size).toBe(2);
    });

    it('keeps every one of 200,000 seeded fingerprints through many resizes from capacity 16', () => {
      const count = 200_000;
      const { high, low } = randomFingerprints(0x5eed, count);
      const set = create(16);
      for (let i = 0; i < count; i++) {
        if (!set.addIfAbsent(high[i]!, low[i]!)) throw new Error(`fingerprint ${i} reported as already present`);
        if (set.size !== i + 1) throw new Error(`size ${set.size} after ${i + 1} inserts`);
      }
      expect(set.size).toBe(count);
      let present = 0;
      let readded = 0;
      for (let i = 0; i < count; i++) {
        if (set.has(high[i]!, low[i]!)) present++;
        if (set.addIfAbsent(high[i]!, low[i]!)) readded++;
      }
      expect(present).toBe(count);
      expect(readded).toBe(0);
      expect(set.size).toBe(count);

      // Fingerprints from another seed are absent (a 64-bit coincidence would be astronomically unlikely).
      const others = randomFingerprints(0xbad5eed, 20_000);
      let falsePositives = 0;
      for (let i = 0; i < 20_000; i++) if (set.has(others.high[i]!, others.low[i]!)) falsePositives++;
      expect(falsePositives).toBe(0);
    });

    it('handles fingerprints that share a half (same low, or same high) without losing any', () => {
      const set = create(16);
      for (let i = 1; i <= 5000; i++) expect(set.addIfAbsent(i, 0x1234)).toBe(true);
      for (let i = 1; i <= 5000; i++) expect(set.addIfAbsent(0x1234, i)).toBe(i === 0x1234 ? false : true);
      expect(set.size).toBe(9999);
      let present = 0;
      for (let i = 1; i <= 5000; i++) if (set.has(i, 0x1234) && set.has(0x1234, i)) present++;
      expect(present).toBe(5000);
      expect(set.has(5001, 0x1234)).toBe(false);
    });

    it('agrees with ReferenceFingerprintSet on a seeded sequence with repeats', () => {
      const set = create(16);
      const reference = new ReferenceFingerprintSet();
      const next = mulberry32(42);
      // Draw from a small pool so that many inserts are repeats.
      const pool = randomFingerprints(7, 30_000);
      let added = 0;
      let disagreements = 0;
      for (let step = 0; step < 100_000; step++) {
        const pick = next() % 30_000;
        const high = pool.high[pick]!;
        const low = pool.low[pick]!;
        if (next() % 4 === 0) {
          if (set.has(high, low) !== reference.has(high, low)) disagreements++;
        } else {
          const fresh = set.addIfAbsent(high, low);
          if (fresh !== reference.addIfAbsent(high, low)) disagreements++;
          if (fresh) added++;
        }
        if (set.size !== reference.size) disagreements++;
      }
      expect(disagreements).toBe(0);
      expect(set.size).toBe(reference.size);
      expect(set.size).toBe(added);
      // About 75,000 inserts drawn from a pool of 30,000: pinned exactly.
      expect(added).toBe(ADDED_FROM_POOL);
    });

    it('reports a positive byte count that does not shrink as it fills', () => {
      const set = create(16);
      const before = set.approximateBytes();
      expect(before).toBeGreaterThanOrEqual(0);
      for (let i = 1; i <= 1000; i++) set.addIfAbsent(i, i);
      expect(set.approximateBytes()).toBeGreaterThan(0);
      expect(set.approximateBytes()).toBeGreaterThanOrEqual(before);
    });
  });
}

/** Distinct fingerprints added by the agreement test's seeded sequence (same for every set). */
export const ADDED_FROM_POOL = 27_499;

/**
 * After a set has grown through `high`/`low` (all distinct, all added): every one is still found,
 * and adding any again reports it present and leaves the size alone.
 */
export function expectEveryFingerprintKept(set: FingerprintSet, high: Uint32Array, low: Uint32Array): void {
  const count = high.length;
  let present = 0;
  for (let i = 0; i < count; i++) if (set.has(high[i]!, low[i]!)) present++;
  expect(present).toBe(count);
  let readded = 0;
  for (let i = 0; i < count; i += 97) if (set.addIfAbsent(high[i]!, low[i]!)) readded++;
  expect(readded).toBe(0);
  expect(set.size).toBe(count);
}
