/** A tiny deterministic PRNG for the tests (synod's own): same seed, same sequence, every run. */
import { mulberry32 } from '../../src/explore/random.ts';

export { mulberry32 };

/** `count` pseudo-random fingerprints (never (0, 0)) as parallel high/low arrays. */
export function randomFingerprints(seed: number, count: number): { high: Uint32Array; low: Uint32Array } {
  const next = mulberry32(seed);
  const high = new Uint32Array(count);
  const low = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    let h = next();
    const l = next();
    if (h === 0 && l === 0) h = 1;
    high[i] = h;
    low[i] = l;
  }
  return { high, low };
}
