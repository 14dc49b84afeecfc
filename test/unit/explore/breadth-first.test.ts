import { describe, it, expect } from 'vitest';
import { placeOf } from '../../places.ts';
import { exploreBreadthFirst } from '../../../src/explore/breadth-first.ts';
import type { Model } from '../../../src/model.ts';
import { explorerContract } from './explorer-contract.ts';
import { countersModel, type CounterAction, type Counters } from '../../toys/counters.ts';

explorerContract('exploreBreadthFirst', exploreBreadthFirst);

describe('exploreBreadthFirst', () => {
  it('returns the visited set and trace store, one record per distinct state', async () => {
    const { result, visited, traces } = await exploreBreadthFirst(countersModel({ maxX: 3, maxY: 4 }));
    expect(result.status).toBe('ok');
    expect(visited.size).toBe(20);
    expect(traces.size).toBe(20);
    // Records are in breadth-first discovery order: (0,0); (1,0) (0,1); (2,0) (1,1) (0,2); ...
    expect(traces.pathTo(0)).toEqual({ initial: 0, actions: [] });
    expect(traces.pathTo(1)).toEqual({ initial: 0, actions: [0] });
    expect(traces.pathTo(2)).toEqual({ initial: 0, actions: [1] });
    expect(traces.pathTo(3)).toEqual({ initial: 0, actions: [0, 0] });
    expect(traces.pathTo(4)).toEqual({ initial: 0, actions: [0, 1] });
    expect(traces.pathTo(5)).toEqual({ initial: 0, actions: [1, 1] });
    expect(traces.pathTo(19)).toEqual({ initial: 0, actions: [0, 0, 0, 1, 1, 1, 1] });
    expect(result.statistics.storeBytes).toBe(visited.approximateBytes() + traces.approximateBytes());
  });

  it('finds the first shortest counterexample in breadth-first order, and stops there', async () => {
    const { result } = await exploreBreadthFirst(
      countersModel({
        maxX: 5,
        maxY: 5,
        properties: [{ name: 'NotTwoThree', kind: 'always', holds: (state) => !(state.x === 2 && state.y === 3) }],
      }),
    );
    expect(result.violation?.path).toEqual({ initial: 0, actions: [0, 0, 1, 1, 1] });
    expect(result.statistics.depth).toBe(6);
    // Levels 1..5 hold 1+2+3+4+5 = 15 states; level 6 has (5,0) (4,1) (3,2) (2,3) when (2,3) is met.
    expect(result.statistics.distinctStates).toBe(19);
  });

  it('reports where a model threw: depth, action and path of the state being expanded', async () => {
    const base = countersModel({ maxX: 5, maxY: 5 });
    const model: Model<Counters, CounterAction> = {
      ...base,
      nextState(state, action) {
        if (action === 'incX' && state.x === 2) throw new Error('boom');
        return base.nextState(state, action);
      },
    };
    const { result } = await exploreBreadthFirst(model);
    expect(result.error).toEqual({
      code: 'model-threw',
      message: `boom at ${placeOf('test/unit/explore/breadth-first.test.ts', "action === 'incX' && state.x === 2) throw", 'new Error')} (in action increment x, expanding a state at depth 3)`,
      depth: 3,
      action: 'increment x',
      path: { initial: 0, actions: [0, 0] },
      statePath: { initial: 0, actions: [0, 0] },
    });
  });

  it('describes an action with JSON when the model has no formatAction', async () => {
    const { formatAction: _unused, ...base } = countersModel({ maxX: 5, maxY: 5 });
    const model: Model<Counters, CounterAction> = {
      ...base,
      nextState(state, action) {
        if (action === 'incY' && state.y === 1) throw new Error('boom');
        return base.nextState(state, action);
      },
    };
    const { result } = await exploreBreadthFirst(model);
    expect(result.error?.message).toBe(`boom at ${placeOf('test/unit/explore/breadth-first.test.ts', "action === 'incY' && state.y === 1) throw", 'new Error')} (in action "incY", expanding a state at depth 2)`);
  });

  it('blames the state being decoded when decode throws', async () => {
    const base = countersModel({ maxX: 5, maxY: 5 });
    const model: Model<Counters, CounterAction> = {
      ...base,
      decode(input) {
        const state = base.decode(input);
        if (state.x === 2 && state.y === 0) throw new Error('bad encoding');
        return state;
      },
    };
    const { result } = await exploreBreadthFirst(model);
    expect(result.status).toBe('error');
    // (2,0) is the 4th state discovered, at depth 3, reached by increment x twice.
    expect(result.error).toEqual({
      code: 'model-threw',
      message: `bad encoding at ${placeOf('test/unit/explore/breadth-first.test.ts', "new Error('bad encoding')")} (decoding a state at depth 3)`,
      depth: 3,
      path: { initial: 0, actions: [0, 0] },
      statePath: { initial: 0, actions: [0, 0] },
    });
  });

  it('expands the decoded state, not the object nextState returned', async () => {
    // nextState returns objects with an extra field the encoding drops; actions must not see it.
    type Tagged = Counters & { readonly tag?: string };
    const base = countersModel({ maxX: 2, maxY: 2 });
    let sawTag = 0;
    const model: Model<Tagged, CounterAction> = {
      ...base,
      actions(state, out) {
        if (state.tag !== undefined) sawTag++;
        base.actions(state, out);
      },
      nextState(state, action) {
        const next = base.nextState(state, action);
        return next && { ...next, tag: 'not encoded' };
      },
    };
    const { result } = await exploreBreadthFirst(model);
    expect(result.statistics.distinctStates).toBe(9);
    expect(sawTag).toBe(0);
  });

  it('stops at the first violating initial state, with depth 1', async () => {
    const { result } = await exploreBreadthFirst(
      countersModel({
        maxX: 3,
        maxY: 3,
        initial: [{ x: 0, y: 0 }, { x: 3, y: 3 }, { x: 1, y: 1 }],
        properties: [{ name: 'NotCorner', kind: 'always', holds: (state) => !(state.x === 3 && state.y === 3) }],
      }),
    );
    expect(result.statistics.distinctStates).toBe(2);
    expect(result.statistics.depth).toBe(1);
    expect(result.statistics.transitions).toBe(0);
  });
});
