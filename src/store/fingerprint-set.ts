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
 * probing stays short at that load (a lookup of a state already there probes 2.5 slots on
 * average at 75%, against 3.8 at 85%, which measured about 4% slower on classic Paxos), and
 * probed slots are adjacent in memory.
 */
const MAX_LOAD = 0.75;
const GROWTH = 1.25;

export class OpenAddressingFingerprintSet implements FingerprintSet {
  private slots: Uint32Array;
  private slotCount: number;
  private count = 0;
  private growAt: number;

  constructor(initialCapacity = 1 << 16) {
    this.slotCount = Math.max(16, Math.ceil(initialCapacity));
    this.slots = new Uint32Array(this.slotCount * 2);
    this.growAt = Math.floor(this.slotCount * MAX_LOAD);
  }

  get size(): number {
    return this.count;
  }

  get capacity(): number {
    return this.slotCount;
  }

  addIfAbsent(high: number, low: number): boolean {
    high >>>= 0;
    low >>>= 0;
    const slots = this.slots;
    const slotCount = this.slotCount;
    let index = homeSlot(high, low, slotCount);
    for (;;) {
      const at = index << 1;
      const slotHigh = slots[at]!;
      const slotLow = slots[at + 1]!;
      if (slotHigh === 0 && slotLow === 0) {
        slots[at] = high;
        slots[at + 1] = low;
        if (++this.count > this.growAt) this.grow();
        return true;
      }
      if (slotHigh === high && slotLow === low) return false;
      if (++index === slotCount) index = 0;
    }
  }

  has(high: number, low: number): boolean {
    high >>>= 0;
    low >>>= 0;
    const slots = this.slots;
    const slotCount = this.slotCount;
    let index = homeSlot(high, low, slotCount);
    for (;;) {
      const at = index << 1;
      const slotHigh = slots[at]!;
      const slotLow = slots[at + 1]!;
      if (slotHigh === 0 && slotLow === 0) return false;
      if (slotHigh === high && slotLow === low) return true;
      if (++index === slotCount) index = 0;
    }
  }

  approximateBytes(): number {
    return this.slots.byteLength;
  }

  private grow(): void {
    const old = this.slots;
    const slotCount = Math.ceil(this.slotCount * GROWTH);
    const slots = new Uint32Array(slotCount * 2);
    for (let at = 0; at < old.length; at += 2) {
      const high = old[at]!;
      const low = old[at + 1]!;
      if (high === 0 && low === 0) continue;
      let index = homeSlot(high, low, slotCount);
      while (slots[index << 1] !== 0 || slots[(index << 1) + 1] !== 0) if (++index === slotCount) index = 0;
      slots[index << 1] = high;
      slots[(index << 1) + 1] = low;
    }
    this.slots = slots;
    this.slotCount = slotCount;
    this.growAt = Math.floor(slotCount * MAX_LOAD);
  }
}

/**
 * The slot a fingerprint starts probing from: its mixed high word scaled to the table size (a
 * multiply, not a mask, so the table need not be a power of two).
 */
function homeSlot(high: number, low: number, slotCount: number): number {
  const mixed = (low ^ Math.imul(high, 0x9e3779b1)) >>> 0;
  return Math.floor((mixed / 4294967296) * slotCount);
}

/** Map-backed reference for the contract tests. Not for exploration: V8 caps a Set at 2^24. */
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
