/**
 * A FIFO of packed encoded states, for the breadth-first frontier. Each entry is
 * `[record, fingerprintHigh, fingerprintLow, length, ...words]` in a chain of Int32Array chunks;
 * consumed chunks are released, so memory follows the frontier, not the run.
 */

const CHUNK_WORDS = 1 << 20;
const HEADER_WORDS = 4;

export class StateQueue {
  private chunks: Int32Array[] = [new Int32Array(CHUNK_WORDS)];
  /** Words used in each full chunk (every chunk but the last). */
  private usedWords: number[] = [];
  private writeChunk = 0;
  private writeOffset = 0;
  private readOffset = 0;
  private entries = 0;

  /** Fields of the entry most recently returned by {@link shift}. */
  record = 0;
  fingerprintHigh = 0;
  fingerprintLow = 0;
  /** The chunk and range holding the shifted entry's words (valid until the next shift). */
  words: Int32Array = this.chunks[0]!;
  start = 0;
  end = 0;

  get length(): number {
    return this.entries;
  }

  push(record: number, high: number, low: number, words: Int32Array, length: number): void {
    const needed = HEADER_WORDS + length;
    let chunk = this.chunks[this.writeChunk]!;
    if (this.writeOffset + needed > chunk.length) {
      chunk = new Int32Array(Math.max(CHUNK_WORDS, needed));
      this.usedWords.push(this.writeOffset);
      this.chunks.push(chunk);
      this.writeChunk++;
      this.writeOffset = 0;
    }
    let at = this.writeOffset;
    chunk[at++] = record;
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

  /** Removes the oldest entry and exposes it through the public fields; false when empty. */
  shift(): boolean {
    if (this.entries === 0) return false;
    let chunk = this.chunks[0]!;
    if (this.writeChunk > 0 && this.readOffset === this.usedWords[0]) {
      this.chunks.shift();
      this.usedWords.shift();
      this.writeChunk--;
      this.readOffset = 0;
      chunk = this.chunks[0]!;
    }
    let at = this.readOffset;
    this.record = chunk[at++]!;
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
    return bytes;
  }
}
