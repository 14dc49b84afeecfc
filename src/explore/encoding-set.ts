/**
 * Encodings (word sequences) gathered one at a time and compared as a set: each once, in any
 * order. The audit's contract check compares the successors of two states this way, once or
 * twice for every state it meets; joining each encoding into a string and sorting those made an
 * audited run take more than twice as long (Paxos.tla with 5 acceptors: 27.8 s against 11.2-12.0
 * s). Exact: two sets are equal only when they hold the same word sequences (fingerprints only
 * order them).
 */
import { Fingerprinter } from '../store/fingerprint.ts';

/** Above this many encodings {@link EncodingSet.seal} sorts them with Array.prototype.sort. */
const INSERTION_SORT_MOST = 64;

export class EncodingSet {
  private words = new Int32Array(256);
  private used = 0;
  /** Encoding i is words[starts[i]] up to starts[i + 1]; starts[count] is `used`. */
  private starts = new Int32Array(17);
  private hashes = new Int32Array(16);
  private count = 0;
  /**
   * The distinct encodings, by hash, length, then words, once {@link seal} has run: most states
   * have a few successors, so an insertion sort, with no comparator closure or array to resize
   * (up to {@link INSERTION_SORT_MOST}).
   */
  private order = new Int32Array(16);
  private distinct = 0;
  private readonly hasher = new Fingerprinter();

  clear(): void {
    this.used = 0;
    this.count = 0;
    this.distinct = 0;
  }

  add(source: ArrayLike<number>, length: number): void {
    if (this.used + length > this.words.length) this.words = grown(this.words, this.used + length);
    if (this.count + 1 >= this.hashes.length) {
      this.hashes = grown(this.hashes, this.count + 2);
      this.starts = grown(this.starts, this.count + 3);
      this.order = grown(this.order, this.count + 2);
    }
    const words = this.words;
    const start = this.used;
    for (let index = 0; index < length; index++) words[start + index] = source[index]!;
    this.used = start + length;
    this.hasher.hash(words, start, start + length);
    this.hashes[this.count] = this.hasher.high;
    this.starts[++this.count] = this.used;
  }

  /** Orders the encodings and drops repeats; call once, after the last {@link add}. */
  seal(): void {
    const order = this.order;
    if (this.count > INSERTION_SORT_MOST) {
      // A state with thousands of successors would take the insertion sort quadratic time.
      const sorted = Array.from({ length: this.count }, (_, index) => index).sort((one, other) => this.compare(one, this, other));
      let kept = 0;
      for (const index of sorted) if (kept === 0 || this.compare(order[kept - 1]!, this, index) !== 0) order[kept++] = index;
      this.distinct = kept;
      return;
    }
    let distinct = 0;
    for (let index = 0; index < this.count; index++) {
      let at = distinct;
      let comparison = 1;
      while (at > 0 && (comparison = this.compare(order[at - 1]!, this, index)) > 0) at--;
      if (at > 0 && comparison === 0) continue;
      order.copyWithin(at + 1, at, distinct);
      order[at] = index;
      distinct++;
    }
    this.distinct = distinct;
  }

  /** Distinct encodings (after {@link seal}). */
  get size(): number {
    return this.distinct;
  }

  /** Whether both sets (each sealed) hold the same encodings. */
  equals(other: EncodingSet): boolean {
    if (this.distinct !== other.distinct) return false;
    for (let at = 0; at < this.distinct; at++) if (this.compare(this.order[at]!, other, other.order[at]!) !== 0) return false;
    return true;
  }

  /** Whether the set (sealed) holds this one encoding and no other. */
  holdsOnly(source: ArrayLike<number>, length: number): boolean {
    if (this.distinct !== 1) return false;
    const index = this.order[0]!;
    const start = this.starts[index]!;
    if (this.starts[index + 1]! - start !== length) return false;
    for (let at = 0; at < length; at++) if (this.words[start + at] !== (source[at]! | 0)) return false;
    return true;
  }

  /** Orders encoding `index` of this set against encoding `otherIndex` of `other`: by hash, length, then words. */
  private compare(index: number, other: EncodingSet, otherIndex: number): number {
    const hash = this.hashes[index]!;
    const otherHash = other.hashes[otherIndex]!;
    if (hash !== otherHash) return hash < otherHash ? -1 : 1;
    const start = this.starts[index]!;
    const otherStart = other.starts[otherIndex]!;
    const length = this.starts[index + 1]! - start;
    const otherLength = other.starts[otherIndex + 1]! - otherStart;
    if (length !== otherLength) return length - otherLength;
    for (let at = 0; at < length; at++) {
      const word = this.words[start + at]!;
      const otherWord = other.words[otherStart + at]!;
      if (word !== otherWord) return word < otherWord ? -1 : 1;
    }
    return 0;
  }
}

/** A copy of `array` with room for at least `needed` entries. */
function grown(array: Int32Array, needed: number): Int32Array<ArrayBuffer> {
  const copy = new Int32Array(Math.max(array.length * 2, needed));
  copy.set(array);
  return copy;
}
