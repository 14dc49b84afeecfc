import { describe, it, expect } from 'vitest';
import { Worker } from 'node:worker_threads';
import { OpenAddressingFingerprintSet } from '../../../src/store/fingerprint-set.ts';
import { FULL, NOT_CLAIMED, PARITY_ONE, UNCLAIMED, SharedFingerprintSet, moveEntries, movingPhase, type TableGrowth } from '../../../src/store/shared-fingerprint-set.ts';
import { fmix32 } from '../../../src/store/fingerprint.ts';
import { expectEveryFingerprintKept, fingerprintSetContract } from './fingerprint-set-contract.ts';
import { randomFingerprints } from '../prng.ts';

fingerprintSetContract('SharedFingerprintSet', (initialCapacity) => new SharedFingerprintSet(initialCapacity));

/**
 * Runs `job` in `threads` worker threads at once over one set (a start barrier lines them up) and
 * returns what each reports. Each thread gets its own slice of `work`.
 */
async function inThreads(
  set: SharedFingerprintSet,
  job: 'add' | 'claim',
  work: readonly { high: Uint32Array; low: Uint32Array; keys?: Int32Array }[],
): Promise<number[]> {
  const tsx = import.meta.resolve('tsx/esm/api');
  const module = new URL('../../../src/store/shared-fingerprint-set.ts', import.meta.url).href;
  const barrier = new Int32Array(new SharedArrayBuffer(4));
  const code = `
    const { workerData, parentPort } = require('node:worker_threads');
    import(${JSON.stringify(tsx)})
      .then(({ register }) => { register(); return import(${JSON.stringify(module)}); })
      .then(({ SharedFingerprintSet }) => {
        const { buffer, barrier, job, high, low, keys, threads } = workerData;
        const set = SharedFingerprintSet.attach(buffer);
        set.shared = true;
        Atomics.add(barrier, 0, 1);
        while (Atomics.load(barrier, 0) < threads) {}
        let fresh = 0;
        for (let i = 0; i < high.length; i++) {
          if (job === 'add' ? set.addIfAbsent(high[i], low[i]) : set.claim(high[i] | 0, low[i] | 0, keys[i]) >= 0) fresh++;
        }
        set.flush();
        parentPort.postMessage(fresh);
      });`;
  set.shared = true;
  return Promise.all(
    work.map(
      ({ high, low, keys }) =>
        new Promise<number>((resolve, reject) => {
          const worker = new Worker(code, {
            eval: true,
            workerData: { buffer: set.sharedBuffer, barrier, job, high, low, keys, threads: work.length },
          });
          worker.once('message', (fresh: number) => {
            resolve(fresh);
            void worker.terminate();
          });
          worker.once('error', reject);
        }),
    ),
  );
}

function slice(all: { high: Uint32Array; low: Uint32Array }, from: number, to: number, reversed = false) {
  const high = all.high.slice(from, to);
  const low = all.low.slice(from, to);
  if (reversed) {
    high.reverse();
    low.reverse();
  }
  return { high, low };
}

/** The inverse of fmix32, to build fingerprints whose mix (and so home slot) a test chooses. */
function unmix(h: number): number {
  const inverse = (odd: number) => {
    // Newton's iteration for the inverse modulo 2^32: each step doubles the correct bits.
    let x = odd;
    for (let i = 0; i < 5; i++) x = Math.imul(x, 2 - Math.imul(odd, x));
    return x;
  };
  h ^= h >>> 16;
  h = Math.imul(h, inverse(0xc2b2ae35));
  h ^= (h >>> 13) ^ (h >>> 26);
  h = Math.imul(h, inverse(0x85ebca6b));
  h ^= h >>> 16;
  return h;
}

/** Moves a growth's parts in `order`, as threads would: in place, every part saves first, then every part moves. */
function moveParts(growth: TableGrowth, order: readonly number[]) {
  if (growth.phase !== 'save') return order.map((part) => moveEntries(growth, part));
  for (const part of order) expect(moveEntries(growth, part)).toEqual({ count: 0, leftOver: new Float64Array(0) });
  const moving = movingPhase(growth);
  return order.map((part) => moveEntries(moving, part));
}

describe('SharedFingerprintSet', () => {
  it('the inverse the tests build fingerprints with undoes fmix32', () => {
    for (const value of [0, 1, 0x12345678, 0xffffffff, 0x80000000]) expect(fmix32(unmix(value)) >>> 0).toBe(value >>> 0);
  });

  /** A fingerprint whose mix (which home slots are scaled from) is `mix`, with high half `high`. */
  const withMix = (high: number, mix: number): [number, number] => [high | 0, (unmix(mix) ^ Math.imul(high, 0x9e3779b1)) | 0];
  /** Claims with `key` (a signed view of the halves, as the explorer passes them). */
  const claim = (set: SharedFingerprintSet, high: number, low: number, key: number) => set.claim(high | 0, low | 0, key);

  it('takes capacities of 8 to 15 times a power of two, 2^16 at least, and reports 8 bytes a slot plus a header', () => {
    expect(new SharedFingerprintSet(1).capacity).toBe(65_536);
    expect(new SharedFingerprintSet(65_537).capacity).toBe(9 * 8192);
    expect(new SharedFingerprintSet(100_000).capacity).toBe(13 * 8192);
    expect(new SharedFingerprintSet(1 << 20).capacity).toBe(1 << 20);
    expect(new SharedFingerprintSet((1 << 20) + 1).capacity).toBe(9 * (1 << 17));
    expect(new SharedFingerprintSet(1 << 20).approximateBytes()).toBe((1 << 20) * 8 + 16);
    expect(SharedFingerprintSet.bytesFor(100_000)).toBe(13 * 8192 * 8 + 16);
    expect(SharedFingerprintSet.bytesFor(2 ** 30)).toBe(2 ** 33 + 16);
    // Growing in place adds the new slots and the parts' copies of what the parts below overwrite
    // (at most the factor less one times the table); into a new buffer, the whole new table.
    const set = new SharedFingerprintSet(1 << 16);
    expect(set.bytesToGrow(9 * 8192)).toBe((8192 + 8192) * 8);
    expect(set.bytesToGrow(1 << 17)).toBe(((1 << 16) + (1 << 16)) * 8);
    expect(set.bytesToGrow(1 << 18)).toBe((3 * (1 << 16) + (1 << 16)) * 8);
    expect(set.bytesToGrow(1 << 24)).toBe((1 << 24) * 8);
    expect(set.bytesToGrow(1 << 16)).toBe(0);
    // Parts of at least 1,024 old slots: a part of a few slots would make no step down at all.
    const growth = set.beginGrowth(9 * 8192, undefined, 9000);
    expect(growth.bounds).toHaveLength(65);
    set.finishGrowth(growth, moveParts(growth, Array.from({ length: 64 }, (_, part) => part)));
    expect(set.capacity).toBe(9 * 8192);
    expect(() => SharedFingerprintSet.bytesFor(2 ** 30 + 1)).toThrow(/cannot have more than 1073741824 slots/);
  });

  it('tells a level apart 16 units at 2^16 slots and twice as many for each doubling', () => {
    expect(new SharedFingerprintSet(1 << 16).claimLimit).toBe(16);
    expect(new SharedFingerprintSet(15 * 8192).claimLimit).toBe(16);
    expect(new SharedFingerprintSet(1 << 17).claimLimit).toBe(32);
    expect(new SharedFingerprintSet(1 << 24).claimLimit).toBe(4096);
    const set = new SharedFingerprintSet(1 << 16);
    expect(() => claim(set, 1, 2, 16)).toThrow(/claim 16 is outside 0\.\.15/);
    expect(claim(set, 1, 2, 15)).toBeGreaterThanOrEqual(0);
    expect(() => claim(set, 1, 2, -1)).toThrow(/outside/);
  });

  it('keeps whole fingerprints: the bits its home slot stands for tell entries apart', () => {
    // At 2^16 slots a home stands for a mix's top 16 bits and the slot keeps the low 16: these
    // share their high half and their low 16 bits of mix, and differ only in their homes.
    const set = new SharedFingerprintSet(1 << 16);
    const first = withMix(7, 0x12345678);
    const second = withMix(7, 0x12355678);
    const neighbour = withMix(7, 0x12335678);
    expect(set.addIfAbsent(...first)).toBe(true);
    expect(set.addIfAbsent(...second)).toBe(true);
    expect(set.has(...neighbour)).toBe(false);
    // Entries displaced from their homes: a run of 40 at one home, then one from the next home on.
    const run = Array.from({ length: 40 }, (_, i) => withMix(i + 100, 0x40000000 + i));
    for (const fingerprint of run) expect(set.addIfAbsent(...fingerprint)).toBe(true);
    const displaced = withMix(100, 0x40010000);
    expect(set.has(...displaced)).toBe(false);
    expect(set.addIfAbsent(...displaced)).toBe(true);
    expect(set.addIfAbsent(...withMix(101, 0x40010001))).toBe(true);
    for (const fingerprint of [first, second, ...run, displaced]) expect(set.has(...fingerprint)).toBe(true);
    expect(set.size).toBe(44);
    // The same after growths to capacities that are not powers of two (homes stand for fewer bits).
    for (const capacity of [9 * 8192, 13 * 8192, 1 << 20]) {
      set.rehash(capacity);
      expect(set.capacity).toBe(capacity);
      for (const fingerprint of [first, second, ...run, displaced]) expect(set.has(...fingerprint)).toBe(true);
      expect(set.has(...neighbour)).toBe(false);
      expect(set.size).toBe(44);
    }
  });

  it('copyOf takes every entry of a lone thread\'s set, with no claim, in a table large enough for them', () => {
    const { high, low } = randomFingerprints(11, 100_000);
    const solo = new OpenAddressingFingerprintSet();
    for (let i = 0; i < 90_000; i++) solo.addIfAbsent(high[i]!, low[i]!);
    // Asked for fewer slots than the entries need: it takes enough (under 75% load).
    const copy = SharedFingerprintSet.copyOf(solo, 16);
    expect(copy.size).toBe(90_000);
    expect(copy.capacity).toBe(15 * 8192);
    expect(SharedFingerprintSet.copyOf(solo, 1 << 18).capacity).toBe(1 << 18);
    copy.shared = true;
    for (let i = 0; i < 90_000; i++) {
      expect(copy.claimOf(high[i]!, low[i]!)).toBe(UNCLAIMED);
      // Settled: no key displaces it.
      expect(claim(copy, high[i]!, low[i]!, 0)).toBe(NOT_CLAIMED);
    }
    for (let i = 90_000; i < 100_000; i++) expect(copy.has(high[i]!, low[i]!)).toBe(false);
    expect(claim(copy, high[95_000]!, low[95_000]!, 7)).toBeGreaterThanOrEqual(0);
    expect(copy.size).toBe(90_001);
  });

  it('another view of the same buffer sees the same entries', () => {
    const set = new SharedFingerprintSet(64);
    set.addIfAbsent(1, 2);
    set.addIfAbsent(0xffffffff, 0);
    set.flush();
    const view = SharedFingerprintSet.attach(set.sharedBuffer);
    expect(view.has(1, 2)).toBe(true);
    expect(view.has(-1, 0)).toBe(true);
    expect(view.size).toBe(2);
    expect(view.addIfAbsent(1, 2)).toBe(false);
    expect(view.addIfAbsent(3, 4)).toBe(true);
    view.flush();
    expect(set.has(3, 4)).toBe(true);
    expect(set.size).toBe(3);
  });

  it('claims: absent is claimed, a later unit lowers nothing, an earlier one lowers the claim, a settled one or one of the level before is final', () => {
    const set = new SharedFingerprintSet(1 << 16);
    const slot = claim(set, 5, 6, 10);
    expect(slot).toBeGreaterThanOrEqual(0);
    expect(set.lowered).toBe(false);
    expect(set.claimAt(slot)).toBe(10);
    expect(claim(set, 5, 6, 13)).toBe(NOT_CLAIMED);
    expect(claim(set, 5, 6, 10)).toBe(NOT_CLAIMED);
    expect(claim(set, 5, 6, 6)).toBe(slot);
    expect(set.lowered).toBe(true);
    expect(set.claimAt(slot)).toBe(6);
    expect(set.claimOf(5, 6)).toBe(6);
    // At the next level (the other parity) the claim is final: no unit of it lowers the claim.
    set.parity = 1;
    expect(claim(set, 5, 6, 0)).toBe(NOT_CLAIMED);
    expect(set.claimOf(5, 6)).toBe(6);
    const next = claim(set, 9, 9, 5);
    expect(set.claimOf(9, 9)).toBe(5 + PARITY_ONE);
    expect(claim(set, 9, 9, 2)).toBe(next);
    expect(set.claimOf(9, 9)).toBe(2 + PARITY_ONE);
    set.parity = 0;
    expect(claim(set, 9, 9, 0)).toBe(NOT_CLAIMED);
    expect(set.claimOf(9, 9)).toBe(2 + PARITY_ONE);
    expect(set.claimOf(5, 7)).toBeUndefined();
    // A slot far from the entry's home cannot be its (a slot gone stale in a growth): refused.
    expect(() => set.settle((slot + 30_000) % (1 << 16), 5, 6)).toThrow(/cannot hold the entry/);
    expect(set.claimAt(slot)).toBe(6);
    // Settled (its unit committed): never claimed again, by any unit.
    set.settle(slot, 5, 6);
    expect(set.claimOf(5, 6)).toBe(UNCLAIMED);
    expect(claim(set, 5, 6, 0)).toBe(NOT_CLAIMED);
    expect(set.has(5, 6)).toBe(true);
    // Entries added without a claim are settled from the start.
    set.addIfAbsent(7, 8);
    expect(claim(set, 7, 8, 0)).toBe(NOT_CLAIMED);
    expect(set.size).toBe(3);
  });

  it('settles an entry displaced past the table\'s end into its first slots', () => {
    const set = new SharedFingerprintSet(1 << 16);
    const entries = Array.from({ length: 5 }, (_, i) => withMix(i + 1, 0xfffffff0 + i));
    const slots = entries.map(([high, low]) => claim(set, high, low, 9));
    // All at home in the last slot: four wrap around to the first.
    expect(slots).toEqual([65_535, 0, 1, 2, 3]);
    entries.forEach(([high, low], i) => set.settle(slots[i]!, high, low));
    for (const [high, low] of entries) {
      expect(set.claimOf(high, low)).toBe(UNCLAIMED);
      expect(claim(set, high, low, 0)).toBe(NOT_CLAIMED);
    }
    expect(set.size).toBe(5);
  });

  it('claim reports FULL, inserting nothing, past 85% load once shared; rehash makes room', () => {
    const set = new SharedFingerprintSet(1 << 16);
    set.shared = true;
    const { high, low } = randomFingerprints(0xf011, 1 << 16);
    let inserted = 0;
    let full = false;
    for (let i = 0; i < 1 << 16 && !full; i++) {
      const result = claim(set, high[i]!, low[i]!, 0);
      if (result === FULL) full = true;
      else inserted++;
    }
    expect(full).toBe(true);
    expect(inserted).toBe(Math.floor((1 << 16) * 0.85));
    expect(set.size).toBe(inserted);
    expect(() => set.addIfAbsent(high[inserted]!, low[inserted]!)).toThrow(/full/);
    set.rehash(1 << 18);
    expect(set.capacity).toBe(1 << 18);
    expect(set.size).toBe(inserted);
    for (let i = 0; i < inserted; i++) expect(set.has(high[i]!, low[i]!)).toBe(true);
    expect(claim(set, high[inserted]!, low[inserted]!, 0)).toBeGreaterThanOrEqual(0);
  });

  it('claim reports FULL where an entry would lie more than 511 slots past its home; alone, it grows instead', () => {
    // 600 fingerprints at one home slot of 2^16 (their mixes 64 apart), the table nearly empty.
    const crowd = Array.from({ length: 600 }, (_, i) => withMix(i + 1, 0x50000000 + i * 64));
    const shared = new SharedFingerprintSet(1 << 16);
    shared.shared = true;
    const results = crowd.map(([high, low]) => shared.claim(high, low, 0));
    expect(results.slice(0, 512).every((slot) => slot >= 0)).toBe(true);
    expect(results.slice(512).every((slot) => slot === FULL)).toBe(true);
    expect(shared.size).toBe(512);
    const alone = new SharedFingerprintSet(1 << 16);
    for (const [high, low] of crowd) expect(alone.addIfAbsent(high, low)).toBe(true);
    expect(alone.size).toBe(600);
    expect(alone.capacity).toBeGreaterThan(1 << 16);
    for (const [high, low] of crowd) expect(alone.has(high, low)).toBe(true);
  });

  it('rehash in a level settles its committed units\' claims and the level before\'s, and drops the rest of the level\'s', () => {
    const set = new SharedFingerprintSet(1 << 16);
    set.addIfAbsent(1, 1);
    set.settle(claim(set, 2, 2, 10), 2, 2);
    claim(set, 3, 3, 11);
    claim(set, 4, 4, 12);
    set.parity = 1;
    claim(set, 5, 5, 13);
    // Units from 12 on of the level of parity 0 were not committed.
    set.rehash(1 << 16, { parity: 0, dropFrom: 12 });
    expect(set.size).toBe(4);
    for (const [high, low] of [[1, 1], [2, 2], [3, 3], [5, 5]]) expect(set.claimOf(high!, low!)).toBe(UNCLAIMED);
    expect(set.has(4, 4)).toBe(false);
    // With no level, claims move as they are.
    set.parity = 0;
    claim(set, 6, 6, 11);
    set.parity = 1;
    claim(set, 7, 7, 4);
    set.rehash(1 << 17);
    expect(set.claimOf(6, 6)).toBe(11);
    expect(set.claimOf(7, 7)).toBe(4 + PARITY_ONE);
    expect(set.size).toBe(6);
  });

  it('grows in parts moved in any order: every entry kept with its claim, or in a level settled and the level\'s later units\' dropped', () => {
    const count = 200_000;
    const { high, low } = randomFingerprints(0x6a27, count);
    // Settled, then 500 claimed at parity 0 and 500 at parity 1, with keys 0 to 63.
    const claimOf = (i: number) => (i < count - 1000 ? UNCLAIMED : (i % 64) + (i >= count - 500 ? PARITY_ONE : 0));
    const dropped = (i: number) => i >= count - 1000 && i < count - 500 && i % 64 >= 32;
    let droppedCount = 0;
    for (let i = 0; i < count; i++) if (dropped(i)) droppedCount++;
    for (const parts of [1, 2, 3, 7]) {
      for (const toCapacity of [1 << 19, 9 * (1 << 16), 15 * (1 << 16)]) {
        const set = new SharedFingerprintSet(1 << 18);
        set.shared = true;
        let refused = 0;
        for (let i = 0; i < count; i++) {
          set.parity = i >= count - 500 ? 1 : 0;
          const slot = claim(set, high[i]!, low[i]!, i % 64);
          if (slot < 0) refused++;
          else if (i < count - 1000) set.settle(slot, high[i]!, low[i]!);
        }
        expect(refused).toBe(0);
        set.flush();
        // Once with no level (claims kept), then in the level of parity 0 with units 0 to 31 committed.
        for (const inLevel of [false, true]) {
          const growth = set.beginGrowth(inLevel ? toCapacity * 2 : toCapacity, inLevel ? { parity: 0, dropFrom: 32 } : undefined, parts);
          expect(growth.bounds).toHaveLength(parts + 1);
          const order = Array.from({ length: parts }, (_, part) => parts - 1 - part);
          const moved = moveParts(growth, order);
          set.finishGrowth(growth, moved);
          expect(set.capacity).toBe(inLevel ? toCapacity * 2 : toCapacity);
          expect(set.size).toBe(inLevel ? count - droppedCount : count);
          let wrong = 0;
          for (let i = 0; i < count; i++) {
            const expected = !inLevel ? claimOf(i) : dropped(i) ? undefined : UNCLAIMED;
            if (set.claimOf(high[i]!, low[i]!) !== expected) wrong++;
          }
          expect(wrong).toBe(0);
          // Parts leave over only the few entries displaced across the bounds of their steps'
          // regions (at most 52 of these 200,000 in any of these growths).
          const leftOver = moved.reduce((sum, part) => sum + part.leftOver.length / 3, 0);
          expect(leftOver).toBeLessThan(100);
          expect(() => set.finishGrowth(growth, moved)).toThrow(/changed/);
        }
      }
    }
  }, 30_000);

  it('grows in parts past a run of entries that wraps around from the last slot to the first', () => {
    // Twelve fingerprints at home in the last of 2^16 slots: eleven of them wrap to the first slots.
    const set = new SharedFingerprintSet(1 << 16);
    set.shared = true;
    const entries = Array.from({ length: 12 }, (_, i) => withMix(i + 1, 0xfffffff0 + i));
    entries.forEach(([high, low]) => expect(set.claim(high, low, high)).toBeGreaterThanOrEqual(0));
    set.flush();
    // A growth to the same capacity (into a new buffer), in two parts of 2^15 old slots each.
    const growth = set.beginGrowth(1 << 16, undefined, 2);
    const moved = [moveEntries(growth, 0), moveEntries(growth, 1)];
    // Slots 0 to 10 hold the wrapped ones, at home in the last slot: the first part leaves them
    // over; the second places the one at home and none is left, as it ends at the table's end.
    expect(moved.map((part) => [part.count, part.leftOver.length / 3])).toEqual([
      [0, 11],
      [1, 0],
    ]);
    set.finishGrowth(growth, moved);
    expect(set.size).toBe(12);
    for (const [high, low] of entries) expect(set.claimOf(high, low)).toBe(high);
  });

  it('grows in place within its room (by 1.125 to 16 times, parts in any order), keeping every entry once, and into a new buffer past the room', () => {
    const count = 40_000;
    const { high, low } = randomFingerprints(0x51ee, count);
    /** Every entry with its claim, and each held once: a stale copy left in the table would be moved, and counted, by a growth after. */
    const expectExactly = (set: SharedFingerprintSet, kept: number) => {
      let wrong = 0;
      for (let i = 0; i < count; i++) if (set.claimOf(high[i]!, low[i]!) !== (i < kept ? i % 16 : undefined)) wrong++;
      expect(wrong).toBe(0);
      expect(set.size).toBe(kept);
      const again = set.beginGrowth(set.capacity * 2, undefined, 1);
      set.finishGrowth(again, moveParts(again, [0]));
      expect(set.size).toBe(kept);
    };
    for (const factor of [1.125, 1.25, 1.875, 2, 4, 16, 32]) {
      for (const parts of [1, 3]) {
        const set = new SharedFingerprintSet(1 << 16);
        set.shared = true;
        for (let i = 0; i < count; i++) {
          const slot = claim(set, high[i]!, low[i]!, i % 16);
          expect(slot).toBeGreaterThanOrEqual(0);
          if (i >= count - 500) set.settle(slot, high[i]!, low[i]!);
        }
        set.flush();
        const buffer = set.sharedBuffer;
        // Dropping nothing settled, every claim kept.
        const growth = set.beginGrowth((1 << 16) * factor, undefined, parts);
        const moved = moveParts(growth, Array.from({ length: parts }, (_, part) => parts - 1 - part));
        set.finishGrowth(growth, moved);
        // In place: the same buffer, whose room (16 times the first table) is not counted.
        expect(set.sharedBuffer === buffer).toBe(factor <= 16);
        expect(set.capacity).toBe((1 << 16) * factor);
        expect(set.approximateBytes()).toBe(16 + 8 * (1 << 16) * factor);
        let wrong = 0;
        for (let i = count - 500; i < count; i++) if (set.claimOf(high[i]!, low[i]!) !== UNCLAIMED) wrong++;
        expect(wrong).toBe(0);
        // The settled ones dropped by nothing; the claimed ones dropped in a level none of whose units committed.
        set.rehash(set.capacity, { parity: 0, dropFrom: 0 });
        expect(set.size).toBe(500);
        expect(set.has(high[count - 1]!, low[count - 1]!)).toBe(true);
        expect(set.has(high[0]!, low[0]!)).toBe(false);
      }
    }
    // Claims through growths in place, checked entry by entry.
    const set = new SharedFingerprintSet(1 << 16);
    set.shared = true;
    for (let i = 0; i < count; i++) claim(set, high[i]!, low[i]!, i % 16);
    set.flush();
    set.rehash(9 * 8192);
    expectExactly(set, count);
  });

  it('grows in place past runs that wrap around, dropping the unfinished level, as a table built afresh', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const { high } = randomFingerprints(seed, 12);
      const set = new SharedFingerprintSet(1 << 16);
      set.shared = true;
      // Homes in the last few slots: runs wrap around to the first slots.
      const entries = Array.from({ length: 12 }, (_, i) => withMix(high[i]!, 0xfffc0000 + ((high[i]! >>> 14) & 0x3ffff)));
      entries.forEach(([entryHigh, entryLow], i) => {
        const slot = set.claim(entryHigh, entryLow, i);
        expect(slot).toBeGreaterThanOrEqual(0);
        if (i < 10) set.settle(slot, entryHigh, entryLow);
      });
      set.flush();
      set.rehash(9 * 8192, { parity: 0, dropFrom: 10 });
      expect(set.capacity).toBe(9 * 8192);
      expect(set.size).toBe(10);
      entries.forEach(([entryHigh, entryLow], i) => expect(set.claimOf(entryHigh, entryLow)).toBe(i < 10 ? UNCLAIMED : undefined));
    }
  });

  it('used alone, grows itself past 3 million inserts with no lost entries, 60-75% full', () => {
    const count = 3_000_000;
    const { high, low } = randomFingerprints(0x9a0e, count);
    const set = new SharedFingerprintSet(16);
    let fresh = 0;
    for (let i = 0; i < count; i++) if (set.addIfAbsent(high[i]!, low[i]!)) fresh++;
    expect(fresh).toBe(count);
    expect(set.size).toBe(count);
    // It grows at 75% by a quarter (rounded up to a capacity it can have: 7% more at most).
    expect(count / set.capacity).toBeLessThanOrEqual(0.75);
    expect(count / set.capacity).toBeGreaterThan(0.75 / 1.25 / 1.125);
    expectEveryFingerprintKept(set, high, low);
  }, 30_000);

  it('shared, grown by its owner with rehash whenever claim reports FULL: 3 million claims, none lost', () => {
    const count = 3_000_000;
    const { high, low } = randomFingerprints(0x5a4e, count);
    const set = new SharedFingerprintSet(16);
    set.shared = true;
    let rehashes = 0;
    for (let i = 0; i < count; i++) {
      let slot = claim(set, high[i]!, low[i]!, i % 16);
      if (slot === FULL) {
        set.rehash(set.capacity * 2);
        rehashes++;
        slot = claim(set, high[i]!, low[i]!, i % 16);
      }
      if (slot < 0) throw new Error(`claim ${i} failed: ${slot}`);
    }
    set.flush();
    expect(set.size).toBe(count);
    // From 2^16 slots to 2^22, doubling each time a claim met 85% load.
    expect(set.capacity).toBe(1 << 22);
    expect(rehashes).toBe(6);
    let wrong = 0;
    for (let i = 0; i < count; i++) if (set.claimOf(high[i]!, low[i]!) !== i % 16) wrong++;
    expect(wrong).toBe(0);
  }, 30_000);

  it('two threads adding overlapping sets at once: exactly the union, each fingerprint new to exactly one', async () => {
    const all = randomFingerprints(0xfeed, 120_000);
    const set = new SharedFingerprintSet(1 << 18);
    // Thread A adds 0..80,000 in order, thread B 40,000..120,000 backwards: 40,000 in common.
    const fresh = await inThreads(set, 'add', [slice(all, 0, 80_000), slice(all, 40_000, 120_000, true)]);
    expect(fresh[0]! + fresh[1]!).toBe(120_000);
    expect(set.size).toBe(120_000);
    let present = 0;
    for (let i = 0; i < 120_000; i++) if (set.has(all.high[i]!, all.low[i]!)) present++;
    expect(present).toBe(120_000);
  }, 30_000);

  it('three threads claiming the same fingerprints with different keys: every claim ends at the smallest key', async () => {
    const count = 60_000;
    const all = randomFingerprints(0xc1a1, count);
    const set = new SharedFingerprintSet(1 << 17);
    const key = (thread: number, index: number) => ((index * 7 + thread * 13) % 3) * 10 + thread;
    const work = [0, 1, 2].map((thread) => {
      // Thread 1 goes backwards, so that threads meet each fingerprint at different times.
      const order = Array.from({ length: count }, (_, position) => (thread === 1 ? count - 1 - position : position));
      return {
        high: Uint32Array.from(order, (index) => all.high[index]!),
        low: Uint32Array.from(order, (index) => all.low[index]!),
        keys: Int32Array.from(order, (index) => key(thread, index)),
      };
    });
    const claimed = await inThreads(set, 'claim', work);
    expect(set.size).toBe(count);
    // Each fingerprint was claimed at least once (by its first finder), at most three times.
    expect(claimed.reduce((sum, value) => sum + value, 0)).toBeGreaterThanOrEqual(count);
    let wrong = 0;
    for (let index = 0; index < count; index++) {
      const expected = Math.min(key(0, index), key(1, index), key(2, index));
      if (set.claimOf(all.high[index]!, all.low[index]!) !== expected) wrong++;
    }
    expect(wrong).toBe(0);
  }, 30_000);
});
