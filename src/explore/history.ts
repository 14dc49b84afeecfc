/**
 * Tracking the history that checked properties declare (see `History` in src/model.ts): the
 * model is wrapped so that each state carries, beside the model's own state, one list of numbers
 * per such property, updated on every step and encoded after the state's own words. A run whose
 * properties declare no history checks the model itself, unchanged: its state count stays the
 * same. Properties receive the model's state and their own history; traces show both.
 */
import type { History, Model, Property, StepDescription, Symmetry, WordReader, WordWriter } from '../model.ts';
import { selectProperties } from './select-properties.ts';
import { shownValue } from '../thrown.ts';

/** A state of the model, with the history of each property that declares one. */
export interface Tracked<State> {
  readonly state: State;
  readonly histories: readonly (readonly number[])[];
}

/**
 * The model as a run checks it: exactly the properties named (by default those not optional; see
 * selectProperties), tracking the histories they declare.
 */
export function withCheckedProperties<State, Action>(model: Model<State, Action>, names?: readonly string[]): Model<State, Action> {
  return trackHistory(selectProperties(model, names));
}

/** The model, wrapped to track its properties' histories; the model itself when none declares one. */
export function trackHistory<State, Action>(model: Model<State, Action>): Model<State, Action> {
  if (!model.properties.some((property) => property.history)) return model;
  return new HistoryTracking(model) as unknown as Model<State, Action>;
}

export class HistoryTracking<State, Action> implements Model<Tracked<State>, Action> {
  readonly name: string;
  readonly properties: readonly Property<Tracked<State>>[];
  readonly participants?: readonly string[];
  readonly diagramOmits?: readonly string[];
  readonly semantics?: Readonly<Record<string, string>>;
  readonly symmetry?: Symmetry<Tracked<State>>;
  readonly describeStep?: (state: Tracked<State>, action: Action) => StepDescription;
  private readonly histories: readonly History<State>[];
  /** The name of the property each history is, for errors. */
  private readonly historyOwners: readonly string[];

  constructor(readonly base: Model<State, Action>) {
    this.name = base.name;
    if (base.participants) this.participants = base.participants;
    if (base.diagramOmits) this.diagramOmits = base.diagramOmits;
    if (base.semantics) this.semantics = base.semantics;
    const histories: History<State>[] = [];
    const owners: string[] = [];
    this.properties = base.properties.map((property) => {
      const history = property.history;
      const slot = history ? histories.push(history) - 1 : -1;
      if (history) owners.push(property.name);
      const { holds, explain } = property;
      const wrapped: Property<Tracked<State>> = {
        name: property.name,
        kind: property.kind,
        holds: slot < 0 ? (tracked) => holds(tracked.state) : (tracked) => holds(tracked.state, tracked.histories[slot]),
        ...(explain
          ? { explain: slot < 0 ? (tracked) => explain(tracked.state) : (tracked) => explain(tracked.state, tracked.histories[slot]) }
          : {}),
        ...(property.distinguishes ? { distinguishes: property.distinguishes } : {}),
        ...(property.optional ? { optional: property.optional } : {}),
      };
      return wrapped;
    });
    this.histories = histories;
    this.historyOwners = owners;
    const symmetry = base.symmetry;
    if (symmetry) {
      // Sound because a history does not tell apart the members of a set its property does not
      // name in `distinguishes` (the History contract), and SymmetryReduction refuses those sets.
      // Histories are the same across an orbit (the same contract), so an exact representative stays exact.
      this.symmetry = {
        sets: symmetry.sets,
        ...(symmetry.sizes ? { sizes: symmetry.sizes } : {}),
        ...(symmetry.exact ? { exact: symmetry.exact } : {}),
        representative: (tracked, sets, orbit) => {
          const state = symmetry.representative(tracked.state, sets, orbit);
          return state === tracked.state ? tracked : { state, histories: tracked.histories };
        },
      };
    }
    const describeStep = base.describeStep;
    if (describeStep) this.describeStep = (tracked, action) => describeStep.call(base, tracked.state, action);
  }

  initialStates(): readonly Tracked<State>[] {
    return this.base.initialStates().map((state) => ({
      state,
      histories: this.histories.map((history, slot) => this.checked(history.initial(state), slot, 'initial')),
    }));
  }

  actions(tracked: Tracked<State>, out: Action[]): void {
    this.base.actions(tracked.state, out);
  }

  nextState(tracked: Tracked<State>, action: Action): Tracked<State> | undefined {
    const next = this.base.nextState(tracked.state, action);
    if (next === undefined) return undefined;
    const histories = this.histories.map((history, slot) => {
      const before = tracked.histories[slot]!;
      const after = history.next(before, tracked.state, next);
      // The same array when nothing changed: checked when it was made.
      return after === before ? after : this.checked(after, slot, 'next');
    });
    return { state: next, histories };
  }

  /**
   * A history as given, once it is known to be what its words can hold: a list of 32-bit signed
   * integers. Any other number would be encoded as another (NaN as 0), and the property judged on
   * numbers its spec never gave.
   */
  private checked(history: readonly number[], slot: number, made: 'initial' | 'next'): readonly number[] {
    const where = `property ${this.historyOwners[slot]}'s history: ${made} gave`;
    if (!Array.isArray(history)) throw new TypeError(`${where} ${shownValue(history)}, not a list of numbers`);
    for (let index = 0; index < history.length; index++) {
      const word = history[index];
      if (typeof word !== 'number' || (word | 0) !== word) {
        throw new RangeError(`${where} ${shownValue(word)} at index ${index} (a history holds 32-bit signed integers)`);
      }
    }
    return history;
  }

  encode(tracked: Tracked<State>, out: WordWriter): void {
    this.base.encode(tracked.state, out);
    for (const history of tracked.histories) {
      out.push(history.length);
      for (const word of history) out.push(word);
    }
  }

  decode(input: WordReader): Tracked<State> {
    const state = this.base.decode(input);
    const histories = this.histories.map(() => {
      const length = input.next();
      const words: number[] = new Array(length);
      for (let i = 0; i < length; i++) words[i] = input.next();
      return words;
    });
    return { state, histories };
  }

  formatAction(tracked: Tracked<State>, action: Action): string {
    return this.base.formatAction ? this.base.formatAction(tracked.state, action) : JSON.stringify(action);
  }

  describeState(tracked: Tracked<State>): Record<string, unknown> {
    const view: Record<string, unknown> = { ...(this.base.describeState ? this.base.describeState(tracked.state) : { state: tracked.state }) };
    this.histories.forEach((history, slot) => {
      if (!history.describe) return;
      for (const [key, value] of Object.entries(history.describe(tracked.histories[slot]!))) {
        const existing = view[key];
        const mergeable = (entry: unknown) => entry !== null && typeof entry === 'object' && !Array.isArray(entry);
        view[key] = mergeable(existing) && mergeable(value) ? { ...(existing as object), ...(value as object) } : value;
      }
    });
    return view;
  }
}

/**
 * Where the properties' histories show in a state's description (see HistoryTracking.describeState):
 * a top-level key of its own (`[key]`), or a key merged into a record the model describes
 * (`[key, field]`). Which histories a run tracks depends on the properties it checks, so a
 * comparison of two runs' states leaves these out.
 */
export function historyPaths<State>(model: Model<State, unknown>, state: State): string[][] {
  const paths: string[][] = [];
  for (const property of model.properties) {
    const history = property.history;
    if (!history?.describe) continue;
    for (const [key, value] of Object.entries(history.describe(history.initial(state)))) {
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) for (const field of Object.keys(value)) paths.push([key, field]);
      else paths.push([key]);
    }
  }
  return paths;
}
