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
 * Linear probing kept in order (Amble and Knuth's ordered hash table): every fingerprint lies at
 * or after its home slot, and the whole table, read from first slot to last, is in ascending
 * order of the 32-bit mix the home slot is scaled from (`mixOf`). An insert shifts the larger
 * fingerprints of its run one slot on (a few slots, in the same cache lines). In return a lookup
 * of an absent fingerprint stops at the first larger one, and growing is one sequential pass:
 * in ascending order each fingerprint goes to its new home slot or just after the one placed
 * before it, with no probing, so growth costs about a third of what rehashing into an unordered
 * table did. There is no wrap-around: the run that reaches the end spills into overflow slots.
 */
export class OpenAddressingFingerprintSet implements FingerprintSet {
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
    this.slots = new Uint32Array((this.slotCount + OVERFLOW_SLOTS) * 2);
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
    this.slots = withMoreOverflow(slots);
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

  approximateBytes(): number {
    return this.slots.byteLength;
  }

  /**
   * The table itself, to read only: pairs of words (high, low), (0, 0) in an empty slot, in
   * ascending order of their mix (see the class comment), which is the order of their home slots in
   * any table that takes its home slots from the top bits of the same mix.
   */
  inOrder(): Uint32Array {
    return this.slots;
  }

  private grow(): void {
    const old = this.slots;
    const slotCount = Math.ceil(this.slotCount * GROWTH);
    const scale = slotCount / 4294967296;
    let slots: Uint32Array = new Uint32Array((slotCount + OVERFLOW_SLOTS) * 2);
    // The old table is in ascending order: each fingerprint goes to its home or after the last placed.
    let next = 0;
    for (let at = 0; at < old.length; at += 2) {
      const high = old[at]!;
      const low = old[at + 1]!;
      if ((high | low) === 0) continue;
      let index = Math.floor(mixOf(high, low) * scale) << 1;
      if (index < next) index = next;
      if (index === slots.length) slots = withMoreOverflow(slots);
      slots[index] = high;
      slots[index + 1] = low;
      next = index + 2;
    }
    this.slots = slots;
    this.slotCount = slotCount;
    this.scale = scale;
    this.growAt = Math.floor(slotCount * MAX_LOAD);
  }
}

/** The 32-bit mix of a fingerprint that orders the table; scaled to the table's size it is the home slot. */
function mixOf(high: number, low: number): number {
  return (low ^ Math.imul(high, 0x9e3779b1)) >>> 0;
}

/** The table with more overflow slots: a 64th of its size more, at least OVERFLOW_SLOTS. */
function withMoreOverflow(slots: Uint32Array): Uint32Array {
  const larger = new Uint32Array(slots.length + 2 * Math.max(OVERFLOW_SLOTS, slots.length >> 7));
  larger.set(slots);
  return larger;
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
