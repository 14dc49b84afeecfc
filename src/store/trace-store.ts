/**
 * The trace store: for every distinct state, in discovery order, the record of its parent and the
 * index of the action that led to it (for an initial state: no parent, and its index among the
 * initial states). Counterexamples are rebuilt from this by replay.
 *
 * It leans on the order breadth-first search discovers states in. States are expanded in record
 * order, so the parents of successive records never decrease: the store keeps, per record, only
 * how far its parent is past the previous record's parent (almost always 0, 1 or a few), in one
 * byte, and the action index in one byte. A parent is the sum of those steps, summed from a
 * checkpoint kept every 256 records. Two bytes a state; the rare step or action index that does
 * not fit in a byte goes to a side list, searched by binary search because records only grow.
 */

import { allocateWithRoom } from './fingerprint-set.ts';

export const NO_PARENT = -1;

export interface ReplayPath {
  /** Index into the model's initial states. */
  readonly initial: number;
  /** At each step, the index of the action taken among the actions the model pushed. */
  readonly actions: readonly number[];
}

/** A byte that says "the value is in the side list". */
const ESCAPE = 0xff;
/**
 * Every 256th record, not every 4,096th: the path that writes a checkpoint then runs again soon
 * after the start, before V8 optimises `add` (see OpenAddressingFingerprintSet's constructor), and
 * a parent costs at most 255 steps to sum. The checkpoints cost 0.016 bytes a state.
 */
const CHECKPOINT_SHIFT = 8;

/** Record-indexed values too large for a byte, appended in increasing record order. */
class Overflow {
  private records = new Int32Array(16);
  private values = new Int32Array(16);
  private count = 0;

  add(record: number, value: number): void {
    if (this.count === this.records.length) {
      this.records = grown(this.records, this.count * 2);
      this.values = grown(this.values, this.count * 2);
    }
    this.records[this.count] = record;
    this.values[this.count++] = value;
  }

  get(record: number): number {
    let low = 0;
    let high = this.count - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const at = this.records[middle]!;
      if (at === record) return this.values[middle]!;
      if (at < record) low = middle + 1;
      else high = middle - 1;
    }
    throw new Error(`trace store: no overflow entry for record ${record}`);
  }

  bytes(): number {
    return this.records.byteLength + this.values.byteLength;
  }
}

/**
 * The per-record byte arrays grow in place, within room they reserved (address space, not resident
 * until written; see allocateWithRoom), by an eighth at a time: doubling by copying took 0.26 s of
 * the main thread on classic Paxos 3/2/2 with two workers, and left the arrays up to half empty
 * (3 bytes a state at 22 million states where 2 are used).
 */
const BYTES_ROOM_FACTOR = 16;

/** `array` lengthened to `length` (zeros added): a wider view of its buffer, or a copy once the room runs out. */
function lengthened(array: Uint8Array, length: number): Uint8Array {
  if (array.byteOffset + length <= array.buffer.byteLength) return new Uint8Array(array.buffer, array.byteOffset, length);
  const next = allocateWithRoom(length, BYTES_ROOM_FACTOR, (bytes) => new Uint8Array(bytes)).subarray(0, length);
  next.set(array);
  return next;
}

function grown<T extends Int32Array | Uint8Array>(array: T, capacity: number): T {
  const next = new (array.constructor as new (length: number) => T)(Math.max(16, capacity));
  next.set(array);
  return next;
}

export class TraceStore {
  /** Per record: its parent minus the previous record's parent (ESCAPE: see parentSteps). */
  private steps: Uint8Array;
  /** Per record: the action index (ESCAPE: see largeActions). */
  private actionIndices: Uint8Array;
  /** The parent of every 256th record. */
  private checkpoints: Int32Array;
  private readonly parentSteps = new Overflow();
  private readonly largeActions = new Overflow();
  private count = 0;
  private initialCount = 0;
  private lastParent = 0;

  /** Small by default, as the fingerprint set is (see its constructor). */
  constructor(initialCapacity = 1 << 8) {
    const capacity = Math.max(16, initialCapacity);
    this.steps = lengthened(new Uint8Array(0), capacity);
    this.actionIndices = lengthened(new Uint8Array(0), capacity);
    this.checkpoints = new Int32Array(Math.max(16, (capacity >> CHECKPOINT_SHIFT) + 1));
  }

  get size(): number {
    return this.count;
  }

  /**
   * Appends a record and returns its index. Initial states come first; after them, parents must
   * not decrease (as in breadth-first order) and must be records already added.
   */
  add(parent: number, actionIndex: number): number {
    const record = this.count;
    if (!Number.isInteger(actionIndex) || actionIndex < 0) throw new RangeError(`trace store: action index ${actionIndex}`);
    if (record === this.steps.length) this.grow();
    if (parent === NO_PARENT) {
      if (record !== this.initialCount) throw new Error('trace store: initial states must be added before any other');
      this.initialCount++;
      this.steps[record] = 0;
    } else {
      if (!(parent >= this.lastParent && parent < record)) {
        throw new Error(`trace store: parent ${parent} of record ${record} is out of breadth-first order`);
      }
      const step = parent - this.lastParent;
      if (step < ESCAPE) {
        this.steps[record] = step;
      } else {
        this.steps[record] = ESCAPE;
        this.parentSteps.add(record, step);
      }
      this.lastParent = parent;
    }
    if (actionIndex < ESCAPE) {
      this.actionIndices[record] = actionIndex;
    } else {
      this.actionIndices[record] = ESCAPE;
      this.largeActions.add(record, actionIndex);
    }
    if ((record & ((1 << CHECKPOINT_SHIFT) - 1)) === 0) {
      this.checkpoints[record >> CHECKPOINT_SHIFT] = parent === NO_PARENT ? 0 : parent;
    }
    this.count++;
    return record;
  }

  parentOf(record: number): number {
    if (record < this.initialCount) return NO_PARENT;
    const base = record >> CHECKPOINT_SHIFT << CHECKPOINT_SHIFT;
    let parent = this.checkpoints[record >> CHECKPOINT_SHIFT]!;
    // The checkpoint holds the parent of `base`; the steps after it add up to this record's.
    for (let at = Math.max(base + 1, this.initialCount); at <= record; at++) {
      const step = this.steps[at]!;
      parent += step === ESCAPE ? this.parentSteps.get(at) : step;
    }
    return parent;
  }

  actionIndexOf(record: number): number {
    const index = this.actionIndices[record]!;
    return index === ESCAPE ? this.largeActions.get(record) : index;
  }

  /** The initial-state index and action indices that lead to `record`. */
  pathTo(record: number): ReplayPath {
    const actions: number[] = [];
    let current = record;
    for (let parent = this.parentOf(current); parent !== NO_PARENT; parent = this.parentOf(current)) {
      actions.push(this.actionIndexOf(current));
      current = parent;
    }
    actions.reverse();
    return { initial: this.actionIndexOf(current), actions };
  }

  approximateBytes(): number {
    return (
      this.steps.byteLength +
      this.actionIndices.byteLength +
      this.checkpoints.byteLength +
      this.parentSteps.bytes() +
      this.largeActions.bytes()
    );
  }

  private grow(): void {
    const length = this.steps.length + Math.max(this.steps.length >> 3, 16);
    this.steps = lengthened(this.steps, length);
    this.actionIndices = lengthened(this.actionIndices, length);
    // Room for every checkpoint the records fit for: `add` then never grows them (see the constructor).
    const checkpoints = (this.steps.length >> CHECKPOINT_SHIFT) + 1;
    if (checkpoints > this.checkpoints.length) this.checkpoints = grown(this.checkpoints, checkpoints);
  }
}

/** The simulated run a path was found by: its seed and run number. */
export interface WalkOrigin {
  readonly seed: number;
  readonly run: number;
}

/**
 * The replay token printed with a counterexample: `initial/action/action/...`, the indices of the
 * choices made. A path found by random simulation names its walk first: `seed42-run17:0/3/1`.
 */
export function formatReplayToken(path: ReplayPath, origin?: WalkOrigin): string {
  const choices = [path.initial, ...path.actions].join('/');
  return origin ? `seed${origin.seed}-run${origin.run}:${choices}` : choices;
}

/** Parses a replay token (the walk a simulated one names is not needed to replay it); undefined when it is not one. */
export function parseReplayToken(token: string): ReplayPath | undefined {
  const match = /^(?:seed\d+-run\d+:)?(\d+(?:\/\d+)*)$/.exec(token.trim());
  if (!match) return undefined;
  const [initial, ...actions] = match[1]!.split('/').map(Number);
  return { initial: initial!, actions };
}
