/**
 * Symmetry reduction as a model transformer: the reduced model encodes every state as the
 * representative of its orbit, so the explorer's visited set holds one fingerprint per orbit and
 * the frontier continues from representatives. Verdicts are unchanged as long as every property
 * is symmetric in the named sets, which is checked here (a property that `distinguishes` a set
 * refuses the reduction).
 */
import { WordWriter, type Model, type Property, type StepDescription, type WordReader } from '../model.ts';
import { ContractBreach } from './contract-breach.ts';

export class SymmetryError extends Error {
  override readonly name = 'SymmetryError';
}

export class SymmetryReduction<State, Action> implements Model<State, Action> {
  readonly name: string;
  readonly properties: Model<State, Action>['properties'];
  readonly participants?: readonly string[];
  readonly diagramOmits?: readonly string[];
  readonly semantics: Readonly<Record<string, string>>;
  readonly describeStep?: (state: State, action: Action) => StepDescription;
  /** Orbit size of the state encoded last (0 when the model does not know it). */
  orbitOfLastEncoded = 0;
  /** Time spent computing representatives, in milliseconds. */
  canonicalisingMilliseconds = 0;
  private readonly orbit = { size: 0 };
  /** For {@link staysInItsOrbit}: a representative's words, and a successor's. */
  private readonly ownWords = new WordWriter();
  private readonly nextWords = new WordWriter();

  /** The sets reduced by: those asked for, less any of fewer than two members (see Symmetry.sizes). */
  readonly sets: readonly string[];

  constructor(
    readonly base: Model<State, Action>,
    requested: readonly string[],
  ) {
    const symmetry = base.symmetry;
    if (!symmetry) throw new SymmetryError(`${base.name} declares no symmetric sets`);
    for (const [index, set] of requested.entries()) {
      // Reduced twice over one set, the count of states the representatives stand for would be multiplied.
      if (requested.indexOf(set) !== index) throw new SymmetryError(`symmetry names the set '${set}' twice`);
      if (!symmetry.sets.includes(set)) {
        throw new SymmetryError(`${base.name} has no symmetric set '${set}' (it declares: ${symmetry.sets.join(', ') || 'none'})`);
      }
    }
    const renamed = requested.filter((set) => (symmetry.sizes?.[set] ?? 2) >= 2);
    // With no set left, the reduction changes nothing; it keeps the sets asked for, to report them.
    const sets = renamed.length > 0 ? renamed : requested;
    this.sets = sets;
    for (const property of base.properties) {
      const broken = property.distinguishes?.filter((set) => sets.includes(set)) ?? [];
      if (broken.length > 0) {
        throw new SymmetryError(
          `symmetry over ${broken.join(', ')} would be unsound: property ${property.name} tells their members apart`,
        );
      }
    }
    this.name = base.name;
    this.properties = base.properties;
    if (base.participants) this.participants = base.participants;
    if (base.diagramOmits) this.diagramOmits = base.diagramOmits;
    if (base.describeStep) this.describeStep = base.describeStep.bind(base);
    this.semantics = { ...(base.semantics ?? {}), symmetry: sets.join(',') };
  }

  initialStates(): readonly State[] {
    return this.base.initialStates();
  }

  actions(state: State, out: Action[]): void {
    this.base.actions(state, out);
  }

  nextState(state: State, action: Action): State | undefined {
    return this.base.nextState(state, action);
  }

  encode(state: State, out: WordWriter): void {
    const start = performance.now();
    const representative = this.base.symmetry!.representative(state, this.sets, this.orbit);
    this.canonicalisingMilliseconds += performance.now() - start;
    this.orbitOfLastEncoded = this.orbit.size;
    // The search keeps the representative in the state's place and judges it alone: a property
    // that gives them different verdicts would make it miss violations or report longer ones.
    if (representative !== state) this.refuseAsymmetricProperty(state, representative);
    this.base.encode(representative, out);
  }

  /**
   * Throws, naming the property and the set, when a property tells a state from its
   * representative; a terminal property only where the search would judge it, at a state whose
   * steps all lead back into its own orbit (elsewhere its verdicts may differ).
   */
  private refuseAsymmetricProperty(state: State, representative: State): void {
    for (const property of this.properties) {
      const holdsOnState = differentVerdict(property, state, representative);
      if (holdsOnState === undefined) continue;
      if (property.kind === 'terminal' && !this.staysInItsOrbit(state, representative)) continue;
      // The set to name: one whose renaming alone changes the verdict, else all of them.
      const set = this.sets.find((one) => differentVerdict(property, state, this.base.symmetry!.representative(state, [one], this.orbit)) !== undefined);
      throw new ContractBreach(asymmetricPropertyMessage(property.name, set === undefined ? this.sets : [set], holdsOnState));
    }
  }

  /**
   * Whether every step from `state` leads to a state of its own orbit (over all the sets reduced
   * by): terminal, to the reduced search, which judges terminal properties there alone.
   */
  staysInItsOrbit(state: State, representative: State): boolean {
    const own = this.ownWords;
    own.reset();
    this.base.encode(representative, own);
    const next = this.nextWords;
    const actions: Action[] = [];
    this.base.actions(state, actions);
    for (const action of actions) {
      const successor = this.base.nextState(state, action);
      if (successor === undefined) continue;
      next.reset();
      this.base.encode(this.base.symmetry!.representative(successor, this.sets, this.orbit), next);
      if (next.length !== own.length) return false;
      for (let index = 0; index < own.length; index++) if (next.words[index] !== own.words[index]) return false;
    }
    return true;
  }

  decode(input: WordReader): State {
    return this.base.decode(input);
  }

  formatAction(state: State, action: Action): string {
    return this.base.formatAction ? this.base.formatAction(state, action) : JSON.stringify(action);
  }

  describeState(state: State): Record<string, unknown> {
    return this.base.describeState ? this.base.describeState(state) : { state };
  }
}

/**
 * The verdict of `property` on `one` when it differs from its verdict on `other` (a state of the
 * same orbit), else undefined (also when it throws on either: the search reports that itself).
 */
export function differentVerdict<State>(property: Property<State>, one: State, other: State): boolean | undefined {
  try {
    const verdict = property.holds(one);
    return property.holds(other) === verdict ? undefined : verdict;
  } catch {
    return undefined;
  }
}

/**
 * What a property that tells the members of reduced sets apart is told, by the reduction and by
 * --audit: the one set whose renaming alone changes its verdict, or the sets whose renaming
 * together does.
 */
export function asymmetricPropertyMessage(property: string, sets: readonly string[], holdsOnState: boolean): string {
  const declared = sets.map((set) => `'${set}'`).join(', ');
  return (
    `the property ${property} tells the ${sets.join(' and ')} apart: it ${holdsOnState ? 'holds' : 'fails'} on a state and ${holdsOnState ? 'fails' : 'holds'} on its representative; ` +
    `declare distinguishes: [${declared}] on it (--symmetry ${sets.join(' or ')} is then refused), or make it treat them alike`
  );
}
