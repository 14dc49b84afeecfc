/**
 * Seeded pseudo-random numbers for simulation: the same seed gives the same sequence on every
 * machine (integer arithmetic only). Each simulated run gets a generator of its own, seeded from
 * the simulation's seed and the run's number, so that one run can be reproduced alone.
 */

/** mulberry32: a small, fast 32-bit generator; returns unsigned 32-bit integers. */
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

/** The generator of run `run` of a simulation seeded with `seed` (the two mixed, then mulberry32). */
export function runGenerator(seed: number, run: number): () => number {
  let mixed = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(run + 1, 0x85ebca77)) >>> 0;
  mixed = Math.imul(mixed ^ (mixed >>> 16), 0x7feb352d) >>> 0;
  mixed = Math.imul(mixed ^ (mixed >>> 15), 0x846ca68b) >>> 0;
  return mulberry32(mixed ^ (mixed >>> 16));
}

/** A whole number in 0..bound-1 from a 32-bit generator. */
export function below(next: () => number, bound: number): number {
  return Math.floor((next() / 0x1_0000_0000) * bound);
}
