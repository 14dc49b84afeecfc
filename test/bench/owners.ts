/**
 * A micro-benchmark behind a design not taken yet (HISTORY.md, session 21: owners by fingerprint):
 * the work per successor of one level, on one thread, of
 * - the parallel explorer's shared set: a claim (by units of 8,192) in one table, and the successor's
 *   encoding copied out when it is new;
 * - owners: each successor (parent, action, fingerprint, encoding) written into a stream and read
 *   back in order, as an owner merging its streams would, then added to its shard's private table
 *   of 8-byte slots, and its encoding copied out when it is new.
 * On two threads each does half of either; the difference is the streams' cost against the claims'.
 * The owners' tables alone (no stream) separate the streams' share from the tables'.
 * `for way in shared owners tables; do node --expose-gc --max-old-space-size=8000 --import tsx
 * test/bench/owners.ts $way; done`
 */
import { SharedFingerprintSet } from '../../src/store/shared-fingerprint-set.ts';
import { OpenAddressingFingerprintSet } from '../../src/store/fingerprint-set.ts';
import { earlier, fresh, high, lookups, low, made, order } from './level-workload.ts';

const ENCODING_WORDS = 20; // Paxos.tla's states encode in 15-25 words

/** Where a successor's encoding would be: the expanding thread's scratch words. */
const scratch = new Int32Array(ENCODING_WORDS);
const output = new Int32Array((fresh + 1) * ENCODING_WORDS);

function shared(): number {
  const table = new SharedFingerprintSet((earlier + fresh) / 0.6);
  for (let i = 0; i < earlier; i++) table.addIfAbsent(high[i]!, low[i]!);
  table.shared = true;
  const t = performance.now();
  let written = 0;
  for (let i = 0; i < lookups; i++) {
    const at = order[i]!;
    scratch[0] = at;
    if (table.claim(high[at]! | 0, low[at]! | 0, Math.min(i >> 13, table.claimLimit - 1)) >= 0) {
      output.set(scratch, written);
      written = (written + ENCODING_WORDS) % (output.length - ENCODING_WORDS);
    }
  }
  return performance.now() - t;
}

const RECORD_WORDS = 4 + ENCODING_WORDS;
const STREAM_RECORDS = 1 << 14;

function owners(): number {
  // Two shards, each owner's table sized for its half of the states.
  const tables = [0, 1].map(() => new OpenAddressingFingerprintSet((earlier + fresh) / 2 / 0.7));
  for (let i = 0; i < earlier; i++) tables[high[i]! & 1]!.addIfAbsent(high[i]!, low[i]!);
  const stream = new Int32Array(new SharedArrayBuffer(STREAM_RECORDS * RECORD_WORDS * 4));
  const t = performance.now();
  let written = 0;
  let filled = 0;
  const drain = () => {
    for (let record = 0; record < filled; record++) {
      const at = record * RECORD_WORDS;
      const h = stream[at + 2]!;
      if (tables[h & 1]!.addIfAbsent(h, stream[at + 3]!)) {
        output.set(stream.subarray(at + 4, at + RECORD_WORDS), written);
        written = (written + ENCODING_WORDS) % (output.length - ENCODING_WORDS);
      }
    }
    filled = 0;
  };
  for (let i = 0; i < lookups; i++) {
    const at = order[i]!;
    scratch[0] = at;
    const base = filled * RECORD_WORDS;
    stream[base] = (i / 2.84) | 0; // the parent
    stream[base + 1] = i % 3; // its action
    stream[base + 2] = high[at]! | 0;
    stream[base + 3] = low[at]! | 0;
    stream.set(scratch, base + 4);
    if (++filled === STREAM_RECORDS) drain();
  }
  drain();
  return performance.now() - t;
}

/** The owners' tables alone, no stream: what the streams add. */
function tablesAlone(): number {
  const tables = [0, 1].map(() => new OpenAddressingFingerprintSet((earlier + fresh) / 2 / 0.7));
  for (let i = 0; i < earlier; i++) tables[high[i]! & 1]!.addIfAbsent(high[i]!, low[i]!);
  const t = performance.now();
  let written = 0;
  for (let i = 0; i < lookups; i++) {
    const at = order[i]!;
    scratch[0] = at;
    if (tables[high[at]! & 1]!.addIfAbsent(high[at]!, low[at]!)) {
      output.set(scratch, written);
      written = (written + ENCODING_WORDS) % (output.length - ENCODING_WORDS);
    }
  }
  return performance.now() - t;
}
// One way a process (see private-tables.ts: a round that follows another pays for collecting the
// earlier round's tables).
const ways = { shared, owners, tables: tablesAlone };
const chosen = process.argv[2] as keyof typeof ways | undefined;
if (!chosen || !ways[chosen]) throw new Error(`name a way: ${Object.keys(ways).join(', ')}`);
for (let round = 0; round < 2; round++) {
  const milliseconds = ways[chosen]();
  console.log(`${chosen}: ${milliseconds.toFixed(0)} ms (${lookups.toLocaleString('en-US')} successors, ${made.toLocaleString('en-US')} new)`);
  globalThis.gc?.();
}
