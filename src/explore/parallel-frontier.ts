/**
 * The parallel explorer's levels in shared memory: a level is the chunks of candidates its units
 * wrote (each state an 8-word header and its encoding, lost candidates marked), read in order and
 * cut into units of work.
 */
import { CANDIDATE_HEADER, LOST, type BufferPool, type UnitInput } from './parallel-worker.ts';

/**
 * A level's states, with consecutive records, in shared memory: the chunks of candidates of the
 * units that found them (see {@link CANDIDATE_HEADER}), in unit order, their lost candidates
 * marked {@link LOST}. So committing a unit copies no encodings, and a unit of this level is a
 * view of one or more chunks, which a worker reads without a copy.
 */
export class Frontier {
  /** The chunks, in order; those before `released` are handed back (undefined). */
  private readonly segments: (Int32Array | undefined)[] = [];
  /** States (candidates not marked lost) in each segment. */
  private readonly segmentStates: number[] = [];
  private released = 0;
  private releasedStates = 0;
  count = 0;
  private readSegment = 0;
  private readOffset = 0;
  taken = 0;
  /** The segment that holds the end of the last {@link take}n unit. */
  lastTakenSegment = 0;

  constructor(
    readonly firstRecord: number,
    private readonly buffers: BufferPool,
  ) {}

  /** Adds a unit's candidates (`used` words of them), `winners` of them not marked lost. */
  add(candidates: Int32Array, used: number, winners: number): void {
    if (winners === 0) {
      this.buffers.give(candidates.buffer as SharedArrayBuffer);
      return;
    }
    this.segments.push(candidates.subarray(0, used));
    this.segmentStates.push(winners);
    this.count += winners;
  }

  get remaining(): number {
    return this.count - this.taken;
  }

  /**
   * Up to `wanted` next states, as views of the frontier: unit `index`, claiming with `claim`,
   * settling the claims of its states from record `settleFrom` on.
   */
  take(wanted: number, index: number, claim: number, settleFrom: number): UnitInput {
    const parts: Int32Array[] = [];
    let wordCount = 0;
    let count = 0;
    while (count < wanted && this.readSegment < this.segments.length) {
      const segment = this.segments[this.readSegment]!;
      const start = this.readOffset;
      const end = segment.length;
      let at = start;
      while (count < wanted && at < end) {
        if (segment[at + 1] !== LOST) count++;
        at += CANDIDATE_HEADER + segment[at + 7]!;
      }
      if (at > start) {
        parts.push(segment.subarray(start, at));
        wordCount += at - start;
        this.lastTakenSegment = this.readSegment;
      }
      if (at >= end) {
        this.readSegment++;
        this.readOffset = 0;
      } else {
        this.readOffset = at;
      }
    }
    const firstRecord = this.firstRecord + this.taken;
    this.taken += count;
    return { index, claim, settleFrom, firstRecord, count, parts, wordCount };
  }

  /**
   * Calls `visit` on each state from `record` on, in order, with its candidate (`words` from
   * `at`), until it returns true; true when it did.
   */
  visitFrom(record: number, visit: (words: Int32Array, at: number, record: number) => boolean): boolean {
    const first = this.firstRecord + this.releasedStates;
    if (record < first) throw new Error(`state ${record} of the frontier was handed back`);
    const kept = this.segments.slice(this.released) as Int32Array[];
    return visitStates(kept, record - first, (words, at, index) => visit(words, at, first + index));
  }

  /**
   * Hands back the buffers before segment `end`, once no unit reads them (every unit that does is
   * committed): the next level's units reuse them while this level runs, as the sequential
   * explorer's queue reuses its chunks, instead of fresh memory.
   */
  releaseBefore(end: number): void {
    for (; this.released < end; this.released++) {
      this.buffers.give(this.segments[this.released]!.buffer as SharedArrayBuffer);
      this.segments[this.released] = undefined;
      this.releasedStates += this.segmentStates[this.released]!;
    }
  }

  /** Hands all the buffers back for reuse (the level is over). */
  release(): void {
    this.releaseBefore(this.segments.length);
  }
}

/**
 * Calls `visit` on each state of `parts` (candidates, the lost ones skipped) from the `from`-th
 * on, with its index among them, until it returns true; true when it did.
 */
function visitStates(parts: readonly Int32Array[], from: number, visit: (words: Int32Array, at: number, index: number) => boolean): boolean {
  let index = 0;
  for (const part of parts) {
    for (let at = 0; at < part.length; at += CANDIDATE_HEADER + part[at + 7]!) {
      if (part[at + 1] === LOST) continue;
      if (index >= from && visit(part, at, index)) return true;
      index++;
    }
  }
  return false;
}

/**
 * The initial states laid out as candidates in one buffer: only a candidate's found word,
 * fingerprint and encoding are read in a frontier.
 */
export class LevelLayout {
  words: Int32Array;
  used = 0;
  count = 0;

  constructor(private readonly buffers: BufferPool) {
    this.words = new Int32Array(buffers.take(1024));
  }

  add(found: number, high: number, low: number, source: Int32Array, start: number, length: number): void {
    const used = this.used;
    if (used + CANDIDATE_HEADER + length > this.words.length) {
      const grown = new Int32Array(this.buffers.take(2 * (used + CANDIDATE_HEADER + length)));
      grown.set(this.words.subarray(0, used));
      this.buffers.give(this.words.buffer as SharedArrayBuffer);
      this.words = grown;
    }
    const words = this.words;
    words[used] = 0;
    words[used + 1] = 0;
    words[used + 2] = 0;
    words[used + 3] = found;
    words[used + 4] = 0;
    words[used + 5] = high | 0;
    words[used + 6] = low | 0;
    words[used + 7] = length;
    const to = used + CANDIDATE_HEADER;
    for (let i = 0; i < length; i++) words[to + i] = source[start + i]!;
    this.used = to + length;
    this.count++;
  }
}

/** The candidate of a unit's state (index in the unit, lost candidates skipped). */
export function stateInUnit(unit: UnitInput, index: number): { readonly words: Int32Array; readonly at: number } {
  let found: { readonly words: Int32Array; readonly at: number } | undefined;
  visitStates(unit.parts, index, (words, at) => {
    found = { words, at };
    return true;
  });
  if (!found) throw new Error(`a unit of ${unit.count} states has no state ${index}`);
  return found;
}
