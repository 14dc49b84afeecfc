/**
 * The audit's second half (`--audit`, with {@link FingerprintAudit}): checks that the model keeps
 * the contract the explorers rely on, which nothing else checks because the hot path cannot
 * afford to. A model that breaks it is explored wrongly without a word: a word that is not a
 * 32-bit integer (NaN, 1.5, 2^40) is stored as another number, merging states that differ there;
 * an `encodeSuccessor` fast path that writes something else than `encode(nextState(...))` splits
 * or merges states; a `decode` that loses part of a state makes the explorer expand another state
 * than the one it stored; a model's own fingerprint that is not a function of the state counts
 * one state twice.
 *
 * So for every initial state and every successor the explorer takes, the check builds the state
 * with `nextState`, encodes it into words that keep any number (a Float64Array, not the
 * explorer's Int32Array), and requires: every word a 32-bit integer (signed or unsigned); the
 * same words as the explorer's encoding; and, when the model fingerprints states itself, its
 * `fingerprint` of the state equal to the one the explorer used; the same words after `decode`
 * and `encode`; and, decoded, the same behaviour as the state the model built (the same property
 * verdicts and set of successors). Given a twin (a second instance of the model, built
 * independently from the same parameters), the initial states and, for each distinct state, the
 * decoded state's verdicts and successors must be the same in both: code that is not a function
 * of its arguments (randomness, the clock, a counter kept between calls) gives each instance its
 * own answer, where one instance alone may repeat its first (a model may remember its answers, as
 * the actors layer does). Under a symmetry whose
 * representative is exact, a state and its representative must have the same successors up to
 * renaming (see checkSymmetry). A breach throws {@link ContractBreach}, which the explorer reports
 * as the model's error at that action and depth (exit status 2), with the path to the state.
 */
import { WordReader, WordWriter, notAWordMessage, type FingerprintHalves, type Model, type Property } from '../model.ts';
import { fingerprintHex, fingerprintsItself } from '../store/fingerprint.ts';
import { OpenAddressingFingerprintSet } from '../store/fingerprint-set.ts';
import { SymmetryReduction, asymmetricPropertyMessage, differentVerdict } from './symmetry.ts';
import { EncodingSet } from './encoding-set.ts';
import { thrownWithPlace } from '../thrown.ts';
import { ContractBreach } from './contract-breach.ts';

/** A writer whose words keep whatever number the model pushes, so that the check sees it before an Int32Array would coerce it. */
class ExactWordWriter extends WordWriter {
  /** Any number: the check names it with where it was written (of a successor, of an initial state). */
  override push(word: number): void {
    this.reserve(1);
    this.words[this.length++] = word;
  }

  protected override newWords(capacity: number): Int32Array {
    return new Float64Array(capacity) as unknown as Int32Array;
  }
}

const INT32_MIN = -(2 ** 31);
const UINT32_END = 2 ** 32;

export class ContractCheck<State, Action> {
  private readonly exact = new ExactWordWriter();
  private readonly reader = new WordReader(new Int32Array(0));
  private readonly reduction: SymmetryReduction<State, Action> | undefined;
  /** Encodes and decodes as the explorer stores states: under symmetry, the base model (encoding a representative). */
  private readonly codec: Model<State, Action>;
  private readonly modelFingerprints: boolean;
  private readonly fingerprint: FingerprintHalves = { high: 0, low: 0 };
  private readonly given: FingerprintHalves = { high: 0, low: 0 };
  /** Under an exact symmetry: the representatives (fingerprints) one of whose other states was checked. */
  private readonly symmetryChecked: OpenAddressingFingerprintSet | undefined;
  private readonly symmetryWriter = new WordWriter();
  private readonly orbit = { size: 0 };
  private readonly successors = new EncodingSet();
  private readonly otherSuccessors = new EncodingSet();
  private readonly twinSuccessors = new EncodingSet();
  /** The states (fingerprints) whose successors were compared with the twin's: each once is every transition once. */
  private readonly twinChecked: OpenAddressingFingerprintSet | undefined;
  private initialStatesCompared = false;

  constructor(
    private readonly model: Model<State, Action>,
    /** The explorer's writer: it holds the encoding of the state being looked up whenever the check is called. */
    private readonly writer: WordWriter,
    /** A second instance of the model (under symmetry, of its base), built apart from the same parameters. */
    private readonly twin?: Model<State, Action>,
  ) {
    this.reduction = model instanceof SymmetryReduction ? model : undefined;
    this.codec = this.reduction ? this.reduction.base : model;
    this.modelFingerprints = fingerprintsItself(model);
    if (this.reduction?.base.symmetry?.exact) this.symmetryChecked = new OpenAddressingFingerprintSet();
    if (twin) this.twinChecked = new OpenAddressingFingerprintSet();
  }

  /** An initial state, whose encoding `writer` holds and whose fingerprint is (high, low). */
  initial(state: State, high: number, low: number): void {
    if (this.twin && !this.initialStatesCompared) {
      this.initialStatesCompared = true;
      this.compareInitialStates(this.twin);
    }
    this.check(state, 'an initial state', high, low);
  }

  /** An action the model's fast path (encodeSuccessor, fingerprintSuccessors) found disabled in `state`: nextState must agree. */
  disabled(state: State, action: Action): void {
    if (this.model.nextState(state, action) === undefined) return;
    const fastPath = this.modelFingerprints ? 'fingerprintSuccessors' : this.model.encodeSuccessor ? 'encodeSuccessor' : undefined;
    throw new ContractBreach(
      fastPath
        ? `${fastPath} says the action is disabled, but nextState gives a successor under it`
        : 'nextState gave no successor under the action, then one when called again: it is not a function of the state and action',
    );
  }

  /** The successor of `state` under `action`, which the explorer encoded into `writer` and fingerprinted as (high, low). */
  successor(state: State, action: Action, high: number, low: number): void {
    const next = this.model.nextState(state, action);
    if (next === undefined) {
      throw new ContractBreach('nextState says the action is disabled, but the model encoded or fingerprinted a successor under it');
    }
    this.check(next, 'a successor', high, low);
  }

  /**
   * A field that encode leaves out and decode fills with a default gives the same words both ways:
   * every state the model builds (initial or successor, new or met before: a state that merges
   * into one seen earlier is never new) and its decoded copy (what the explorer expands) must
   * then behave alike: the same verdict from each property (a terminal one only where the state
   * has no successor but itself, the only place the explorer asks it) and the same successors, as
   * a set of encodings (a model may list the actions of two copies of one state in another order,
   * or one action twice, as a network that keeps a message once may). A property or expansion
   * that throws is left to the explorer, which reports it where it meets it. Under symmetry the
   * built state's representative is what was stored.
   */
  private checkSameBehaviour(builtState: State, decoded: State): void {
    const reduction = this.reduction;
    const built = reduction ? reduction.base.symmetry!.representative(builtState, reduction.sets, this.orbit) : builtState;
    const properties = this.codec.properties;
    for (const property of properties) if (property.kind !== 'terminal') this.compareVerdicts(property, built, decoded);
    const successors = this.successorsOf(decoded, this.successors);
    const builtSuccessors = this.successorsOf(built, this.otherSuccessors);
    if (successors !== undefined && builtSuccessors !== undefined && !successors.equals(builtSuccessors)) {
      throw new ContractBreach(
        'a state as the model built it and the same state decoded from its encoding have different successors: ' +
          'encode leaves out part of the state that matters (or the model changed a state after building it; states must not be mutated)',
      );
    }
    if (successors !== undefined && (successors.size === 0 || successors.holdsOnly(this.writer.words, this.writer.length))) {
      for (const property of properties) if (property.kind === 'terminal') this.compareVerdicts(property, built, decoded);
    }
    if (successors !== undefined && this.twin && this.twinChecked!.addIfAbsent(this.given.high, this.given.low)) {
      this.compareWithTwin(this.twin, decoded, successors);
    }
  }

  /** The state the explorer's writer holds (`decoded`, with these successors), decoded and expanded by the twin: the same verdicts and successors. */
  private compareWithTwin(twin: Model<State, Action>, decoded: State, successors: EncodingSet): void {
    let step = 'decoding';
    let twinState: State | undefined;
    let twinSuccessors: EncodingSet;
    try {
      twinState = this.decodeWriter(twin);
      step = 'expanding';
      twinSuccessors = this.successorSet(twinState, undefined, this.twinSuccessors, twin);
    } catch (thrown) {
      throw twinBreach(`throws ${step} a state the first ${step === 'decoding' ? 'decodes' : 'expands'} (${thrownWithPlace(thrown)})`);
    }
    if (!twinSuccessors.equals(successors)) {
      throw twinBreach(`gives a state other successors than the first${this.firstDifferentAction(twin, decoded, twinState)}`);
    }
    const properties = this.codec.properties;
    properties.forEach((property, index) => {
      const twinProperty = twin.properties[index];
      if (property.kind === 'terminal' || twinProperty === undefined) return;
      let verdicts: [boolean, boolean];
      try {
        verdicts = [property.holds(decoded), twinProperty.holds(twinState)];
      } catch {
        return; // Left to the search, which reports a property that throws where it meets it.
      }
      if (verdicts[0] !== verdicts[1]) throw twinBreach(`says ${property.name} ${verdicts[1] ? 'holds' : 'fails'} on a state where the first says it ${verdicts[0] ? 'holds' : 'fails'}`);
    });
  }

  /** The twin's initial states, as a set of encodings, must be the model's. */
  private compareInitialStates(twin: Model<State, Action>): void {
    const initialEncodings = (model: Model<State, Action>, into: EncodingSet): EncodingSet => {
      into.clear();
      for (const state of model.initialStates()) {
        this.symmetryWriter.reset();
        model.encode(state, this.symmetryWriter);
        into.add(this.symmetryWriter.words, this.symmetryWriter.length);
      }
      into.seal();
      return into;
    };
    let twinInitial: EncodingSet;
    try {
      twinInitial = initialEncodings(twin, this.twinSuccessors);
    } catch (thrown) {
      throw twinBreach(`throws building its initial states (${thrownWithPlace(thrown)})`);
    }
    if (!twinInitial.equals(initialEncodings(this.codec, this.otherSuccessors))) throw twinBreach('has other initial states than the first');
  }

  /** Where the model and its twin part on one state, for the breach's message: the first action whose successors differ. */
  private firstDifferentAction(twin: Model<State, Action>, state: State, twinState: State): string {
    const actions: Action[] = [];
    const twinActions: Action[] = [];
    try {
      this.codec.actions(state, actions);
      twin.actions(twinState, twinActions);
      for (const action of actions) {
        if (this.encodingOf(this.codec.nextState(state, action)) !== this.encodingOf(twin.nextState(twinState, action), twin)) {
          return ` (under ${this.codec.formatAction?.(state, action) ?? String(action)})`;
        }
      }
    } catch {
      return '';
    }
    const count = (n: number) => `${n} action${n === 1 ? '' : 's'}`;
    return actions.length === twinActions.length ? '' : ` (the second offers ${count(twinActions.length)} there, the first ${count(actions.length)})`;
  }

  private compareVerdicts(property: Property<State>, built: State, decoded: State): void {
    const before = differentVerdict(property, built, decoded);
    if (before !== undefined) {
      throw new ContractBreach(
        `property ${property.name} ${before ? 'holds' : 'fails'} on a state as the model built it and ${before ? 'fails' : 'holds'} on the same state decoded from its encoding: ` +
          'encode leaves out part of the state that matters (or the model changed a state after building it; states must not be mutated)',
      );
    }
  }

  /** A state's successors, as {@link successorSet} gives them; undefined when expanding it throws. */
  private successorsOf(state: State, into: EncodingSet): EncodingSet | undefined {
    try {
      return this.successorSet(state, undefined, into);
    } catch {
      return undefined;
    }
  }

  /**
   * Under symmetry, a state new to the visited set and its representative must have the same
   * successors up to renaming: a representative that is not a renaming of the state (an actor
   * reference in a local state or message left unrenamed) makes the reduction merge states that
   * behave differently, and the counts and verdicts are wrong without a word. Each set on its own,
   * for which a symmetry marked `exact` gives one representative per orbit (a declaration that
   * breaks with one set breaks with it alone, so the sets together need no check of their own):
   * the successors' representatives, as a set, must agree. And a representative must be its own
   * (each set alone and the sets together), as any canonical form is: one that is not counts an
   * orbit more than once. A representative that is only sound (some state of the orbit) gives no
   * such test.
   */
  private checkSymmetry(state: State): void {
    const base = this.reduction!.base;
    const all = this.reduction!.sets;
    // A terminal property is judged only where every step leads back into the state's orbit (over
    // all the sets, as the search reduces): there alone must it treat members alike.
    const terminal = base.properties.some((property) => property.kind === 'terminal') && this.reduction!.staysInItsOrbit(state, base.symmetry!.representative(state, all, this.orbit));
    // The sets together too: their representative must be its own as well.
    for (const sets of all.length > 1 ? [...all.map((set) => [set]), all] : [all]) {
      const representative = base.symmetry!.representative(state, sets, this.orbit);
      const again = base.symmetry!.representative(representative, sets, this.orbit);
      if (this.encodingOf(again) !== this.encodingOf(representative)) {
        throw new ContractBreach(
          `the symmetry over ${sets.join(', ')} is marked exact, but a representative is not its own representative: ` +
            'an exact symmetry gives every state of an orbit the same representative (unmark it, or make the representative canonical)',
        );
      }
      if (sets.length > 1) continue;
      const set = sets[0]!;
      // A property must treat the members alike, or the reduction keeps the wrong states: the
      // counterexample found is not the shortest, or its rebuilt trace ends where it holds.
      const successors = this.successorSet(state, sets, this.successors);
      for (const property of base.properties) {
        if (property.kind === 'terminal' && !terminal) continue;
        const here = differentVerdict(property, state, representative);
        if (here !== undefined) throw new ContractBreach(asymmetricPropertyMessage(property.name, [set], here));
      }
      if (!successors.equals(this.successorSet(representative, sets, this.otherSuccessors))) {
        throw new ContractBreach(
          `the symmetry over ${set} is not one of the model: a state and its representative have different successors, up to renaming` +
            (base.symmetry!.breachHint ? ` (${base.symmetry!.breachHint})` : ''),
        );
      }
    }
  }

  /** The encoding of a state (or of no successor: the empty string), to compare. */
  private encodingOf(state: State | undefined, codec = this.codec): string {
    if (state === undefined) return '';
    const writer = this.symmetryWriter;
    writer.reset();
    codec.encode(state, writer);
    return writer.view().join(',');
  }

  /**
   * Into `into`: the encodings of a state's successors (of their representatives over `sets`, when
   * given: equal for states of one orbit), as a set: a model may list the actions of two copies of
   * a state in another order, or offer one member more actions with the same effect than another.
   */
  private successorSet(state: State, sets: readonly string[] | undefined, into: EncodingSet, base = this.codec): EncodingSet {
    const actions: Action[] = [];
    base.actions(state, actions);
    into.clear();
    const writer = this.symmetryWriter;
    for (const action of actions) {
      const next = base.nextState(state, action);
      if (next === undefined) continue;
      writer.reset();
      base.encode(sets ? base.symmetry!.representative(next, sets, this.orbit) : next, writer);
      into.add(writer.words, writer.length);
    }
    into.seal();
    return into;
  }

  private check(state: State, what: string, high: number, low: number): void {
    const exact = this.exact;
    exact.reset();
    // Encoded again through a symmetry reduction: what it counts (time, the orbit of the state
    // encoded last, which the explorer reads next) must stay the explorer's own.
    const reduction = this.reduction;
    const canonicalising = reduction?.canonicalisingMilliseconds ?? 0;
    const orbit = reduction?.orbitOfLastEncoded ?? 0;
    this.model.encode(state, exact);
    if (reduction) {
      reduction.canonicalisingMilliseconds = canonicalising;
      reduction.orbitOfLastEncoded = orbit;
    }
    for (let index = 0; index < exact.length; index++) {
      const word = exact.words[index]!;
      if (!Number.isInteger(word) || word < INT32_MIN || word >= UINT32_END) {
        throw new ContractBreach(notAWordMessage(word, index, what));
      }
    }
    const writer = this.writer;
    const differs = firstDifference(exact, writer.words, writer.length);
    if (differs !== undefined) {
      if (this.model.encodeSuccessor && what === 'a successor') {
        throw new ContractBreach(
          `encodeSuccessor and encode(nextState(...)) disagree on a successor (${differs('from encode(nextState(...))', 'from encodeSuccessor')}), or encode is not a function of the state`,
        );
      }
      throw new ContractBreach(
        `encode gave two different encodings of ${what} (${differs('now', 'the first time')}): encode is not a function of the state, ` +
          'or the state changed after it was built (did nextState, or a history\'s next, change a state it was given? states must not be mutated)',
      );
    }
    if (this.modelFingerprints) {
      this.model.fingerprint!(state, this.fingerprint);
      if (this.fingerprint.high >>> 0 !== high >>> 0 || this.fingerprint.low >>> 0 !== low >>> 0) {
        throw new ContractBreach(
          `the model fingerprinted ${what} as ${fingerprintHex(high, low)} while exploring, but fingerprint() of that state gives ${fingerprintHex(this.fingerprint.high, this.fingerprint.low)}`,
        );
      }
    }
    this.given.high = high;
    this.given.low = low;
    const decoded = this.decodeWriter(this.codec);
    exact.reset();
    this.codec.encode(decoded, exact);
    const changed = firstDifference(exact, writer.words, writer.length);
    if (changed !== undefined) {
      throw new ContractBreach(
        `decoding a state and encoding it again changes its encoding (${changed('after', 'before')}): decode loses or alters part of the state`,
      );
    }
    this.checkSameBehaviour(state, decoded);
    if (this.symmetryChecked) this.checkSymmetryOnce(state, high, low);
  }

  /** The state whose encoding the explorer's writer holds (fingerprinted as `given`), decoded by `codec` as the explorer would. */
  private decodeWriter(codec: Model<State, Action>): State {
    const reader = this.reader;
    reader.words = this.writer.words;
    reader.position = 0;
    reader.end = this.writer.length;
    return codec.decode(reader, this.modelFingerprints ? this.given : undefined);
  }

  /**
   * The symmetry test below for one state of each orbit that is not its own representative (where
   * it is, the test cannot fail): the first such state met, whether new or not.
   */
  private checkSymmetryOnce(state: State, high: number, low: number): void {
    const own = this.symmetryWriter;
    own.reset();
    this.codec.encode(state, own);
    if (firstDifference(own, this.writer.words, this.writer.length) === undefined) return;
    if (this.symmetryChecked!.addIfAbsent(high, low)) this.checkSymmetry(state);
  }
}

/** What a twin that behaves otherwise than the model breaks, in its words. */
function twinBreach(what: string): ContractBreach {
  return new ContractBreach(
    `a second instance of the model, built from the same parameters, ${what}: ` +
      'the model is not a function of its arguments (its code uses randomness, the clock, or state kept between calls)',
  );
}

/**
 * Where the exact words differ from the stored ones (compared as stored, as 32 bits), as a
 * sentence naming the two sides; undefined when they are the same.
 */
function firstDifference(exact: WordWriter, stored: Int32Array, length: number): ((exactSide: string, storedSide: string) => string) | undefined {
  const common = Math.min(exact.length, length);
  for (let index = 0; index < common; index++) {
    const word = exact.words[index]! | 0;
    if (word !== stored[index]) return (exactSide, storedSide) => `word ${index} is ${word} ${exactSide}, ${stored[index]} ${storedSide}`;
  }
  if (exact.length === length) return undefined;
  return (exactSide, storedSide) => `${exact.length} words ${exactSide}, ${length} ${storedSide}`;
}
