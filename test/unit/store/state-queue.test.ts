import { describe, it, expect } from 'vitest';
import { StateQueue } from '../../../src/store/state-queue.ts';
import { mulberry32 } from '../prng.ts';

const CHUNK_WORDS = 1 << 20;

/** Word `j` of entry `i`: deterministic, so nothing has to be stored to check it. */
function wordOf(i: number, j: number): number {
  return (Math.imul(i, 0x9e3779b1) ^ Math.imul(j + 1, 0x85ebca6b)) | 0;
}

function fill(buffer: Int32Array, i: number, length: number): Int32Array {
  for (let j = 0; j < length; j++) buffer[j] = wordOf(i, j);
  return buffer;
}

/** Shifts one entry and returns the first mismatch against entry `i`, or '' when it matches. */
function shiftAndCheck(queue: StateQueue, i: number, length: number): string {
  if (!queue.shift()) return `entry ${i}: queue empty`;
  if (queue.tag !== i) return `entry ${i}: tag ${queue.tag}`;
  if (queue.fingerprintHigh !== (0xf0000000 + i) >>> 0) return `entry ${i}: high ${queue.fingerprintHigh}`;
  if (queue.fingerprintLow !== i * 3) return `entry ${i}: low ${queue.fingerprintLow}`;
  if (queue.end - queue.start !== length) return `entry ${i}: length ${queue.end - queue.start}, expected ${length}`;
  for (let j = 0; j < length; j++) {
    if (queue.words[queue.start + j] !== wordOf(i, j)) return `entry ${i}: word ${j}`;
  }
  return '';
}

/**
 * Drives the queue as a breadth-first frontier: `add` (which appends to `lengths`) 1,000 entries,
 * then shift and check `shifts` of them, each followed by up to two more adds (`refill` of them
 * while the queue holds fewer than `keep`), then drain it. Returns the first mismatch, or ''.
 */
function driveAsFrontier(
  queue: StateQueue,
  lengths: readonly number[],
  add: () => void,
  next: () => number,
  shifts: number,
  keep: number,
  refill: number,
): string {
  for (let i = 0; i < 1000; i++) add();
  let shifted = 0;
  let failure = '';
  while (shifted < shifts && !failure) {
    failure = shiftAndCheck(queue, shifted, lengths[shifted]!);
    shifted++;
    const children = queue.length < keep ? refill : next() % 3;
    for (let c = 0; c < children; c++) add();
  }
  if (!failure && queue.length !== lengths.length - shifted) failure = `length ${queue.length} after ${shifted} shifts`;
  while (queue.length > 0 && !failure) {
    failure = shiftAndCheck(queue, shifted, lengths[shifted]!);
    shifted++;
  }
  if (!failure && shifted !== lengths.length) failure = `${shifted} entries of ${lengths.length}`;
  return failure;
}

describe('StateQueue', () => {
  it('is empty at first', () => {
    const queue = new StateQueue();
    expect(queue.length).toBe(0);
    expect(queue.shift()).toBe(false);
  });

  it('returns entries in FIFO order with their header fields and words', () => {
    const queue = new StateQueue();
    queue.push(0, 1, 2, Int32Array.from([10, 11, 12]), 3);
    queue.push(1, 0xffffffff, 0x80000000, Int32Array.from([20, 21, 22, 23]), 2); // only the first 2 words
    queue.push(2, 5, 6, new Int32Array(0), 0);
    expect(queue.length).toBe(3);

    expect(queue.shift()).toBe(true);
    expect([queue.tag, queue.fingerprintHigh, queue.fingerprintLow]).toEqual([0, 1, 2]);
    expect(Array.from(queue.words.subarray(queue.start, queue.end))).toEqual([10, 11, 12]);

    expect(queue.shift()).toBe(true);
    expect([queue.tag, queue.fingerprintHigh, queue.fingerprintLow]).toEqual([1, 0xffffffff, 0x80000000]);
    expect(Array.from(queue.words.subarray(queue.start, queue.end))).toEqual([20, 21]);

    expect(queue.shift()).toBe(true);
    expect(queue.tag).toBe(2);
    expect(queue.end - queue.start).toBe(0);
    expect(queue.length).toBe(0);
    expect(queue.shift()).toBe(false);
  });

  it('keeps order and content across many chunk boundaries (several million words)', () => {
    const queue = new StateQueue();
    const next = mulberry32(99);
    const lengths: number[] = [];
    const buffer = new Int32Array(200);
    let totalWords = 0;
    // Lengths 0..199 straddle the copy-loop (< 32) and set() (>= 32) paths.
    while (totalWords < 6_000_000) {
      const i = lengths.length;
      const length = next() % 200;
      lengths.push(length);
      queue.push(i, (0xf0000000 + i) >>> 0, i * 3, fill(buffer, i, length), length);
      totalWords += length + 4;
    }
    const count = lengths.length;
    expect(queue.length).toBe(count);
    expect(queue.approximateBytes()).toBeGreaterThanOrEqual(6 * CHUNK_WORDS * 4);

    let failure = '';
    for (let i = 0; i < count && !failure; i++) failure = shiftAndCheck(queue, i, lengths[i]!);
    expect(failure).toBe('');
    expect(queue.length).toBe(0);
    expect(queue.shift()).toBe(false);
    // Consumed chunks are released: only the chunk being written remains, and one kept for reuse.
    expect(queue.approximateBytes()).toBe(2 * CHUNK_WORDS * 4);
  });

  it('interleaves pushes and shifts across chunk boundaries (a breadth-first frontier)', () => {
    const queue = new StateQueue();
    const next = mulberry32(5);
    const buffer = new Int32Array(100);
    const lengths: number[] = [];
    const push = () => {
      const i = lengths.length;
      const length = next() % 100;
      lengths.push(length);
      queue.push(i, (0xf0000000 + i) >>> 0, i * 3, fill(buffer, i, length), length);
    };
    // Each shifted entry pushes 0..2 more, so the queue drifts through many chunks.
    expect(driveAsFrontier(queue, lengths, push, next, 150_000, 500, 2)).toBe('');
  });

  it('holds entries larger than a chunk, first, in the middle and back to back', () => {
    const queue = new StateQueue();
    const big = CHUNK_WORDS + 5;
    const bigger = 2 * CHUNK_WORDS + 1;
    const lengths = [big, 3, bigger, bigger, 7, CHUNK_WORDS - 4, 1, big];
    let largest = 0;
    for (const length of lengths) largest = Math.max(largest, length);
    const buffer = new Int32Array(largest);
    lengths.forEach((length, i) => queue.push(i, (0xf0000000 + i) >>> 0, i * 3, fill(buffer, i, length), length));
    expect(queue.length).toBe(lengths.length);
    let failure = '';
    for (let i = 0; i < lengths.length && !failure; i++) failure = shiftAndCheck(queue, i, lengths[i]!);
    expect(failure).toBe('');
    expect(queue.shift()).toBe(false);
  });

  it('exposes an entry exactly filling a chunk', () => {
    const queue = new StateQueue();
    const length = CHUNK_WORDS - 4;
    const buffer = fill(new Int32Array(length), 0, length);
    queue.push(0, 0xf0000000, 0, buffer, length);
    queue.push(1, 0xf0000001, 3, fill(buffer, 1, 2), 2);
    expect(shiftAndCheck(queue, 0, length)).toBe('');
    expect(shiftAndCheck(queue, 1, 2)).toBe('');
    expect(queue.length).toBe(0);
  });

  it('writes entries in place (beginEntry, endEntry) among pushed ones, and forgets abandoned ones', () => {
    const queue = new StateQueue();
    const next = mulberry32(17);
    const buffer = new Int32Array(300);
    const lengths: number[] = [];
    let pushed = 0;
    const add = () => {
      const length = next() % 300;
      const choice = next() % 4;
      if (choice === 0) {
        // Abandoned: begun and written, never ended; the next entry overwrites it.
        const writer = queue.beginEntry(-1, 0, 0);
        for (let j = 0; j < length; j++) writer.push(-7);
        return;
      }
      lengths.push(length);
      if (choice === 1) {
        queue.push(pushed, (0xf0000000 + pushed) >>> 0, pushed * 3, fill(buffer, pushed, length), length);
      } else {
        const writer = queue.beginEntry(pushed, (0xf0000000 + pushed) >>> 0, pushed * 3);
        // Both ways encoders write: push, and reserve then index.
        if (choice === 2) {
          for (let j = 0; j < length; j++) writer.push(wordOf(pushed, j));
        } else {
          writer.reserve(length);
          for (let j = 0; j < length; j++) writer.words[writer.length + j] = wordOf(pushed, j);
          writer.length += length;
        }
        queue.endEntry();
      }
      pushed++;
    };
    // Some 20,000 entries in the queue at a time: about three chunks, consumed and reused.
    expect(driveAsFrontier(queue, lengths, add, next, 100_000, 20_000, 3)).toBe('');
    // Past a million words a chunk, the frontier drifted through several chunks.
    expect(pushed * 150).toBeGreaterThan(3 * CHUNK_WORDS);
  });

  it('keeps an in-place entry that outgrows its chunk, while the chunk is being read', () => {
    const queue = new StateQueue();
    queue.push(0, 0xf0000000, 0, fill(new Int32Array(10), 0, 10), 10);
    expect(queue.shift()).toBe(true);
    queue.push(1, 0xf0000001, 3, fill(new Int32Array(5), 1, 5), 5);
    const length = CHUNK_WORDS + 5;
    const writer = queue.beginEntry(2, 0xf0000002, 6);
    for (let j = 0; j < length; j++) writer.push(wordOf(2, j));
    queue.endEntry();
    queue.push(3, 0xf0000003, 9, fill(new Int32Array(4), 3, 4), 4);
    expect(shiftAndCheck(queue, 1, 5)).toBe('');
    expect(shiftAndCheck(queue, 2, length)).toBe('');
    expect(shiftAndCheck(queue, 3, 4)).toBe('');
    expect(queue.length).toBe(0);
  });

  it('passes over a chunk left empty by an abandoned entry, and never reuses a chunk for a longer entry', () => {
    const queue = new StateQueue();
    const small = fill(new Int32Array(1000), 0, 1000);
    let pushed = 0;
    const lengths: number[] = [];
    // Fill chunks until a full-size one has less than an in-place entry's room (4 + 4,096 words)
    // left; a new chunk shows in the bytes the queue holds (the first ones are smaller).
    let chunkWords = 0;
    let usedWords = 0;
    while (chunkWords < CHUNK_WORDS || usedWords <= CHUNK_WORDS - 4100) {
      const before = queue.approximateBytes();
      queue.push(pushed, (0xf0000000 + pushed) >>> 0, pushed * 3, fill(small, pushed, 1000), 1000);
      const added = (queue.approximateBytes() - before) / 4;
      if (added > 0) {
        chunkWords = added;
        usedWords = 0;
      }
      usedWords += 1004;
      lengths.push(1000);
      pushed++;
    }
    expect(chunkWords).toBe(CHUNK_WORDS);
    expect(CHUNK_WORDS - usedWords).toBeLessThan(4100);
    // Begun in a chunk of its own and abandoned: that chunk stays empty.
    queue.beginEntry(-1, 0, 0).push(-7);
    const big = fill(new Int32Array(CHUNK_WORDS + 1), pushed, CHUNK_WORDS + 1);
    queue.push(pushed, (0xf0000000 + pushed) >>> 0, pushed * 3, big, CHUNK_WORDS + 1);
    lengths.push(CHUNK_WORDS + 1);
    pushed++;
    let failure = '';
    for (let i = 0; i < pushed && !failure; i++) failure = shiftAndCheck(queue, i, lengths[i]!);
    expect(failure).toBe('');
    expect(queue.shift()).toBe(false);
    // A chunk is now kept for reuse; a longer entry must not be written into it.
    queue.push(pushed, (0xf0000000 + pushed) >>> 0, pushed * 3, fill(big, pushed, CHUNK_WORDS + 1), CHUNK_WORDS + 1);
    queue.push(pushed + 1, (0xf0000000 + pushed + 1) >>> 0, (pushed + 1) * 3, fill(small, pushed + 1, 1000), 1000);
    expect(shiftAndCheck(queue, pushed, CHUNK_WORDS + 1)).toBe('');
    expect(shiftAndCheck(queue, pushed + 1, 1000)).toBe('');
  });
});
