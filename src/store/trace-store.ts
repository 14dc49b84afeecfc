/**
 * The trace store: for every distinct state, in discovery order, the record of its parent and the
 * index of the action that led to it (for an initial state: no parent, and its index among the
 * initial states). Six bytes a state. Counterexamples are rebuilt from this by replay.
 */

export const NO_PARENT = -1;
const MAX_ACTION_INDEX = 0xffff;

export interface ReplayPath {
  /** Index into the model's initial states. */
  readonly initial: number;
  /** At each step, the index of the action taken among the actions the model pushed. */
  readonly actions: readonly number[];
}

export class TraceStore {
  private parents: Int32Array;
  private actionIndices: Uint16Array;
  private count = 0;

  constructor(initialCapacity = 1 << 16) {
    const capacity = Math.max(16, initialCapacity);
    this.parents = new Int32Array(capacity);
    this.actionIndices = new Uint16Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Appends a record and returns its index. */
  add(parent: number, actionIndex: number): number {
    if (actionIndex > MAX_ACTION_INDEX) {
      throw new RangeError(`a state has more than ${MAX_ACTION_INDEX + 1} actions; the trace store cannot record it`);
    }
    if (this.count === this.parents.length) this.grow();
    this.parents[this.count] = parent;
    this.actionIndices[this.count] = actionIndex;
    return this.count++;
  }

  parentOf(record: number): number {
    return this.parents[record]!;
  }

  /** The initial-state index and action indices that lead to `record`. */
  pathTo(record: number): ReplayPath {
    const actions: number[] = [];
    let current = record;
    while (this.parents[current] !== NO_PARENT) {
      actions.push(this.actionIndices[current]!);
      current = this.parents[current]!;
    }
    actions.reverse();
    return { initial: this.actionIndices[current]!, actions };
  }

  approximateBytes(): number {
    return this.parents.byteLength + this.actionIndices.byteLength;
  }

  private grow(): void {
    const parents = new Int32Array(this.parents.length * 2);
    parents.set(this.parents);
    const actionIndices = new Uint16Array(this.actionIndices.length * 2);
    actionIndices.set(this.actionIndices);
    this.parents = parents;
    this.actionIndices = actionIndices;
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
