/**
 * Visited sets of fingerprints.
 *
 * {@link OpenAddressingFingerprintSet} is the one the explorers use: fingerprints in a single
 * typed array (two 32-bit words a slot, open addressing with linear probing), 8 bytes a slot and
 * nothing else per state, and no V8 limit on the number of entries (Map and Set stop at 2^24).
 * {@link ReferenceFingerprintSet} is the obviously-correct version the contract tests compare it to.
 */

export interface FingerprintSet {
  /** Adds the fingerprint; true when it was not there before. */
  addIfAbsent(high: number, low: number): boolean;
  has(high: number, low: number): boolean;
  readonly size: number;
  /** Bytes held by the set's storage. */
  approximateBytes(): number;
}

/**
 * The table grows by a quarter once it is 75% full, so it is always between 60% and 75% full:
 * 10.7 to 13.3 bytes a state, which with the trace store's 2 to 2.5 stays within 16. Linear
 * probing stays short at that load, and probed slots are adjacent in memory.
 */
const MAX_LOAD = 0.75;
const GROWTH = 1.25;
/** Slots past the last home slot, for the run of fingerprints that spills past it (more are added when one is longer). */
const OVERFLOW_SLOTS = 64;
/**
 * The table lives at the start of a buffer this many times its size, and grows in place until it
 * fills the buffer. Fresh memory costs more than the growth itself on this project's machine (about
 * 3.5 ms a megabyte to fault in: a growth touched a whole new table, and growths took 4.8 s of the
 * 9.7 s that 22 million inserts took); in place, a growth touches only the slots it adds. The rest
 * of the buffer is never written until the table grows into it, so it is not resident: it costs
 * address space only. A table of FULL_ROOM_WORDS or more gets all the room it may have.
 */
const ROOM_FACTOR = 4;
/**
 * The most words a buffer gets room for: the table itself cannot pass 2^31 words (word indices
 * are 32-bit integers), and Node 20 caps a typed array at 2^32 elements.
 */
const MAX_ROOM_WORDS = 2 ** 31;
/**
 * A table of this many words (16 MB) or more gets all the room it may have, MAX_ROOM_WORDS: a
 * table that outgrows its room moves to a new buffer, all of it fresh memory, and leaves the old
 * one resident until it is collected. Small tables keep their factor, so that small runs (and the
 * many runs of a test or a sweep in one process) hold little address space.
 */
const FULL_ROOM_WORDS = 1 << 22;
/** Old slots per step of an in-place growth (see growInPlace). */
const GROWTH_CHUNK_SLOTS = 1 << 12;

/**
 * Linear probing kept in order (Amble and Knuth's ordered hash table): every fingerprint lies at
 * or after its home slot, and the whole table, read from first slot to last, is in ascending
 * order of the 32-bit mix the home slot is scaled from (`mixOf`). An insert shifts the larger
 * fingerprints of its run one slot on (a few slots, in the same cache lines). In return a lookup
 * of an absent fingerprint stops at the first larger one, and growing needs no probing: in
 * ascending order each fingerprint goes to its new home slot or just after the one placed before
 * it (a third of the cost of rehashing into an unordered table), and since homes only move up, it
 * can be done in place (see {@link ROOM_FACTOR}). There is no wrap-around: the run that reaches the
 * end spills into overflow slots.
 */
export class OpenAddressingFingerprintSet implements FingerprintSet {
  /** The table and the room it grows into: the table is its first `slots.length` words. */
  private room: Uint32Array;
  private slots: Uint32Array;
  /** Home slots: fingerprints are scaled to [0, slotCount); the table has overflow slots after them. */
  private slotCount: number;
  /** slotCount / 2^32: a mix times this is a home slot. */
  private scale: number;
  private count = 0;
  private growAt: number;

  /**
   * Small by default: a run then grows the table within its first few hundred states, before V8
   * optimises the explorer's loop, so the optimised code has seen the growth. Growth first met
   * later, in optimised code, throws that code away (V8 has no feedback for it) and the loop runs
   * unoptimised until it is compiled again: several times in a run of half a second.
   */
  constructor(initialCapacity = 1 << 8) {
    this.slotCount = Math.max(16, Math.ceil(initialCapacity));
    const words = (this.slotCount + OVERFLOW_SLOTS) * 2;
    this.room = roomFor(words);
    this.slots = this.room.subarray(0, words);
    this.scale = this.slotCount / 4294967296;
    this.growAt = Math.floor(this.slotCount * MAX_LOAD);
  }

  get size(): number {
    return this.count;
  }

  /** Home slots (the table also has a few overflow slots). */
  get capacity(): number {
    return this.slotCount;
  }

  addIfAbsent(high: number, low: number): boolean {
    high >>>= 0;
    low >>>= 0;
    // (0, 0) marks an empty slot: stored, it would break a run apart and lose the entries after it.
    if ((high | low) === 0) throw new RangeError('(0, 0) is not a fingerprint: models must not report it');
    const mixed = mixOf(high, low);
    const slots = this.slots;
    const end = slots.length;
    for (let at = Math.floor(mixed * this.scale) << 1; at < end; at += 2) {
      const slotHigh = slots[at]!;
      const slotLow = slots[at + 1]!;
      if ((slotHigh | slotLow) === 0) {
        slots[at] = high;
        slots[at + 1] = low;
        if (++this.count > this.growAt) this.grow();
        return true;
      }
      if (slotHigh === high && slotLow === low) return false;
      if (mixOf(slotHigh, slotLow) > mixed) {
        // Its place: shift the rest of the run one slot on.
        let empty = at + 2;
        while (empty < end && (slots[empty]! | slots[empty + 1]!) !== 0) empty += 2;
        if (empty === end) break;
        for (let to = empty; to > at; to -= 2) {
          slots[to] = slots[to - 2]!;
          slots[to + 1] = slots[to - 1]!;
        }
        slots[at] = high;
        slots[at + 1] = low;
        if (++this.count > this.growAt) this.grow();
        return true;
      }
    }
    // The run reaches the last slot: more overflow slots, then again.
    this.withMoreOverflow();
    return this.addIfAbsent(high, low);
  }

  has(high: number, low: number): boolean {
    high >>>= 0;
    low >>>= 0;
    const mixed = mixOf(high, low);
    const slots = this.slots;
    const end = slots.length;
    for (let at = Math.floor(mixed * this.scale) << 1; at < end; at += 2) {
      const slotHigh = slots[at]!;
      const slotLow = slots[at + 1]!;
      if ((slotHigh | slotLow) === 0) return false;
      if (slotHigh === high && slotLow === low) return true;
      if (mixOf(slotHigh, slotLow) > mixed) return false;
    }
    return false;
  }

  /** The table's bytes (not the untouched room it grows into, which is not resident). */
  approximateBytes(): number {
    return this.slots.byteLength;
  }

  /**
   * The table itself, to read only (tests compare layouts): pairs of words (high, low), (0, 0) in
   * an empty slot, in ascending order of their mix (see the class comment).
   */
  inOrder(): Uint32Array {
    return this.slots;
  }

  private grow(): void {
    const old = this.slots;
    const slotCount = Math.ceil(this.slotCount * GROWTH);
    const scale = slotCount / 4294967296;
    // In ascending order each fingerprint goes to its new home or just after the one placed before
    // it: where each chunk of the table starts, and where the table ends, depend only on the run
    // that reaches them (see placedEnd), so no pass over the whole table is needed to find them.
    const chunkWords = GROWTH_CHUNK_SLOTS * 2;
    const chunkStarts = new Int32Array(Math.ceil(old.length / chunkWords));
    for (let chunk = 1; chunk < chunkStarts.length; chunk++) chunkStarts[chunk] = placedEnd(old, chunk * chunkWords, scale);
    const words = Math.max((slotCount + OVERFLOW_SLOTS) * 2, placedEnd(old, old.length, scale));
    if (words > this.room.length) {
      // Out of room: the table moves to a larger buffer first, and grows there.
      const room = roomFor(words);
      room.set(old);
      this.room = room;
    }
    growInPlace(this.room, old.length, scale, chunkStarts);
    this.slots = this.room.subarray(0, words);
    this.slotCount = slotCount;
    this.scale = scale;
    this.growAt = Math.floor(slotCount * MAX_LOAD);
  }

  /** More overflow slots: a 64th of the table more, at least OVERFLOW_SLOTS. */
  private withMoreOverflow(): void {
    const words = this.slots.length + 2 * Math.max(OVERFLOW_SLOTS, this.slots.length >> 7);
    if (words > this.room.length) {
      const room = roomFor(words);
      room.set(this.slots);
      this.room = room;
    }
    this.slots = this.room.subarray(0, words);
  }
}

/**
 * A buffer for a table of `words` words, with room to grow into: ROOM_FACTOR times as many, or as
 * many as can be had (see {@link allocateWithRoom}).
 */
function roomFor(words: number): Uint32Array {
  return allocateWithRoom(words, ROOM_FACTOR, (length) => new Uint32Array(length));
}

/**
 * Memory for a table of `words` 32-bit words with room to grow in place: `factor` times as many
 * words (all of MAX_ROOM_WORDS from FULL_ROOM_WORDS on), at most MAX_ROOM_WORDS, or only `words`
 * when the system will not lend the address space. The room is never written until the table
 * grows into it, so it is not resident.
 */
export function allocateWithRoom<T>(words: number, factor: number, allocate: (words: number) => T): T {
  const roomy = Math.min(words * factor, MAX_ROOM_WORDS);
  // All the room first for a large table, then its factor's, then none: each is tried only when
  // the one before was refused (a RangeError).
  for (const room of words >= FULL_ROOM_WORDS ? [MAX_ROOM_WORDS, roomy] : [roomy]) {
    if (room <= words) continue;
    try {
      return allocate(room);
    } catch {
      // Refused: less room, then.
    }
  }
  return allocate(words);
}

/**
 * The word just past where the entries of the ordered table `slots` before word `boundary` go at
 * the home slots of `scale` (which is larger than the table's): past the last of them, placed at
 * its new home or just after the one before it (0 when there are none).
 *
 * Only the run of occupied slots that holds the last of them matters: entries after an empty slot
 * go to their new homes whatever comes before it. An entry j after the empty slot e has its old home
 * at e + 1 or later (its probe crossed no empty slot), so its new home is at least
 * floor((e + 1) * r), where r > 1 is the ratio of the scales. An entry k before it, at slot p >= its
 * old home h, has a new home below (h + 1) * r, and at most e - 1 - p entries follow it before e,
 * so it and they end by (h + 1) * r + e - 1 - p <= (p + 1) * r + e - 1 - p <= e * r (as p <= e - 1),
 * short of j's new home.
 */
function placedEnd(slots: Uint32Array, boundary: number, scale: number): number {
  let last = boundary;
  while (last > 0 && (slots[last - 2]! | slots[last - 1]!) === 0) last -= 2;
  let start = last;
  while (start > 0 && (slots[start - 2]! | slots[start - 1]!) !== 0) start -= 2;
  let next = 0;
  for (let at = start; at < last; at += 2) {
    const home = homeWord(slots[at]!, slots[at + 1]!, scale);
    next = (home > next ? home : next) + 2;
  }
  return next;
}

/** Positions of one chunk's entries during an in-place growth (-1: an empty slot). */
const chunkPositions = new Int32Array(GROWTH_CHUNK_SLOTS);

/**
 * Grows the ordered table in the first `oldWords` words of `room` in place, to the home slots of
 * `scale` (larger than the table's): `chunkStarts[c]` is the first word the entries of chunk c (of
 * GROWTH_CHUNK_SLOTS old slots) may take. An ordered table's layout depends only on its entries
 * (each at its home or just after the one before), and homes only move up as the scale grows, so
 * every entry moves up or stays: moved from the last chunk down, and within a chunk from its last
 * entry down, an entry never lands on one not yet moved.
 */
function growInPlace(room: Uint32Array, oldWords: number, scale: number, chunkStarts: Int32Array): void {
  const chunkWords = GROWTH_CHUNK_SLOTS * 2;
  const positions = chunkPositions;
  for (let chunk = chunkStarts.length - 1; chunk >= 0; chunk--) {
    const start = chunk * chunkWords;
    const end = Math.min(start + chunkWords, oldWords);
    let next = chunkStarts[chunk]!;
    for (let at = start; at < end; at += 2) {
      const high = room[at]!;
      const low = room[at + 1]!;
      if ((high | low) === 0) {
        positions[(at - start) >> 1] = -1;
        continue;
      }
      const home = homeWord(high, low, scale);
      const index = home > next ? home : next;
      positions[(at - start) >> 1] = index;
      next = index + 2;
    }
    for (let at = end - 2; at >= start; at -= 2) {
      const index = positions[(at - start) >> 1]!;
      if (index <= at) {
        if (index >= 0 && index < at) throw new Error('an ordered fingerprint table lost its order');
        continue;
      }
      room[index] = room[at]!;
      room[index + 1] = room[at + 1]!;
      room[at] = 0;
      room[at + 1] = 0;
    }
  }
}

/** The first word of a fingerprint's home slot in a table whose home slots are its mix times `scale`. */
function homeWord(high: number, low: number, scale: number): number {
  return Math.floor(mixOf(high, low) * scale) << 1;
}

/** The 32-bit mix of a fingerprint that orders the table; scaled to the table's size it is the home slot. */
function mixOf(high: number, low: number): number {
  return (low ^ Math.imul(high, 0x9e3779b1)) >>> 0;
}

/** Set-backed reference for the contract tests. Not for exploration: V8 caps a Set at 2^24. */
export class ReferenceFingerprintSet implements FingerprintSet {
  private readonly entries = new Set<bigint>();

  addIfAbsent(high: number, low: number): boolean {
    const key = (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0);
    if (this.entries.has(key)) return false;
    this.entries.add(key);
    return true;
  }

  has(high: number, low: number): boolean {
    return this.entries.has((BigInt(high >>> 0) << 32n) | BigInt(low >>> 0));
  }

  get size(): number {
    return this.entries.size;
  }

  approximateBytes(): number {
    return this.entries.size * 48;
  }
}
