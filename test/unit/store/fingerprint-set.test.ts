import { describe, it, expect } from 'vitest';
import { OpenAddressingFingerprintSet, ReferenceFingerprintSet } from '../../../src/store/fingerprint-set.ts';
import { fingerprintSetContract } from './fingerprint-set-contract.ts';
import { mulberry32 } from '../prng.ts';

fingerprintSetContract('OpenAddressingFingerprintSet', (initialCapacity) => new OpenAddressingFingerprintSet(initialCapacity));
fingerprintSetContract('ReferenceFingerprintSet', () => new ReferenceFingerprintSet());

describe('OpenAddressingFingerprintSet', () => {
  it('rounds the initial capacity up to a power of two, at least 16', () => {
    expect(new OpenAddressingFingerprintSet(1).capacity).toBe(16);
    expect(new OpenAddressingFingerprintSet(16).capacity).toBe(16);
    expect(new OpenAddressingFingerprintSet(17).capacity).toBe(32);
    expect(new OpenAddressingFingerprintSet(1000).capacity).toBe(1024);
    expect(new OpenAddressingFingerprintSet().capacity).toBe(65536);
    expect(new OpenAddressingFingerprintSet(16).approximateBytes()).toBe(16 * 8);
  });

  it('doubles its capacity when more than three quarters full', () => {
    const set = new OpenAddressingFingerprintSet(16);
    for (let i = 1; i <= 12; i++) set.addIfAbsent(i, i);
    expect(set.capacity).toBe(16);
    set.addIfAbsent(13, 13);
    expect(set.capacity).toBe(32);
    expect(set.approximateBytes()).toBe(32 * 8);
    for (let i = 1; i <= 13; i++) expect(set.has(i, i)).toBe(true);
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
    // 3,000,000 entries at a load of at most 3/4 need 2^22 slots.
    expect(set.capacity).toBe(1 << 22);
    let present = 0;
    for (let i = 0; i < count; i++) if (set.has(high[i]!, low[i]!)) present++;
    expect(present).toBe(count);
    let readded = 0;
    for (let i = 0; i < count; i += 97) if (set.addIfAbsent(high[i]!, low[i]!)) readded++;
    expect(readded).toBe(0);
    expect(set.size).toBe(count);
  }, 30_000);
});
