/**
 * A visited set of fingerprints in shared memory, for the parallel explorer: open addressing with
 * linear probing over a `SharedArrayBuffer`, safe for any number of threads inserting at once, in
 * 8 bytes a slot.
 *
 * A slot is two 32-bit words: a tag word, then the fingerprint's high half. The low half is not
 * stored as such: the probe starts at a home slot scaled from a 32-bit mix of both halves
 * (`mixOf`), and a slot keeps how far its entry lies past its home (the displacement, at most
 * {@link MAX_DISPLACEMENT}) and the mix's bits below those the home is scaled from (the
 * residual). Home and residual give the mix back, and the mix and the high half give the low
 * half: every entry is its whole 64-bit fingerprint, so the table tells states apart as the
 * sequential explorer's does. The tag word is 0 for an empty slot, 1 while a thread writes the
 * entry (taken with `Atomics.compareExchange`, so two threads never write the same slot), and
 * otherwise has its top bit set and holds the displacement, the residual and, in the bits a
 * table of this size leaves beside them, a claim.
 *
 * Claims let the parallel explorer reproduce the sequential breadth-first order exactly
 * ({@link claim}): during a level, a state found by several units keeps the smallest unit that
 * found it (`Atomics.compareExchange` lowers it), which holds the parent the sequential explorer
 * would have credited. A claim carries the parity of its level, and one of the other parity is
 * final (of the level before). The explorer {@link settle}s a claim as it expands the entry's
 * state, in the next level, so that none is left when the parity comes round again; a growth in a
 * level settles every claim it moves but those of the level's units not committed, which it
 * drops (a growth with no level moves claims as they are). So a claim need only tell apart the
 * units of one level, {@link claimLimit} of them, in the bits a table of 2^k slots leaves (k - 12).
 *
 * Capacities are 8 to 15 times a power of two, so that the explorer can size the table close to
 * what a level needs: a table it grows to 60% full for the states it expects holds them in 13.3
 * to 15 bytes a state, less what it overestimates (at powers of two, 13.3 to 26.7).
 *
 * The table cannot grow while threads insert: {@link claim} reports `FULL` instead, and the owner
 * grows it with {@link rehash} once no other thread is using it (or in parts that threads move at
 * once: {@link beginGrowth}), in place within its buffer's room or into a new buffer, then has
 * the other threads {@link use} the buffer again (their views read its capacity from its header).
 * Used by one thread alone through the {@link FingerprintSet} interface it grows by itself, like
 * {@link OpenAddressingFingerprintSet}.
 */
import { allocateWithRoom, type FingerprintSet, type OpenAddressingFingerprintSet } from './fingerprint-set.ts';
import { fmix32 } from './fingerprint.ts';

const EMPTY = 0;
const BUSY = 1;
/** The tag word of every entry has this bit (so it is negative, never EMPTY or BUSY). */
const PUBLISHED = 1 << 31;
/** Set in the tag word of an entry whose claim is not settled yet. */
const CLAIMED = 1 << 30;
/** The parity of the level (the depth of its states) a claim was made in. */
const PARITY = 1 << 29;
const CLAIM_FLAGS = CLAIMED | PARITY;
const DISPLACEMENT_SHIFT = 20;
/**
 * How far past its home an entry may lie. Linear probing from random homes displaced entries at
 * most 195 slots at 75% load and 577 at 85% in a table of 16 million slots (a simulation): a
 * claim that would go further reports the table full, which happens only near the 85% at which
 * it would anyway.
 */
const MAX_DISPLACEMENT = 511;
const DISPLACEMENT_UNIT = 1 << DISPLACEMENT_SHIFT;
const DISPLACEMENT_MASK = MAX_DISPLACEMENT << DISPLACEMENT_SHIFT;
/** Bits of the tag word below the displacement: the residual, and above it the claim. */
const FIELD_BITS = DISPLACEMENT_SHIFT;
/**
 * The smallest table: its residual takes 16 of the field's 20 bits, leaving a claim 4 bits (16
 * units a level; every doubling of the table gives it one more).
 */
const MIN_CAPACITY = 1 << 16;
/** The most slots a table can have: their words are indexed by 32-bit integers. */
const MAX_CAPACITY = 2 ** 30;
/** The claim of an entry with none ({@link SharedFingerprintSet.claimOf}), settled or added by {@link SharedFingerprintSet.addIfAbsent}. */
export const UNCLAIMED = -1;
/**
 * {@link SharedFingerprintSet.claimOf} adds this to a claim made at a level of parity 1; growths
 * carry claims in the same form. Above every key.
 */
export const PARITY_ONE = 2 ** 20;
/** {@link SharedFingerprintSet.claim}: the fingerprint was present, settled or with an equal or earlier claim. */
export const NOT_CLAIMED = -1;
/** {@link SharedFingerprintSet.claim}: the table is too full to insert; grow it and retry. */
export const FULL = -2;

/**
 * A visited set the parallel explorer's level expander claims successors in: the
 * {@link SharedFingerprintSet}, or a lone thread's SoloClaimingSet.
 */
export interface ClaimingSet extends FingerprintSet {
  /** See {@link SharedFingerprintSet.claim}. */
  claim(high: number, low: number, key: number): number;
  /** See {@link SharedFingerprintSet.settle}. */
  settle(slot: number, high: number, low: number): void;
  /** See {@link SharedFingerprintSet.parity}. */
  set parity(parity: number);
  /** See {@link SharedFingerprintSet.lowered}. */
  readonly lowered: boolean;
}

const WORDS_PER_SLOT = 2;
/** Header words before the slots: [count, capacity, always 0, spare]. */
const HEADER_WORDS = 4;
const COUNT = 0;
const CAPACITY = 1;
/** A header word that stays 0, for a thread that waits on a slot being written to sleep on. */
const SLEEP = 2;
/**
 * A table's buffer has room for this many times its slots, so that it grows in place (see
 * {@link SharedFingerprintSet.beginGrowth}): room never written is not resident (but is address
 * space: a system that limits it, with `ulimit -v` or strict overcommit, counts it), and a growth
 * touches fresh memory only for the slots it adds, where a new buffer would be fresh all through.
 * Fresh memory costs more to touch than the moving on this project's machine (4.3 ms a megabyte:
 * doubling 8M slots half full took 410 ms for the half past the old table, 80 ms for the rest, in
 * place). A table of 16 MB or more gets all the room it may have (see allocateWithRoom), so that
 * the growths of large runs stay in place too.
 */
const ROOM_FACTOR = 16;
/**
 * Below this many old slots, the last step of an in-place growth sets its entries aside and places
 * them anew: the steps shrink by the growth's factor each time and would never reach slot 0.
 */
const SMALL_REST_SLOTS = 64;
/** The fewest old slots a part of a growth moves (see beginGrowth). */
const MIN_PART_SLOTS = 1024;
const GROW_LOAD = 0.75;
/** Above this load {@link SharedFingerprintSet.claim} refuses to insert (linear probing degrades). */
const FULL_LOAD = 0.85;
const MIX = 0x9e3779b1 | 0;
/** copyOf sorts entries into this many ranges of mixes, each a few thousand slots of the table. */
const COPY_BUCKET_SHIFT = 22;
const COPY_BUCKETS = 2 ** (32 - COPY_BUCKET_SHIFT);

/**
 * The 32-bit mix of a fingerprint that home slots are scaled from. For a given high half it is a
 * bijection of the low half (fmix32 is one), so the high half and the mix are the fingerprint.
 * The finaliser spreads fingerprints that are not random (a model's own, or a test's counters):
 * entries may lie only MAX_DISPLACEMENT slots past their homes, and fingerprints one apart would
 * otherwise share homes in runs.
 */
function mixOf(high: number, low: number): number {
  return fmix32(low ^ Math.imul(high, MIX)) >>> 0;
}

/**
 * What a table's capacity fixes: capacity = mantissa * 2^exponent with a mantissa of 8 to 15, so
 * that a mix times `scale` (exact in a double: 36 bits) is its home, and the mix's low
 * `residualBits` bits with the home give the mix back.
 */
interface Shape {
  readonly capacity: number;
  readonly mantissa: number;
  readonly exponent: number;
  readonly scale: number;
  /** 2^32 / capacity: the first mix of home h is about h times this. */
  readonly mixesPerHome: number;
  readonly residualBits: number;
  readonly residualMask: number;
  readonly claimMask: number;
}

function shapeOf(capacity: number): Shape | undefined {
  if (!Number.isInteger(capacity) || capacity < MIN_CAPACITY || capacity > MAX_CAPACITY) return undefined;
  const log = 31 - Math.clz32(capacity);
  const exponent = log - 3;
  const mantissa = capacity / 2 ** exponent;
  if (!Number.isInteger(mantissa) || mantissa < 8 || mantissa > 15) return undefined;
  const residualBits = 32 - log;
  const claimBits = FIELD_BITS - residualBits;
  return {
    capacity,
    mantissa,
    exponent,
    scale: capacity / 4294967296,
    mixesPerHome: 4294967296 / capacity,
    residualBits,
    residualMask: (1 << residualBits) - 1,
    claimMask: (1 << claimBits) - 1,
  };
}

/** The next capacity up: the mantissa plus one (8 to 9, ..., 15 to 16, which is 8 times the next power). */
function nextCapacity(capacity: number): number {
  const shape = shapeOf(capacity)!;
  return (shape.mantissa + 1) * 2 ** shape.exponent;
}

function roundCapacity(requested: number): number {
  if (requested > MAX_CAPACITY) throw new RangeError(`the shared fingerprint set cannot have more than ${MAX_CAPACITY} slots`);
  let capacity = MIN_CAPACITY;
  while (capacity < requested) capacity = nextCapacity(capacity);
  return capacity;
}

/**
 * The mix of the entry whose home is `home` and residual `residual` (the low bits of the number)
 * in a table of `shape`. The mixes whose home is `home` start at ceil(home * 2^32 / capacity) and
 * span at most 2^residualBits of them. That start is an integer or at least a fifteenth from one
 * (2^32 / capacity is a power of two over a mantissa of 8 to 15), and the product below is off by
 * less than 2^-20, so the bias puts it on the right side.
 */
function mixFrom(home: number, residual: number, shape: Shape): number {
  const first = Math.ceil(home * shape.mixesPerHome - 1 / 1024);
  return first + ((residual - first) & shape.residualMask);
}

/**
 * The tag word of an entry at `displacement` past its home, with the mix `mix` and claim `claim`
 * (UNCLAIMED: none; a key, plus PARITY_ONE when made at a level of parity 1).
 */
function tagOf(mix: number, displacement: number, claim: number, shape: Shape): number {
  const tag = PUBLISHED | (displacement << DISPLACEMENT_SHIFT) | (mix & shape.residualMask);
  if (claim < 0) return tag;
  const flags = claim >= PARITY_ONE ? CLAIM_FLAGS : CLAIMED;
  return tag | flags | ((claim % PARITY_ONE) << shape.residualBits);
}

/** The claim in a tag word, in tagOf's form. */
function claimIn(tag: number, shape: Shape): number {
  const flags = tag & CLAIM_FLAGS;
  if (flags === 0) return UNCLAIMED;
  return ((tag >>> shape.residualBits) & shape.claimMask) + (flags === CLAIM_FLAGS ? PARITY_ONE : 0);
}

/**
 * The claim an entry moved by a growth keeps (UNCLAIMED: settled), or undefined when the growth
 * drops it: with no level given, every claim as it is; with a level, the claims of other levels,
 * and the level's below `dropFrom` (its committed units'), are final and settled, and the level's
 * others dropped.
 */
function claimAfterGrowth(claim: number, growth: TableGrowth): number | undefined {
  if (claim < 0 || growth.parity < 0) return claim;
  if ((claim >= PARITY_ONE ? 1 : 0) !== growth.parity) return UNCLAIMED;
  return claim % PARITY_ONE >= growth.dropFrom ? undefined : UNCLAIMED;
}

/** ceil(slot * to / from) for capacities `from` and `to` (exactly: the product stays within 2^53). */
function scaledSlot(slot: number, from: Shape, to: Shape): number {
  const shift = to.exponent - from.exponent;
  return shift >= 0
    ? Math.ceil((slot * to.mantissa * 2 ** shift) / from.mantissa)
    : Math.ceil((slot * to.mantissa) / (from.mantissa * 2 ** -shift));
}

/** The bytes of a table of `slots` slots, its header included. */
function tableBytes(slots: number): number {
  return (HEADER_WORDS + slots * WORDS_PER_SLOT) * 4;
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
 * Writes an entry at the first empty slot from its home (no thread may be inserting): the table
 * must have room for it within MAX_DISPLACEMENT, as a table filled to at most FULL_LOAD and grown
 * has by far.
 */
function place(slots: Int32Array, shape: Shape, mix: number, high: number, claim: number): void {
  let index = Math.floor(mix * shape.scale);
  let displacement = 0;
  while (slots[index * WORDS_PER_SLOT] !== EMPTY) {
    index = index + 1 === shape.capacity ? 0 : index + 1;
    if (++displacement > MAX_DISPLACEMENT) throw new Error('the shared fingerprint set found no slot near an entry\'s home');
  }
  slots[index * WORDS_PER_SLOT] = tagOf(mix, displacement, claim, shape);
  slots[index * WORDS_PER_SLOT + 1] = high;
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
  /**
   * The parity of the level being explored, or -1 to keep every claim as it is: with a level,
   * every claim is settled but the level's from `dropFrom` on, which are dropped (the unfinished
   * part of an interrupted level). See claimAfterGrowth.
   */
  readonly parity: number;
  readonly dropFrom: number;
  /** Part p moves the old table's slots from bounds[p] up to bounds[p + 1]. */
  readonly bounds: readonly number[];
  /**
   * `parts`: into a new buffer, each part at once. In place, each part first saves the old slots
   * at its start that the part below overwrites (`save`, into `saved[part]`), then, once every
   * part has, moves its own (`move`: the growth from {@link movingPhase}).
   */
  readonly phase: 'parts' | 'save' | 'move';
  readonly saved: readonly SharedArrayBuffer[];
}

/** The level a growth happens in ({@link SharedFingerprintSet.rehash}). */
export interface GrowthLevel {
  /** The parity of the level's claims. */
  readonly parity: number;
  /** The level's claims from this key on are dropped (its units not committed). */
  readonly dropFrom: number;
}

/** What {@link moveEntries} did with a part. */
export interface MovedEntries {
  /** Entries placed in the new table. */
  readonly count: number;
  /** Entries it could not place in its own region, as (mix, high, claim) triples, for {@link SharedFingerprintSet.finishGrowth}. */
  readonly leftOver: Float64Array;
}

/**
 * Moves one part of a growth: the entries of the old table's slots `bounds[part]` up to
 * `bounds[part + 1]`, into the same fraction of the new table. Homes are scaled from the mix, so
 * an entry's new home is in that region unless it was displaced into the part from before it (or
 * wrapped around from the table's end); such entries, and those whose probe would run past the
 * region's end, are left over for {@link SharedFingerprintSet.finishGrowth}. So each part writes
 * only its own region, and threads move parts at once with no atomics (each touches fresh memory
 * of its own, which costs more than the moving on this project's machine). Entries are read in
 * slot order and written in nearly the same order, not scattered.
 */
export function moveEntries(growth: TableGrowth, part: number): MovedEntries {
  const leftOver: number[] = [];
  const first = growth.bounds[part]!;
  const end = growth.bounds[part + 1]!;
  let count = 0;
  if (growth.phase === 'parts') {
    count = moveRange(growth, first, end, leftOver, NO_SAVED, 0);
  } else if (growth.phase === 'save') {
    const saved = new Int32Array(growth.saved[part]!);
    saved.set(slotsOf(growth.from).subarray(first * WORDS_PER_SLOT, first * WORDS_PER_SLOT + saved.length));
  } else {
    count = moveInPlace(growth, part, leftOver);
  }
  return { count, leftOver: Float64Array.from(leftOver) };
}

/** The growth's moving phase, once every part has saved what it must ({@link moveEntries}). */
export function movingPhase(growth: TableGrowth): TableGrowth {
  return { ...growth, phase: 'move' };
}

const NO_SAVED = new Int32Array(0);

/**
 * Moves part `part` of an in-place growth. Slot i's entries go to about slot i * factor, above
 * i, so the part moves its old slots from the top down, in steps whose region (from first *
 * factor) lies above the step's own old slots, over old slots already moved; the region of its
 * lowest step reaches into the part above, whose first slots that part saved before any part
 * moved, and reads its own first slots, which the part below overwrites, from what it saved. So
 * the parts move at once, each writing only its own region. The last few slots of the lowest part
 * are set aside and placed with the left-overs (the steps shrink by the growth's factor and would
 * never reach slot 0).
 */
function moveInPlace(growth: TableGrowth, part: number, leftOver: number[]): number {
  const from = shapeOf(growth.fromCapacity)!;
  const to = shapeOf(growth.toCapacity)!;
  const slots = slotsOf(growth.to);
  const start = growth.bounds[part]!;
  const saved = new Int32Array(growth.saved[part]!);
  let count = 0;
  for (let end = growth.bounds[part + 1]!; end > start; ) {
    if (start === 0 && end < SMALL_REST_SLOTS) {
      for (let slot = 0; slot < end; slot++) {
        const tag = slots[slot * WORDS_PER_SLOT]!;
        if (tag === EMPTY) continue;
        const claim = claimAfterGrowth(claimIn(tag, from), growth);
        if (claim === undefined) continue;
        leftOver.push(mixFrom(homeOf(slot, tag, from), tag, from), slots[slot * WORDS_PER_SLOT + 1]!, claim);
      }
      slots.fill(EMPTY, 0, scaledSlot(end, from, to) * WORDS_PER_SLOT);
      break;
    }
    // A step's region, from first * factor, lies above its own old slots (first * factor >= end).
    const first = Math.max(start, scaledSlot(end, to, from));
    slots.fill(EMPTY, scaledSlot(first, from, to) * WORDS_PER_SLOT, scaledSlot(end, from, to) * WORDS_PER_SLOT);
    count += moveRange(growth, first, end, leftOver, saved, start);
    end = first;
  }
  return count;
}

/** The home of the entry with tag `tag` in slot `slot` of a table of `shape`. */
function homeOf(slot: number, tag: number, shape: Shape): number {
  const home = slot - ((tag & DISPLACEMENT_MASK) >>> DISPLACEMENT_SHIFT);
  return home < 0 ? home + shape.capacity : home;
}

/**
 * Moves the entries of the old slots `first` up to `end` into the same fraction of the new table
 * (see {@link moveEntries}), pushing those it cannot place there onto `leftOver`; returns how many
 * it placed. The region must be empty, and must not overlap the old slots not moved yet.
 */
function moveRange(growth: TableGrowth, first: number, end: number, leftOver: number[], saved: Int32Array, savedStart: number): number {
  const old = slotsOf(growth.from);
  const savedEnd = savedStart + saved.length / WORDS_PER_SLOT;
  const slots = slotsOf(growth.to);
  const from = shapeOf(growth.fromCapacity)!;
  const to = shapeOf(growth.toCapacity)!;
  const regionStart = scaledSlot(first, from, to);
  const regionEnd = scaledSlot(end, from, to);
  const scale = to.scale;
  let count = 0;
  for (let slot = first; slot < end; slot++) {
    // Slots a part saved are read from what it saved (the part below may have overwritten them).
    const words = slot < savedEnd && slot >= savedStart ? saved : old;
    const at = (words === saved ? slot - savedStart : slot) * WORDS_PER_SLOT;
    const tag = words[at]!;
    if (tag === EMPTY) continue;
    // Most entries are settled: those take no call (claims are the last level's, a few percent).
    let claim = UNCLAIMED;
    if ((tag & CLAIM_FLAGS) !== 0) {
      const kept = claimAfterGrowth(claimIn(tag, from), growth);
      if (kept === undefined) continue;
      claim = kept;
    }
    const high = words[at + 1]!;
    const mix = mixFrom(homeOf(slot, tag, from), tag, from);
    let index = Math.floor(mix * scale);
    const newHome = index;
    if (index >= regionStart) {
      while (index < regionEnd && slots[index * WORDS_PER_SLOT] !== EMPTY) index++;
    }
    if (index < regionStart || index >= regionEnd || index - newHome > MAX_DISPLACEMENT) {
      leftOver.push(mix, high, claim);
      continue;
    }
    slots[index * WORDS_PER_SLOT] = tagOf(mix, index - newHome, claim, to);
    slots[index * WORDS_PER_SLOT + 1] = high;
    count++;
  }
  return count;
}

export class SharedFingerprintSet implements ClaimingSet {
  private buffer!: SharedArrayBuffer;
  private header!: Int32Array;
  private slots!: Int32Array;
  private shape!: Shape;
  private slotCount = 0;
  private scale = 0;
  private residualBits = 0;
  private residualMask = 0;
  private claimMask = 0;
  /** The bits of a tag word that say which entry it is (with the high half): published, displacement, residual. */
  private identityMask = 0;
  /** The claim flags of this thread's level: a claim with other flags is final (see {@link parity}). */
  private levelFlags = CLAIMED;
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
   * (another unit's claim was displaced), false when it inserted the fingerprint.
   */
  lowered = false;

  /**
   * A new, empty set with room for `initialCapacity` slots (rounded up to a capacity it can have,
   * 65,536 at least), or a view of an existing buffer (see {@link attach}).
   */
  constructor(initialCapacity = MIN_CAPACITY, buffer?: SharedArrayBuffer) {
    this.use(buffer ?? allocate(roundCapacity(initialCapacity)));
  }

  /**
   * A set of at least `capacity` slots (and enough for them) holding the fingerprints of `source`,
   * with no claim.
   */
  static copyOf(source: OpenAddressingFingerprintSet, capacity: number): SharedFingerprintSet {
    const set = new SharedFingerprintSet(Math.max(capacity, Math.ceil(source.size / GROW_LOAD) + 1));
    const pairs = source.inOrder();
    // Placed in about the order of their homes (a counting sort by the mix's top bits): in the
    // source's order the writes would be scattered over the table (900,000 entries: 76-96 ms in
    // that order, 44-70 ms sorted; the 12-byte set before session 26 took 29-36 ms, its source
    // already in the order of its homes).
    const count = source.size;
    const mixes = new Uint32Array(count);
    const highs = new Int32Array(count);
    const starts = new Int32Array(COPY_BUCKETS + 1);
    let taken = 0;
    for (let at = 0; at < pairs.length; at += 2) {
      const high = pairs[at]! | 0;
      const low = pairs[at + 1]! | 0;
      if ((high | low) === 0) continue;
      const mix = mixOf(high, low);
      mixes[taken] = mix;
      highs[taken++] = high;
      starts[(mix >>> COPY_BUCKET_SHIFT) + 1]!++;
    }
    for (let bucket = 0; bucket < COPY_BUCKETS; bucket++) starts[bucket + 1]! += starts[bucket]!;
    const sortedMixes = new Uint32Array(taken);
    const sortedHighs = new Int32Array(taken);
    for (let i = 0; i < taken; i++) {
      const to = starts[mixes[i]! >>> COPY_BUCKET_SHIFT]!++;
      sortedMixes[to] = mixes[i]!;
      sortedHighs[to] = highs[i]!;
    }
    const slots = set.slots;
    const shape = set.shape;
    for (let i = 0; i < taken; i++) place(slots, shape, sortedMixes[i]!, sortedHighs[i]!, UNCLAIMED);
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
    const header = new Int32Array(buffer, 0, HEADER_WORDS);
    const capacity = header[CAPACITY]!;
    const shape = shapeOf(capacity);
    if (!shape || tableBytes(capacity) > buffer.byteLength) throw new RangeError('not the buffer of a SharedFingerprintSet');
    this.buffer = buffer;
    this.header = header;
    this.shape = shape;
    this.slots = new Int32Array(buffer, HEADER_WORDS * 4, capacity * WORDS_PER_SLOT);
    this.slotCount = capacity;
    this.scale = shape.scale;
    this.residualBits = shape.residualBits;
    this.residualMask = shape.residualMask;
    this.claimMask = shape.claimMask;
    this.identityMask = PUBLISHED | DISPLACEMENT_MASK | shape.residualMask;
    this.growAt = Math.floor(capacity * GROW_LOAD);
    this.fullAt = Math.floor(capacity * FULL_LOAD);
    // The shared count may lag by up to flushEvery inserts per thread; keep that well inside the
    // margin between FULL_LOAD and a full table.
    this.flushEvery = Math.max(1, Math.min(256, capacity >> 10));
    this.knownCount = Atomics.load(header, COUNT);
  }

  get capacity(): number {
    return this.slotCount;
  }

  /**
   * The parity of the level this thread claims in (the depth of the states it finds). A claim
   * made at the other parity is of the level before, and final: the explorer settles those as it
   * expands their states ({@link settle}), before the parity comes round again.
   */
  set parity(parity: number) {
    this.levelFlags = parity === 0 ? CLAIMED : CLAIM_FLAGS;
  }

  /** The most slots a set can have. */
  static readonly maxCapacity = MAX_CAPACITY;

  /** Units a level can tell apart by their claims ({@link claim}'s keys are below this). */
  get claimLimit(): number {
    return this.claimMask + 1;
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
    if (!inPlace) return toCapacity * WORDS_PER_SLOT * 4;
    // The parts' copies of the slots the parts below overwrite: at most (factor - 1) times the
    // table, and never more than all of it (see beginGrowth).
    const saved = Math.min(toCapacity - this.capacity, this.capacity);
    return (toCapacity - this.capacity + saved) * WORDS_PER_SLOT * 4;
  }

  /**
   * Adds the fingerprint with no claim; true when it was not there before. Safe to call from
   * several threads at once. A set used by one thread grows as it fills; a set shared with other
   * threads must be sized by its owner ({@link rehash}) before they insert, and throws when full.
   */
  addIfAbsent(high: number, low: number): boolean {
    const result = this.insert(high | 0, low | 0, UNCLAIMED, !this.shared);
    if (result === FULL) throw new RangeError('the shared fingerprint set is full');
    return result >= 0;
  }

  has(high: number, low: number): boolean {
    return this.find(high | 0, low | 0) >= 0;
  }

  /**
   * The parallel explorer's insert: `key` is the unit (of the level, since the table was shared)
   * that found the fingerprint, below {@link claimLimit}. Makes `key` the fingerprint's claim when
   * the fingerprint is absent, or present with a claim greater than `key` (found by a later unit).
   * Returns the slot index when this call made `key` the claim, {@link NOT_CLAIMED} when the
   * fingerprint is present settled, claimed at the other parity (the level before) or with a
   * claim not above `key`, and {@link FULL} (inserting nothing) when the table is too full.
   *
   * Claims only ever decrease during a level, until the explorer settles them ({@link settle}).
   * The halves are signed 32-bit integers (`| 0`).
   */
  claim(high: number, low: number, key: number): number {
    // The common case, small enough to be inlined into the explorer's loop: the fingerprint is
    // there, in a slot that reads published with a non-zero high half (see insert). Anything else
    // takes insert, which also reports the table full past MAX_DISPLACEMENT (where the identity's
    // displacement carries into the PARITY bit).
    const slots = this.slots;
    const mix = mixOf(high, low);
    let index = Math.floor(mix * this.scale);
    let identity = PUBLISHED | (mix & this.residualMask);
    for (;;) {
      const at = index * WORDS_PER_SLOT;
      const tag = slots[at]!;
      if (tag >= 0) break;
      if ((tag & this.identityMask) === identity && slots[at + 1] === high && high !== 0) {
        if ((tag & CLAIM_FLAGS) !== this.levelFlags || ((tag >>> this.residualBits) & this.claimMask) <= key) return NOT_CLAIMED;
        return this.lowerClaim(at, index, key);
      }
      if (++index === this.slotCount) index = 0;
      identity = (identity + DISPLACEMENT_UNIT) | 0;
      if ((identity & PARITY) !== 0) break;
    }
    return this.insert(high, low, key, false);
  }

  /**
   * Makes the claim on the fingerprint's entry in `slot` (a slot index returned by {@link claim},
   * at the level before this thread's, with no growth since) settled, so that the level after
   * this one, of the same parity, does not take it for one of its own. Called as a thread
   * expands the entry's state: a claim of the level before is final, and no thread writes it.
   * The settled tag follows from the fingerprint and the slot, so it is written without reading
   * the slot (a store the processor need not wait for).
   */
  settle(slot: number, high: number, low: number): void {
    const mix = mixOf(high | 0, low | 0);
    const home = Math.floor(mix * this.scale);
    const displacement = slot >= home ? slot - home : slot + this.slotCount - home;
    // A slot this far from the home cannot hold the entry (it is stale: the table grew since).
    if (displacement > MAX_DISPLACEMENT) throw new Error(`settle: slot ${slot} cannot hold the entry whose home is ${home}`);
    this.slots[slot * WORDS_PER_SLOT] = tagOf(mix, displacement, UNCLAIMED, this.shape);
  }

  /**
   * The claim of the fingerprint's entry ({@link PARITY_ONE} added when made at a level of parity
   * 1), {@link UNCLAIMED} when settled, or undefined when it is absent.
   */
  claimOf(high: number, low: number): number | undefined {
    const slot = this.find(high | 0, low | 0);
    return slot < 0 ? undefined : this.claimAt(slot);
  }

  /** The claim of the entry in `slot` (a slot index returned by {@link claim}), as {@link claimOf} gives it. */
  claimAt(slot: number): number {
    let tag = Atomics.load(this.slots, slot * WORDS_PER_SLOT);
    if (tag === BUSY) tag = this.waitWhileBusy(slot * WORDS_PER_SLOT);
    return claimIn(tag, this.shape);
  }

  /**
   * Moves the entries into a table of at least `capacity` slots (and at least the current one).
   * Given the level being explored, it settles every claim but the level's from key `dropFrom` on,
   * which it drops (the unfinished part of an interrupted level); otherwise claims move as they
   * are. Only when no other thread is using the set; they must then {@link use} the new
   * {@link sharedBuffer}. {@link beginGrowth} does the same in parts that threads move at once.
   */
  rehash(capacity: number, level?: GrowthLevel): void {
    const growth = this.beginGrowth(capacity, level, 1);
    if (growth.phase === 'save') moveEntries(growth, 0);
    this.finishGrowth(growth, [moveEntries(growth.phase === 'save' ? movingPhase(growth) : growth, 0)]);
  }

  /**
   * The first step of a growth into a table of at least `capacity` slots (and at least the
   * current one) whose entries are moved in `parts` parts of the old table, by any threads, each
   * with {@link moveEntries}; then {@link finishGrowth}. No thread may insert from now until then.
   *
   * A table that grows within its buffer's room grows in place (memory it has touched already is
   * cheap to write again), in two phases: every part saves its first slots, which the part below
   * will overwrite, and then, with the growth from {@link movingPhase}, moves its slots (see
   * moveInPlace). Until session 26 the parts moved only the old slots whose region lay past the old
   * table, and the main thread the rest, alone: with growths by an eighth, most of the table.
   */
  beginGrowth(capacity: number, level: GrowthLevel | undefined, parts: number): TableGrowth {
    this.flush();
    const from = this.buffer;
    const fromCapacity = this.capacity;
    const toCapacity = roundCapacity(Math.max(capacity, fromCapacity));
    const inPlace = toCapacity > fromCapacity && tableBytes(toCapacity) <= from.byteLength;
    const to = inPlace ? from : allocate(toCapacity);
    const bounds: number[] = [];
    // Parts of at least MIN_PART_SLOTS: a step of a part moves down by a factor of its end, and a
    // part much smaller than factor / (factor - 1) slots would make no step at all.
    parts = Math.max(1, Math.min(parts, Math.floor(fromCapacity / MIN_PART_SLOTS)));
    for (let part = 0; part <= parts; part++) bounds.push(Math.round((fromCapacity * part) / parts));
    const saved: SharedArrayBuffer[] = [];
    if (inPlace) {
      const fromShape = this.shape;
      const toShape = shapeOf(toCapacity)!;
      for (let part = 0; part < parts; part++) {
        // The part below writes up to bounds[part] * factor: those of this part's slots it overwrites.
        const overwritten = Math.min(scaledSlot(bounds[part]!, fromShape, toShape), bounds[part + 1]!) - bounds[part]!;
        saved.push(new SharedArrayBuffer(Math.max(0, overwritten) * WORDS_PER_SLOT * 4));
      }
    }
    const parity = level?.parity ?? -1;
    const dropFrom = level?.dropFrom ?? Number.POSITIVE_INFINITY;
    return { from, to, fromCapacity, toCapacity, parity, dropFrom, bounds, phase: inPlace ? 'save' : 'parts', saved };
  }

  /**
   * Ends a growth once every part is moved: places what the parts left over, and switches to the
   * new table.
   */
  finishGrowth(growth: TableGrowth, moved: readonly MovedEntries[]): void {
    if (growth.from !== this.buffer || capacityOf(growth.from) !== growth.fromCapacity) throw new Error('the set changed while it grew');
    const slots = slotsOf(growth.to);
    const to = shapeOf(growth.toCapacity)!;
    let count = 0;
    for (const part of moved) {
      count += part.count;
      const left = part.leftOver;
      for (let at = 0; at < left.length; at += 3) {
        place(slots, to, left[at]!, left[at + 1]!, left[at + 2]!);
        count++;
      }
    }
    const header = new Int32Array(growth.to, 0, HEADER_WORDS);
    header[COUNT] = count;
    header[CAPACITY] = growth.toCapacity;
    this.pending = 0;
    this.use(growth.to);
  }

  /** The slot of the fingerprint's entry, or -1 when it is absent. */
  private find(high: number, low: number): number {
    const slots = this.slots;
    const capacity = this.slotCount;
    const mix = mixOf(high, low);
    let index = Math.floor(mix * this.scale);
    let identity = PUBLISHED | (mix & this.residualMask);
    for (let displacement = 0; displacement <= MAX_DISPLACEMENT; displacement++) {
      const at = index * WORDS_PER_SLOT;
      let tag = slots[at]!;
      if (tag >= 0) {
        tag = Atomics.load(slots, at);
        if (tag === EMPTY) return -1;
        if (tag === BUSY) tag = this.waitWhileBusy(at);
      }
      if ((tag & this.identityMask) === identity && this.highAt(at) === high) return index;
      index = index + 1 === capacity ? 0 : index + 1;
      identity = (identity + DISPLACEMENT_UNIT) | 0;
    }
    return -1;
  }

  /** Inserts with claim `key` (UNCLAIMED: none, as settled), or finds the entry; see {@link claim}. */
  private insert(high: number, low: number, key: number, grow: boolean): number {
    if (key > this.claimMask) throw new RangeError(`claim ${key} is outside 0..${this.claimMask}`);
    const slots = this.slots;
    const capacity = this.slotCount;
    const mix = mixOf(high, low);
    let index = Math.floor(mix * this.scale);
    let identity = PUBLISHED | (mix & this.residualMask);
    for (let displacement = 0; ; displacement++) {
      if (displacement > MAX_DISPLACEMENT) {
        if (!grow || !this.growIfAlone()) return FULL;
        return this.insert(high, low, key, grow);
      }
      const at = index * WORDS_PER_SLOT;
      let tag = slots[at]!;
      if (tag >= 0) {
        // Empty, being written, or read stale: look properly, taking the slot at once if it is empty.
        if (this.knownCount + this.pending >= this.fullAt) {
          if (!grow || !this.growIfAlone()) return FULL;
          return this.insert(high, low, key, grow);
        }
        // A set no other thread holds yet needs no atomics (they are most of the cost of an insert).
        const shared = this.shared;
        tag = shared ? Atomics.compareExchange(slots, at, EMPTY, BUSY) : tag;
        if (tag === EMPTY) {
          slots[at + 1] = high;
          const final = key < 0 ? identity : identity | this.levelFlags | (key << this.residualBits);
          if (shared) Atomics.store(slots, at, final);
          else slots[at] = final;
          if (++this.pending >= this.flushEvery) this.flush();
          if (grow && this.size > this.growAt) this.growIfAlone();
          this.lowered = false;
          return index;
        }
        if (tag === BUSY) tag = this.waitWhileBusy(at);
      }
      if ((tag & this.identityMask) === identity && this.highAt(at) === high) return key < 0 ? NOT_CLAIMED : this.lowerClaim(at, index, key);
      index = index + 1 === capacity ? 0 : index + 1;
      identity = (identity + DISPLACEMENT_UNIT) | 0;
    }
  }

  /**
   * The high half of the published entry whose tag word is at `at`. Written before the tag was
   * published, it is final once read non-zero; a zero may be stale, so it is read again after an
   * atomic read of the tag.
   */
  private highAt(at: number): number {
    const high = this.slots[at + 1]!;
    if (high !== 0) return high;
    Atomics.load(this.slots, at);
    return Atomics.load(this.slots, at + 1);
  }

  /** Makes `key` the claim of the (published) entry at `at` if it has a claim and a greater one. */
  private lowerClaim(at: number, index: number, key: number): number {
    if (key > this.claimMask || key < 0) throw new RangeError(`claim ${key} is outside 0..${this.claimMask}`);
    const slots = this.slots;
    const shift = this.residualBits;
    const mask = this.claimMask;
    let tag = Atomics.load(slots, at);
    for (;;) {
      if ((tag & CLAIM_FLAGS) !== this.levelFlags || ((tag >>> shift) & mask) <= key) return NOT_CLAIMED;
      const seen = Atomics.compareExchange(slots, at, tag, (tag & ~(mask << shift)) | (key << shift));
      if (seen === tag) {
        this.lowered = true;
        return index;
      }
      tag = seen;
    }
  }

  /**
   * Grows the table when this is its only user (growing under other threads would lose their
   * inserts): true when it grew. A set handed to other threads is never grown here.
   */
  private growIfAlone(): boolean {
    if (this.shared) return false;
    this.rehash(this.capacity * 1.25);
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
