/**
 * The contract between a spec and the engine. This is the one file a spec author must read.
 *
 * A spec is a {@link Spec}: typed parameters plus a `build` function that turns resolved
 * parameter values into a {@link Model}. A model is a deterministic transition system over a
 * state type of its choosing. The engine never looks inside a state: it asks the model to
 * encode it as 32-bit words (canonically: two equal states must give equal words), hashes the
 * words to a 64-bit fingerprint, keeps only fingerprints in its visited set, and keeps the
 * frontier as packed encodings that it hands back to `decode` when it expands them.
 *
 * Determinism matters: counterexamples are stored as indices into `initialStates()` and into the
 * action list that `actions` pushes, and rebuilt by replaying them. A model must not use I/O,
 * randomness or iteration over insertion-ordered collections that are not canonicalised.
 */
import { shownValue } from './thrown.ts';
import { RefusedCombination, refusalOf } from './parameters.ts';

/** A growable buffer of 32-bit words that `Model.encode` appends to. */
export class WordWriter {
  words: Int32Array;
  length = 0;

  constructor(initialCapacity = 256) {
    this.words = this.newWords(initialCapacity);
  }

  reset(): void {
    this.length = 0;
  }

  push(word: number): void {
    // A word that is not a 32-bit integer would be stored as another (0.5 and NaN as 0, 2^32 as 0),
    // merging states that differ there: a wrong verdict. Two comparisons for a signed word.
    if (typeof word !== 'number' || (word | 0) !== word) word = storableWord(word, this.length);
    if (this.length === this.words.length) this.grow(this.length + 1);
    this.words[this.length++] = word;
  }

  /** Makes room for `extra` more words; lets encoders write `words` directly after one check. */
  reserve(extra: number): void {
    if (this.length + extra > this.words.length) this.grow(this.length + extra);
  }

  view(): Int32Array {
    return this.words.subarray(0, this.length);
  }

  private grow(needed: number): void {
    let capacity = this.words.length * 2;
    while (capacity < needed) capacity *= 2;
    const next = this.newWords(capacity);
    next.set(this.words.subarray(0, this.length));
    this.words = next;
  }

  /** Storage for `capacity` words (the audit's writer keeps any number, see src/explore/contract-check.ts). */
  protected newWords(capacity: number): Int32Array {
    return new Int32Array(capacity);
  }
}

/** A word pushed that is not a signed 32-bit integer: an unsigned one or a boolean as it is stored, else an error. */
function storableWord(word: unknown, index: number): number {
  if (typeof word === 'number' && word >>> 0 === word) return word;
  if (typeof word === 'boolean') return word ? 1 : 0;
  throw new RangeError(notAWordMessage(word, index));
}

/**
 * Why `word`, written as word `index` of an encoding (`of` says which, when known), is no word:
 * WordWriter.push's error, and the audit's for a word written past it.
 */
export function notAWordMessage(word: unknown, index: number, of?: string): string {
  const where = `encode wrote ${shownValue(word)} as word ${index}${of === undefined ? '' : ` of ${of}`}`;
  const why = typeof word === 'number' ? `stored, it becomes ${word | 0}, so states that differ there would be merged` : `${kindOf(word)} is not a number`;
  return `${where}; words must be 32-bit integers (${why})`;
}

function kindOf(word: unknown): string {
  if (word === undefined || word === null) return String(word);
  if (Array.isArray(word)) return 'an array';
  const kind = typeof word;
  return `${kind === 'object' ? 'an' : 'a'} ${kind}`;
}

/** Reads back what a {@link WordWriter} wrote; `decode` receives one positioned at a state. */
export class WordReader {
  words: Int32Array;
  position: number;
  end: number;

  constructor(words: Int32Array, start = 0, end = words.length) {
    this.words = words;
    this.position = start;
    this.end = end;
  }

  next(): number {
    if (this.position >= this.end) throw new RangeError('decode read past the end of the encoded state');
    return this.words[this.position++]!;
  }

  atEnd(): boolean {
    return this.position >= this.end;
  }
}

/** A 64-bit fingerprint as a model that fingerprints states itself reports it. */
export interface FingerprintHalves {
  high: number;
  low: number;
}

/**
 * Where {@link Model.fingerprintSuccessors} writes: the fingerprint of the successor under the
 * i-th action in high[i] and low[i], as 32-bit words (read them back with `>>> 0`); 0 and 0 when
 * that action is disabled.
 */
export class SuccessorFingerprints {
  high = new Int32Array(64);
  low = new Int32Array(64);

  /** Makes room for `count` successors (what was written is not kept). */
  reserve(count: number): void {
    if (this.high.length >= count) return;
    const size = Math.max(count, this.high.length * 2);
    this.high = new Int32Array(size);
    this.low = new Int32Array(size);
  }
}

/**
 * A property of the model.
 * - `always`: an invariant, checked on every reachable state; a state where it fails is a violation.
 * - `sometimes`: some reachable state satisfies it; a run that never witnesses it fails (this guards
 *   against vacuous models, e.g. one in which nothing is ever chosen).
 * - `terminal`: checked on every terminal state (one with no successor other than itself).
 */
export interface Property<State> {
  readonly name: string;
  readonly kind: 'always' | 'sometimes' | 'terminal';
  /** `history`: the property's {@link History} in this state, given when the property declares one. */
  readonly holds: (state: State, history?: readonly number[]) => boolean;
  /** Why the property fails (or, for `sometimes`, how it is witnessed) in this state, for traces. */
  readonly explain?: (state: State, history?: readonly number[]) => string;
  /** What the run must remember that the state forgets, for this property; see {@link History}. */
  readonly history?: History<State>;
  /**
   * Symmetric sets whose members this property tells apart (e.g. a property about acceptor a1
   * distinguishes 'acceptors'). Symmetry reduction over such a set is refused: it would be unsound.
   */
  readonly distinguishes?: readonly string[];
  /** Checked only when asked for by name (`--property NAME`), e.g. a liveness-flavoured check. */
  readonly optional?: boolean;
}

/**
 * A record of the past that a property needs and the state does not keep (a ghost variable):
 * a few numbers carried beside each state and updated on every step, e.g. how often each
 * proposer's round was pre-empted. The engine tracks it only while the property is checked
 * (src/explore/history.ts), so a property that is not asked for costs nothing; when it is, two
 * states that differ only in their history are different states, so the state count grows.
 *
 * Symmetry reduction renames the state and leaves the history as it is, so `next` must give the
 * same history for renamed states, unless the property lists the set in `distinguishes`.
 */
export interface History<State> {
  /** The history of an initial state. */
  initial(state: State): readonly number[];
  /** The history after a step from `from` to `to`; return `history` itself when nothing changed. */
  next(history: readonly number[], from: State, to: State): readonly number[];
  /**
   * A JSON-friendly view for traces, merged into the model's `describeState` (a key that names a
   * participant, e.g. `p1`, adds fields to that participant's view).
   */
  describe?(history: readonly number[]): Record<string, unknown>;
}

/**
 * Interchangeable members of a model (acceptors, values): states that differ only by a renaming
 * of them behave alike, so the explorer may keep one representative per orbit.
 */
export interface Symmetry<State> {
  /** The sets a user may name with --symmetry, e.g. ['acceptors', 'learners']. */
  readonly sets: readonly string[];
  /**
   * How many members each set has in this model, when known: a set of fewer than two has no
   * renaming to reduce by, so a reduction leaves it out (and out of what it reports).
   */
  readonly sizes?: Readonly<Record<string, number>>;
  /**
   * True when `representative(state, sets)` is a function of the orbit (the same for every
   * renaming of the state), for each set on its own and for the sets together (the actors layer's
   * is). Lets `--audit` check, set by set, that the declared symmetry is one of the model: a state
   * and its representative must then have the same successors.
   */
  readonly exact?: boolean;
  /**
   * What to look at when the symmetry turns out not to be one of the model (a reduced trace with
   * no concrete counterpart, or an audit that finds a state and its representative behave
   * differently): the usual cause in the layer that built the model.
   */
  readonly breachHint?: string;
  /**
   * The representative of the state's orbit under renamings of the named sets. It must be a
   * function of the orbit alone (the same for every renaming of the state) for the reduction to
   * be exact; any state of the orbit keeps it sound. `orbit.size` receives the orbit's size when
   * known (0 when not), for reporting what the reduction saved.
   */
  representative(state: State, sets: readonly string[], orbit: { size: number }): State;
}

export interface Model<State, Action> {
  readonly name: string;
  /** Initial states, in a deterministic order. */
  initialStates(): readonly State[];
  /** Pushes the candidate actions of `state` into `out`, in a deterministic order. */
  actions(state: State, out: Action[]): void;
  /** The successor of `state` under `action`, or `undefined` if the action is disabled here. */
  nextState(state: State, action: Action): State | undefined;
  /** Appends the canonical encoding of `state` to `out`. */
  encode(state: State, out: WordWriter): void;
  /**
   * Optional fast path: appends the encoding of `nextState(state, action)` without building that
   * state, or returns false (writing nothing) when the action is disabled. Most successors are
   * states already seen, so the explorers build a successor only when it is new. It must write
   * exactly what `encode(nextState(state, action))` writes.
   */
  encodeSuccessor?(state: State, action: Action, out: WordWriter): boolean;
  /**
   * Optional, together with `fingerprintSuccessors`: the model fingerprints states itself instead
   * of the engine hashing their encodings. A fingerprint must depend on the canonical encoding
   * alone (equal encodings, equal fingerprints), be 64 bits as two unsigned 32-bit halves never
   * both zero, and tell states apart as well as a random hash. The actors layer sums the
   * fingerprints of a state's parts (each actor's local state, each in-flight message), so a
   * successor's fingerprint is its parent's with the changed parts swapped: found without
   * encoding or hashing the successor, which matters because most successors were seen before.
   */
  fingerprint?(state: State, out: FingerprintHalves): void;
  /**
   * The fingerprints of the successors of `state` under each of `actions` (as `actions` listed
   * them for this state), all in one call: `out` has room for them. A disabled action gets 0 and 0.
   */
  fingerprintSuccessors?(state: State, actions: readonly Action[], out: SuccessorFingerprints): void;
  /**
   * Rebuilds a state from its encoding; `decode(encode(s))` must behave exactly like `s`. When
   * the model fingerprints states itself, the explorers pass the state's `fingerprint` as the
   * model reported it, so that the model need not work it out again.
   */
  decode(input: WordReader, fingerprint?: FingerprintHalves): State;
  readonly properties: readonly Property<State>[];
  /** A one-line description of an action taken in `state`, for traces. */
  formatAction?(state: State, action: Action): string;
  /** A JSON-friendly view of a state (plain objects, arrays, numbers, strings), for traces. */
  describeState?(state: State): Record<string, unknown>;
  /** Identifiers of the participants of the protocol, for sequence diagrams. */
  readonly participants?: readonly string[];
  /**
   * Variables of the state's description (its top-level keys) whose changes a sequence diagram
   * leaves out of its notes, because its arrows and step labels show them (the actors layer's
   * `network` and `down`). A change to any other variable that belongs to no participant (a
   * shared `turn`) is shown in a note over everyone.
   */
  readonly diagramOmits?: readonly string[];
  /**
   * Optional: who did what in a step, for sequence diagrams and for checking that a replayed
   * counterexample still takes the same steps. The actors layer implements it; a model without it
   * gets diagrams whose steps are notes with the action's text.
   */
  describeStep?(state: State, action: Action): StepDescription;
  /** Semantic choices that change the state count, printed with every result. */
  readonly semantics?: Readonly<Record<string, string>>;
  /** Interchangeable members, for `--symmetry`. */
  readonly symmetry?: Symmetry<State>;
}

/**
 * One step as a sequence diagram shows it. `message`: `from` sent a message that `to` now
 * receives; `drop`: the network lost a message from `from` to `to`; `local`: participant `from`
 * took an internal step (a timer, e.g. starting a round). Names are entries of `participants`.
 */
export interface StepDescription {
  readonly kind: 'message' | 'drop' | 'local';
  readonly from: string;
  readonly to?: string;
  /** The message (`Prepare(b=1)`) or, for a local step, what happened (`starts round 1 with ballot 1`). */
  readonly label: string;
}

/** Parameter declarations: a spec's parameters become CLI flags and are validated in one place. */
export interface IntegerParameter {
  readonly type: 'integer';
  readonly min: number;
  readonly max: number;
  readonly default: number;
  readonly description: string;
}

export interface ChoiceParameter<Choice extends string = string> {
  readonly type: 'choice';
  readonly choices: readonly Choice[];
  readonly default: Choice;
  readonly description: string;
}

export type Parameter = IntegerParameter | ChoiceParameter;
export type ParameterDeclarations = Readonly<Record<string, Parameter>>;

export type ParameterValues<Declarations extends ParameterDeclarations> = {
  readonly [Name in keyof Declarations]: Declarations[Name] extends ChoiceParameter<infer Choice>
    ? Choice
    : number;
};

export interface Spec<Declarations extends ParameterDeclarations, State, Action> {
  readonly name: string;
  readonly description: string;
  readonly parameters: Declarations;
  /**
   * Why these values, each within its declared range, make no model (q2 acceptors in a quorum out
   * of fewer acceptors), or undefined when they make one. `synod check` refuses such a combination
   * as it refuses a value out of range; a sweep or matrix marks its point n/a and checks the rest.
   */
  refuse?(parameters: ParameterValues<Declarations>): string | undefined;
  build(parameters: ParameterValues<Declarations>): Model<State, Action>;
}

/**
 * Gives a spec literal its precise type, and makes its `build` refuse what its `refuse` turns
 * down (throwing RefusedCombination), so that a program that builds from `resolveParameters`
 * alone never gets a model for values the spec refuses (a quorum larger than the acceptors).
 */
export function defineSpec<const Declarations extends ParameterDeclarations, State, Action>(
  spec: Spec<Declarations, State, Action>,
): Spec<Declarations, State, Action> {
  const { build } = spec;
  if (spec.refuse === undefined) return spec;
  return {
    ...spec,
    build(parameters) {
      const reason = refusalOf(spec, parameters);
      if (reason !== undefined) throw new RefusedCombination(reason);
      return build.call(spec, parameters);
    },
  };
}

/** A spec whose parameter and state types are not known statically, as the CLI loads it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnySpec = Spec<ParameterDeclarations, any, any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyModel = Model<any, any>;
