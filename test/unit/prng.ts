/** A tiny deterministic PRNG (mulberry32) for the tests: same seed, same sequence, every run. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

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
