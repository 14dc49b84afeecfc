/**
 * A breadth-first explorer written as plainly as possible, as an oracle for the engine: states are
 * told apart by their whole encoding as a string key in a Map (no fingerprints, no packed frontier,
 * no trace store), successors are built with nextState alone (no fast paths), and each state keeps
 * its path. It knows the engine's semantics and nothing of its code: a new state is checked against
 * the always properties when found and witnesses sometimes properties then; a state with no
 * successor but itself is checked against the terminal properties after its expansion. A property
 * that declares a history gets its own, carried beside each state and part of what tells states
 * apart. Slow and memory-hungry by design: for configurations of at most some hundred thousand states.
 */
import { WordWriter, type Model, type Property } from '../../src/model.ts';
import type { CheckResult } from '../../src/explore/result.ts';

/** The counts when a state was found: those a run that stops at that state reports. */
export interface NaiveMoment {
  readonly distinctStates: number;
  readonly transitions: number;
  readonly depth: number;
}

export interface NaiveViolation {
  readonly property: string;
  /** The initial state's index, then each step's action index. */
  readonly path: readonly number[];
  /**
   * The counts the run reports: for an always property, of the moment the violating state was
   * found; for a terminal one, of the moment its expansion showed it terminal.
   */
  readonly moment: NaiveMoment;
}

export interface NaiveRun {
  /** A depth limit cut something off: some state at the limit has a successor found nowhere else. */
  readonly cutOff: boolean;
  /**
   * With `maxStates`: the run stopped at a new state met once that many were known, and reports
   * the counts of the moment that state was met (its step counted, the state not).
   */
  readonly stoppedAtMaxStates?: NaiveMoment;
  readonly distinctStates: number;
  readonly transitions: number;
  /** States on the longest shortest path (the initial states are at depth 1). */
  readonly depth: number;
  /** Each sometimes property's name and whether some state satisfied it. */
  readonly witnessed: readonly (readonly [string, boolean])[];
  /** When the last sometimes property to be witnessed was (when every one was). */
  readonly lastWitness?: NaiveMoment;
  readonly violation?: NaiveViolation;
}

interface Found<State> {
  readonly state: State;
  /** Each property's history (empty for one that declares none). */
  readonly histories: readonly (readonly number[])[];
  readonly path: readonly number[];
}

export interface NaiveOptions<State> {
  /**
   * The states at this depth are not expanded: their successors are looked at, to learn whether
   * the limit cut anything off, and to judge terminal states; the transitions they take count only
   * when nothing was cut off (the run is then the full run).
   */
  readonly maxDepth?: number;
  /** Symmetry reduction: each state found is replaced by this state of its orbit, and explored from it. */
  readonly representative?: (state: State) => State;
  /** Stop at the first new state met once this many are known (all initial states are kept). */
  readonly maxStates?: number;
}

/** More states than a naive explorer should be asked to hold. */
const TOO_MANY = 2_000_000;

export function exploreNaively<State, Action>(model: Model<State, Action>, properties: readonly Property<State>[], options: NaiveOptions<State> = {}): NaiveRun {
  const maxDepth = options.maxDepth ?? Number.POSITIVE_INFINITY;
  const maxStates = options.maxStates ?? Number.POSITIVE_INFINITY;
  const representativeOf = options.representative ?? ((state: State) => state);
  const always = properties.filter((property) => property.kind === 'always');
  const terminal = properties.filter((property) => property.kind === 'terminal');
  const sometimes = properties.filter((property) => property.kind === 'sometimes');
  const witnessed = new Set<string>();
  const writer = new WordWriter();
  const keyOf = (state: State, histories: readonly (readonly number[])[]): string => {
    writer.reset();
    model.encode(state, writer);
    return `${Array.from(writer.view()).join(',')}|${histories.map((history) => history.join(',')).join('|')}`;
  };
  const initialHistories = (state: State) => properties.map((property) => property.history?.initial(state) ?? []);
  const nextHistories = (histories: readonly (readonly number[])[], from: State, to: State) =>
    properties.map((property, index) => property.history?.next(histories[index]!, from, to) ?? []);
  const historyOf = (property: Property<State>, histories: readonly (readonly number[])[]) =>
    property.history ? histories[properties.indexOf(property)] : undefined;
  const seen = new Set<string>();
  let transitions = 0;
  let limitTransitions = 0;
  let cutOff = false;
  let depth = 0;
  let lastWitness: NaiveMoment | undefined;
  const result = (violation?: NaiveViolation, stoppedAtMaxStates?: NaiveMoment): NaiveRun => ({
    cutOff,
    ...(stoppedAtMaxStates ? { stoppedAtMaxStates } : {}),
    distinctStates: seen.size,
    transitions: cutOff ? transitions : transitions + limitTransitions,
    depth,
    witnessed: sometimes.map((property) => [property.name, witnessed.has(property.name)] as const),
    ...(lastWitness ? { lastWitness } : {}),
    ...(violation ? { violation } : {}),
  });
  /** The first always property the state fails, after noting what it witnesses. */
  const failedOnArrival = (state: State, histories: readonly (readonly number[])[], moment: NaiveMoment): Property<State> | undefined => {
    for (const property of sometimes) if (property.holds(state, historyOf(property, histories))) witnessed.add(property.name);
    if (!lastWitness && sometimes.length > 0 && witnessed.size === sometimes.length) lastWitness = moment;
    return always.find((property) => !property.holds(state, historyOf(property, histories)));
  };

  let level: Found<State>[] = [];
  const initialStates = model.initialStates();
  for (let index = 0; index < initialStates.length; index++) {
    const concrete = initialStates[index]!;
    // As the engine does: a history follows the states as the model gives them, then the state is reduced.
    const histories = initialHistories(concrete);
    const state = representativeOf(concrete);
    const key = keyOf(state, histories);
    if (seen.has(key)) continue;
    seen.add(key);
    depth = 1;
    const path = [index];
    const moment = { distinctStates: seen.size, transitions, depth };
    const failed = failedOnArrival(state, histories, moment);
    if (failed) return result({ property: failed.name, path, moment });
    level.push({ state, histories, path });
  }
  while (level.length > 0) {
    const next: Found<State>[] = [];
    for (const { state, histories, path } of level) {
      const atLimit = path.length >= maxDepth;
      const ownKey = keyOf(state, histories);
      const actions: Action[] = [];
      model.actions(state, actions);
      let hasOtherSuccessor = false;
      for (let index = 0; index < actions.length; index++) {
        const concrete = model.nextState(state, actions[index]!);
        if (concrete === undefined) continue;
        const successorHistories = nextHistories(histories, state, concrete);
        const successor = representativeOf(concrete);
        if (atLimit) limitTransitions++;
        else transitions++;
        const key = keyOf(successor, successorHistories);
        if (key === ownKey) continue;
        hasOtherSuccessor = true;
        if (seen.has(key)) continue;
        if (atLimit) {
          cutOff = true;
          continue;
        }
        if (seen.size >= maxStates) return result(undefined, { distinctStates: seen.size, transitions, depth });
        seen.add(key);
        if (seen.size > TOO_MANY) throw new Error(`more than ${TOO_MANY} states: too many for the naive explorer`);
        depth = path.length + 1;
        const successorPath = [...path, index];
        const successorMoment = { distinctStates: seen.size, transitions, depth };
        const failed = failedOnArrival(successor, successorHistories, successorMoment);
        if (failed) return result({ property: failed.name, path: successorPath, moment: successorMoment });
        next.push({ state: successor, histories: successorHistories, path: successorPath });
      }
      if (!hasOtherSuccessor) {
        const failed = terminal.find((property) => !property.holds(state, historyOf(property, histories)));
        // Met while expanding (or probing, at the limit): the counts of that moment, what this
        // expansion found included, and the probes' transitions unless something was cut off.
        const now = { distinctStates: seen.size, transitions: cutOff ? transitions : transitions + limitTransitions, depth };
        if (failed) return result({ property: failed.name, path, moment: now });
      }
    }
    level = next;
  }
  return result();
}

/** The counts to compare, of a naive run or of the engine's report. */
export function countsOf(run: NaiveRun | { readonly result: CheckResult }): NaiveMoment {
  const { distinctStates, transitions, depth } = 'result' in run ? run.result.statistics : run;
  return { distinctStates, transitions, depth };
}
