/**
 * A breadth-first explorer written as plainly as possible, as an oracle for the engine: states are
 * told apart by their whole encoding as a string key in a Map (no fingerprints, no packed frontier,
 * no trace store), successors are built with nextState alone (no fast paths), and each state keeps
 * its path. It knows the engine's semantics and nothing of its code: a new state is checked against
 * the always properties when found and witnesses sometimes properties then; a state with no
 * successor but itself is checked against the terminal properties after its expansion. Slow and
 * memory-hungry by design: for configurations of at most some hundred thousand states.
 */
import { WordWriter, type Model, type Property } from '../../src/model.ts';

export interface NaiveViolation {
  readonly property: string;
  /** The initial state's index, then each step's action index. */
  readonly path: readonly number[];
}

export interface NaiveRun {
  /** A depth limit cut something off: some state at the limit has a successor found nowhere else. */
  readonly cutOff: boolean;
  readonly distinctStates: number;
  readonly transitions: number;
  /** States on the longest shortest path (the initial states are at depth 1). */
  readonly depth: number;
  /** Each sometimes property's name and whether some state satisfied it. */
  readonly witnessed: readonly (readonly [string, boolean])[];
  readonly violation?: NaiveViolation;
}

interface Found<State> {
  readonly state: State;
  readonly path: readonly number[];
}

/**
 * With `maxDepth`, the states at that depth are not expanded: their successors are looked at, to
 * learn whether the limit cut anything off, and to judge terminal states; the transitions they take
 * count only when nothing was cut off (the run is then the full run).
 */
export function exploreNaively<State, Action>(
  model: Model<State, Action>,
  properties: readonly Property<State>[],
  maxDepth = Number.POSITIVE_INFINITY,
  maxStates = 2_000_000,
): NaiveRun {
  for (const property of properties) {
    if (property.history) throw new Error(`the naive explorer does not keep histories (${property.name})`);
  }
  const always = properties.filter((property) => property.kind === 'always');
  const terminal = properties.filter((property) => property.kind === 'terminal');
  const sometimes = properties.filter((property) => property.kind === 'sometimes');
  const witnessed = new Set<string>();
  const writer = new WordWriter();
  const keyOf = (state: State): string => {
    writer.reset();
    model.encode(state, writer);
    return Array.from(writer.view()).join(',');
  };
  const seen = new Set<string>();
  let transitions = 0;
  let limitTransitions = 0;
  let cutOff = false;
  let depth = 0;
  const result = (violation?: NaiveViolation): NaiveRun => ({
    cutOff,
    distinctStates: seen.size,
    transitions: cutOff ? transitions : transitions + limitTransitions,
    depth,
    witnessed: sometimes.map((property) => [property.name, witnessed.has(property.name)] as const),
    ...(violation ? { violation } : {}),
  });
  /** The first always property the state fails, after noting what it witnesses. */
  const failedOnArrival = (state: State): Property<State> | undefined => {
    for (const property of sometimes) if (property.holds(state)) witnessed.add(property.name);
    return always.find((property) => !property.holds(state));
  };

  let level: Found<State>[] = [];
  const initialStates = model.initialStates();
  for (let index = 0; index < initialStates.length; index++) {
    const state = initialStates[index]!;
    const key = keyOf(state);
    if (seen.has(key)) continue;
    seen.add(key);
    depth = 1;
    const path = [index];
    const failed = failedOnArrival(state);
    if (failed) return result({ property: failed.name, path });
    level.push({ state, path });
  }
  while (level.length > 0) {
    const next: Found<State>[] = [];
    for (const { state, path } of level) {
      const atLimit = path.length >= maxDepth;
      const ownKey = keyOf(state);
      const actions: Action[] = [];
      model.actions(state, actions);
      let hasOtherSuccessor = false;
      for (let index = 0; index < actions.length; index++) {
        const successor = model.nextState(state, actions[index]!);
        if (successor === undefined) continue;
        if (atLimit) limitTransitions++;
        else transitions++;
        const key = keyOf(successor);
        if (key === ownKey) continue;
        hasOtherSuccessor = true;
        if (seen.has(key)) continue;
        if (atLimit) {
          cutOff = true;
          continue;
        }
        seen.add(key);
        if (seen.size > maxStates) throw new Error(`more than ${maxStates} states: too many for the naive explorer`);
        depth = path.length + 1;
        const successorPath = [...path, index];
        const failed = failedOnArrival(successor);
        if (failed) return result({ property: failed.name, path: successorPath });
        next.push({ state: successor, path: successorPath });
      }
      if (!hasOtherSuccessor) {
        const failed = terminal.find((property) => !property.holds(state));
        if (failed) return result({ property: failed.name, path });
      }
    }
    level = next;
  }
  return result();
}
