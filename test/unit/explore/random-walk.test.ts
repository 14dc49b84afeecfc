import { describe, expect, it } from 'vitest';
import { placeOf } from '../../places.ts';
import { simulate } from '../../../src/explore/random-walk.ts';
import { replayPath } from '../../../src/trace/replay.ts';
import { countersModel, type Counters } from '../../toys/counters.ts';

describe('random simulation', () => {
  it('walks to the terminal state, ignoring self-loops, and is never ok', async () => {
    const model = countersModel({ maxX: 3, maxY: 3, selfLoop: true });
    const { result, simulation } = await simulate(model, { runs: 20, depth: 100, seed: 1 });
    expect(result.status).toBe('incomplete');
    expect(result.incompleteReason).toBe('simulation');
    expect(simulation).toMatchObject({ runs: 20, steps: 120, endedTerminal: 20, endedAtDepth: 0, endedViolating: 0, violations: [] });
    expect(result.statistics.depth).toBe(7);
    expect(result.statistics.distinctStates).toBeGreaterThanOrEqual(7);
    expect(result.statistics.distinctStates).toBeLessThanOrEqual(16);
  });

  it('counts the run the model threw in: its steps are in the longest run', async () => {
    // x + y reaches 4 only after four steps, in the first run: the model throws there.
    const base = countersModel({ maxX: 3, maxY: 3 });
    const throwing = {
      ...base,
      nextState: (state: Counters, action: 'incX' | 'incY' | 'stay') => {
        const next = base.nextState(state, action);
        if (next && next.x + next.y === 4) throw new Error('boom');
        return next;
      },
    };
    const { result } = await simulate(throwing, { runs: 5, depth: 100, seed: 1 });
    expect(result.status).toBe('error');
    expect(result.error?.message).toBe(`boom at ${placeOf('test/unit/explore/random-walk.test.ts', "next.x + next.y === 4) throw", 'new Error')} (in run 0 after 3 steps)`);
    expect(result.statistics.depth).toBe(4);
  });

  it('stops each run at the depth bound', async () => {
    const { simulation, result } = await simulate(countersModel({ maxX: 3, maxY: 3 }), { runs: 5, depth: 2, seed: 9 });
    expect(simulation).toMatchObject({ runs: 5, steps: 10, endedAtDepth: 5, endedTerminal: 0 });
    expect(result.statistics.depth).toBe(3);
  });

  it('reports every violating run; the shortest is the result and replays to a violating state', async () => {
    const model = countersModel({
      maxX: 3,
      maxY: 3,
      properties: [
        { name: 'small', kind: 'always', holds: (state: Counters) => state.x + state.y < 4 },
        { name: 'x reaches 2', kind: 'sometimes', holds: (state: Counters) => state.x === 2 },
      ],
    });
    const { result, simulation } = await simulate(model, { runs: 12, depth: 100, seed: 5 });
    expect(result.status).toBe('violation');
    expect(simulation.violations).toHaveLength(12);
    expect(simulation.violations.map((violation) => violation.run)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    for (const violation of simulation.violations) {
      expect(violation.property).toBe('small');
      expect(violation.path.actions).toHaveLength(4);
      const last = replayPath(model, violation.path).steps.at(-1)!.state;
      expect(last.x + last.y).toBe(4);
    }
    expect(result.violation).toMatchObject({ property: 'small', kind: 'always' });
    const sometimes = result.properties.find((property) => property.name === 'x reaches 2')!;
    expect(sometimes.witnessed).toBe(true);
    expect(replayPath(model, sometimes.witness!).steps.at(-1)!.state.x).toBe(2);
  });

  it('checks terminal properties where a run ends', async () => {
    const model = countersModel({ maxX: 2, maxY: 1, properties: [{ name: 'ends at the origin', kind: 'terminal', holds: (state: Counters) => state.x === 0 }] });
    const { result, simulation } = await simulate(model, { runs: 3, depth: 10, seed: 2 });
    expect(result.status).toBe('violation');
    expect(simulation.endedViolating).toBe(3);
    expect(simulation.endedTerminal).toBe(0);
    expect(simulation.violations.map((violation) => violation.path.actions.length)).toEqual([3, 3, 3]);
  });

  it('judges a walk of exactly --depth steps that ends at a terminal state as one: its terminal properties, and its tally', async () => {
    // Every walk of counters 2x1 reaches the terminal (2, 1) in exactly 3 steps.
    const terminal = { name: 'ends at the origin', kind: 'terminal' as const, holds: (state: Counters) => state.x === 0 };
    const atBound = await simulate(countersModel({ maxX: 2, maxY: 1, properties: [terminal] }), { runs: 3, depth: 3, seed: 2 });
    expect(atBound.result.status).toBe('violation');
    expect(atBound.simulation).toMatchObject({ runs: 3, endedViolating: 3, endedTerminal: 0, endedAtDepth: 0 });
    const noProperty = await simulate(countersModel({ maxX: 2, maxY: 1 }), { runs: 3, depth: 3, seed: 2 });
    expect(noProperty.simulation).toMatchObject({ runs: 3, steps: 9, endedTerminal: 3, endedAtDepth: 0 });
    // One step short, each walk stops at the bound with a step left.
    const short = await simulate(countersModel({ maxX: 2, maxY: 1, properties: [terminal] }), { runs: 3, depth: 2, seed: 2 });
    expect(short.result.status).toBe('incomplete');
    expect(short.simulation).toMatchObject({ runs: 3, steps: 6, endedTerminal: 0, endedAtDepth: 3, endedViolating: 0 });
  });

  it('gives the same runs for the same seed, and other runs for another seed', async () => {
    const model = countersModel({ maxX: 6, maxY: 6 });
    const paths = async (seed: number) => {
      const properties = [{ name: 'diagonal', kind: 'always' as const, holds: (state: Counters) => !(state.x === 3 && state.y === 3) }];
      const { simulation } = await simulate({ ...model, properties }, { runs: 40, depth: 100, seed });
      return simulation.violations.map((violation) => `${violation.run}:${violation.path.actions.join('')}`);
    };
    const first = await paths(11);
    expect(first.length).toBeGreaterThan(0);
    expect(await paths(11)).toEqual(first);
    expect(await paths(12)).not.toEqual(first);
  });

  it('stops at --max-states, incomplete', async () => {
    const { result } = await simulate(countersModel({ maxX: 20, maxY: 20 }), { runs: 1000, depth: 100, seed: 3, maxStates: 30 });
    expect(result.status).toBe('incomplete');
    expect(result.incompleteReason).toBe('max-states');
    expect(result.statistics.distinctStates).toBeGreaterThanOrEqual(30);
  });
});

describe('random simulation of sometimes properties alone', () => {
  it('stops once each is witnessed, ok: no further state can change that verdict', async () => {
    const model = countersModel({ maxX: 5, maxY: 5, properties: [{ name: 'x reaches 2', kind: 'sometimes', holds: (state: Counters) => state.x === 2 }] });
    const { result, simulation } = await simulate(model, { runs: 1000, depth: 100, seed: 4 });
    expect(result.status).toBe('ok');
    expect(result.settledEarly).toBe(true);
    expect(simulation.runs).toBe(1);
    const witness = result.properties[0]!.witness!;
    expect(replayPath(model, witness).steps.at(-1)!.state.x).toBe(2);
  });

  it('stays incomplete while one is not witnessed', async () => {
    const model = countersModel({ maxX: 2, maxY: 2, properties: [{ name: 'never', kind: 'sometimes', holds: () => false }] });
    const { result, simulation } = await simulate(model, { runs: 30, depth: 100, seed: 4 });
    expect(result.status).toBe('incomplete');
    expect(result.incompleteReason).toBe('simulation');
    expect(simulation.runs).toBe(30);
  });
});
