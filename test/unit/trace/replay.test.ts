import { describe, it, expect } from 'vitest';
import { ReplayError, formatAction, normalise, replayPath } from '../../../src/trace/replay.ts';
import { exploreBreadthFirst } from '../../../src/explore/breadth-first.ts';
import type { Model } from '../../../src/model.ts';
import { countersModel, type CounterAction, type Counters } from '../../toys/counters.ts';
import { nondeterministicModel } from '../../toys/nondeterministic.ts';

function replayErrorOf(run: () => unknown): ReplayError {
  try {
    run();
  } catch (error) {
    if (error instanceof ReplayError) return error;
    throw error;
  }
  throw new Error('expected a ReplayError, nothing was thrown');
}

describe('replayPath', () => {
  const model = countersModel({ maxX: 2, maxY: 2, initial: [{ x: 0, y: 0 }, { x: 1, y: 2 }] });

  it('replays a path, returning each step with its action and text', () => {
    const trace = replayPath(model, { initial: 0, actions: [0, 1, 0] });
    expect(trace.token).toBe('0/0/1/0');
    expect(trace.path).toEqual({ initial: 0, actions: [0, 1, 0] });
    expect(trace.steps).toEqual([
      { state: { x: 0, y: 0 } },
      { action: 'incX', actionIndex: 0, actionText: 'increment x', state: { x: 1, y: 0 } },
      { action: 'incY', actionIndex: 1, actionText: 'increment y', state: { x: 1, y: 1 } },
      { action: 'incX', actionIndex: 0, actionText: 'increment x', state: { x: 2, y: 1 } },
    ]);
  });

  it('starts from the named initial state', () => {
    const trace = replayPath(model, { initial: 1, actions: [] });
    expect(trace.token).toBe('1');
    expect(trace.steps).toEqual([{ state: { x: 1, y: 2 } }]);
  });

  it('refuses an initial index the model does not have, at step 0', () => {
    const error = replayErrorOf(() => replayPath(model, { initial: 2, actions: [0] }));
    expect(error.name).toBe('ReplayError');
    expect(error.problem).toBe('no-such-initial-state');
    expect(error.step).toBe(0);
    expect(error.message).toBe('the trace starts from initial state 2, but the model has initial states 0 to 1');
  });

  it('refuses an action index out of range, naming the step', () => {
    const error = replayErrorOf(() => replayPath(model, { initial: 0, actions: [0, 0, 2] }));
    expect(error.problem).toBe('no-such-action');
    expect(error.step).toBe(3);
    expect(error.message).toBe('step 3 takes action 2, but the model offers only 2 actions there');
  });

  it('refuses a disabled action, naming the step and the action', () => {
    // From (1,2), increment y is disabled.
    const error = replayErrorOf(() => replayPath(model, { initial: 1, actions: [0, 1] }));
    expect(error.problem).toBe('action-disabled');
    expect(error.step).toBe(2);
    expect(error.message).toBe('step 2: action increment y is not enabled');
  });

  it('names the step and what the model was doing when it throws', () => {
    const boom = (where: string) => () => {
      throw new Error(`boom in ${where}`);
    };
    const cases: [Model<Counters, CounterAction>, string][] = [
      [{ ...model, initialStates: boom('initialStates') }, 'the model threw at step 0 of the trace (building the initial states): boom in initialStates'],
      [{ ...model, nextState: (state, action) => (state.x === 1 ? boom('nextState')() : model.nextState(state, action)) }, 'the model threw at step 2 of the trace (in action increment y): boom in nextState'],
    ];
    for (const [throwing, message] of cases) {
      const error = replayErrorOf(() => replayPath(throwing, { initial: 0, actions: [0, 1] }));
      expect(error.problem).toBe('model-threw');
      expect(error.message).toBe(message);
    }
  });

  it('keeps the trace when formatAction throws: that step shows the action as JSON and what formatAction threw', () => {
    const throwing: Model<Counters, CounterAction> = {
      ...model,
      formatAction: (state, action) => {
        if (state.x === 1) throw new Error('boom in format');
        return action;
      },
    };
    const trace = replayPath(throwing, { initial: 0, actions: [0, 1] });
    expect(trace.steps.map((step) => step.actionText)).toEqual([undefined, 'incX', '"incY" (formatAction threw: boom in format)']);
    expect(trace.steps[2]!.state).toEqual({ x: 1, y: 1 });
  });

  it('passes states through their encoding, as the explorer does', () => {
    type Tagged = Counters & { readonly tag?: string };
    const base = countersModel({ maxX: 2, maxY: 2 });
    const tagged: Model<Tagged, CounterAction> = {
      ...base,
      initialStates: () => [{ x: 0, y: 0, tag: 'dropped by encode' }],
      nextState: (state, action) => {
        const next = base.nextState(state, action);
        return next && { ...next, tag: 'dropped by encode' };
      },
    };
    const trace = replayPath(tagged, { initial: 0, actions: [1] });
    expect(trace.steps.map((step) => step.state)).toEqual([
      { x: 0, y: 0 },
      { x: 0, y: 1 },
    ]);
  });

  it('accepts a path whose every state the search visited', async () => {
    const { visited, traces } = await exploreBreadthFirst(countersModel({ maxX: 2, maxY: 2 }));
    const trace = replayPath(countersModel({ maxX: 2, maxY: 2 }), traces.pathTo(8), visited);
    expect(trace.steps.length).toBe(5);
    expect(trace.steps[4]!.state).toEqual({ x: 2, y: 2 });
  });

  it('detects a nondeterministic model from the visited set, naming the first step that differs', async () => {
    const model = nondeterministicModel();
    const { result, visited, traces } = await exploreBreadthFirst(model);
    expect(result.statistics.distinctStates).toBe(4);
    const path = traces.pathTo(3);
    expect(path).toEqual({ initial: 0, actions: [0, 0, 0] });
    const error = replayErrorOf(() => replayPath(model, path, visited));
    expect(error.problem).toBe('nondeterministic');
    expect(error.step).toBe(1);
    expect(error.message).toMatch(/^replay reached a state at step 1 that the search never saw: the model is nondeterministic/);
  });

  it('without a visited set, replays a nondeterministic model without complaint', () => {
    const trace = replayPath(nondeterministicModel(), { initial: 0, actions: [0, 0] });
    expect(trace.steps.map((step) => step.state)).toEqual([
      { x: 0, stamp: 0 },
      { x: 1, stamp: 0 },
      { x: 2, stamp: 1 },
    ]);
  });
});

describe('normalise and formatAction', () => {
  it('normalise round-trips a state through its encoding', () => {
    const model = countersModel({ maxX: 2, maxY: 2 });
    const state = { x: 2, y: 1, extra: true } as Counters;
    expect(normalise(model, state)).toEqual({ x: 2, y: 1 });
  });

  it('formatAction uses the model formatter, or JSON', () => {
    const model = countersModel({ maxX: 2, maxY: 2 });
    expect(formatAction(model, { x: 0, y: 0 }, 'incY')).toBe('increment y');
    const { formatAction: _unused, ...plain } = model;
    expect(formatAction(plain, { x: 0, y: 0 }, 'incY')).toBe('"incY"');
  });

  it('formatAction never throws: an action JSON cannot hold is shown as Node inspects it', () => {
    const model = countersModel({ maxX: 2, maxY: 2 });
    const { formatAction: _unused, ...plain } = model;
    const cyclic: Record<string, unknown> = { kind: 'loop' };
    cyclic.self = cyclic;
    expect(formatAction(plain as Model<Counters, unknown>, { x: 0, y: 0 }, 3n)).toBe('3n');
    expect(formatAction(plain as Model<Counters, unknown>, { x: 0, y: 0 }, cyclic)).toBe("<ref *1> { kind: 'loop', self: [Circular *1] }");
    // On one line however long: it goes into one-line errors.
    const many = { kind: 'step', ids: [0n, 1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n] };
    expect(formatAction(plain as Model<Counters, unknown>, { x: 0, y: 0 }, many)).toBe("{ kind: 'step', ids: [ 0n, 1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n ] }");
    const failing = {
      ...plain,
      formatAction: () => {
        throw new Error('first line\nsecond line');
      },
    } as Model<Counters, unknown>;
    expect(formatAction(failing, { x: 0, y: 0 }, 1n)).toBe('1n (formatAction threw: first line [and 1 more line])');
  });
});
