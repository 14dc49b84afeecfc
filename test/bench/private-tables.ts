/**
 * A micro-benchmark behind HISTORY.md's session 22: private tables for the owners design (session
 * 21), one level of lookups (level-workload.ts) in two shards sized ahead, no growth: the
 * sequential explorer's ordered table; the ordered table storing each fingerprint's mix in place
 * of its high word (a probe compares a stored word instead of multiplying); and plain unordered
 * linear probing. Each table has its own copy of the timed loop, so that no call site sees two
 * classes (one shared loop made the first class measured faster than the others), and each runs in
 * a process of its own: `for table in ordered mix unordered; do node --expose-gc
 * --max-old-space-size=8000 --import tsx test/bench/private-tables.ts 0.7 $table; done`.
 */
import { OpenAddressingFingerprintSet } from '../../src/store/fingerprint-set.ts';
import { earlier, fresh, high, lookups, low, order } from './level-workload.ts';

/** As the ordered table mixes a fingerprint: the order of its entries and, scaled, the home slot. */
function mixOf(high: number, low: number): number {
  return (low ^ Math.imul(high, 0x9e3779b1)) >>> 0;
}

/** The ordered table, storing (mix, low): the high word is the inverse multiplication of mix ^ low. */
class MixFirstTable {
  private readonly slots: Uint32Array;
  private readonly scale: number;

  constructor(slotCount: number) {
    this.slots = new Uint32Array((Math.ceil(slotCount) + 64) * 2);
    this.scale = Math.ceil(slotCount) / 4294967296;
  }

  addIfAbsent(high: number, low: number): boolean {
    low >>>= 0;
    const mixed = mixOf(high, low);
    const slots = this.slots;
    const end = slots.length;
    for (let at = Math.floor(mixed * this.scale) << 1; at < end; at += 2) {
      const slotMix = slots[at]!;
      const slotLow = slots[at + 1]!;
      if ((slotMix | slotLow) === 0 || slotMix > mixed) {
        if ((slotMix | slotLow) !== 0) {
          let empty = at + 2;
          while (empty < end && (slots[empty]! | slots[empty + 1]!) !== 0) empty += 2;
          if (empty === end) break;
          slots.copyWithin(at + 2, at, empty);
        }
        slots[at] = mixed;
        slots[at + 1] = low;
        return true;
      }
      if (slotMix === mixed && slotLow === low) return false;
    }
    throw new RangeError('a run reached the end of the table: size it larger');
  }
}

/** Plain linear probing: no order, no shifts. */
class UnorderedTable {
  private readonly slots: Uint32Array;
  private readonly scale: number;

  constructor(slotCount: number) {
    this.slots = new Uint32Array((Math.ceil(slotCount) + 4096) * 2);
    this.scale = Math.ceil(slotCount) / 4294967296;
  }

  addIfAbsent(high: number, low: number): boolean {
    high >>>= 0;
    low >>>= 0;
    const slots = this.slots;
    for (let at = Math.floor(mixOf(high, low) * this.scale) << 1; at < slots.length; at += 2) {
      const slotHigh = slots[at]!;
      const slotLow = slots[at + 1]!;
      if ((slotHigh | slotLow) === 0) {
        slots[at] = high;
        slots[at + 1] = low;
        return true;
      }
      if (slotHigh === high && slotLow === low) return false;
    }
    throw new RangeError('a run reached the end of the table: size it larger');
  }
}

const load = Number(process.argv[2] ?? 0.7);
const slotsPerShard = (earlier + fresh) / 2 / load;

// Three copies of one loop, one per class (see the comment at the top).
function orderedLevel(): number {
  const tables = [new OpenAddressingFingerprintSet(slotsPerShard), new OpenAddressingFingerprintSet(slotsPerShard)];
  for (let i = 0; i < earlier; i++) tables[high[i]! & 1]!.addIfAbsent(high[i]!, low[i]!);
  const t = performance.now();
  for (let i = 0; i < lookups; i++) tables[high[order[i]!]! & 1]!.addIfAbsent(high[order[i]!]!, low[order[i]!]!);
  return performance.now() - t;
}

function mixFirstLevel(): number {
  const tables = [new MixFirstTable(slotsPerShard), new MixFirstTable(slotsPerShard)];
  for (let i = 0; i < earlier; i++) tables[high[i]! & 1]!.addIfAbsent(high[i]!, low[i]!);
  const t = performance.now();
  for (let i = 0; i < lookups; i++) tables[high[order[i]!]! & 1]!.addIfAbsent(high[order[i]!]!, low[order[i]!]!);
  return performance.now() - t;
}

function unorderedLevel(): number {
  const tables = [new UnorderedTable(slotsPerShard), new UnorderedTable(slotsPerShard)];
  for (let i = 0; i < earlier; i++) tables[high[i]! & 1]!.addIfAbsent(high[i]!, low[i]!);
  const t = performance.now();
  for (let i = 0; i < lookups; i++) tables[high[order[i]!]! & 1]!.addIfAbsent(high[order[i]!]!, low[order[i]!]!);
  return performance.now() - t;
}

// One table a process: a round that follows another pays for collecting the earlier round's
// tables (each reserves gigabytes of address space to grow into), which made whichever table came
// first in a round 30-60% slower than alone.
const levels = { ordered: orderedLevel, mix: mixFirstLevel, unordered: unorderedLevel };
const chosen = process.argv[3] as keyof typeof levels | undefined;
if (!chosen || !levels[chosen]) throw new Error(`name a table: ${Object.keys(levels).join(', ')}`);
for (let round = 0; round < 2; round++) {
  const milliseconds = levels[chosen]();
  console.log(`load ${load}, ${chosen}: ${milliseconds.toFixed(0)} ms (${lookups.toLocaleString('en-US')} lookups)`);
  globalThis.gc?.();
}
