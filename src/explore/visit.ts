/**
 * The step every explorer takes when it expands a state: check the properties, remember witnesses,
 * decide whether to stop; and what it does instead at the depth limit (probe the state). Shared so
 * that the explorers' semantics cannot drift apart.
 */
import { ThrownIn, thrownWithPlace } from '../thrown.ts';
import { SuccessorFingerprints, type Model, type Property, type WordWriter } from '../model.ts';
import { fingerprintsItself, type Fingerprinter } from '../store/fingerprint.ts';
import type { FingerprintSet } from '../store/fingerprint-set.ts';
import type { FingerprintAudit } from './audit.ts';
import { ContractBreach } from './contract-breach.ts';
import type { ContractCheck } from './contract-check.ts';
import type { IncompleteReason, ModelError, PropertyOutcome, Violation } from './result.ts';
import { NO_PARENT, type ReplayPath, type TraceStore } from '../store/trace-store.ts';
import { formatAction, replayPath, type TraceStep } from '../trace/replay.ts';
import type { StateQueue } from '../store/state-queue.ts';

/**
 * A property whose `holds` returned something other than true or false: a bug in the spec, not a
 * violation (read as false, `undefined` from a missing `return` would report the protocol broken).
 */
export function notBoolean<State>(property: Property<State>, value: unknown): Error {
  const shown = typeof value === 'string' ? `'${value}'` : String(value);
  return new Error(`property '${property.name}' returned ${shown}, not true or false`);
}

/**
 * The message of an error the model threw, as a run reports it. A state, local state or message
 * the model was handed is frozen (the actors layer interns them), so changing it in place throws
 * a TypeError that names neither the rule nor the remedy: the reason says both.
 */
export function reasonOf(thrown: unknown): string {
  const message = thrownWithPlace(thrown);
  if ((thrown instanceof ThrownIn ? thrown.thrown : thrown) instanceof TypeError && /object is not extensible|read only property|Cannot delete property/.test(message)) {
    return `${message} (states are immutable: nextState, or a handler through context.update, gives a new state instead of changing the one it was given)`;
  }
  return message;
}

export class PropertyChecker<State> {
  private readonly always: Property<State>[];
  private readonly terminal: Property<State>[];
  private readonly sometimes: Property<State>[];
  /** Record index of the first witness of each sometimes property, or -1. */
  private readonly witnessRecords: number[];
  private unwitnessed: number;
  /** The first violation found: property and record. */
  violated: Property<State> | undefined;
  violatingRecord = -1;

  constructor(readonly properties: readonly Property<State>[]) {
    this.always = properties.filter((property) => property.kind === 'always');
    this.terminal = properties.filter((property) => property.kind === 'terminal');
    this.sometimes = properties.filter((property) => property.kind === 'sometimes');
    this.witnessRecords = this.sometimes.map(() => -1);
    this.unwitnessed = this.sometimes.length;
  }

  /** Sometimes properties not witnessed yet. */
  get unwitnessedCount(): number {
    return this.unwitnessed;
  }

  get hasTerminalChecks(): boolean {
    return this.terminal.length > 0;
  }

  /**
   * True once no further state can change the verdict: every property checked is a sometimes
   * property and each has been witnessed. The explorers then stop (see `CheckResult.settledEarly`).
   */
  get settled(): boolean {
    return this.unwitnessed === 0 && this.always.length === 0 && this.terminal.length === 0 && this.sometimes.length > 0;
  }

  /** Checks a state (once, in the order states were found); true when an `always` property fails (stop exploring). */
  checkNew(state: State, record: number): boolean {
    const always = this.always;
    for (let i = 0; i < always.length; i++) {
      const holds = always[i]!.holds(state);
      if (holds !== true) {
        if (holds !== false) throw notBoolean(always[i]!, holds);
        this.violated = always[i];
        this.violatingRecord = record;
        return true;
      }
    }
    if (this.unwitnessed > 0) {
      const sometimes = this.sometimes;
      for (let i = 0; i < sometimes.length; i++) {
        if (this.witnessRecords[i] !== -1) continue;
        const holds = sometimes[i]!.holds(state);
        if (holds === true) {
          this.witnessRecords[i] = record;
          this.unwitnessed--;
        } else if (holds !== false) {
          throw notBoolean(sometimes[i]!, holds);
        }
      }
    }
    return false;
  }

  /** Checks a terminal state (no successor but itself); true when a terminal property fails. */
  checkTerminal(state: State, record: number): boolean {
    const terminal = this.terminal;
    for (let i = 0; i < terminal.length; i++) {
      const holds = terminal[i]!.holds(state);
      if (holds !== true) {
        if (holds !== false) throw notBoolean(terminal[i]!, holds);
        this.violated = terminal[i];
        this.violatingRecord = record;
        return true;
      }
    }
    return false;
  }

  /** The outcome of each property, in declaration order. */
  outcomes(pathTo: (record: number) => ReplayPath): PropertyOutcome[] {
    return this.properties.map((property) => {
      if (property.kind === 'sometimes') {
        const record = this.witnessRecords[this.sometimes.indexOf(property)]!;
        const witnessed = record !== -1;
        return witnessed
          ? { name: property.name, kind: property.kind, holds: true, witnessed, witness: pathTo(record) }
          : { name: property.name, kind: property.kind, holds: false, witnessed };
      }
      const holds = this.violated !== property;
      return { name: property.name, kind: property.kind, holds, witnessed: holds };
    });
  }

  /** The violation to report: a failed always/terminal property, else an unwitnessed sometimes. */
  violation(pathTo: (record: number) => ReplayPath, complete: boolean): Violation | undefined {
    if (this.violated) {
      return { property: this.violated.name, kind: this.violated.kind, path: pathTo(this.violatingRecord) };
    }
    if (!complete) return undefined;
    const index = this.witnessRecords.indexOf(-1);
    if (index === -1) return undefined;
    return { property: this.sometimes[index]!.name, kind: 'sometimes' };
  }
}

/**
 * The error every explorer reports when the model throws, worded the same way by each: where it
 * happened (building the initial states, or decoding or expanding a state at `depth`), in which
 * action, and the path to the state being expanded (`record`; -1 for the initial states), and to
 * the state the error arose at (`checked`, the state whose check threw, or else `record`).
 */
export function modelThrew(
  reason: string,
  actionText: string | undefined,
  where: { readonly record: number; readonly depth: number; readonly decoding: boolean; readonly checking?: boolean; readonly checked?: number },
  pathTo: (record: number) => ReplayPath,
  code: ModelError['code'] = 'model-threw',
): ModelError {
  const { record, depth, decoding, checking } = where;
  const stateRecord = where.checked ?? record;
  let message: string;
  if (checking) {
    // A property threw on the state the step reached, not the step itself.
    message = record < 0 ? `${reason} (checking an initial state)` : `${reason} (checking the state reached by ${actionText ?? 'a step'} from depth ${depth})`;
  } else {
    const place =
      record < 0 ? 'while building the initial states' : decoding ? `decoding a state at depth ${depth}` : `expanding a state at depth ${depth}`;
    message = actionText ? `${reason} (in action ${actionText}, ${place})` : `${reason} (${place})`;
  }
  return {
    code,
    message,
    ...(record >= 0 ? { depth } : {}),
    ...(actionText ? { action: actionText } : {}),
    ...(record >= 0 ? { path: pathTo(record) } : {}),
    ...(stateRecord >= 0 ? { statePath: pathTo(stateRecord) } : {}),
  };
}

/** The statistics of a run at the moment it found a state. */
export interface FoundStatistics {
  readonly distinctStates: number;
  readonly transitions: number;
  readonly depth: number;
}

/**
 * The statistics of the moment the state with this record was found, at this depth, from its
 * frontier tag: the transitions taken then, modulo 2^32 (`transitionsNow` is at least as many).
 */
export function foundStatistics(record: number, tag: number, depth: number, transitionsNow: number): FoundStatistics {
  const since = (((transitionsNow - (tag >>> 0)) % 2 ** 32) + 2 ** 32) % 2 ** 32;
  return { distinctStates: record + 1, transitions: transitionsNow - since, depth };
}

/**
 * Whether a run stopped for this reason stops at once, and so reports the counts of the moment the
 * state it checked last was found (time, memory, Ctrl-C), unlike the limits after which the
 * states found are all checked (--max-states, --max-depth).
 */
export function stopsAtOnce(reason: IncompleteReason | undefined): boolean {
  return reason !== undefined && reason !== 'max-states' && reason !== 'max-depth';
}

/**
 * A property threw checking the state with this record: described as where the state was found,
 * in the step from its parent (or among the initial states), as checking it then would have been,
 * naming the property. The state and the step to it are rebuilt by one replay of its path (the
 * explorer no longer holds them); if the replay fails (a model that is not a function of its
 * encoding), the error names neither.
 */
export function propertyThrew<State, Action>(model: Model<State, Action>, thrown: unknown, record: number, depth: number, traces: TraceStore): ModelError {
  let steps: readonly TraceStep<State, Action>[] | undefined;
  try {
    steps = replayPath(model, traces.pathTo(record)).steps;
  } catch {
    steps = undefined;
  }
  const reached = steps?.[steps.length - 1];
  const before = steps?.[steps.length - 2];
  const actionText = reached?.action !== undefined && before ? formatAction(model, before.state, reached.action) : undefined;
  const reason = `${reached ? throwingProperty(model, thrown, reached.state) : ''}${reasonOf(thrown)}`;
  const parent = traces.parentOf(record);
  const where = parent === NO_PARENT ? { record: -1, depth } : { record: parent, depth: depth - 1 };
  return modelThrew(reason, actionText, { ...where, decoding: false, checking: true, checked: record }, (at) => traces.pathTo(at));
}

/**
 * `property 'Name' threw: ` for the property that throws on `state` (the explorers check
 * properties in a loop that does not say which one threw), or '' when the error names it already
 * (a property that returned no boolean) or none throws again.
 */
export function throwingProperty<State>(model: Model<State, unknown>, thrown: unknown, state: State): string {
  if (thrown instanceof Error && thrown.message.startsWith('property \'')) return '';
  // In the order the explorers check them: always, then sometimes, then terminal.
  const order = ['always', 'sometimes', 'terminal'];
  const properties = [...model.properties].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
  for (const property of properties) {
    try {
      property.holds(state);
    } catch {
      return `property '${property.name}' threw: `;
    }
  }
  return '';
}

export function describeModelError<State, Action>(
  model: Model<State, Action>,
  thrown: unknown,
  state: State | undefined,
  action: Action | undefined,
  depth: number,
  record: number,
  traces: TraceStore,
): ModelError {
  const reason = reasonOf(thrown);
  const actionText = state !== undefined && action !== undefined ? formatAction(model, state, action) : undefined;
  const code = thrown instanceof ContractBreach ? 'model-contract' : 'model-threw';
  return modelThrew(reason, actionText, { record, depth, decoding: state === undefined }, (at) => traces.pathTo(at), code);
}

/**
 * Writes the encoding of the successor of `state` under `action` into `writer` (reset first), by
 * the model's fast path when it has one; false when the action is disabled.
 */
export function encodeSuccessorInto<State, Action>(model: Model<State, Action>, state: State, action: Action, writer: WordWriter): boolean {
  writer.reset();
  return appendSuccessor(model, state, action, writer);
}

/** {@link encodeSuccessorInto} without the reset: appends to what `writer` holds. */
function appendSuccessor<State, Action>(model: Model<State, Action>, state: State, action: Action, writer: WordWriter): boolean {
  if (model.encodeSuccessor) return model.encodeSuccessor(state, action, writer);
  const next = model.nextState(state, action);
  if (next === undefined) return false;
  model.encode(next, writer);
  return true;
}

/**
 * Appends the encoding of a successor the model fingerprinted (so found enabled) and the explorer
 * found new, e.g. straight into the frontier ({@link StateQueue.beginEntry}); a model that now
 * calls the action disabled contradicts itself.
 */
export function appendNewSuccessor<State, Action>(model: Model<State, Action>, state: State, action: Action, writer: WordWriter): void {
  if (!appendSuccessor(model, state, action, writer)) throw new Error(CONTRADICTION);
}

const CONTRADICTION = 'nextState says the action is disabled, but the model fingerprinted or encoded its successor';

/**
 * The explorers' first look at the successors of a state: their fingerprints. When the model
 * fingerprints states itself ({@link fingerprintsItself}) that is all, for all of a state's
 * successors in one call of `Model.fingerprintSuccessors`, and the explorer encodes a successor
 * (with {@link appendNewSuccessor}) only if it is new, straight into its frontier. Otherwise each
 * successor is encoded into `writer` and hashed, and the explorer keeps that encoding.
 */
export class SuccessorLook<State, Action> {
  private readonly modelFingerprints: boolean;
  private readonly fingerprints = new SuccessorFingerprints();
  private state: State | undefined;
  private actions: readonly Action[] = [];
  /** The fingerprint of the successor last taken, as unsigned halves. */
  high = 0;
  low = 0;
  /** Whether `writer` holds its encoding: the engine hashed it (else the model fingerprinted it). */
  readonly encoded: boolean;

  constructor(
    private readonly model: Model<State, Action>,
    private readonly writer: WordWriter,
    private readonly fingerprint: Fingerprinter,
    /** Hears the action that threw when the model throws fingerprinting them all at once. */
    private readonly blame: (action: Action) => void,
  ) {
    this.modelFingerprints = fingerprintsItself(model);
    this.encoded = !this.modelFingerprints;
  }

  /** Starts on the successors of `state` under `actions`. */
  begin(state: State, actions: readonly Action[]): void {
    this.state = state;
    this.actions = actions;
    if (!this.modelFingerprints) return;
    const model = this.model;
    const fingerprints = this.fingerprints;
    fingerprints.reserve(actions.length);
    try {
      model.fingerprintSuccessors!(state, actions, fingerprints);
    } catch (thrown) {
      // Each action alone, so that the error can name the one that threw.
      for (const action of actions) {
        try {
          model.fingerprintSuccessors!(state, [action], fingerprints);
        } catch {
          this.blame(action);
          break;
        }
      }
      throw thrown;
    }
  }

  /** Looks at the successor under the `index`-th action; false when the action is disabled. */
  take(index: number): boolean {
    if (this.modelFingerprints) {
      const high = this.fingerprints.high[index]! >>> 0;
      const low = this.fingerprints.low[index]! >>> 0;
      this.high = high;
      this.low = low;
      return (high | low) !== 0;
    }
    const writer = this.writer;
    if (!encodeSuccessorInto(this.model, this.state as State, this.actions[index]!, writer)) return false;
    const fingerprint = this.fingerprint;
    fingerprint.hash(writer.words, 0, writer.length);
    this.high = fingerprint.high;
    this.low = fingerprint.low;
    return true;
  }
}

/**
 * The depth limit (--max-depth) makes a run incomplete only if it cut something off: a state at
 * the limit with a successor, other than itself, that the visited set lacks. So the states at the
 * limit are not expanded (nothing is added to the visited set or the trace store) but probed, in
 * record order: their successors are looked up, and the first one missing makes the run
 * incomplete, after which a probe only asks whether its state is terminal, and only when a
 * terminal property is checked. A state with no successor but itself is terminal and gets the
 * terminal checks its expansion would give it, whether or not something was cut off. So a
 * limit that cut nothing off gives the full run's result: its verdict, and its counts too, since
 * the probes' transitions are then counted as expanding those states would have counted them.
 */
export class DepthLimitProbe<State, Action> {
  /** A state at the limit has a successor the visited set lacks: the limit cut something off. */
  cutOff = false;
  private probedTransitions = 0;
  private readonly hasTerminalChecks: boolean;

  constructor(
    private readonly model: Model<State, Action>,
    private readonly checker: PropertyChecker<State>,
    private readonly successors: SuccessorLook<State, Action>,
    private readonly visited: Pick<FingerprintSet, 'has'>,
    /** Hears each action as it is taken (undefined when none is): an error names the one the model threw in. */
    private readonly taking: (action: Action | undefined) => void,
    /**
     * An audited run compares every fingerprint hit and checks the model's contract on every
     * successor, as expanding does; `writer` is the one `successors` encodes into and the audit reads.
     */
    private readonly audited?: { readonly audit: FingerprintAudit<State>; readonly contract: ContractCheck<State, Action>; readonly writer: WordWriter },
  ) {
    this.hasTerminalChecks = checker.hasTerminalChecks;
  }

  /** Transitions of the states probed: the run counts them unless the limit cut something off. */
  get transitions(): number {
    return this.cutOff ? 0 : this.probedTransitions;
  }

  /**
   * Probes the state at the limit with this record and fingerprint; true when it is terminal and
   * fails a terminal property (the checker holds the violation, as after expanding it). Once
   * something was cut off, a probe only asks whether the state is terminal, and only when a
   * terminal property is checked: a terminal state at the limit is judged like any other.
   */
  probe(state: State, record: number, high: number, low: number): boolean {
    if (this.cutOff && !this.hasTerminalChecks) return false;
    const selfHigh = high >>> 0;
    const selfLow = low >>> 0;
    const successors = this.successors;
    const actions: Action[] = [];
    this.taking(undefined);
    this.model.actions(state, actions);
    successors.begin(state, actions);
    let hasOtherSuccessor = false;
    for (let index = 0; index < actions.length; index++) {
      const action = actions[index]!;
      this.taking(action);
      const audited = this.audited;
      if (!successors.take(index)) {
        if (audited) audited.contract.disabled(state, action);
        continue;
      }
      if (audited) {
        // Before the lookup: a successor the model fingerprinted wrongly would look cut off.
        if (!successors.encoded) encodeSuccessorInto(this.model, state, action, audited.writer);
        audited.contract.successor(state, action, successors.high, successors.low);
      }
      this.probedTransitions++;
      const itself = successors.high === selfHigh && successors.low === selfLow;
      if (!itself) {
        hasOtherSuccessor = true;
        // Cut off before: the state is not terminal, which is all this probe asks.
        if (this.cutOff) break;
        if (!this.visited.has(successors.high, successors.low)) {
          this.cutOff = true;
          break;
        }
      }
      if (audited) audited.audit.met(successors.high, successors.low);
    }
    this.taking(undefined);
    if (hasOtherSuccessor || !this.hasTerminalChecks) return false;
    return this.checker.checkTerminal(state, record);
  }
}

/**
 * The initial states, refused when there are none: a model with none has nothing to check, and
 * would pass every always property (a spec whose initialStates forgot to return its states).
 */
export function initialStatesOf<State>(model: Model<State, unknown>): readonly State[] {
  const states = model.initialStates();
  if (states.length === 0) throw new ContractBreach('the model has no initial states (initialStates returned none): there is nothing to check');
  return states;
}
