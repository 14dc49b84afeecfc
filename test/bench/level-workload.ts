/**
 * One level of lookups in a visited set, for the micro-benchmarks behind the visited sets' designs
 * (two-tables.ts, owners.ts): 7 million states of finished levels, then 2.6 million successors of a
 * level of about 900,000 states (2.84 a state; the widest level of Paxos.tla 0..3 is ~950k): 45%
 * hits on earlier levels, 35% first finds of a new state, 20% finds of a new state again.
 */
import { randomFingerprints } from '../unit/prng.ts';

export const earlier = 7_000_000;
export const fresh = 900_000;
export const lookups = 2_600_000;
const all = randomFingerprints(42, earlier + fresh);
export const { high, low } = all;
/** The fingerprint (index into high and low) each successor of the level looks up. */
export const order = new Int32Array(lookups);
let seed = 7;
const next = () => ((seed = (Math.imul(seed, 1103515245) + 12345) | 0) >>> 0) / 4294967296;
let newFound = 0;
for (let i = 0; i < lookups; i++) {
  const r = next();
  if (r < 0.45) order[i] = Math.floor(next() * earlier);
  else if (r < 0.8 && newFound < fresh) order[i] = earlier + newFound++;
  else order[i] = earlier + Math.floor(next() * Math.max(1, newFound));
}
/** The new states the level finds: indices earlier .. earlier + made - 1. */
export const made = newFound;
