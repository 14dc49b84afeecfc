/**
 * A micro-benchmark behind a design choice (README, Performance, Memory): the cost per successor of
 * the parallel explorer's shared visited set as it was then (one table of 12-byte slots, a claim
 * word beside each fingerprint; its slots are 8 bytes since session 26) against keeping the states of finished levels in a read-only 8-byte-slot table and
 * claiming only a level's new states in a second, per-level table, merged into the first at the
 * level's end. One level, on one thread: `node --max-old-space-size=8000 --import tsx test/bench/two-tables.ts`.
 */
import { SharedFingerprintSet } from '../../src/store/shared-fingerprint-set.ts';
import { OpenAddressingFingerprintSet } from '../../src/store/fingerprint-set.ts';
import { earlier, fresh, high, lookups, low, made, order } from './level-workload.ts';


function present(): number {
  const table = new SharedFingerprintSet((earlier + fresh) / 0.6);
  for (let i = 0; i < earlier; i++) table.addIfAbsent(high[i]!, low[i]!);
  table.shared = true;
  const t = performance.now();
  for (let i = 0; i < lookups; i++) {
    const at = order[i]!;
    table.claim(high[at]! | 0, low[at]! | 0, Math.min(i >> 13, table.claimLimit - 1));
  }
  return performance.now() - t;
}

function proposed(): { level: number; merge: number } {
  const main = new OpenAddressingFingerprintSet((earlier + fresh) / 0.7);
  for (let i = 0; i < earlier; i++) main.addIfAbsent(high[i]!, low[i]!);
  const level = new SharedFingerprintSet(fresh / 0.6);
  level.shared = true;
  const t = performance.now();
  for (let i = 0; i < lookups; i++) {
    const at = order[i]!;
    if (main.has(high[at]!, low[at]!)) continue;
    level.claim(high[at]! | 0, low[at]! | 0, Math.min(i >> 13, level.claimLimit - 1));
  }
  const t1 = performance.now();
  for (let i = earlier; i < earlier + made; i++) main.addIfAbsent(high[i]!, low[i]!);
  const t2 = performance.now();
  return { level: t1 - t, merge: t2 - t1 };
}

for (let round = 0; round < 3; round++) {
  const a = present();
  const b = proposed();
  console.log(`present ${a.toFixed(0)} ms; proposed: level ${b.level.toFixed(0)} ms + merge ${b.merge.toFixed(0)} ms (${made} new)`);
}
