/**
 * A random state graph, for differential tests of the explorers against the naive one
 * (test/specs/random-graphs.test.ts): states are the numbers below `states`, each with up to
 * `maxActions` actions leading to random states (itself among them: self-loops), some of them
 * disabled, from a few random initial states (repeats among them), with properties of each kind
 * (one of them keeping a history) present or not. The graph and its properties
 * are a function of `seed` alone, so a worker thread that builds the spec gets the same model.
 */
import { defineSpec, type Model, type Property } from '../../src/model.ts';

/** A small, well-mixed generator (mulberry32): the same seed, the same numbers. */
function generator(seed: number): (bound: number) => number {
  let value = seed >>> 0;
  return (bound) => {
    value = (value + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(value ^ (value >>> 15), 1 | value);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return Math.floor((((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296) * bound);
  };
}

/** Per state, its actions' targets; -1 for a disabled action. */
export interface RandomGraph {
  readonly targets: readonly (readonly number[])[];
  readonly initial: readonly number[];
  readonly properties: readonly Property<number>[];
}

export function randomGraph(seed: number, states: number, maxActions: number): RandomGraph {
  const random = generator(seed);
  const targets = Array.from({ length: states }, () =>
    Array.from({ length: random(maxActions + 1) }, () => (random(5) === 0 ? -1 : random(states))),
  );
  const initial = Array.from({ length: 1 + random(3) }, () => random(states));
  const properties: Property<number>[] = [];
  // Each kind of property present or not, so that some graphs check only sometimes properties
  // (which settle early) and some check none.
  if (random(2) === 0) {
    const bad = random(states);
    properties.push({ name: 'NotBad', kind: 'always', holds: (state) => state !== bad });
  }
  if (random(2) === 0) {
    const modulus = 2 + random(3);
    properties.push({ name: 'TerminalNotMultiple', kind: 'terminal', holds: (state) => state % modulus !== 0 });
  }
  if (random(2) === 0) {
    const wanted = random(states);
    properties.push({ name: 'ReachesWanted', kind: 'sometimes', holds: (state) => state === wanted });
  }
  if (random(3) === 0) {
    // A property with a history: steps down to a smaller state so far, up to `allowed` + 1.
    const allowed = random(3);
    properties.push({
      name: 'FewStepsDown',
      kind: 'always',
      history: {
        initial: () => [0],
        next: (history, from, to) => (to < from && history[0]! <= allowed ? [history[0]! + 1] : history),
      },
      holds: (_state, history) => history![0]! <= allowed,
    });
  }
  return { targets, initial, properties };
}

export function randomGraphModel(graph: RandomGraph): Model<number, number> {
  return {
    name: 'random graph',
    initialStates: () => graph.initial,
    actions(state, out) {
      for (let action = 0; action < graph.targets[state]!.length; action++) out.push(action);
    },
    nextState(state, action) {
      const target = graph.targets[state]![action]!;
      return target < 0 ? undefined : target;
    },
    encode(state, out) {
      out.push(state);
    },
    decode: (input) => input.next(),
    properties: graph.properties,
    formatAction: (state, action) => `${state} -> ${graph.targets[state]![action]}`,
  };
}

export default defineSpec({
  name: 'random-graph',
  description: 'a random state graph with random properties (a toy for differential tests)',
  parameters: {
    seed: { type: 'integer', min: 0, max: 1_000_000_000, default: 1, description: 'the graph and its properties' },
    states: { type: 'integer', min: 1, max: 100_000, default: 50, description: 'states (numbers below this)' },
    maxActions: { type: 'integer', min: 0, max: 16, default: 3, description: 'the most actions of a state' },
  },
  build: ({ seed, states, maxActions }) => randomGraphModel(randomGraph(seed, states, maxActions)),
});

/**
 * `processes` copies of one random automaton, each taking its own steps: a state lists each copy's
 * local state, and renaming the copies is a symmetry of the model (its properties look at the
 * local states as a multiset), for differential tests of symmetry reduction.
 */
export function randomProcessesModel(seed: number, locals: number, maxActions: number, processes: number): Model<readonly number[], number> {
  // An action is a copy and one of its automaton's edges, packed as copy * 16 + edge.
  if (maxActions > 16) throw new RangeError(`at most 16 actions a local state, got ${maxActions}`);
  const automaton = randomGraph(seed, locals, maxActions);
  const random = generator(seed ^ 0x5bd1e995);
  const bad = random(locals);
  const modulus = 2 + random(3);
  const wanted = random(locals);
  const properties: Property<readonly number[]>[] = [];
  if (random(2) === 0) properties.push({ name: 'NotAllBad', kind: 'always', holds: (state) => !state.every((local) => local === bad) });
  if (random(2) === 0) properties.push({ name: 'TerminalSumNotMultiple', kind: 'terminal', holds: (state) => state.reduce((sum, local) => sum + local, 0) % modulus !== 0 });
  if (random(2) === 0) properties.push({ name: 'SomeoneWanted', kind: 'sometimes', holds: (state) => state.includes(wanted) });
  const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));
  // Each copy starts at one of the automaton's initial states, in every combination: a set closed
  // under renaming, so that the orbit sizes the reduction reports add up to the unreduced count.
  const combinations = (length: number): number[][] =>
    length === 0 ? [[]] : combinations(length - 1).flatMap((rest) => automaton.initial.map((local) => [...rest, local]));
  const initialStates = combinations(processes);
  return {
    name: 'random processes',
    initialStates: () => initialStates,
    actions(state, out) {
      for (let process = 0; process < processes; process++) {
        for (let edge = 0; edge < automaton.targets[state[process]!]!.length; edge++) out.push(process * 16 + edge);
      }
    },
    nextState(state, action) {
      const process = action >> 4;
      const target = automaton.targets[state[process]!]![action & 15]!;
      if (target < 0) return undefined;
      const next = state.slice();
      next[process] = target;
      return next;
    },
    encode(state, out) {
      for (const local of state) out.push(local);
    },
    decode: (input) => Array.from({ length: processes }, () => input.next()),
    properties,
    symmetry: {
      sets: ['processes'],
      sizes: { processes },
      exact: true,
      representative(state, _sets, orbit) {
        const sorted = state.slice().sort((a, b) => a - b);
        // The distinct orderings of the multiset: n! over the factorial of each repeat count.
        let size = factorial(processes);
        for (let at = 0; at < sorted.length; ) {
          let end = at;
          while (end < sorted.length && sorted[end] === sorted[at]) end++;
          size /= factorial(end - at);
          at = end;
        }
        orbit.size = size;
        return sorted;
      },
    },
  };
}

export const randomProcesses = defineSpec({
  name: 'random-processes',
  description: 'copies of one random automaton, symmetric in the copies (a toy for differential tests)',
  parameters: {
    seed: { type: 'integer', min: 0, max: 1_000_000_000, default: 1, description: 'the automaton and the properties' },
    locals: { type: 'integer', min: 1, max: 1000, default: 6, description: 'local states of the automaton' },
    maxActions: { type: 'integer', min: 0, max: 16, default: 3, description: 'the most actions of a local state' },
    processes: { type: 'integer', min: 1, max: 4, default: 2, description: 'copies' },
  },
  build: ({ seed, locals, maxActions, processes }) => randomProcessesModel(seed, locals, maxActions, processes),
});
