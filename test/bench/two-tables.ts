/**
 * A micro-benchmark behind a design choice (README, Performance, Memory): the cost per successor of
 * the parallel explorer's shared visited set (one table of 12-byte slots, a claim word beside each
 * fingerprint) against keeping the states of finished levels in a read-only 8-byte-slot table and
 * claiming only a level's new states in a second, per-level table, merged into the first at the
 * level's end. One level, on one thread: `node --max-old-space-size=8000 --import tsx test/bench/two-tables.ts`.
 */
import { SharedFingerprintSet } from '../../src/store/shared-fingerprint-set.ts';
import { OpenAddressingFingerprintSet } from '../../src/store/fingerprint-set.ts';
import { randomFingerprints } from '../unit/prng.ts';

const earlier = 7_000_000; // states of finished levels
const fresh = 900_000; // new states of the level (the widest level of Paxos.tla 0..3 is ~950k)
const lookups = 2_600_000; // successors of a level of ~900k states (2.84 a state)
const all = randomFingerprints(42, earlier + fresh);
const order = new Int32Array(lookups);
let seed = 7;
const next = () => ((seed = (Math.imul(seed, 1103515245) + 12345) | 0) >>> 0) / 4294967296;
// 45% hits on earlier levels, 35% first finds of a new state, 20% finds of a new state again.
let made = 0;
for (let i = 0; i < lookups; i++) {
  const r = next();
  if (r < 0.45) order[i] = Math.floor(next() * earlier);
  else if (r < 0.8 && made < fresh) order[i] = earlier + made++;
  else order[i] = earlier + Math.floor(next() * Math.max(1, made));
}
const { high, low } = all;

function present(): number {
  const table = new SharedFingerprintSet((earlier + fresh) / 0.6);
  for (let i = 0; i < earlier; i++) table.addIfAbsent(high[i]!, low[i]!);
  table.shared = true;
  const t = performance.now();
  for (let i = 0; i < lookups; i++) {
    const at = order[i]!;
    table.claim(high[at]!, low[at]!, earlier + i, earlier);
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
    level.claim(high[at]!, low[at]!, earlier + i, earlier);
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
