/**
 * A visited set of fingerprints in shared memory, for the parallel explorer: open addressing with
 * linear probing over a `SharedArrayBuffer`, safe for any number of threads inserting at once.
 *
 * A slot is three 32-bit words: a state word, then the fingerprint's high and low halves. The
 * state word is 0 for an empty slot, 1 while a thread is writing the fingerprint into it (taken
 * with `Atomics.compareExchange`, so two threads never write the same slot), and otherwise
 * `claim + CLAIM_BASE`, where the claim is a number the explorer attaches to the entry: the
 * record of the parent that discovered it. Because a thread that finds a slot being written waits
 * until the fingerprint is published, two threads inserting the same fingerprint always meet in
 * the same slot, and exactly one of them sees it as new.
 *
 * Claims let the parallel explorer reproduce the sequential breadth-first order exactly
 * ({@link claim}): during a level, a state found by several parents keeps the smallest parent
 * record that found it (`Atomics.compareExchange` lowers it), which is the parent the sequential
 * explorer would have credited.
 *
 * The table cannot grow while threads insert: {@link claim} reports `FULL` instead, and the owner
 * grows it with {@link rehash} once no other thread is using it (or in parts that threads move at
 * once: {@link beginGrowth}), in place within its buffer's room or into a new buffer, then has
 * the other threads {@link use} the buffer again (their views read its capacity from its header).
 * Used by one thread alone through the
 * {@link FingerprintSet} interface it grows by itself, like {@link OpenAddressingFingerprintSet}.
 */
import { allocateWithRoom, type FingerprintSet, type OpenAddressingFingerprintSet } from './fingerprint-set.ts';

const EMPTY = 0;
const BUSY = 1;
/** The state word of a slot whose claim is c is c + CLAIM_BASE; claims are >= -1. */
const CLAIM_BASE = 3;
/** The claim of entries added through {@link SharedFingerprintSet.addIfAbsent}. */
export const UNCLAIMED = -1;
/** The lowest state word of a published entry (any claim at all, or none). */
const UNCLAIMED_STATE = UNCLAIMED + CLAIM_BASE;
/** {@link SharedFingerprintSet.claim}: the fingerprint was present with an equal or earlier claim. */
export const NOT_CLAIMED = -1;
/** {@link SharedFingerprintSet.claim}: the table is too full to insert; grow it and retry. */
export const FULL = -2;

/**
 * A visited set the parallel explorer's level expander claims successors in: the
 * {@link SharedFingerprintSet}, or a lone thread's SoloClaimingSet.
 */
export interface ClaimingSet extends FingerprintSet {
  /** See {@link SharedFingerprintSet.claim}. */
  claim(high: number, low: number, key: number, firstKey: number): number;
  /** See {@link SharedFingerprintSet.lowered}. */
  readonly lowered: boolean;
}

const WORDS_PER_SLOT = 3;
/** Header words before the slots: [count, capacity, always 0, spare]. */
const HEADER_WORDS = 4;
const COUNT = 0;
const CAPACITY = 1;
/** A header word that stays 0, for a thread that waits on a slot being written to sleep on. */
const SLEEP = 2;
/**
 * A table's buffer has room for this many times its slots (four doublings), so that it grows in
 * place (see {@link SharedFingerprintSet.beginGrowth}): room never written is not resident (but
 * is address space: a system that limits it, with `ulimit -v` or strict overcommit, counts it), and
 * a growth touches fresh memory only for the slots it adds, where a new buffer would be fresh all
 * through. Fresh memory costs more to touch than the moving on this project's machine (4.3 ms a
 * megabyte: doubling 8M slots half full took 410 ms for the half past the old table, 80 ms for the
 * rest, in place); Paxos.tla ballots 0..3 on two threads grew from 8M slots in 0.29 s instead of
 * 0.43-0.53 s, and its peak resident set fell by a tenth. Four times the slots left the growths of
 * a run of that size out of room. A table of 16 MB or more gets all the room it may have (see
 * allocateWithRoom), so that the growths of larger runs stay in place too.
 */
const ROOM_FACTOR = 16;
/**
 * Below this many old slots, the last step of an in-place growth sets its entries aside and places
 * them anew: the steps shrink by the growth's factor each time and would never reach slot 0.
 */
const SMALL_REST_SLOTS = 64;
const GROW_LOAD = 0.75;
/** Above this load {@link SharedFingerprintSet.claim} refuses to insert (linear probing degrades). */
const FULL_LOAD = 0.85;

/** The bytes of a table of `slots` slots, its header included. */
function tableBytes(slots: number): number {
  return (HEADER_WORDS + slots * WORDS_PER_SLOT) * 4;
}

function roundCapacity(requested: number): number {
  let capacity = 16;
  while (capacity < requested) capacity *= 2;
  return capacity;
}

/** The slot a fingerprint's probe starts at: the top bits of its mix (see {@link shiftFor}). */
function homeSlot(high: number, low: number, shift: number): number {
  return (low ^ Math.imul(high, 0x9e3779b1)) >>> shift;
}

/** The shift that takes a 32-bit mix to a slot of a power-of-two table. */
function shiftFor(capacity: number): number {
  return 32 - Math.log2(capacity);
}

/** A buffer for a table of `capacity` slots, with room to grow in place when the system lends it. */
function allocate(capacity: number): SharedArrayBuffer {
  const buffer = allocateWithRoom(HEADER_WORDS + capacity * WORDS_PER_SLOT, ROOM_FACTOR, (words) => new SharedArrayBuffer(words * 4));
  new Int32Array(buffer, 0, HEADER_WORDS)[CAPACITY] = capacity;
  return buffer;
}

/** The slots of a buffer, its room included. */
function slotsOf(buffer: SharedArrayBuffer): Int32Array {
  return new Int32Array(buffer, HEADER_WORDS * 4);
}

function capacityOf(buffer: SharedArrayBuffer): number {
  return new Int32Array(buffer, 0, HEADER_WORDS)[CAPACITY]!;
}

/**
 * A growth of a {@link SharedFingerprintSet} under way ({@link SharedFingerprintSet.beginGrowth}):
 * the old and the new table (the same buffer when it grows in place), and the parts its entries
 * are moved in. Plain data, so that it can be posted to a worker thread.
 */
export interface TableGrowth {
  readonly from: SharedArrayBuffer;
  readonly to: SharedArrayBuffer;
  readonly fromCapacity: number;
  readonly toCapacity: number;
  /** Entries whose claim is this or more are dropped. */
  readonly dropFrom: number;
  /** Part p moves the old table's slots from bounds[p] up to bounds[p + 1]. */
  readonly bounds: readonly number[];
  /**
   * The old slots below this are moved by {@link SharedFingerprintSet.finishGrowth}, in place,
   * after the parts (0 when the table moves to a new buffer).
   */
  readonly restBelow: number;
}

/** What {@link moveEntries} did with a part. */
export interface MovedEntries {
  /** Entries placed in the new table. */
  readonly count: number;
  /** Entries it could not place in its own region, as slots of three words, for {@link SharedFingerprintSet.finishGrowth}. */
  readonly leftOver: Int32Array;
}

/**
 * Moves one part of a growth: the entries of the old table's slots `bounds[part]` up to
 * `bounds[part + 1]`, into the same fraction of the new table. Home slots are the top bits of a
 * fingerprint's mix, so an entry's new home is in that region unless it was displaced into the
 * part from before it (or wrapped around from the table's end); such entries, and those whose
 * probe would run past the region's end, are left over for {@link SharedFingerprintSet.finishGrowth}.
 * So each part writes only its own region, and threads move parts at once with no atomics (each
 * touches fresh memory of its own, which costs more than the moving on this project's machine).
 * Entries are read in slot order and written in nearly the same order, not scattered.
 */
export function moveEntries(growth: TableGrowth, part: number): MovedEntries {
  const leftOver: number[] = [];
  const count = moveRange(growth, growth.bounds[part]!, growth.bounds[part + 1]!, leftOver);
  return { count, leftOver: Int32Array.from(leftOver) };
}

/**
 * Moves the entries of the old slots `first` up to `end` into the same fraction of the new table
 * (see {@link moveEntries}), pushing those it cannot place there onto `leftOver`; returns how many
 * it placed. The region must be empty, and must not overlap the old slots not moved yet.
 */
function moveRange(growth: TableGrowth, first: number, end: number, leftOver: number[]): number {
  const old = slotsOf(growth.from);
  const slots = slotsOf(growth.to);
  const factor = growth.toCapacity / growth.fromCapacity;
  const regionStart = first * factor;
  const regionEnd = end * factor;
  const shift = shiftFor(growth.toCapacity);
  const dropFrom = growth.dropFrom;
  let count = 0;
  for (let at = first * WORDS_PER_SLOT; at < end * WORDS_PER_SLOT; at += WORDS_PER_SLOT) {
    const state = old[at]!;
    if (state === EMPTY || state - CLAIM_BASE >= dropFrom) continue;
    const high = old[at + 1]!;
    const low = old[at + 2]!;
    let index = homeSlot(high, low, shift);
    if (index >= regionStart) {
      while (index < regionEnd && slots[index * WORDS_PER_SLOT] !== EMPTY) index++;
    }
    if (index < regionStart || index >= regionEnd) {
      leftOver.push(state, high, low);
      continue;
    }
    const to = index * WORDS_PER_SLOT;
    slots[to] = state;
    slots[to + 1] = high;
    slots[to + 2] = low;
    count++;
  }
  return count;
}

export class SharedFingerprintSet implements ClaimingSet {
  private buffer!: SharedArrayBuffer;
  private header!: Int32Array;
  private slots!: Int32Array;
  private mask = 0;
  /** 32 less log2(capacity): a mix shifted right by this is a home slot. */
  private shift = 32;
  private fullAt = 0;
  private growAt = 0;
  /** Inserts by this thread not yet added to the shared count (flushed every few inserts). */
  private pending = 0;
  private flushEvery = 1;
  /** The shared count as of this thread's last flush: what it checks fullness against. */
  private knownCount = 0;
  /**
   * Set by the owner before other threads get the buffer: from then on it uses atomics, and no
   * longer grows by itself. (Views made by {@link attach} are shared from the start.)
   */
  shared = false;
  /**
   * After a successful {@link claim}: true when it lowered the claim of an entry of the level
   * (another parent's claim was displaced), false when it inserted the fingerprint.
   */
  lowered = false;

  /**
   * A new, empty set with room for `initialCapacity` slots (rounded up to a power of two), or a
   * view of an existing buffer (see {@link attach}).
   */
  constructor(initialCapacity = 1 << 16, buffer?: SharedArrayBuffer) {
    this.use(buffer ?? allocate(roundCapacity(initialCapacity)));
  }

  /**
   * A set of at least `capacity` slots (and enough for them) holding the fingerprints of `source`,
   * with no claim. The source's table is in ascending order of the mix that home slots are taken
   * from, so the slots are written nearly in order.
   */
  static copyOf(source: OpenAddressingFingerprintSet, capacity: number): SharedFingerprintSet {
    const set = new SharedFingerprintSet(Math.max(capacity, Math.ceil(source.size / GROW_LOAD) + 1));
    const pairs = source.inOrder();
    const slots = set.slots;
    const mask = set.mask;
    const shift = set.shift;
    for (let at = 0; at < pairs.length; at += 2) {
      const high = pairs[at]! | 0;
      const low = pairs[at + 1]! | 0;
      if ((high | low) === 0) continue;
      let index = homeSlot(high, low, shift);
      while (slots[index * WORDS_PER_SLOT] !== EMPTY) index = (index + 1) & mask;
      const to = index * WORDS_PER_SLOT;
      slots[to] = UNCLAIMED_STATE;
      slots[to + 1] = high;
      slots[to + 2] = low;
    }
    set.header[COUNT] = source.size;
    set.knownCount = source.size;
    return set;
  }

  /** Another thread's view of the same set: pass it the buffer from {@link sharedBuffer}. */
  static attach(buffer: SharedArrayBuffer): SharedFingerprintSet {
    const view = new SharedFingerprintSet(0, buffer);
    view.shared = true;
    return view;
  }

  /** The memory to hand to other threads. Changes when the set grows. */
  get sharedBuffer(): SharedArrayBuffer {
    return this.buffer;
  }

  /** Switches to another buffer (after the owner grew the set). */
  use(buffer: SharedArrayBuffer): void {
    this.flush();
    this.buffer = buffer;
    this.header = new Int32Array(buffer, 0, HEADER_WORDS);
    const capacity = this.header[CAPACITY]!;
    if (capacity < 16 || (capacity & (capacity - 1)) !== 0 || tableBytes(capacity) > buffer.byteLength) {
      throw new RangeError('not the buffer of a SharedFingerprintSet');
    }
    this.slots = new Int32Array(buffer, HEADER_WORDS * 4, capacity * WORDS_PER_SLOT);
    this.mask = capacity - 1;
    this.shift = shiftFor(capacity);
    this.growAt = Math.floor(capacity * GROW_LOAD);
    this.fullAt = Math.floor(capacity * FULL_LOAD);
    // The shared count may lag by up to flushEvery inserts per thread; keep that well inside the
    // margin between FULL_LOAD and a full table.
    this.flushEvery = Math.max(1, Math.min(256, capacity >> 10));
    this.knownCount = Atomics.load(this.header, COUNT);
  }

  get capacity(): number {
    return this.mask + 1;
  }

  /** Entries in the set (exact once every thread has called {@link flush}). */
  get size(): number {
    return Atomics.load(this.header, COUNT) + this.pending;
  }

  /** Adds this thread's uncounted inserts to the shared count. */
  flush(): void {
    if (this.pending > 0 && this.header) {
      this.knownCount = Atomics.add(this.header, COUNT, this.pending) + this.pending;
      this.pending = 0;
    }
  }

  /** The table's bytes (its room, never written, is not resident). */
  approximateBytes(): number {
    return tableBytes(this.capacity);
  }

  /** The bytes of a new set of at least `capacity` slots. */
  static bytesFor(capacity: number): number {
    return tableBytes(roundCapacity(capacity));
  }

  /**
   * The bytes a growth to at least `capacity` slots would add to the resident set ({@link rehash}),
   * before it is made: the slots it adds when it grows in place, the whole new table when it moves
   * to a new buffer (the old one stays resident until collected).
   */
  bytesToGrow(capacity: number): number {
    const toCapacity = roundCapacity(Math.max(capacity, this.capacity));
    if (toCapacity === this.capacity) return 0;
    const inPlace = tableBytes(toCapacity) <= this.buffer.byteLength;
    return (inPlace ? toCapacity - this.capacity : toCapacity) * WORDS_PER_SLOT * 4;
  }

  /**
   * Adds the fingerprint with no claim; true when it was not there before. Safe to call from
   * several threads at once. A set used by one thread grows as it fills; a set shared with other
   * threads must be sized by its owner ({@link rehash}) before they insert, and throws when full.
   */
  addIfAbsent(high: number, low: number): boolean {
    const result = this.insert(high | 0, low | 0, UNCLAIMED, Number.NEGATIVE_INFINITY, true);
    if (result === FULL) throw new RangeError('the shared fingerprint set is full');
    return result >= 0;
  }

  has(high: number, low: number): boolean {
    high |= 0;
    low |= 0;
    const slots = this.slots;
    const mask = this.mask;
    let index = homeSlot(high, low, this.shift);
    for (;;) {
      const at = index * WORDS_PER_SLOT;
      const slotHigh = slots[at + 1]!;
      const slotLow = slots[at + 2]!;
      if (slotHigh !== 0 && slotLow !== 0) {
        // Final values (see insert).
        if (slotHigh === high && slotLow === low) return true;
      } else {
        const state = Atomics.load(slots, at);
        if (state === EMPTY) return false;
        if (state === BUSY) this.waitWhileBusy(at);
        if (Atomics.load(slots, at + 1) === high && Atomics.load(slots, at + 2) === low) return true;
      }
      index = (index + 1) & mask;
    }
  }

  /**
   * The parallel explorer's insert. Makes `key` the fingerprint's claim when the fingerprint is
   * absent, or present with a claim that is `>= firstKey` (an entry of the current level) and
   * greater than `key` (found by a later parent). Returns the slot index when this call made `key` the claim, {@link NOT_CLAIMED} when the
   * fingerprint is present with a claim below `firstKey` (an earlier level) or not above `key`,
   * and {@link FULL} (inserting nothing) when the table is too full.
   *
   * Claims only ever decrease during a level, so once every caller with a smaller key has
   * finished, {@link claimAt} tells whether a caller's key is the final one.
   */
  claim(high: number, low: number, key: number, firstKey: number): number {
    high |= 0;
    low |= 0;
    // The common case, small enough to be inlined into the explorer's loop: the fingerprint is
    // there, in a slot whose halves read non-zero (see insert). Anything else takes insert.
    const slots = this.slots;
    const mask = this.mask;
    let index = homeSlot(high, low, this.shift);
    for (;;) {
      const at = index * WORDS_PER_SLOT;
      const slotHigh = slots[at + 1]!;
      const slotLow = slots[at + 2]!;
      if (slotHigh === 0 || slotLow === 0) return this.insert(high, low, key, firstKey, false);
      if (slotHigh === high && slotLow === low) {
        const state = slots[at]!;
        if (state >= UNCLAIMED_STATE && (state - CLAIM_BASE < firstKey || state - CLAIM_BASE <= key)) return NOT_CLAIMED;
        return this.lowerClaim(at, index, key, firstKey);
      }
      index = (index + 1) & mask;
    }
  }

  /** The claim of the fingerprint's entry, or undefined when it is absent (-1: no claim). */
  claimOf(high: number, low: number): number | undefined {
    high |= 0;
    low |= 0;
    const slots = this.slots;
    const mask = this.mask;
    let index = homeSlot(high, low, this.shift);
    for (;;) {
      const at = index * WORDS_PER_SLOT;
      let state = Atomics.load(slots, at);
      if (state === EMPTY) return undefined;
      if (state === BUSY) state = this.waitWhileBusy(at);
      if (slots[at + 1] === high && slots[at + 2] === low) return state - CLAIM_BASE;
      index = (index + 1) & mask;
    }
  }

  /** The claim of the entry in `slot` (a slot index returned by {@link claim}). */
  claimAt(slot: number): number {
    let state = Atomics.load(this.slots, slot * WORDS_PER_SLOT);
    if (state === BUSY) state = this.waitWhileBusy(slot * WORDS_PER_SLOT);
    return state - CLAIM_BASE;
  }

  /**
   * Moves the entries into a table of at least `capacity` slots (and at least the current one),
   * dropping entries whose claim is `dropFrom` or more (the unfinished part of an interrupted
   * level). Only when no other thread is using the set; they must then {@link use} the new
   * {@link sharedBuffer}. {@link beginGrowth} does the same in parts that threads move at once.
   */
  rehash(capacity: number, dropFrom = Number.POSITIVE_INFINITY): void {
    const growth = this.beginGrowth(capacity, dropFrom, 1);
    this.finishGrowth(growth, [moveEntries(growth, 0)]);
  }

  /**
   * The first step of a growth into a table of at least `capacity` slots (and at least the
   * current one) whose entries are moved in `parts` parts, by any threads, each with
   * {@link moveEntries}; then {@link finishGrowth}. No thread may insert from now until then.
   *
   * A table that grows within its buffer's room grows in place. Slot i's entries go to about
   * slot i * factor, above i, so the old slots from capacity / factor on go to slots past the old
   * table (the room, empty): those are the parts. The slots below are moved by finishGrowth, from
   * the top down, in steps whose region lies above the step's own old slots, over old slots
   * already moved (memory the table has touched already, cheap to write again).
   */
  beginGrowth(capacity: number, dropFrom: number, parts: number): TableGrowth {
    this.flush();
    const from = this.buffer;
    const fromCapacity = this.capacity;
    const toCapacity = roundCapacity(Math.max(capacity, fromCapacity));
    const inPlace = toCapacity > fromCapacity && tableBytes(toCapacity) <= from.byteLength;
    const to = inPlace ? from : allocate(toCapacity);
    const restBelow = inPlace ? fromCapacity / (toCapacity / fromCapacity) : 0;
    const bounds: number[] = [];
    for (let part = 0; part <= parts; part++) bounds.push(restBelow + Math.round(((fromCapacity - restBelow) * part) / parts));
    return { from, to, fromCapacity, toCapacity, dropFrom, bounds, restBelow };
  }

  /**
   * Ends a growth once every part is moved: moves the rest of a table that grows in place,
   * places what was left over, and switches to the new table.
   */
  finishGrowth(growth: TableGrowth, moved: readonly MovedEntries[]): void {
    if (growth.from !== this.buffer || capacityOf(growth.from) !== growth.fromCapacity) throw new Error('the set changed while it grew');
    const slots = slotsOf(growth.to);
    const mask = growth.toCapacity - 1;
    const shift = shiftFor(growth.toCapacity);
    let count = 0;
    const rest: number[] = [];
    const factor = growth.toCapacity / growth.fromCapacity;
    for (let end = growth.restBelow; end > 0; ) {
      // A step's region, from first * factor, lies above its own old slots (first * factor >= end).
      const first = end >= SMALL_REST_SLOTS ? Math.ceil(end / factor) : 0;
      if (first === 0) {
        // The last few: set aside, and their region emptied, for placing with the left-overs.
        for (let at = 0; at < end * WORDS_PER_SLOT; at += WORDS_PER_SLOT) {
          const state = slots[at]!;
          if (state !== EMPTY && state - CLAIM_BASE < growth.dropFrom) rest.push(state, slots[at + 1]!, slots[at + 2]!);
        }
        slots.fill(EMPTY, 0, end * factor * WORDS_PER_SLOT);
      } else {
        slots.fill(EMPTY, first * factor * WORDS_PER_SLOT, end * factor * WORDS_PER_SLOT);
        count += moveRange(growth, first, end, rest);
      }
      end = first;
    }
    for (const part of [...moved, { count: 0, leftOver: rest }]) {
      count += part.count;
      const left = part.leftOver;
      for (let at = 0; at < left.length; at += WORDS_PER_SLOT) {
        let index = homeSlot(left[at + 1]!, left[at + 2]!, shift);
        while (slots[index * WORDS_PER_SLOT] !== EMPTY) index = (index + 1) & mask;
        const to = index * WORDS_PER_SLOT;
        slots[to] = left[at]!;
        slots[to + 1] = left[at + 1]!;
        slots[to + 2] = left[at + 2]!;
        count++;
      }
    }
    const header = new Int32Array(growth.to, 0, HEADER_WORDS);
    header[COUNT] = count;
    header[CAPACITY] = growth.toCapacity;
    this.pending = 0;
    this.use(growth.to);
  }

  private insert(high: number, low: number, key: number, firstKey: number, grow: boolean): number {
    const slots = this.slots;
    const mask = this.mask;
    let index = homeSlot(high, low, this.shift);
    for (;;) {
      const at = index * WORDS_PER_SLOT;
      // The common case without atomics (they cost about as much as the cache miss): every word
      // of a slot goes from 0 to its final value once, so halves that both read non-zero are final.
      const slotHigh = slots[at + 1]!;
      const slotLow = slots[at + 2]!;
      if (slotHigh !== 0 && slotLow !== 0) {
        if (slotHigh === high && slotLow === low) {
          // A claim read without an atomic may be stale, but claims only decrease: if even this
          // one is below the level or not above ours, the current one is too.
          const state = slots[at]!;
          if (state >= UNCLAIMED_STATE && (state - CLAIM_BASE < firstKey || state - CLAIM_BASE <= key)) return NOT_CLAIMED;
          return this.lowerClaim(at, index, key, firstKey);
        }
        index = (index + 1) & mask;
        continue;
      }
      // The slot may be empty, being written, or hold a fingerprint with a zero half: look properly,
      // taking the slot at once if it is empty.
      if (this.knownCount + this.pending >= this.fullAt) {
        if (!grow || !this.growIfAlone()) return FULL;
        return this.insert(high, low, key, firstKey, grow);
      }
      // A set no other thread holds yet needs no atomics (they are most of the cost of an insert).
      const shared = this.shared;
      const state = shared ? Atomics.compareExchange(slots, at, EMPTY, BUSY) : slots[at]!;
      if (state === EMPTY) {
        slots[at + 1] = high;
        slots[at + 2] = low;
        if (shared) Atomics.store(slots, at, key + CLAIM_BASE);
        else slots[at] = key + CLAIM_BASE;
        if (++this.pending >= this.flushEvery) this.flush();
        if (grow && this.size > this.growAt) this.growIfAlone();
        this.lowered = false;
        return index;
      }
      if (state === BUSY) this.waitWhileBusy(at);
      if (Atomics.load(slots, at + 1) === high && Atomics.load(slots, at + 2) === low) return this.lowerClaim(at, index, key, firstKey);
      index = (index + 1) & mask;
    }
  }

  /** Makes `key` the claim of the (published) entry at `at` if it is of this level and lower. */
  private lowerClaim(at: number, index: number, key: number, firstKey: number): number {
    const slots = this.slots;
    let state = Atomics.load(slots, at);
    if (state === BUSY) state = this.waitWhileBusy(at);
    for (;;) {
      const current = state - CLAIM_BASE;
      if (current < firstKey || current <= key) return NOT_CLAIMED;
      const seen = Atomics.compareExchange(slots, at, state, key + CLAIM_BASE);
      if (seen === state) {
        this.lowered = true;
        return index;
      }
      state = seen;
    }
  }

  /**
   * Grows the table when this is its only user (growing under other threads would lose their
   * inserts): true when it grew. A set handed to other threads is never grown here.
   */
  private growIfAlone(): boolean {
    if (this.shared) return false;
    this.rehash(this.capacity * 2);
    return true;
  }

  private waitWhileBusy(at: number): number {
    let state = Atomics.load(this.slots, at);
    for (let spins = 0; state === BUSY; spins++) {
      // The writer is a few instructions from done unless it was descheduled: spin, then sleep.
      if (spins > 1000) Atomics.wait(this.header, SLEEP, 0, 0.05);
      state = Atomics.load(this.slots, at);
    }
    return state;
  }
}
