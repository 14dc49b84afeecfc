import { describe, it, expect } from 'vitest';
import { Worker } from 'node:worker_threads';
import { OpenAddressingFingerprintSet } from '../../../src/store/fingerprint-set.ts';
import { FULL, NOT_CLAIMED, SharedFingerprintSet, moveEntries } from '../../../src/store/shared-fingerprint-set.ts';
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
          if (job === 'add' ? set.addIfAbsent(high[i], low[i]) : set.claim(high[i], low[i], keys[i], 0) >= 0) fresh++;
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

describe('SharedFingerprintSet', () => {
  it('rounds the capacity up to a power of two and reports 12 bytes a slot plus a header', () => {
    expect(new SharedFingerprintSet(1).capacity).toBe(16);
    expect(new SharedFingerprintSet(1000).capacity).toBe(1024);
    expect(new SharedFingerprintSet(1024).approximateBytes()).toBe(1024 * 12 + 16);
  });

  it('copyOf takes every entry of a lone thread\'s set, with no claim, in a table large enough for them', () => {
    const { high, low } = randomFingerprints(11, 100_000);
    const solo = new OpenAddressingFingerprintSet();
    for (let i = 0; i < 90_000; i++) solo.addIfAbsent(high[i]!, low[i]!);
    // Asked for fewer slots than the entries need: it takes enough (a power of two under 75% load).
    const copy = SharedFingerprintSet.copyOf(solo, 16);
    expect(copy.size).toBe(90_000);
    expect(copy.capacity).toBe(1 << 17);
    expect(SharedFingerprintSet.copyOf(solo, 1 << 18).capacity).toBe(1 << 18);
    copy.shared = true;
    for (let i = 0; i < 90_000; i++) {
      expect(copy.claimOf(high[i]!, low[i]!)).toBe(-1);
      // An entry of an earlier level: no key of the level displaces it.
      expect(copy.claim(high[i]!, low[i]!, 5, 0)).toBe(NOT_CLAIMED);
    }
    for (let i = 90_000; i < 100_000; i++) expect(copy.has(high[i]!, low[i]!)).toBe(false);
    expect(copy.claim(high[95_000]!, low[95_000]!, 7, 0)).toBeGreaterThanOrEqual(0);
    expect(copy.size).toBe(90_001);
  });

  it('another view of the same buffer sees the same entries', () => {
    const set = new SharedFingerprintSet(64);
    set.addIfAbsent(1, 2);
    set.addIfAbsent(0xffffffff, 0);
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

  it('claims: absent is claimed, a later key lowers nothing, an earlier key of the level lowers the claim', () => {
    const set = new SharedFingerprintSet(64);
    const slot = set.claim(5, 6, 20, 10);
    expect(slot).toBeGreaterThanOrEqual(0);
    expect(set.claimAt(slot)).toBe(20);
    expect(set.claim(5, 6, 25, 10)).toBe(NOT_CLAIMED);
    expect(set.claim(5, 6, 20, 10)).toBe(NOT_CLAIMED);
    expect(set.claim(5, 6, 12, 10)).toBe(slot);
    expect(set.claimAt(slot)).toBe(12);
    // At the next level (keys from 30), the entry belongs to an earlier level: never claimed again.
    expect(set.claim(5, 6, 30, 30)).toBe(NOT_CLAIMED);
    expect(set.claimOf(5, 6)).toBe(12);
    expect(set.claimOf(5, 7)).toBeUndefined();
    // Entries added without a claim belong to no level.
    set.addIfAbsent(7, 8);
    expect(set.claim(7, 8, 0, 0)).toBe(NOT_CLAIMED);
    expect(set.size).toBe(2);
  });

  it('claim reports FULL, inserting nothing, past 85% load once shared; rehash makes room', () => {
    const set = new SharedFingerprintSet(16);
    set.shared = true;
    let inserted = 0;
    let full = false;
    for (let i = 1; i <= 16 && !full; i++) {
      const result = set.claim(i, i, 0, 0);
      if (result === FULL) full = true;
      else inserted++;
    }
    expect(full).toBe(true);
    expect(inserted).toBe(Math.floor(16 * 0.85));
    expect(set.size).toBe(inserted);
    expect(() => set.addIfAbsent(100, 100)).toThrow(/full/);
    set.rehash(64);
    expect(set.capacity).toBe(64);
    expect(set.size).toBe(inserted);
    for (let i = 1; i <= inserted; i++) expect(set.has(i, i)).toBe(true);
    expect(set.claim(100, 100, 0, 0)).toBeGreaterThanOrEqual(0);
  });

  it('rehash can drop the entries claimed from a given key on (an unfinished level)', () => {
    const set = new SharedFingerprintSet(64);
    set.addIfAbsent(1, 1);
    set.claim(2, 2, 10, 10);
    set.claim(3, 3, 11, 10);
    set.claim(4, 4, 12, 10);
    set.rehash(64, 11);
    expect(set.size).toBe(2);
    expect(set.has(1, 1)).toBe(true);
    expect(set.has(2, 2)).toBe(true);
    expect(set.has(3, 3)).toBe(false);
    expect(set.has(4, 4)).toBe(false);
  });

  it('grows in parts moved in any order: every entry kept with its claim, the unfinished level dropped', () => {
    const count = 200_000;
    const { high, low } = randomFingerprints(0x6a27, count);
    for (const parts of [1, 2, 3, 7]) {
      const set = new SharedFingerprintSet(1 << 18);
      set.shared = true;
      let refused = 0;
      for (let i = 0; i < count; i++) if (set.claim(high[i]!, low[i]!, i, 0) < 0) refused++;
      expect(refused).toBe(0);
      set.flush();
      const growth = set.beginGrowth(1 << 19, count - 1000, parts);
      expect(growth.bounds).toHaveLength(parts + 1);
      const order = Array.from({ length: parts }, (_, part) => parts - 1 - part);
      const moved = order.map((part) => moveEntries(growth, part));
      set.finishGrowth(growth, moved);
      expect(set.capacity).toBe(1 << 19);
      expect(set.size).toBe(count - 1000);
      let wrong = 0;
      for (let i = 0; i < count; i++) if (set.claimOf(high[i]!, low[i]!) !== (i < count - 1000 ? i : undefined)) wrong++;
      expect(wrong).toBe(0);
      // Parts leave over only the few entries displaced across their bounds.
      const leftOver = moved.reduce((sum, part) => sum + part.leftOver.length / 3, 0);
      expect(leftOver).toBeLessThan(20 * parts);
      expect(() => set.finishGrowth(growth, moved)).toThrow(/changed/);
    }
  });

  it('grows in parts past a run of entries that wraps around from the last slot to the first', () => {
    // Twelve fingerprints at home in the last of 16 slots: eleven of them wrap to the first slots.
    const set = new SharedFingerprintSet(16);
    set.shared = true;
    const entries: [number, number][] = [];
    for (let i = 1; i <= 12; i++) {
      const low = ((0xfffffff0 + i) ^ Math.imul(i, 0x9e3779b1)) >>> 0;
      entries.push([i, low]);
      expect(set.claim(i, low, i, 0)).toBeGreaterThanOrEqual(0);
    }
    set.flush();
    const growth = set.beginGrowth(16, Number.POSITIVE_INFINITY, 2);
    const moved = [moveEntries(growth, 0), moveEntries(growth, 1)];
    // Slots 0 to 10 hold the wrapped ones, at home in the last slot. The first part (slots 0 to 7)
    // leaves its 8 over; the second places one at home and leaves the 3 displaced past the end over.
    expect(moved.map((part) => [part.count, part.leftOver.length / 3])).toEqual([
      [0, 8],
      [1, 3],
    ]);
    set.finishGrowth(growth, moved);
    expect(set.size).toBe(12);
    for (const [high, low] of entries) expect(set.claimOf(high, low)).toBe(high);
  });

  it('grows in place within its room (by 2, 4 and 16 times, parts in any order), keeping every entry once, and into a new buffer past the room', () => {
    const count = 40_000;
    const { high, low } = randomFingerprints(0x51ee, count);
    /** Every entry with its claim, and each held once: a stale copy left in the table would be moved, and counted, by a growth after. */
    const expectExactly = (set: SharedFingerprintSet, kept: number) => {
      let wrong = 0;
      for (let i = 0; i < count; i++) if (set.claimOf(high[i]!, low[i]!) !== (i < kept ? i : undefined)) wrong++;
      expect(wrong).toBe(0);
      expect(set.size).toBe(kept);
      const again = set.beginGrowth(set.capacity * 2, Number.POSITIVE_INFINITY, 1);
      set.finishGrowth(again, [moveEntries(again, 0)]);
      expect(set.size).toBe(kept);
    };
    for (const factor of [2, 4, 16, 32]) {
      for (const parts of [1, 3]) {
        const set = new SharedFingerprintSet(1 << 16);
        set.shared = true;
        for (let i = 0; i < count; i++) expect(set.claim(high[i]!, low[i]!, i, 0)).toBeGreaterThanOrEqual(0);
        set.flush();
        const buffer = set.sharedBuffer;
        const growth = set.beginGrowth((1 << 16) * factor, count - 500, parts);
        const moved = Array.from({ length: parts }, (_, part) => parts - 1 - part).map((part) => moveEntries(growth, part));
        set.finishGrowth(growth, moved);
        // In place: the same buffer, whose room (16 times the first table) is not counted.
        const inPlace = factor <= 16;
        expect(set.sharedBuffer === buffer).toBe(inPlace);
        expect(set.capacity).toBe((1 << 16) * factor);
        expect(set.approximateBytes()).toBe(16 + 12 * (1 << 16) * factor);
        expectExactly(set, count - 500);
      }
    }
  });

  it('grows in place from 16 slots past runs that wrap around, dropping the unfinished level, as a table built afresh', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const { high, low } = randomFingerprints(seed, 12);
      const set = new SharedFingerprintSet(16);
      set.shared = true;
      const entries: [number, number][] = [];
      // Homes near the end of the table: runs wrap around to the first slots.
      for (let i = 0; i < 12; i++) {
        const mixed = (0xe0000000 + (low[i]! >>> 4)) | 0;
        const entryLow = (mixed ^ Math.imul(high[i]! | 0, 0x9e3779b1)) | 0;
        entries.push([high[i]! | 0, entryLow]);
        expect(set.claim(high[i]!, entryLow, i, 0)).toBeGreaterThanOrEqual(0);
      }
      set.flush();
      set.rehash(32, 10);
      expect(set.capacity).toBe(32);
      expect(set.size).toBe(10);
      entries.forEach(([entryHigh, entryLow], i) => expect(set.claimOf(entryHigh, entryLow)).toBe(i < 10 ? i : undefined));
    }
  });

  it('used alone, grows itself past 3 million inserts from 16 slots with no lost entries', () => {
    const count = 3_000_000;
    const { high, low } = randomFingerprints(0x9a0e, count);
    const set = new SharedFingerprintSet(16);
    let fresh = 0;
    for (let i = 0; i < count; i++) if (set.addIfAbsent(high[i]!, low[i]!)) fresh++;
    expect(fresh).toBe(count);
    expect(set.size).toBe(count);
    // 3,000,000 entries at a load of at most 3/4 need 2^22 slots.
    expect(set.capacity).toBe(1 << 22);
    expectEveryFingerprintKept(set, high, low);
  }, 30_000);

  it('shared, grown by its owner with rehash whenever claim reports FULL: 3 million claims, none lost', () => {
    const count = 3_000_000;
    const { high, low } = randomFingerprints(0x5a4e, count);
    const set = new SharedFingerprintSet(16);
    set.shared = true;
    let rehashes = 0;
    for (let i = 0; i < count; i++) {
      // Keys grow with i, as records do; firstKey 0 makes every entry one of the current level.
      let slot = set.claim(high[i]!, low[i]!, i, 0);
      if (slot === FULL) {
        set.rehash(set.capacity * 2);
        rehashes++;
        slot = set.claim(high[i]!, low[i]!, i, 0);
      }
      if (slot < 0) throw new Error(`claim ${i} failed: ${slot}`);
    }
    set.flush();
    expect(set.size).toBe(count);
    // From 16 slots to 2^22, doubling each time a claim met 85% load.
    expect(set.capacity).toBe(1 << 22);
    expect(rehashes).toBe(18);
    let wrong = 0;
    for (let i = 0; i < count; i++) if (set.claimOf(high[i]!, low[i]!) !== i) wrong++;
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
    const key = (thread: number, index: number) => ((index * 7 + thread * 13) % 3) * 1000 + thread;
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
