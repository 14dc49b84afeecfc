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

const MAX_LOAD = 0.75;

export class OpenAddressingFingerprintSet implements FingerprintSet {
  private slots: Uint32Array;
  private mask: number;
  private count = 0;
  private growAt: number;

  constructor(initialCapacity = 1 << 16) {
    let capacity = 16;
    while (capacity < initialCapacity) capacity *= 2;
    this.slots = new Uint32Array(capacity * 2);
    this.mask = capacity - 1;
    this.growAt = Math.floor(capacity * MAX_LOAD);
  }

  get size(): number {
    return this.count;
  }

  get capacity(): number {
    return this.mask + 1;
  }

  addIfAbsent(high: number, low: number): boolean {
    high >>>= 0;
    low >>>= 0;
    const slots = this.slots;
    const mask = this.mask;
    let index = (low ^ Math.imul(high, 0x9e3779b1)) & mask;
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
      index = (index + 1) & mask;
    }
  }

  has(high: number, low: number): boolean {
    high >>>= 0;
    low >>>= 0;
    const slots = this.slots;
    const mask = this.mask;
    let index = (low ^ Math.imul(high, 0x9e3779b1)) & mask;
    for (;;) {
      const at = index << 1;
      const slotHigh = slots[at]!;
      const slotLow = slots[at + 1]!;
      if (slotHigh === 0 && slotLow === 0) return false;
      if (slotHigh === high && slotLow === low) return true;
      index = (index + 1) & mask;
    }
  }

  approximateBytes(): number {
    return this.slots.byteLength;
  }

  private grow(): void {
    const old = this.slots;
    const capacity = (this.mask + 1) * 2;
    const slots = new Uint32Array(capacity * 2);
    const mask = capacity - 1;
    for (let at = 0; at < old.length; at += 2) {
      const high = old[at]!;
      const low = old[at + 1]!;
      if (high === 0 && low === 0) continue;
      let index = (low ^ Math.imul(high, 0x9e3779b1)) & mask;
      while (slots[index << 1] !== 0 || slots[(index << 1) + 1] !== 0) index = (index + 1) & mask;
      slots[index << 1] = high;
      slots[(index << 1) + 1] = low;
    }
    this.slots = slots;
    this.mask = mask;
    this.growAt = Math.floor(capacity * MAX_LOAD);
  }
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
