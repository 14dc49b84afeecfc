/**
 * A FIFO of packed encoded states, for the breadth-first frontier. Each entry is
 * `[tag, fingerprintHigh, fingerprintLow, length, ...words]` in a chain of Int32Array chunks, the
 * tag a 32-bit number the caller keeps with the state;
 * consumed chunks are released (one is kept for reuse), so memory follows the frontier, not the run.
 * Chunks start small and grow fourfold to their full size, so that taking a new chunk and reusing
 * a consumed one both happen within the first states of a run, before V8 optimises the explorer's
 * loop (see OpenAddressingFingerprintSet's constructor).
 */

import { WordWriter } from '../model.ts';

const CHUNK_WORDS = 1 << 20;
const FIRST_CHUNK_WORDS = 1 << 10;
const HEADER_WORDS = 4;
/**
 * Room {@link StateQueue.beginEntry} makes for an entry: a new chunk when the last has less left.
 * An entry longer than the room left outgrows the chunk, which the writer then copies into an
 * array of twice the size that takes its place (see {@link StateQueue.endEntry}).
 */
const ENTRY_ROOM = 1 << 12;

export class StateQueue {
  private chunks: Int32Array[] = [new Int32Array(FIRST_CHUNK_WORDS)];
  /** Words used in each full chunk (every chunk but the last). */
  private usedWords: number[] = [];
  private writeChunk = 0;
  private writeOffset = 0;
  private readOffset = 0;
  private entries = 0;
  /** The chunk consumed last, kept for the next one needed if large enough: reusing it spares zeroing and faulting in fresh memory. */
  private spare: Int32Array | undefined;

  /** Fields of the entry most recently returned by {@link shift}. */
  tag = 0;
  fingerprintHigh = 0;
  fingerprintLow = 0;
  /** The chunk and range holding the shifted entry's words (valid until the next shift). */
  words: Int32Array = this.chunks[0]!;
  start = 0;
  end = 0;

  get length(): number {
    return this.entries;
  }

  /**
   * Writes an entry's encoding straight into the queue, sparing a copy: `beginEntry` points
   * `writer` at the free end of the last chunk, the caller appends the words to it, and
   * {@link endEntry} adds the entry. Until then nothing is added: the entry may be abandoned.
   */
  readonly writer = new WordWriter(0);
  private entryStart = 0;

  beginEntry(tag: number, high: number, low: number): WordWriter {
    const chunk = this.chunkWithRoom(HEADER_WORDS + ENTRY_ROOM);
    let at = this.writeOffset;
    chunk[at++] = tag;
    chunk[at++] = high;
    chunk[at++] = low;
    this.entryStart = ++at;
    const writer = this.writer;
    writer.words = chunk;
    writer.length = at;
    return writer;
  }

  endEntry(): void {
    const writer = this.writer;
    // A writer that outgrew the chunk copied it, entry and all, into a larger array: that array is the chunk now.
    if (writer.words !== this.chunks[this.writeChunk]) this.chunks[this.writeChunk] = writer.words;
    const chunk = this.chunks[this.writeChunk]!;
    chunk[this.entryStart - 1] = writer.length - this.entryStart;
    this.writeOffset = writer.length;
    this.entries++;
  }

  push(tag: number, high: number, low: number, words: Int32Array, length: number): void {
    const chunk = this.chunkWithRoom(HEADER_WORDS + length);
    let at = this.writeOffset;
    chunk[at++] = tag;
    chunk[at++] = high;
    chunk[at++] = low;
    chunk[at++] = length;
    if (length < 32) {
      for (let i = 0; i < length; i++) chunk[at + i] = words[i]!;
    } else {
      chunk.set(words.subarray(0, length), at);
    }
    this.writeOffset = at + length;
    this.entries++;
  }

  /** The last chunk, or a new one when it has fewer than `needed` words free. */
  private chunkWithRoom(needed: number): Int32Array {
    let chunk = this.chunks[this.writeChunk]!;
    if (this.writeOffset + needed > chunk.length) {
      const size = Math.max(Math.min(CHUNK_WORDS, chunk.length * 4), needed);
      const spare = this.spare;
      chunk = spare !== undefined && spare.length >= size ? spare : new Int32Array(size);
      this.spare = undefined;
      this.usedWords.push(this.writeOffset);
      this.chunks.push(chunk);
      this.writeChunk++;
      this.writeOffset = 0;
    }
    return chunk;
  }

  /** Removes the oldest entry and exposes it through the public fields; false when empty. */
  shift(): boolean {
    if (this.entries === 0) return false;
    let chunk = this.chunks[0]!;
    // A while, not an if: a chunk left empty (an abandoned entry moved to it) is passed over too.
    while (this.writeChunk > 0 && this.readOffset === this.usedWords[0]) {
      const consumed = this.chunks.shift()!;
      this.spare = consumed;
      this.usedWords.shift();
      this.writeChunk--;
      this.readOffset = 0;
      chunk = this.chunks[0]!;
    }
    let at = this.readOffset;
    this.tag = chunk[at++]!;
    this.fingerprintHigh = chunk[at++]! >>> 0;
    this.fingerprintLow = chunk[at++]! >>> 0;
    const length = chunk[at++]!;
    this.words = chunk;
    this.start = at;
    this.end = at + length;
    this.readOffset = at + length;
    this.entries--;
    return true;
  }

  approximateBytes(): number {
    let bytes = 0;
    for (const chunk of this.chunks) bytes += chunk.byteLength;
    return bytes + (this.spare?.byteLength ?? 0);
  }
}
