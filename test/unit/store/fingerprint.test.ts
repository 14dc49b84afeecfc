import { describe, it, expect } from 'vitest';
import { Fingerprinter, collisionProbability, fingerprintToBigInt } from '../../../src/store/fingerprint.ts';
import { mulberry32 } from '../prng.ts';

function fingerprintOf(words: readonly number[]): [number, number] {
  const fingerprinter = new Fingerprinter();
  const array = Int32Array.from(words);
  fingerprinter.hash(array, 0, array.length);
  return [fingerprinter.high, fingerprinter.low];
}

describe('Fingerprinter', () => {
  // These pin the seeds and the mixing: if they change, every stored trace and fingerprint changes.
  it('gives stable, known fingerprints', () => {
    expect(fingerprintOf([])).toEqual([2203605473, 73651462]);
    expect(fingerprintOf([0])).toEqual([3306262846, 3791923760]);
    expect(fingerprintOf([1, 2, 3])).toEqual([0x8ac75451, 0x400f4c26]);
    expect(fingerprintOf([-1, 0x7fffffff, 42, 7])).toEqual([0x0d4daca2, 0x16d46609]);
  });

  it('gives unsigned 32-bit halves', () => {
    const [high, low] = fingerprintOf([1, 2, 3]);
    expect(high).toBeGreaterThan(0x7fffffff);
    expect(Number.isInteger(high) && Number.isInteger(low)).toBe(true);
    expect(low).toBeGreaterThanOrEqual(0);
    expect(low).toBeLessThanOrEqual(0xffffffff);
  });

  it('is deterministic across instances and calls', () => {
    const fingerprinter = new Fingerprinter();
    const words = Int32Array.from([5, 6, 7, 8]);
    fingerprinter.hash(words, 0, 4);
    const first = [fingerprinter.high, fingerprinter.low];
    fingerprinter.hash(Int32Array.from([9]), 0, 1);
    fingerprinter.hash(words, 0, 4);
    expect([fingerprinter.high, fingerprinter.low]).toEqual(first);
    expect(fingerprintOf([5, 6, 7, 8])).toEqual(first);
  });

  it('hashes only the words between start and end', () => {
    const fingerprinter = new Fingerprinter();
    const padded = Int32Array.from([99, 98, 1, 2, 3, 97]);
    fingerprinter.hash(padded, 2, 5);
    expect([fingerprinter.high, fingerprinter.low]).toEqual([0x8ac75451, 0x400f4c26]);
    fingerprinter.hash(padded, 3, 3);
    expect([fingerprinter.high, fingerprinter.low]).toEqual([2203605473, 73651462]);
  });

  it('distinguishes order, length and trailing zeros', () => {
    const inputs = [[], [0], [0, 0], [0, 0, 0], [1, 2], [2, 1], [1, 2, 0], [0, 1, 2], [1], [-1], [0x7fffffff], [-0x80000000]];
    const keys = new Set(inputs.map((words) => fingerprintOf(words).join(':')));
    expect(keys.size).toBe(inputs.length);
  });

  it('gives 100,000 distinct fingerprints, never (0, 0), for 100,000 distinct encodings', () => {
    const fingerprinter = new Fingerprinter();
    const next = mulberry32(1);
    const seen = new Set<bigint>();
    const words = new Int32Array(4);
    let zero = 0;
    for (let i = 0; i < 50_000; i++) {
      // Small structured encodings (like states) and random ones.
      words[0] = i;
      words[1] = i >> 8;
      fingerprinter.hash(words, 0, 2);
      if (fingerprinter.high === 0 && fingerprinter.low === 0) zero++;
      seen.add(fingerprintToBigInt(fingerprinter.high, fingerprinter.low));
      words[0] = next() | 0x1;
      words[1] = next();
      words[2] = next();
      words[3] = i;
      fingerprinter.hash(words, 0, 4);
      if (fingerprinter.high === 0 && fingerprinter.low === 0) zero++;
      seen.add(fingerprintToBigInt(fingerprinter.high, fingerprinter.low));
    }
    expect(zero).toBe(0);
    expect(seen.size).toBe(100_000);
  });
});

describe('fingerprintToBigInt', () => {
  it('puts high in the upper 32 bits and treats halves as unsigned', () => {
    expect(fingerprintToBigInt(1, 2)).toBe(0x1_0000_0002n);
    expect(fingerprintToBigInt(-1, -1)).toBe(0xffff_ffff_ffff_ffffn);
    expect(fingerprintToBigInt(0, 0xffffffff)).toBe(0xffff_ffffn);
  });
});

describe('collisionProbability', () => {
  it('is the birthday bound n^2 / 2^65, capped at 1', () => {
    expect(collisionProbability(0)).toBe(0);
    expect(collisionProbability(2 ** 20)).toBe(2 ** -25);
    expect(collisionProbability(2 ** 32)).toBe(0.5);
    expect(collisionProbability(2 ** 40)).toBe(1);
  });
});
