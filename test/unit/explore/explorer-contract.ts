/**
 * The contract every explorer must pass, written once over the explorer function. Today only the
 * breadth-first explorer runs it; a parallel explorer joins by calling `explorerContract` with a
 * function of the same shape. Assertions here are about verdicts and, for complete runs, exact
 * counts; details that depend on exploration order (which violating state is met first, the
 * statistics of a stopped run) belong in the explorer's own tests.
 */
import { describe, it, expect } from 'vitest';
import { placeOf } from '../../places.ts';
import type { Model, Property } from '../../../src/model.ts';
import type { CheckResult, ExploreOptions } from '../../../src/explore/result.ts';
import { collisionProbability } from '../../../src/store/fingerprint.ts';
import { replayPath } from '../../../src/trace/replay.ts';
import { countersFigures, countersModel, type CounterAction, type Counters } from '../../toys/counters.ts';
import { stoppingCounterModel, terminalIsDone, type Stopping } from '../../toys/stopping-counter.ts';
import { cycleModel } from '../../toys/cycle.ts';
import { ActorSystem, type Role } from '../../../src/actors/system.ts';
import { natural, record, union } from '../../../src/actors/codec.ts';

export type Explorer = <State, Action>(
  model: Model<State, Action>,
  options?: ExploreOptions,
) => Promise<{ readonly result: CheckResult }>;

const always = (name: string, holds: (state: Counters) => boolean): Property<Counters> => ({ name, kind: 'always', holds });
const sometimes = (name: string, holds: (state: Counters) => boolean): Property<Counters> => ({
  name,
  kind: 'sometimes',
  holds,
});
const terminal = <State>(name: string, holds: (state: State) => boolean): Property<State> => ({
  name,
  kind: 'terminal',
  holds,
});

/** The state a path leads to, replayed through the model. */
function endOf<State, Action>(model: Model<State, Action>, path: { initial: number; actions: readonly number[] }): State {
  const steps = replayPath(model, path).steps;
  return steps[steps.length - 1]!.state;
}

/** A model with 2001 x 2001 = 4,004,001 states: far more than any limit test lets run. */
const BIG = { maxX: 2000, maxY: 2000 } as const;
const BIG_STATES = 2001 * 2001;

const countsOfResult = (result: CheckResult) => [result.statistics.distinctStates, result.statistics.transitions, result.statistics.depth];

export function explorerContract(name: string, explore: Explorer): void {
  describe(`explorer contract: ${name}`, () => {
    describe('state counts', () => {
      for (const [maxX, maxY] of [
        [0, 0],
        [1, 0],
        [0, 4],
        [3, 5],
        [20, 30],
        [200, 150],
      ] as const) {
        it(`two counters 0..${maxX} x 0..${maxY}: exactly (m+1)(n+1) states, m(n+1)+n(m+1) transitions, depth m+n+1`, async () => {
          const { result } = await explore(countersModel({ maxX, maxY }));
          const figures = countersFigures(maxX, maxY);
          expect(result.status).toBe('ok');
          expect(result.statistics.distinctStates).toBe(figures.distinctStates);
          expect(result.statistics.transitions).toBe(figures.transitions);
          expect(result.statistics.depth).toBe(figures.depth);
          expect(result.statistics.collisionProbability).toBe(collisionProbability(figures.distinctStates));
          expect(result.properties).toEqual([]);
          expect(result.violation).toBeUndefined();
          expect(result.incompleteReason).toBeUndefined();
          expect(result.error).toBeUndefined();
        });
      }

      it('counts self-loops as transitions but not as states', async () => {
        const { result } = await explore(countersModel({ maxX: 2, maxY: 2, selfLoop: true }));
        expect(result.status).toBe('ok');
        expect(result.statistics.distinctStates).toBe(9);
        expect(result.statistics.transitions).toBe(12 + 9);
        expect(result.statistics.depth).toBe(5);
      });

      it('explores a cycle once: n states, n transitions, depth n', async () => {
        const { result } = await explore(cycleModel(7));
        expect(result.status).toBe('ok');
        expect(result.statistics.distinctStates).toBe(7);
        expect(result.statistics.transitions).toBe(7);
        expect(result.statistics.depth).toBe(7);
      });

      it('a model with no initial states is an error, with nothing explored: it would pass every property vacuously', async () => {
        const { result } = await explore(countersModel({ maxX: 3, maxY: 3, initial: [] }));
        expect(result.status).toBe('error');
        expect(result.error).toMatchObject({
          code: 'model-contract',
          message: 'the model has no initial states (initialStates returned none): there is nothing to check (while building the initial states)',
        });
        expect(result.statistics.distinctStates).toBe(0);
        expect(result.statistics.transitions).toBe(0);
        expect(result.statistics.depth).toBe(0);
      });
    });

    describe('initial states', () => {
      it('counts duplicate initial states once', async () => {
        const { result } = await explore(
          countersModel({ maxX: 2, maxY: 2, initial: [{ x: 2, y: 0 }, { x: 2, y: 0 }, { x: 0, y: 2 }, { x: 2, y: 0 }] }),
        );
        // From (2,0): (2,0) (2,1) (2,2); from (0,2): (0,2) (1,2) and (2,2) again.
        expect(result.status).toBe('ok');
        expect(result.statistics.distinctStates).toBe(5);
        expect(result.statistics.transitions).toBe(4);
        expect(result.statistics.depth).toBe(3);
      });

      it('explores from every initial state', async () => {
        const { result } = await explore(countersModel({ maxX: 3, maxY: 3, initial: [{ x: 3, y: 0 }, { x: 0, y: 3 }] }));
        expect(result.status).toBe('ok');
        expect(result.statistics.distinctStates).toBe(7);
        expect(result.statistics.transitions).toBe(6);
        expect(result.statistics.depth).toBe(4);
      });

      it('paths name the initial state by its index among the initial states, duplicates included', async () => {
        const model = countersModel({
          maxX: 2,
          maxY: 2,
          initial: [{ x: 2, y: 0 }, { x: 2, y: 0 }, { x: 0, y: 2 }],
          properties: [always('NotOneTwo', (state) => !(state.x === 1 && state.y === 2))],
        });
        const { result } = await explore(model);
        expect(result.status).toBe('violation');
        expect(result.violation?.path).toEqual({ initial: 2, actions: [0] });
      });

      it('finds a violation in an initial state, with an empty path', async () => {
        const model = countersModel({
          maxX: 3,
          maxY: 3,
          initial: [{ x: 0, y: 0 }, { x: 3, y: 3 }],
          properties: [always('NotCorner', (state) => !(state.x === 3 && state.y === 3))],
        });
        const { result } = await explore(model);
        expect(result.status).toBe('violation');
        expect(result.violation).toEqual({ property: 'NotCorner', kind: 'always', path: { initial: 1, actions: [] } });
      });
    });

    describe('always', () => {
      const model = countersModel({
        maxX: 5,
        maxY: 5,
        properties: [
          always('InRange', (state) => state.x <= 5 && state.y <= 5),
          always('NotTwoThree', (state) => !(state.x === 2 && state.y === 3)),
        ],
      });

      it('reports a reachable bad state with a shortest path to it', async () => {
        const { result } = await explore(model);
        expect(result.status).toBe('violation');
        expect(result.violation?.property).toBe('NotTwoThree');
        expect(result.violation?.kind).toBe('always');
        const path = result.violation!.path!;
        expect(path.initial).toBe(0);
        expect(path.actions.length).toBe(5);
        expect(endOf(model, path)).toEqual({ x: 2, y: 3 });
        expect(result.properties).toEqual([
          { name: 'InRange', kind: 'always', holds: true, witnessed: true },
          { name: 'NotTwoThree', kind: 'always', holds: false, witnessed: false },
        ]);
        expect(result.error).toBeUndefined();
        expect(result.incompleteReason).toBeUndefined();
      });

      it('is ok when every invariant holds, and says so for each', async () => {
        const { result } = await explore(
          countersModel({ maxX: 5, maxY: 5, properties: [always('InRange', (state) => state.x <= 5 && state.y <= 5)] }),
        );
        expect(result.status).toBe('ok');
        expect(result.statistics.distinctStates).toBe(36);
        expect(result.properties).toEqual([{ name: 'InRange', kind: 'always', holds: true, witnessed: true }]);
      });
    });

    describe('states are checked in the order they are found', () => {
      // 0 has successors 1 and 2, found in that order; 1 has none (it ends the run), and 2
      // breaks the invariant. `expandOne` says what expanding 1 does: end (no action) or throw.
      const fork = (expandOne: 'end' | 'throw'): Model<number, number> => ({
        name: 'fork',
        initialStates: () => [0],
        actions: (state, out) => {
          if (state === 0) out.push(1, 2);
          if (state === 1 && expandOne === 'throw') throw new Error('one cannot be expanded');
        },
        nextState: (_state, action) => action,
        encode: (state, out) => out.push(state),
        decode: (input) => input.next(),
        properties: [
          { name: 'NotTwo', kind: 'always', holds: (state) => state !== 2 },
          { name: 'NotEndingAtOne', kind: 'terminal', holds: (state) => state !== 1 },
        ],
      });

      it('an invariant broken by a state found before a terminal state is expanded is the violation', async () => {
        const { result } = await explore(fork('end'));
        expect(result.status).toBe('violation');
        expect(result.violation?.property).toBe('NotTwo');
        expect(result.violation?.path).toEqual({ initial: 0, actions: [1] });
        // The counts of the moment state 2 was found: 3 states, 2 transitions, depth 2.
        expect([result.statistics.distinctStates, result.statistics.transitions, result.statistics.depth]).toEqual([3, 2, 2]);
      });

      it('an invariant broken by a state found before the model throws is the violation', async () => {
        const { result } = await explore(fork('throw'));
        expect(result.status).toBe('violation');
        expect(result.violation?.property).toBe('NotTwo');
        expect(result.error).toBeUndefined();
      });

      it('a violation found before --max-states is reached is reported, with the counts of the moment it was found', async () => {
        const model = countersModel({ maxX: 5, maxY: 5, properties: [always('NotTwoThree', (state) => !(state.x === 2 && state.y === 3))] });
        const { result: unlimited } = await explore(model);
        expect(unlimited.status).toBe('violation');
        const { distinctStates, transitions, depth } = unlimited.statistics;
        // The limit is reached right after the violating state is found, long before it is expanded.
        const { result } = await explore(model, { maxStates: distinctStates });
        expect(result.status).toBe('violation');
        expect(result.incompleteReason).toBeUndefined();
        expect([result.statistics.distinctStates, result.statistics.transitions, result.statistics.depth]).toEqual([
          distinctStates,
          transitions,
          depth,
        ]);
        expect(result.violation?.path).toEqual(unlimited.violation?.path);
      });
    });

    describe('sometimes', () => {
      it('a property never satisfied is a violation with no path, after a complete search', async () => {
        const { result } = await explore(
          countersModel({
            maxX: 3,
            maxY: 3,
            properties: [
              always('InRange', (state) => state.x <= 3),
              sometimes('XReachesFour', (state) => state.x === 4),
            ],
          }),
        );
        expect(result.status).toBe('violation');
        expect(result.violation).toEqual({ property: 'XReachesFour', kind: 'sometimes' });
        expect(result.violation?.path).toBeUndefined();
        expect(result.statistics.distinctStates).toBe(16);
        expect(result.properties).toEqual([
          { name: 'InRange', kind: 'always', holds: true, witnessed: true },
          { name: 'XReachesFour', kind: 'sometimes', holds: false, witnessed: false },
        ]);
      });

      it('a satisfied property is witnessed, with a shortest path to a witness', async () => {
        const model = countersModel({
          maxX: 3,
          maxY: 3,
          properties: [sometimes('Corner', (state) => state.x === 3 && state.y === 3), sometimes('Start', (state) => state.x === 0)],
        });
        const { result } = await explore(model);
        expect(result.status).toBe('ok');
        expect(result.violation).toBeUndefined();
        const [corner, start] = result.properties;
        expect(corner).toMatchObject({ name: 'Corner', kind: 'sometimes', holds: true, witnessed: true });
        expect(corner!.witness!.actions.length).toBe(6);
        expect(endOf(model, corner!.witness!)).toEqual({ x: 3, y: 3 });
        expect(start).toEqual({ name: 'Start', kind: 'sometimes', holds: true, witnessed: true, witness: { initial: 0, actions: [] } });
      });

      it('reports the first unwitnessed property when several are never satisfied', async () => {
        const { result } = await explore(
          countersModel({
            maxX: 1,
            maxY: 1,
            properties: [
              sometimes('Reached', (state) => state.x === 1),
              sometimes('Never1', () => false),
              sometimes('Never2', () => false),
            ],
          }),
        );
        expect(result.status).toBe('violation');
        expect(result.violation).toEqual({ property: 'Never1', kind: 'sometimes' });
        expect(result.properties.map((outcome) => outcome.witnessed)).toEqual([true, false, false]);
      });
    });

    describe('terminal', () => {
      it('a terminal state that fails the property is a violation with the path to it; self-loops do not count', async () => {
        const model = stoppingCounterModel([terminalIsDone]);
        const { result } = await explore(model);
        expect(result.status).toBe('violation');
        // (3, not done) has only the idle self-loop, so it is terminal; (1, done) is terminal and fine.
        expect(result.violation).toEqual({ property: 'TerminalIsDone', kind: 'terminal', path: { initial: 0, actions: [0, 0, 0] } });
        expect(endOf(model, result.violation!.path!)).toEqual({ n: 3, done: false });
        expect(result.properties).toEqual([{ name: 'TerminalIsDone', kind: 'terminal', holds: false, witnessed: false }]);
      });

      it('is ok when every terminal state satisfies the property', async () => {
        const { result } = await explore(stoppingCounterModel([terminal<Stopping>('Moved', (state) => state.n >= 1)]));
        expect(result.status).toBe('ok');
        expect(result.statistics.distinctStates).toBe(5);
        expect(result.statistics.transitions).toBe(9);
        expect(result.statistics.depth).toBe(4);
        expect(result.properties).toEqual([{ name: 'Moved', kind: 'terminal', holds: true, witnessed: true }]);
      });

      it('checks terminal properties only on terminal states', async () => {
        // With self-loops everywhere, the only terminal state is (2,2).
        const holds = await explore(
          countersModel({ maxX: 2, maxY: 2, selfLoop: true, properties: [terminal('AtCorner', (state) => state.x === 2 && state.y === 2)] }),
        );
        expect(holds.result.status).toBe('ok');
        const model = countersModel({ maxX: 2, maxY: 2, selfLoop: true, properties: [terminal('Never', () => false)] });
        const fails = await explore(model);
        expect(fails.result.status).toBe('violation');
        expect(fails.result.violation?.kind).toBe('terminal');
        expect(fails.result.violation?.path?.actions.length).toBe(4);
        expect(endOf(model, fails.result.violation!.path!)).toEqual({ x: 2, y: 2 });
      });

      it('a state whose only successor is an earlier state is not terminal', async () => {
        const { result } = await explore(cycleModel(4, [terminal<number>('Never', () => false)]));
        expect(result.status).toBe('ok');
        expect(result.statistics.distinctStates).toBe(4);
      });
    });

    describe('limits', () => {
      it('maxStates stops with exactly that many states, incomplete', async () => {
        const { result } = await explore(countersModel({ maxX: 4, maxY: 4 }), { maxStates: 10 });
        expect(result.status).toBe('incomplete');
        expect(result.incompleteReason).toBe('max-states');
        expect(result.statistics.distinctStates).toBe(10);
        expect(result.violation).toBeUndefined();
      });

      it('maxStates one short of the space is incomplete', async () => {
        const { result } = await explore(countersModel({ maxX: 4, maxY: 4 }), { maxStates: 24 });
        expect(result.status).toBe('incomplete');
        expect(result.incompleteReason).toBe('max-states');
        expect(result.statistics.distinctStates).toBe(24);
      });

      it('maxStates equal to the size of the space is ok', async () => {
        const { result } = await explore(countersModel({ maxX: 4, maxY: 4 }), { maxStates: 25 });
        expect(result.status).toBe('ok');
        expect(result.incompleteReason).toBeUndefined();
        expect(result.statistics.distinctStates).toBe(25);
        expect(result.statistics.transitions).toBe(40);
      });

      it('a run stopped by a limit does not report an unwitnessed sometimes property', async () => {
        const { result } = await explore(
          countersModel({ maxX: 4, maxY: 4, properties: [sometimes('Corner', (state) => state.x === 4 && state.y === 4)] }),
          { maxStates: 10 },
        );
        expect(result.status).toBe('incomplete');
        expect(result.violation).toBeUndefined();
        expect(result.properties).toEqual([{ name: 'Corner', kind: 'sometimes', holds: false, witnessed: false }]);
      });

      it('a bad state beyond maxStates is not reached: incomplete, not ok', async () => {
        const { result } = await explore(
          countersModel({ maxX: 4, maxY: 4, properties: [always('NotCorner', (state) => !(state.x === 4 && state.y === 4))] }),
          { maxStates: 20 },
        );
        expect(result.status).toBe('incomplete');
        expect(result.incompleteReason).toBe('max-states');
      });

      // A state is checked when found: a limit met later does not undo what its check decided.
      const witnessedAtTwoThree = countersModel({
        maxX: 5,
        maxY: 5,
        properties: [sometimes('TwoThree', (state) => state.x === 2 && state.y === 3)],
      });
      const countsOf = (result: CheckResult) => [result.statistics.distinctStates, result.statistics.transitions, result.statistics.depth];

      it('the last witness found before --max-states is reached settles the run: ok, with the counts of that moment', async () => {
        const { result: unlimited } = await explore(witnessedAtTwoThree);
        expect(unlimited.status).toBe('ok');
        expect(unlimited.settledEarly).toBe(true);
        const { result } = await explore(witnessedAtTwoThree, { maxStates: unlimited.statistics.distinctStates });
        expect(result.status).toBe('ok');
        expect(result.settledEarly).toBe(true);
        expect(result.incompleteReason).toBeUndefined();
        expect(countsOf(result)).toEqual(countsOf(unlimited));
        expect(result.properties).toEqual(unlimited.properties);
      });

      it('the last witness found at the depth limit settles the run: ok, with the counts of that moment', async () => {
        const { result: unlimited } = await explore(witnessedAtTwoThree);
        // (2, 3) is 5 steps from (0, 0): depth 6.
        const { result } = await explore(witnessedAtTwoThree, { maxDepth: 6 });
        expect(result.status).toBe('ok');
        expect(result.settledEarly).toBe(true);
        expect(countsOf(result)).toEqual(countsOf(unlimited));
      });

      it('a bad state at the depth limit is the violation, with the counts of the moment it was found', async () => {
        const model = countersModel({ maxX: 5, maxY: 5, properties: [always('NotTwoThree', (state) => !(state.x === 2 && state.y === 3))] });
        const { result: unlimited } = await explore(model);
        const { result } = await explore(model, { maxDepth: 6 });
        expect(result.status).toBe('violation');
        expect(result.incompleteReason).toBeUndefined();
        expect(countsOf(result)).toEqual(countsOf(unlimited));
        expect(result.violation?.path).toEqual(unlimited.violation?.path);
      });

      it('maxDepth stops expanding at that depth: incomplete', async () => {
        const { result } = await explore(countersModel({ maxX: 3, maxY: 3 }), { maxDepth: 3 });
        expect(result.status).toBe('incomplete');
        expect(result.incompleteReason).toBe('max-depth');
        // Depths 1, 2 and 3 hold 1 + 2 + 3 states.
        expect(result.statistics.distinctStates).toBe(6);
        expect(result.statistics.depth).toBe(3);
      });

      it('Ctrl-C while it checks the rest of the level at the limit, after the limit cut something off, stops the run there', async () => {
        // A root with 5,000 children, each with one child: at maxDepth 2 the first child's probe
        // cuts the limit, and the other children are still checked, slowly. Ctrl-C comes at the second.
        const width = 5000;
        const interrupt = new AbortController();
        const wide: Model<number, number> = {
          name: 'wide',
          initialStates: () => [0],
          actions: (state, out) => {
            if (state === 0) for (let child = 1; child <= width; child++) out.push(child);
            else if (state <= width) out.push(state + width);
          },
          nextState: (_state, action) => action,
          encode: (state, out) => out.push(state),
          decode: (input) => input.next(),
          properties: [
            {
              name: 'Slow',
              kind: 'always',
              holds: (state) => {
                if (state === 2) interrupt.abort();
                for (const until = performance.now() + 0.05; performance.now() < until; );
                return true;
              },
            },
          ],
        };
        const { result } = await explore(wide, { maxDepth: 2, signal: interrupt.signal });
        expect(result.status).toBe('incomplete');
        expect(result.incompleteReason).toBe('interrupted');
        expect(result.statistics.distinctStates).toBeLessThan(1 + width);
      });

      it('maxDepth 1 expands nothing', async () => {
        const { result } = await explore(countersModel({ maxX: 3, maxY: 3 }), { maxDepth: 1 });
        expect(result.status).toBe('incomplete');
        expect(result.incompleteReason).toBe('max-depth');
        expect(result.statistics.distinctStates).toBe(1);
        expect(result.statistics.transitions).toBe(0);
      });

      it('maxDepth beyond the depth of the space is ok', async () => {
        const { result } = await explore(countersModel({ maxX: 3, maxY: 3 }), { maxDepth: 8 });
        expect(result.status).toBe('ok');
        expect(result.statistics.distinctStates).toBe(16);
      });

      describe('maxDepth is incomplete only when it cut something off', () => {
        // The result of a run without the limit, the figures that depend on timing left out.
        const fullResult = (result: CheckResult) => {
          const { seconds: _s, statesPerSecond: _r, peakMemoryBytes: _m, storeBytes: _b, ...statistics } = result.statistics;
          return { ...result, statistics };
        };
        const sameAsUnlimited = async <State, Action>(model: Model<State, Action>, maxDepth: number) => {
          const { result: unlimited } = await explore(model);
          const { result } = await explore(model, { maxDepth });
          expect(fullResult(result)).toEqual(fullResult(unlimited));
          return result;
        };

        it('maxDepth equal to the depth of the space is the full run: the deepest states lead nowhere new', async () => {
          const result = await sameAsUnlimited(countersModel({ maxX: 3, maxY: 3 }), 7);
          expect(result.status).toBe('ok');
          expect(countsOfResult(result)).toEqual([16, 24, 7]);
        });

        it('the transitions of the states at the limit count when it cut nothing off: self-loops too', async () => {
          const result = await sameAsUnlimited(countersModel({ maxX: 3, maxY: 3, selfLoop: true }), 7);
          expect(result.status).toBe('ok');
          expect(countsOfResult(result)).toEqual([16, 24 + 16, 7]);
        });

        it('a state at the limit whose only successor is an earlier state cuts nothing off, and is not terminal', async () => {
          const result = await sameAsUnlimited(cycleModel(4, [terminal<number>('Never', () => false)]), 4);
          expect(result.status).toBe('ok');
          expect(countsOfResult(result)).toEqual([4, 4, 4]);
        });

        it('a terminal state at the limit that fails a terminal property is the violation, as in the full run', async () => {
          // (3, not done), at depth 4, has only the idle self-loop.
          const stopping = await sameAsUnlimited(stoppingCounterModel([terminalIsDone]), 4);
          expect(stopping.violation).toEqual({ property: 'TerminalIsDone', kind: 'terminal', path: { initial: 0, actions: [0, 0, 0] } });
          expect(countsOfResult(stopping)).toEqual([5, 9, 4]);
          // (3, 3), at depth 7, is the only terminal state: its own self-loop does not count.
          const counters = await sameAsUnlimited(countersModel({ maxX: 3, maxY: 3, selfLoop: true, properties: [terminal('Never', () => false)] }), 7);
          expect(counters.status).toBe('violation');
          expect(counters.violation?.path?.actions).toHaveLength(6);
        });

        it('a terminal violation at the limit stands when a state after it cannot be decoded, as in the full run', async () => {
          // Two initial states: 1 is terminal and fails; 2 cannot be decoded (the model breaks its contract).
          const model: Model<number, number> = {
            name: 'terminal then undecodable',
            initialStates: () => [1, 2],
            actions: () => {},
            nextState: () => undefined,
            encode: (state, out) => out.push(state),
            decode: (input) => {
              const state = input.next();
              if (state === 2) throw new Error('cannot decode 2');
              return state;
            },
            properties: [terminal<number>('NotOne', (state) => state !== 1)],
          };
          const result = await sameAsUnlimited(model, 1);
          expect(result.status).toBe('violation');
          expect(result.violation).toEqual({ property: 'NotOne', kind: 'terminal', path: { initial: 0, actions: [] } });
        });

        it('a terminal state at the limit that satisfies the property leaves the run ok', async () => {
          const result = await sameAsUnlimited(stoppingCounterModel([terminal<Stopping>('Moved', (state) => state.n >= 1)]), 4);
          expect(result.status).toBe('ok');
        });

        it('a sometimes property never witnessed is a violation when the limit cut nothing off', async () => {
          const model = countersModel({ maxX: 2, maxY: 2, properties: [sometimes('Reached', (state) => state.x === 1), sometimes('Never', () => false)] });
          const result = await sameAsUnlimited(model, 5);
          expect(result.violation).toEqual({ property: 'Never', kind: 'sometimes' });
        });

        it('one state at the limit with a new successor makes the run incomplete, with the counts of a run that does not expand the limit', async () => {
          // Depth 3 of (2, 2) with self-loops: (2,0) (1,1) (0,2), each with a new successor.
          const { result } = await explore(countersModel({ maxX: 2, maxY: 2, selfLoop: true, properties: [terminal('Never', () => false)] }), {
            maxDepth: 3,
          });
          expect(result.status).toBe('incomplete');
          expect(result.incompleteReason).toBe('max-depth');
          // Depths 1 and 2 expanded (3 states, each with 2 increments and a self-loop); depth 3 found.
          expect(countsOfResult(result)).toEqual([6, 9, 3]);
          // The terminal state (2,2) lies beyond the limit: no verdict on it.
          expect(result.violation).toBeUndefined();
        });

        it('the model throwing at a state it probes at the limit is the full run\'s error', async () => {
          // (2,0), the first state at depth 3, throws on its second action, before any new successor.
          const model = countersModel({ maxX: 2, maxY: 1 });
          const throwing: Model<Counters, CounterAction> = {
            ...model,
            nextState: (state, action) => {
              if (state.x === 2 && state.y === 0 && action === 'incY') throw new Error('boom');
              return model.nextState(state, action);
            },
          };
          const result = await sameAsUnlimited(throwing, 3);
          expect(result.status).toBe('error');
          expect(result.error?.message).toBe(`boom at ${placeOf('test/unit/explore/explorer-contract.ts', "action === 'incY') throw new Error('boom')", 'new Error')} (in action increment y, expanding a state at depth 3)`);
        });

        it('probing a wide level at the limit still sees Ctrl-C: an aborted signal stops it, interrupted', async () => {
          // Every state is initial, so the first level is the limit: probed, never expanded, and
          // nothing before it pauses. Its 361,201 probes lead nowhere new (the run is otherwise ok).
          const side = 600;
          const initial: Counters[] = [];
          for (let x = 0; x <= side; x++) for (let y = 0; y <= side; y++) initial.push({ x, y });
          const model = countersModel({ maxX: side, maxY: side, initial });
          const { result: probed } = await explore(model, { maxDepth: 1 });
          expect(probed.status).toBe('ok');
          expect(probed.statistics.distinctStates).toBe(initial.length);
          const { result } = await explore(model, { maxDepth: 1, signal: AbortSignal.abort() });
          expect(result.status).toBe('incomplete');
          expect(result.incompleteReason).toBe('interrupted');
        }, 30_000);
      });

      it('an already-aborted signal stops a large run: incomplete, interrupted', async () => {
        const { result } = await explore(countersModel(BIG), { signal: AbortSignal.abort() });
        expect(result.status).toBe('incomplete');
        expect(result.incompleteReason).toBe('interrupted');
        expect(result.statistics.distinctStates).toBeGreaterThan(0);
        expect(result.statistics.distinctStates).toBeLessThan(BIG_STATES);
      }, 20_000);

      it('a signal aborted during the run stops it: incomplete, interrupted', async () => {
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), 30);
        try {
          const { result } = await explore(countersModel(BIG), { signal: controller.signal });
          expect(result.status).toBe('incomplete');
          expect(result.incompleteReason).toBe('interrupted');
          expect(result.statistics.distinctStates).toBeLessThan(BIG_STATES);
        } finally {
          clearTimeout(timer);
        }
      }, 20_000);

      it('maxSeconds stops a large run: incomplete, max-seconds', async () => {
        const { result } = await explore(countersModel(BIG), { maxSeconds: 0.05 });
        expect(result.status).toBe('incomplete');
        expect(result.incompleteReason).toBe('max-seconds');
        expect(result.statistics.distinctStates).toBeLessThan(BIG_STATES);
        expect(result.statistics.seconds).toBeGreaterThanOrEqual(0.05);
      }, 20_000);

      it('maxMemoryBytes below the resident set stops a large run: incomplete, max-memory', async () => {
        const { result } = await explore(countersModel(BIG), { maxMemoryBytes: 1 });
        expect(result.status).toBe('incomplete');
        expect(result.incompleteReason).toBe('max-memory');
        expect(result.statistics.distinctStates).toBeLessThan(BIG_STATES);
      }, 20_000);
    });

    describe('errors', () => {
      const nextWord = (input: { next(): number }) => input.next();

      it('a bad initial state found before encoding a later one throws is the violation, at depth 1', async () => {
        const model: Model<number, number> = {
          name: 'initial-then-throw',
          initialStates: () => [0, 1],
          actions: () => {},
          nextState: () => undefined,
          encode: (state, out) => {
            if (state === 1) throw new Error('cannot encode 1');
            out.push(state);
          },
          decode: nextWord,
          properties: [{ name: 'NotZero', kind: 'always', holds: (state) => state !== 0 }],
        };
        const { result } = await explore(model);
        expect(result.status).toBe('violation');
        expect(result.violation?.property).toBe('NotZero');
        expect(countsOfResult(result)).toEqual([1, 0, 1]);
      });

      it('a sometimes property that throws where another is witnessed: error, the witness kept', async () => {
        const model: Model<number, number> = {
          name: 'witness-then-throw',
          initialStates: () => [0],
          actions: (state, out) => {
            if (state < 3) out.push(state + 1);
          },
          nextState: (_state, action) => action,
          encode: (state, out) => out.push(state),
          decode: nextWord,
          properties: [
            { name: 'IsTwo', kind: 'sometimes', holds: (state) => state === 2 },
            {
              name: 'Throws',
              kind: 'sometimes',
              holds: (state) => {
                if (state === 2) throw new Error('boom');
                return false;
              },
            },
          ],
        };
        const { result } = await explore(model);
        expect(result.status).toBe('error');
        expect(result.error?.message).toContain('boom');
        expect(result.properties[0]!.witnessed).toBe(true);
      });

      it('a property that throws is described in the step that found its state, under an encoding that reorders the state', async () => {
        // The encoding sorts the pair: action indices on the path are those of the decoded states.
        const model: Model<number[], number> = {
          name: 'sorted-pair',
          initialStates: () => [[2, 0]],
          actions: (_state, out) => out.push(0, 1),
          nextState: (state, index) => (state[index]! >= 2 ? undefined : state.map((value, at) => (at === index ? value + 1 : value))),
          encode: (state, out) => [...state].sort().forEach((value) => out.push(value)),
          decode: (input) => [input.next(), input.next()],
          formatAction: (state, index) => `bump ${index} (=${state[index]})`,
          properties: [
            {
              name: 'Throws',
              kind: 'always',
              holds: (state) => {
                if (state[0] === 1 && state[1] === 2) throw new Error('boom');
                return true;
              },
            },
          ],
        };
        const { result } = await explore(model);
        expect(result.status).toBe('error');
        // [2,0] decodes as [0,2]; bumping slot 0 gives [1,2].
        expect(result.error?.message).toBe(`property 'Throws' threw: boom at ${placeOf('test/unit/explore/explorer-contract.ts', "state[1] === 2) throw new Error('boom')", 'new Error')} (checking the state reached by bump 0 (=0) from depth 1)`);
        // `path` leads to the state expanded, `statePath` one step further, to the state checked.
        expect(result.error?.path).toEqual({ initial: 0, actions: [] });
        expect(result.error?.statePath).toEqual({ initial: 0, actions: [0] });
      });

      it('a model whose nextState throws gives status error, naming the action', async () => {
        const base = countersModel({ maxX: 5, maxY: 5 });
        const model: Model<Counters, 'incX' | 'incY' | 'stay'> = {
          ...base,
          nextState(state, action) {
            if (action === 'incX' && state.x === 2) throw new Error('boom');
            return base.nextState(state, action);
          },
        };
        const { result } = await explore(model);
        expect(result.status).toBe('error');
        expect(result.error?.code).toBe('model-threw');
        expect(result.error?.message).toMatch(new RegExp(`^boom at ${placeOf('test/unit/explore/explorer-contract.ts', "state.x === 2) throw new Error('boom')", 'new Error')} \\(in action increment x, `));
        expect(result.error?.action).toBe('increment x');
        expect(result.violation).toBeUndefined();
      });

      it('a model that fingerprints its successors all at once and throws names the action that threw', async () => {
        // On the actors layer a timer runs when the successors are fingerprinted, all of a state's
        // in one call: the second timer throws once the first has fired twice.
        interface Local {
          readonly fired: number;
        }
        const role: Role<Local, { readonly type: 'Nothing' }> = {
          name: 'clock',
          prefix: 'clock',
          count: 1,
          codec: record({ fired: natural(7) }),
          initial: () => ({ fired: 0 }),
          receive() {},
          timers: [
            { name: 'Tick', enabled: (local) => local.fired < 5, fire: (context) => context.update({ fired: context.local.fired + 1 }) },
            {
              name: 'Check',
              enabled: () => true,
              fire(context) {
                if (context.local.fired === 2) throw new Error('boom');
              },
            },
          ],
        };
        const system = new ActorSystem<{ readonly type: 'Nothing' }>({
          name: 'clock',
          roles: [role],
          messageCodec: union<'type', { readonly type: 'Nothing' }>('type', { Nothing: record({}) }),
          network: 'bag',
          ignored: 'consume',
          properties: () => [],
          formatMessage: (message) => message.type,
        });
        const { result } = await explore(system.model);
        expect(result.status).toBe('error');
        expect(result.error?.message).toBe(`boom at ${placeOf('test/unit/explore/explorer-contract.ts', "fired === 2) throw new Error('boom')", 'new Error')} (in action clock1 Check, expanding a state at depth 3)`);
        expect(result.error?.action).toBe('clock1 Check');
      });

      it('a model whose initialStates throws gives status error', async () => {
        const model: Model<Counters, 'incX' | 'incY' | 'stay'> = {
          ...countersModel({ maxX: 1, maxY: 1 }),
          initialStates() {
            throw new Error('no start');
          },
        };
        const { result } = await explore(model);
        expect(result.status).toBe('error');
        expect(result.error).toEqual({ code: 'model-threw', message: `no start at ${placeOf('test/unit/explore/explorer-contract.ts', "throw new Error('no start')", 'new Error')} (while building the initial states)` });
      });

      it('a property that throws gives status error', async () => {
        const { result } = await explore(
          countersModel({
            maxX: 3,
            maxY: 3,
            properties: [
              always('Fragile', (state) => {
                if (state.y === 2) throw new TypeError('cannot read');
                return true;
              }),
            ],
          }),
        );
        expect(result.status).toBe('error');
        expect(result.error?.code).toBe('model-threw');
        // Which state with y = 2 is met first depends on the exploration order.
        expect(result.error?.message).toMatch(
          new RegExp(`^property 'Fragile' threw: cannot read at ${placeOf('test/unit/explore/explorer-contract.ts', "new TypeError('cannot read')")} \\(checking the state reached by increment [xy] from depth \\d+\\)$`),
        );
      });
    });
  });
}
