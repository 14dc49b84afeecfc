/**
 * Stable, seed-fixed 64-bit fingerprints of encoded states.
 *
 * Two independent 32-bit lanes in the style of MurmurHash3 (different seeds, multipliers and
 * rotations), finalised with fmix32 and cross-mixed, so the pair behaves as one 64-bit hash. The
 * seeds are constants: the same encoding gives the same fingerprint on every run and every
 * machine, which is what lets workers share a visited set and traces be checked by replay.
 *
 * The all-zero fingerprint marks an empty slot in the fingerprint tables, so it is never produced.
 */

import type { Model, WordWriter } from '../model.ts';

const SEED_HIGH = 0x9e3779b9 | 0;
const SEED_LOW = 0x85ebca6b | 0;

/** MurmurHash3's finaliser: a bijection on 32 bits that spreads every input bit over the output. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/**
 * Hashes words into `high` and `low` (unsigned 32-bit halves). One instance per thread; it keeps
 * its result in fields so the hot loop allocates nothing.
 */
export class Fingerprinter {
  high = 0;
  low = 0;

  hash(words: Int32Array, start: number, end: number): void {
    let h1 = SEED_HIGH;
    let h2 = SEED_LOW;
    for (let i = start; i < end; i++) {
      const word = words[i]!;
      let k1 = Math.imul(word, 0xcc9e2d51);
      k1 = (k1 << 15) | (k1 >>> 17);
      k1 = Math.imul(k1, 0x1b873593);
      h1 ^= k1;
      h1 = (h1 << 13) | (h1 >>> 19);
      h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;

      let k2 = Math.imul(word, 0x239b961b);
      k2 = (k2 << 16) | (k2 >>> 16);
      k2 = Math.imul(k2, 0xab0e9789);
      h2 ^= k2;
      h2 = (h2 << 17) | (h2 >>> 15);
      h2 = (Math.imul(h2, 5) + 0x561ccd1b) | 0;
    }
    const length = end - start;
    h1 ^= length;
    h2 ^= length;
    h1 = (h1 + h2) | 0;
    h2 = (h2 + h1) | 0;
    h1 = fmix32(h1);
    h2 = fmix32(h2);
    h1 = (h1 + h2) | 0;
    h2 = (h2 + h1) | 0;
    this.high = h1 >>> 0;
    this.low = h2 >>> 0 || (h1 === 0 ? 1 : 0);
  }
}

/** The fingerprint as one bigint, for display and for reference implementations. */
export function fingerprintToBigInt(high: number, low: number): bigint {
  return (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0);
}

/** The fingerprint as 16 hexadecimal digits, for messages and reports. */
export function fingerprintHex(high: number, low: number): string {
  return (high >>> 0).toString(16).padStart(8, '0') + (low >>> 0).toString(16).padStart(8, '0');
}

/**
 * Estimated probability that two distinct states among `distinctStates` share a fingerprint
 * (the birthday bound n^2 / 2^65 for a uniform 64-bit hash). A collision makes the checker treat
 * a new state as seen, so it could in principle hide a violation; this is the figure to weigh.
 */
export function collisionProbability(distinctStates: number): number {
  return Math.min(1, (distinctStates * distinctStates) / 2 ** 65);
}

/**
 * Encodes `state` into `writer` (reset first) and sets `fingerprint` to its fingerprint: the
 * model's own when it fingerprints states itself (`Model.fingerprint`), else the hash of the
 * encoding. Every place that fingerprints a whole state goes through here, so that a run and the
 * replay of its traces agree on one fingerprint per state.
 */
export function encodeAndFingerprint<State>(
  model: Model<State, unknown>,
  state: State,
  writer: WordWriter,
  fingerprint: Fingerprinter,
): void {
  writer.reset();
  model.encode(state, writer);
  if (fingerprintsItself(model)) model.fingerprint!(state, fingerprint);
  else fingerprint.hash(writer.words, 0, writer.length);
}

/**
 * Whether the model fingerprints states itself: it must offer both `fingerprint` and
 * `fingerprintSuccessors`, and every caller decides by this one test, so that a run, its replays
 * and its worker threads never mix the model's fingerprints with hashes of encodings.
 */
export function fingerprintsItself(model: Model<any, any>): boolean {
  return model.fingerprint !== undefined && model.fingerprintSuccessors !== undefined;
}
