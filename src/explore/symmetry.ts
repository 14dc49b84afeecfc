/**
 * Symmetry reduction as a model transformer: the reduced model encodes every state as the
 * representative of its orbit, so the explorer's visited set holds one fingerprint per orbit and
 * the frontier continues from representatives. Verdicts are unchanged as long as every property
 * is symmetric in the named sets, which is checked here (a property that `distinguishes` a set
 * refuses the reduction).
 */
import type { Model, StepDescription, WordReader, WordWriter } from '../model.ts';

export class SymmetryError extends Error {
  override readonly name = 'SymmetryError';
}

export class SymmetryReduction<State, Action> implements Model<State, Action> {
  readonly name: string;
  readonly properties: Model<State, Action>['properties'];
  readonly participants?: readonly string[];
  readonly semantics: Readonly<Record<string, string>>;
  readonly describeStep?: (state: State, action: Action) => StepDescription;
  /** Orbit size of the state encoded last (0 when the model does not know it). */
  orbitOfLastEncoded = 0;
  /** Time spent computing representatives, in milliseconds. */
  canonicalisingMilliseconds = 0;
  private readonly orbit = { size: 0 };

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
    this.base.encode(representative, out);
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
