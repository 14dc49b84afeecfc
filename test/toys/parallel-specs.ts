/**
 * The toy models as spec files, for the parallel explorer's tests: worker threads build their
 * model by importing a spec, so the in-process toys of the explorer contract cannot reach them.
 * Each named export is a spec; parameters choose the variants the contract exercises (sizes,
 * self-loops, duplicate initial states, properties of each kind, a model or property that throws).
 */
import { isMainThread } from 'node:worker_threads';
import { defineSpec, type Model, type Property } from '../../src/model.ts';
import { countersModel, type CounterAction, type Counters } from './counters.ts';
import { stoppingCounterModel, terminalIsDone, type Stopping, type StoppingAction } from './stopping-counter.ts';
import { cycleModel } from './cycle.ts';

const always = (name: string, holds: (state: Counters) => boolean): Property<Counters> => ({ name, kind: 'always', holds });
const sometimes = (name: string, holds: (state: Counters) => boolean): Property<Counters> => ({ name, kind: 'sometimes', holds });
const terminal = (name: string, holds: (state: Counters) => boolean): Property<Counters> => ({ name, kind: 'terminal', holds });

const PROPERTIES = {
  none: () => [],
  'in-range': (maxX: number, maxY: number) => [always('InRange', (state) => state.x <= maxX && state.y <= maxY)],
  'not-two-three': () => [
    always('InRange', () => true),
    always('NotTwoThree', (state) => !(state.x === 2 && state.y === 3)),
  ],
  /** Two invariants that fail at the same depth on different states: the first met is reported. */
  'two-bad-diagonals': () => [
    always('NotThreeOne', (state) => !(state.x === 3 && state.y === 1)),
    always('NotOneThree', (state) => !(state.x === 1 && state.y === 3)),
  ],
  'not-corner': (maxX: number, maxY: number) => [always('NotCorner', (state) => !(state.x === maxX && state.y === maxY))],
  sometimes: (maxX: number, maxY: number) => [
    sometimes('Corner', (state) => state.x === maxX && state.y === maxY),
    sometimes('Start', (state) => state.x === 0),
    sometimes('Diagonal', (state) => state.x === state.y && state.x > 1),
  ],
  'never-sometimes': () => [sometimes('Reached', (state) => state.x === 1), sometimes('Never1', () => false)],
  'terminal-corner': (maxX: number, maxY: number) => [terminal('AtCorner', (state) => state.x === maxX && state.y === maxY)],
  'terminal-never': () => [terminal('Never', () => false)],
  fragile: () => [
    always('Fragile', (state) => {
      if (state.y === 2 && state.x >= 1) throw new TypeError('cannot read');
      return true;
    }),
  ],
} as const;

const FAULTS = ['none', 'next-throws', 'decode-throws', 'actions-throw', 'encode-throws', 'loops-in-threads'] as const;

function withFault(base: Model<Counters, CounterAction>, fault: (typeof FAULTS)[number]): Model<Counters, CounterAction> {
  switch (fault) {
    case 'none':
      return base;
    case 'next-throws':
      return {
        ...base,
        nextState(state, action) {
          if (action === 'incX' && state.x === 2 && state.y >= 1) throw new Error('boom');
          return base.nextState(state, action);
        },
      };
    case 'decode-throws':
      return {
        ...base,
        decode(input) {
          const state = base.decode(input);
          if (state.x === 2 && state.y === 1) throw new Error('bad encoding');
          return state;
        },
      };
    case 'actions-throw':
      return {
        ...base,
        actions(state, out) {
          if (state.x === 1 && state.y === 2) throw new Error('no actions');
          base.actions(state, out);
        },
      };
    case 'loops-in-threads':
      // Only a worker thread's step never returns: the main thread, free, must stop waiting for it.
      // From level 21 on, past the states a thread expands to compare its model (modelSignature's
      // 128 take it to level 16): nearer, the thread would loop before it took any unit.
      return {
        ...base,
        nextState(state, action) {
          while (!isMainThread && state.x + state.y >= 20);
          return base.nextState(state, action);
        },
      };
    case 'encode-throws':
      return {
        ...base,
        encode(state, out) {
          if (state.x === 3 && state.y === 2) throw new Error('cannot encode');
          base.encode(state, out);
        },
      };
  }
}

export const counters = defineSpec({
  name: 'counters',
  description: 'two counters, each action increments one (a toy for the parallel explorer tests)',
  parameters: {
    maxX: { type: 'integer', min: 0, max: 5000, default: 5, description: 'largest x' },
    maxY: { type: 'integer', min: 0, max: 5000, default: 5, description: 'largest y' },
    selfLoop: { type: 'choice', choices: ['no', 'yes'], default: 'no', description: 'a stay action in every state' },
    wrap: { type: 'choice', choices: ['no', 'yes'], default: 'no', description: 'a counter at its largest goes back to 0' },
    initial: {
      type: 'choice',
      choices: ['origin', 'duplicates', 'corner-too', 'none'],
      default: 'origin',
      description: 'the initial states',
    },
    properties: {
      type: 'choice',
      choices: Object.keys(PROPERTIES) as (keyof typeof PROPERTIES)[],
      default: 'none',
      description: 'which properties',
    },
    fault: { type: 'choice', choices: FAULTS, default: 'none', description: 'where the model throws' },
  },
  build: ({ maxX, maxY, selfLoop, wrap, initial, properties, fault }) => {
    const initialStates: Record<typeof initial, readonly Counters[]> = {
      origin: [{ x: 0, y: 0 }],
      duplicates: [{ x: Math.min(2, maxX), y: 0 }, { x: Math.min(2, maxX), y: 0 }, { x: 0, y: Math.min(2, maxY) }, { x: Math.min(2, maxX), y: 0 }],
      'corner-too': [{ x: 0, y: 0 }, { x: maxX, y: maxY }],
      none: [],
    };
    const base = countersModel({
      maxX,
      maxY,
      selfLoop: selfLoop === 'yes',
      wrap: wrap === 'yes',
      initial: initialStates[initial],
      properties: PROPERTIES[properties](maxX, maxY),
    });
    return withFault(base, fault);
  },
});

export const stopping = defineSpec({
  name: 'stopping',
  description: 'the stopping counter: terminal states, one of them bad',
  parameters: {
    property: { type: 'choice', choices: ['done', 'moved', 'unfinished'], default: 'done', description: 'the terminal property' },
    reset: { type: 'choice', choices: ['no', 'yes'], default: 'no', description: 'a step from (1,done) back to (0,-)' },
  },
  build: ({ property, reset }): Model<Stopping, StoppingAction | 'reset'> => {
    const properties = {
      done: terminalIsDone,
      moved: { name: 'Moved', kind: 'terminal', holds: (state: Stopping) => state.n >= 1 },
      // Fails at (1,done), found after (2,-) at the same depth: behind a depth limit that cuts (3,-) off.
      unfinished: { name: 'NeverFinished', kind: 'terminal', holds: (state: Stopping) => !state.done },
    } as const;
    const base = stoppingCounterModel([properties[property]]);
    if (reset === 'no') return base;
    // (1,done) then has a successor, one found before: it is not terminal, even behind a cut-off.
    return {
      ...base,
      actions(state, out) {
        base.actions(state, out as StoppingAction[]);
        out.push('reset');
      },
      nextState: (state, action) => (action !== 'reset' ? base.nextState(state, action) : state.done ? { n: 0, done: false } : undefined),
    };
  },
});

export const cycle = defineSpec({
  name: 'cycle',
  description: 'a ring of states',
  parameters: {
    size: { type: 'integer', min: 1, max: 100_000, default: 7, description: 'states in the ring' },
  },
  build: ({ size }) => cycleModel(size, [{ name: 'Never', kind: 'terminal', holds: () => false }]),
});

/**
 * (level, index): `roots` roots, `width` children each, each with `fanout` leaves; leaves are
 * terminal. With `leaves` above 0 the children share that many leaves (child c's action a leads to
 * leaf (37c + 13a) mod leaves), so most leaves are found by several children, far apart.
 */
interface Fan {
  readonly level: number;
  readonly index: number;
}

export const fan = defineSpec({
  name: 'fan',
  description: 'roots, width children each, width * fanout leaves under each root: one level far wider than the one before',
  parameters: {
    roots: { type: 'integer', min: 1, max: 1000, default: 1, description: 'initial states' },
    width: { type: 'integer', min: 1, max: 1000, default: 8, description: 'children of a root' },
    fanout: { type: 'integer', min: 1, max: 65_536, default: 8000, description: 'leaves under each child' },
    leaves: { type: 'integer', min: 0, max: 1_000_000, default: 0, description: 'leaves the children share (0: none shared)' },
  },
  build: ({ roots, width, fanout, leaves }): Model<Fan, number> => ({
    name: 'fan',
    initialStates: () => Array.from({ length: roots }, (_, index) => ({ level: 0, index })),
    actions(state, out) {
      const count = state.level === 0 ? width : state.level === 1 ? fanout : 0;
      for (let action = 0; action < count; action++) out.push(action);
    },
    nextState: (state, action) =>
      state.level === 0
        ? { level: 1, index: state.index * width + action }
        : { level: 2, index: leaves > 0 ? (state.index * 37 + action * 13) % leaves : state.index * fanout + action },
    encode(state, out) {
      out.push(state.level);
      out.push(state.index);
    },
    decode(input) {
      const level = input.next();
      const index = input.next();
      return { level, index };
    },
    properties: [
      { name: 'LastLeaf', kind: 'sometimes', holds: (state) => state.level === 2 && state.index === roots * width * fanout - 1 },
      { name: 'LeavesAreLeaves', kind: 'terminal', holds: (state) => state.level === 2 },
    ],
  }),
});
