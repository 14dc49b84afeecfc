import { describe, it, expect } from 'vitest';
import { placeOf } from '../places.ts';

const boomPlace = placeOf('test/unit/check.test.ts', 'state.y === at) throw', "new Error('boom')");
import { checkModel, checkModelWithTuning } from '../../src/check.ts';
import { countersModel } from '../toys/counters.ts';
import { nondeterministicModel } from '../toys/nondeterministic.ts';
import { stoppingCounterModel, terminalIsDone } from '../toys/stopping-counter.ts';
import { PropertyDeclarationError } from '../../src/explore/select-properties.ts';
import type { Property } from '../../src/model.ts';

/** The two counters as a symmetric set, the smaller first in each representative. */
const smallerFirst = { sets: ['counters'], exact: true, representative: (state: { x: number; y: number }) => (state.x <= state.y ? state : { x: state.y, y: state.x }) };

describe('checkModel', () => {
  it('refuses a property of unknown kind instead of never checking it', async () => {
    const misspelt = { name: 'AllCommitted', kind: 'somtimes', holds: () => false } as unknown as Property<{ x: number; y: number }>;
    const model = countersModel({ maxX: 1, maxY: 1, properties: [misspelt] });
    await expect(checkModel(model, { properties: ['AllCommitted'] })).rejects.toThrow(
      new PropertyDeclarationError("property 'AllCommitted' has kind 'somtimes'; expected always, sometimes or terminal"),
    );
  });

  it('refuses a property whose name has a comma, which --property could not name alone', async () => {
    const model = countersModel({ maxX: 1, maxY: 1, properties: [{ name: 'x, y bounded', kind: 'always', holds: () => true }] });
    await expect(checkModel(model)).rejects.toThrow(new PropertyDeclarationError("property 'x, y bounded' has a comma in its name, which --property could not name"));
  });

  it('names the property that threw, and the state it was checking, with one worker and two', async () => {
    const boom = (at: number) => ({
      name: 'Boom',
      kind: 'always' as const,
      holds: (state: { x: number; y: number }) => {
        if (state.x === at && state.y === at) throw new Error('boom');
        return true;
      },
    });
    for (const workers of [1, 2]) {
      const found = await checkModel(countersModel({ maxX: 3, maxY: 3, properties: [{ name: 'Fine', kind: 'always', holds: () => true }, boom(1)] }), { workers });
      expect(found.result.error).toEqual({
        code: 'model-threw',
        message: `property 'Boom' threw: boom at ${boomPlace} (checking the state reached by increment y from depth 2)`,
        depth: 2,
        action: 'increment y',
        path: { initial: 0, actions: [0] },
        statePath: { initial: 0, actions: [0, 1] },
      });
      // The trace to the state the property threw on, one step past the state it was reached from.
      expect(found.errorTrace?.token).toBe('0/0/1');
      expect(found.errorTrace?.steps.map((step) => step.state)).toEqual([{ x: 0, y: 0 }, { x: 1, y: 0 }, { x: 1, y: 1 }]);
      const initial = await checkModel(countersModel({ maxX: 3, maxY: 3, properties: [boom(0)] }), { workers });
      expect(initial.result.error).toEqual({ code: 'model-threw', message: `property 'Boom' threw: boom at ${boomPlace} (checking an initial state)`, statePath: { initial: 0, actions: [] } });
      expect(initial.errorTrace?.token).toBe('0');
    }
  });

  it('shows the trace to a state whose decoding threw, its last state as the model built it', async () => {
    const base = countersModel({ maxX: 3, maxY: 3 });
    const model = {
      ...base,
      decode(input: Parameters<typeof base.decode>[0]) {
        const state = base.decode(input);
        if (state.x === 2 && state.y === 0) throw new Error('bad encoding');
        return state;
      },
    };
    const { result, errorTrace } = await checkModel(model);
    expect(result.error?.message).toBe(`bad encoding at ${placeOf('test/unit/check.test.ts', "new Error('bad encoding')")} (decoding a state at depth 3)`);
    expect(errorTrace?.token).toBe('0/0/0');
    expect(errorTrace?.steps.map((step) => step.state)).toEqual([{ x: 0, y: 0 }, { x: 1, y: 0 }, { x: 2, y: 0 }]);
  });

  it('keeps the error a run stopped at when a witness named before it does not replay', async () => {
    const base = nondeterministicModel();
    const model = {
      ...base,
      nextState: (state: { x: number; stamp: number }, action: 'inc') => {
        if (state.x === 2) throw new Error('boom');
        return base.nextState(state, action);
      },
      // An always property too, or the run would stop at the witness.
      properties: [
        { name: 'AtOne', kind: 'sometimes' as const, holds: (state: { x: number }) => state.x === 1 },
        { name: 'Fine', kind: 'always' as const, holds: () => true },
      ],
    };
    const { result, witnesses, errorTrace } = await checkModel(model, { properties: ['AtOne', 'Fine'] });
    expect(result.status).toBe('error');
    expect(result.error?.code).toBe('model-threw');
    expect(result.error?.message).toBe(`boom at ${placeOf('test/unit/check.test.ts', "state.x === 2) throw new Error('boom')", "new Error")} (in action "inc", expanding a state at depth 3)`);
    // Neither the witness nor the path to the error replays on a model that stamps its states.
    expect(witnesses).toBeUndefined();
    expect(errorTrace).toBeUndefined();
  });

  it('reports a counterexample that does not replay (a nondeterministic model) as an error with the run\'s statistics', async () => {
    const model = { ...nondeterministicModel(), properties: [{ name: 'BelowThree', kind: 'always' as const, holds: (state: { x: number }) => state.x < 3 }] };
    const { result, counterexample } = await checkModel(model);
    expect(counterexample).toBeUndefined();
    expect(result.status).toBe('error');
    expect(result.violation).toBeUndefined();
    expect(result.statistics.distinctStates).toBe(4);
    expect(result.error).toEqual({
      code: 'model-contract',
      message:
        'rebuilding the trace of the BelowThree violation found: replay reached a state at step 1 that the search never saw: ' +
        'the model is nondeterministic (it must not depend on randomness, I/O, or the order of unsorted collections)',
    });
  });

  it('stops, under symmetry, where a property first tells a state from its representative, naming it', async () => {
    // Swapping x and y (the larger first) is a symmetry, "x stays below 1" is not: the search
    // would judge (0,1) by its representative (1,0), which fails, and show a trace ending where it holds.
    const base = countersModel({ maxX: 2, maxY: 2, properties: [{ name: 'XBelowOne', kind: 'always', holds: (state) => state.x < 1 }] });
    const model = {
      ...base,
      actions: (state: { x: number; y: number }, out: ('incX' | 'incY')[]) => out.push('incY', 'incX'),
      symmetry: { sets: ['counters'], exact: true, representative: (state: { x: number; y: number }) => (state.x < state.y ? { x: state.y, y: state.x } : state) },
    };
    // (With worker threads taking part: test/unit/explore/parallel.test.ts.)
    {
      const { result, counterexample, errorTrace } = await checkModel(model as never, { symmetry: ['counters'] });
      expect(counterexample).toBeUndefined();
      expect(result.status).toBe('error');
      expect(result.error).toEqual({
        code: 'model-contract',
        message:
          "the property XBelowOne tells the counters apart: it holds on a state and fails on its representative; declare distinguishes: ['counters'] on it " +
          '(--symmetry counters is then refused), or make it treat them alike (in action increment y, expanding a state at depth 1)',
        depth: 1,
        action: 'increment y',
        path: { initial: 0, actions: [] },
        statePath: { initial: 0, actions: [] },
      });
      // Reduced, the search expanded a representative: no concrete trace is claimed to reach it.
      expect(errorTrace).toBeUndefined();
    }
  });

  it('reports, with the statistics, a property that tells members apart on a state met only as the trace is made concrete', async () => {
    // The smaller counter first. The search meets (0,2), where MaxBelowTwo fails, through (0,1);
    // the concrete trace goes through (1,0) to (2,0), which the search never computed, and where
    // NotTwoZero, alone of the two, tells the counters apart.
    const base = countersModel({
      maxX: 2,
      maxY: 2,
      properties: [
        { name: 'NotTwoZero', kind: 'always', holds: (state) => !(state.x === 2 && state.y === 0) },
        { name: 'MaxBelowTwo', kind: 'always', holds: (state) => Math.max(state.x, state.y) < 2 },
      ],
    });
    const model = { ...base, symmetry: smallerFirst };
    const { result, counterexample } = await checkModel(model as never, { symmetry: ['counters'] });
    expect(counterexample).toBeUndefined();
    expect(result.status).toBe('error');
    expect(result.statistics.distinctStates).toBe(4);
    expect(result.error).toEqual({
      code: 'model-contract',
      message:
        "rebuilding the trace of the MaxBelowTwo violation found: the property NotTwoZero tells the counters apart: it fails on a state and holds on its representative; declare distinguishes: ['counters'] on it " +
        '(--symmetry counters is then refused), or make it treat them alike',
    });
  });

  it('judges a terminal property under symmetry only where no step leads on, with --audit too', async () => {
    // Counting stops once either counter reaches 2: the terminal states are (2,0), (2,1) and
    // their mirror images, the smaller counter first as representatives.
    const stopping = (property: Property<{ x: number; y: number }>) => {
      const base = countersModel({ maxX: 2, maxY: 2, properties: [property] });
      return {
        ...base,
        actions: (state: { x: number; y: number }, out: ('incX' | 'incY')[]) => {
          if (Math.max(state.x, state.y) < 2) out.push('incX', 'incY');
        },
        symmetry: smallerFirst,
      };
    };
    // Tells the counters apart on (1,0) and (0,1), never at a terminal state: sound to reduce.
    const atTheEnd = stopping({ name: 'EndsAtTwo', kind: 'terminal', holds: (state) => state.x + state.y >= 2 || state.x !== 1 });
    for (const audit of [false, true]) {
      const { result } = await checkModel(atTheEnd as never, { symmetry: ['counters'], audit });
      expect({ audit, status: result.status, states: result.statistics.distinctStates }).toEqual({ audit, status: 'ok', states: 5 });
    }
    // Tells them apart at the terminal state (2,1) against (1,2): named there, with the audit or without.
    const firstFull = stopping({ name: 'FirstFull', kind: 'terminal', holds: (state) => state.x === 2 });
    for (const audit of [false, true]) {
      const { result } = await checkModel(firstFull as never, { symmetry: ['counters'], audit });
      expect({ audit, status: result.status }).toEqual({ audit, status: 'error' });
      expect(result.error!.message).toMatch(/^the property FirstFull tells the counters apart: it holds on a state and fails on its representative; /);
    }
  });

  it('audits the first states of a reduced model before its search, which alone gives OK under a symmetry the model does not have', async () => {
    // Swapping x and y is no symmetry of counters that stop at 2 and 3: (0,2) can step to (0,3), its representative (2,0) not to (3,0).
    const model = {
      ...countersModel({ maxX: 2, maxY: 3 }),
      symmetry: { sets: ['counters'], exact: true, representative: (state: { x: number; y: number }) => (state.x < state.y ? { x: state.y, y: state.x } : state) },
    };
    const unaudited = await checkModelWithTuning(model as never, { symmetry: ['counters'] }, { symmetryProbeStates: 0 });
    expect(unaudited.result.status).toBe('ok');
    const { result } = await checkModel(model as never, { symmetry: ['counters'] });
    expect(result.status).toBe('error');
    expect(result.error!.code).toBe('model-contract');
    expect(result.error!.message).toMatch(
      /^the symmetry over counters is not one of the model: a state and its representative have different successors, up to renaming \(.*\) \(found by the audit of the first 500 states that a run under a symmetry makes before its search; --audit audits every state\)$/,
    );
    // Not an --audit run: no audit statistics, whose presence makes the report say "found by --audit".
    expect(result.statistics.audit).toBeUndefined();
    // A model whose symmetry holds passes the audit and is searched as before.
    const symmetric = { ...model, ...countersModel({ maxX: 3, maxY: 3 }), symmetry: model.symmetry };
    expect((await checkModel(symmetric as never, { symmetry: ['counters'] })).result).toMatchObject({ status: 'ok', statistics: { distinctStates: 10 } });
  });

  it("keeps a reduced run's limits and Ctrl-C while it audits its first states, and counts that time", async () => {
    // Each step takes 2 ms, and the audit takes many steps a state: 500 states would take seconds.
    const slow = countersModel({ maxX: 30, maxY: 30, properties: [{ name: 'Fine', kind: 'always', holds: () => true }] });
    const model = {
      ...slow,
      nextState: (state: { x: number; y: number }, action: 'incX' | 'incY') => {
        const until = performance.now() + 2;
        while (performance.now() < until);
        return slow.nextState(state, action as never);
      },
      symmetry: { sets: ['counters'], exact: true, representative: (state: { x: number; y: number }) => (state.x < state.y ? { x: state.y, y: state.x } : state) },
    };
    const started = performance.now();
    const { result } = await checkModel(model as never, { symmetry: ['counters'], maxSeconds: 0.3 });
    expect((performance.now() - started) / 1000).toBeLessThan(1.5);
    expect(result).toMatchObject({ status: 'incomplete', incompleteReason: 'max-seconds' });
    expect(result.statistics.seconds).toBeGreaterThanOrEqual(0.3);
    expect(result.properties).toEqual([{ name: 'Fine', kind: 'always', holds: true, witnessed: true }]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const interrupted = await checkModel(model as never, { symmetry: ['counters'], signal: controller.signal });
    expect(interrupted.result).toMatchObject({ status: 'incomplete', incompleteReason: 'interrupted' });
    expect(interrupted.result.statistics.seconds).toBeLessThan(1);
  });

  it('names, under symmetry, a property that tells members apart as a possible cause of a trace that does not replay', async () => {
    // A renaming that changes nothing lets the nondeterministic model run reduced: its trace
    // does not replay, which under --symmetry a property blind to renaming could also cause.
    const model = {
      ...nondeterministicModel(),
      properties: [{ name: 'BelowThree', kind: 'always' as const, holds: (state: { x: number }) => state.x < 3 }],
      symmetry: { sets: ['copies'], exact: true, representative: (state: { x: number; stamp: number }) => ({ ...state }) },
    };
    // Without the audit of its first states, which finds a model that does not repeat itself at once.
    const { result } = await checkModelWithTuning(model as never, { symmetry: ['copies'] }, { symmetryProbeStates: 0 });
    expect(result.status).toBe('error');
    expect(result.error!.message).toBe(
      'rebuilding the trace of the BelowThree violation found: replay reached a state at step 1 that the search never saw: ' +
        'the model is nondeterministic (it must not depend on randomness, I/O, or the order of unsorted collections); ' +
        'or, under --symmetry, a property tells the members of a reduced set (copies) apart without declaring distinguishes (--symmetry --audit names it)',
    );
  });

  it('rebuilds the shortest counterexample by replay', async () => {
    const model = countersModel({
      maxX: 5,
      maxY: 5,
      properties: [{ name: 'NotTwoThree', kind: 'always', holds: (state) => !(state.x === 2 && state.y === 3) }],
    });
    const { result, counterexample } = await checkModel(model);
    expect(result.status).toBe('violation');
    expect(counterexample).toBeDefined();
    expect(counterexample!.steps.length - 1).toBe(5);
    expect(counterexample!.token).toBe('0/0/0/1/1/1');
    expect(counterexample!.steps.map((step) => step.state)).toEqual([
      { x: 0, y: 0 },
      { x: 1, y: 0 },
      { x: 2, y: 0 },
      { x: 2, y: 1 },
      { x: 2, y: 2 },
      { x: 2, y: 3 },
    ]);
    expect(counterexample!.steps.slice(1).map((step) => step.actionText)).toEqual([
      'increment x',
      'increment x',
      'increment y',
      'increment y',
      'increment y',
    ]);
  });

  it('rebuilds a terminal counterexample', async () => {
    const { result, counterexample } = await checkModel(stoppingCounterModel([terminalIsDone]));
    expect(result.violation?.kind).toBe('terminal');
    expect(counterexample!.token).toBe('0/0/0/0');
    expect(counterexample!.steps[3]!.state).toEqual({ n: 3, done: false });
  });

  it('has no counterexample when every property holds', async () => {
    const report = await checkModel(countersModel({ maxX: 2, maxY: 2 }));
    expect(report.result.status).toBe('ok');
    expect(report.counterexample).toBeUndefined();
  });

  it('has no counterexample for an unwitnessed sometimes property', async () => {
    const report = await checkModel(
      countersModel({ maxX: 2, maxY: 2, properties: [{ name: 'Never', kind: 'sometimes', holds: () => false }] }),
    );
    expect(report.result.status).toBe('violation');
    expect(report.result.violation).toEqual({ property: 'Never', kind: 'sometimes' });
    expect(report.counterexample).toBeUndefined();
  });

  it('passes the options through', async () => {
    const report = await checkModel(countersModel({ maxX: 4, maxY: 4 }), { maxStates: 7 });
    expect(report.result.status).toBe('incomplete');
    expect(report.result.statistics.distinctStates).toBe(7);
  });
});

describe('checkModel, called by a program', () => {
  const model = () => countersModel({ maxX: 2, maxY: 2, properties: [{ name: 'Small', kind: 'always', holds: () => true }, { name: 'Extra', kind: 'always', optional: true, holds: () => true }] });

  it('refuses limits no run could honour, naming the option, as the command line refuses its flags', async () => {
    const refusals: [Record<string, number>, string][] = [
      [{ maxStates: 0 }, "checkModel's maxStates must be a whole number from 1 to 9007199254740991, got 0"],
      [{ maxStates: Number.NaN }, "checkModel's maxStates must be a whole number from 1 to 9007199254740991, got NaN"],
      [{ maxDepth: 2.5 }, "checkModel's maxDepth must be a whole number from 1 to 9007199254740991, got 2.5"],
      [{ workers: 0 }, "checkModel's workers must be a whole number from 1 to 64, got 0"],
      [{ workers: 1.5 }, "checkModel's workers must be a whole number from 1 to 64, got 1.5"],
      [{ maxSeconds: -1 }, "checkModel's maxSeconds must be a positive number, got -1"],
      [{ maxMemoryBytes: Number.POSITIVE_INFINITY }, "checkModel's maxMemoryBytes must be a positive number, got Infinity"],
    ];
    for (const [options, message] of refusals) await expect(checkModel(model(), options)).rejects.toThrow(new RangeError(message));
    expect((await checkModel(model(), { maxStates: 3 })).result.statistics.distinctStates).toBe(3);
  });

  it("takes properties ['all'] as --property all: every property, optional ones included", async () => {
    const all = await checkModel(model(), { properties: ['all'] });
    expect(all.result.properties.map((property) => property.name)).toEqual(['Small', 'Extra']);
    const defaults = await checkModel(model(), {});
    expect(defaults.result.properties.map((property) => property.name)).toEqual(['Small']);
  });
});

describe("the public API's errors", () => {
  it('are exported, so that a program can tell them apart with instanceof', async () => {
    const synod = await import('../../src/index.ts');
    for (const name of ['ParameterError', 'PropertySelectionError', 'PropertyDeclarationError', 'SymmetryError', 'CounterexampleMismatch'] as const) {
      expect(synod[name].prototype).toBeInstanceOf(Error);
    }
    await expect(checkModel(countersModel({ maxX: 1, maxY: 1 }), { properties: ['Nope'] })).rejects.toBeInstanceOf(synod.PropertySelectionError);
  });
});
