import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  CounterexampleMismatch,
  emitVitestTest,
  isTerminal,
  replayCounterexample,
  stepSignature,
} from '../../../src/trace/emit-test.ts';
import { replayPath } from '../../../src/trace/replay.ts';
import { resolveParameters } from '../../../src/parameters.ts';
import type { StepDescription } from '../../../src/model.ts';
import type { Property } from '../../../src/model.ts';
import ping from '../../../specs/examples/ping.ts';
import twoSteps from '../../e2e/fixtures/two-steps.ts';
import { countersModel, type Counters } from '../../toys/counters.ts';
import { stoppingCounterModel } from '../../toys/stopping-counter.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));

function mismatchOf(run: () => unknown): CounterexampleMismatch {
  try {
    run();
  } catch (error) {
    if (error instanceof CounterexampleMismatch) return error;
    throw error;
  }
  throw new Error('expected a CounterexampleMismatch, nothing was thrown');
}

describe('stepSignature', () => {
  it('names who took which kind of step, without message contents or numbers', () => {
    const model = ping.build(resolveParameters(ping.parameters, { pings: 1, network: 'lossy' }));
    const [initial] = model.initialStates();
    const afterPing = model.nextState(initial!, 2)!; // the pinger's timer: (actor 0, timer 0) * 4 + 2
    expect(stepSignature(model, initial!, 2)).toBe('pinger1: Ping');
    expect(stepSignature(model, afterPing, 0)).toBe('pinger1->ponger1 Ping');
    expect(stepSignature(model, afterPing, 1)).toBe('pinger1-x ponger1 Ping');
  });

  it('is the action text without the contents of parentheses, but for participants, for a model without describeStep', () => {
    const model = countersModel({ maxX: 1, maxY: 1 });
    expect(stepSignature(model, { x: 0, y: 0 }, 'incY')).toBe('increment y');
    const named = { ...model, participants: ['a1', 'a2'], formatAction: () => 'Phase1b(a2) on 1a(bal=3)' };
    expect(stepSignature(named, { x: 0, y: 0 }, 'incY')).toBe('Phase1b a2 on 1a');
  });

  it('signs a step whose describeStep throws as without describeStep, followed by what it threw on one line', () => {
    const model = {
      ...countersModel({ maxX: 1, maxY: 1 }),
      participants: ['a1', 'a2'],
      formatAction: () => 'Phase1b(a2) on 1a(bal=3)',
      describeStep: (): never => {
        throw new Error('no step here\n  at a pasted stack');
      },
    };
    expect(stepSignature(model, { x: 0, y: 0 }, 'incY')).toBe('Phase1b a2 on 1a (describeStep threw: no step here [and 1 more line])');
  });

  it('signs a step whose describeStep returns no step description likewise, showing what it returned', () => {
    const base = { ...countersModel({ maxX: 1, maxY: 1 }), participants: ['a1', 'a2'], formatAction: () => 'Phase1b(a2) on 1a(bal=3)' };
    const returning = (value: unknown) => ({ ...base, describeStep: () => value as StepDescription });
    const signature = (value: unknown) => stepSignature(returning(value), { x: 0, y: 0 }, 'incY');
    expect(signature(undefined)).toBe('Phase1b a2 on 1a (describeStep returned no step description: undefined)');
    expect(signature({ kind: 'message', from: 'a1' })).toBe('Phase1b a2 on 1a (describeStep returned no step description: {"kind":"message","from":"a1"})');
    expect(signature({ kind: 'sends', from: 'a1', label: 'x' })).toBe('Phase1b a2 on 1a (describeStep returned no step description: {"kind":"sends","from":"a1","label":"x"})');
    expect(signature('a2\nsends')).toBe('Phase1b a2 on 1a (describeStep returned no step description: "a2\\nsends")');
    // A good one still signs the step by who did what.
    expect(signature({ kind: 'message', from: 'a1', to: 'a2', label: 'Prepare(b=1)' })).not.toContain('no step description');
  });
});

describe('isTerminal', () => {
  it('is true only where no action leads to another state (self-loops do not count)', () => {
    const model = stoppingCounterModel([]);
    expect(isTerminal(model, { n: 0, done: false })).toBe(false);
    expect(isTerminal(model, { n: 1, done: true })).toBe(true);
    expect(isTerminal(model, { n: 3, done: false })).toBe(true);
  });
});

describe('replayCounterexample', () => {
  const xBelowTwo: Property<Counters> = { name: 'XBelowTwo', kind: 'always', holds: (state) => state.x < 2 };
  const model = countersModel({ maxX: 2, maxY: 2, properties: [xBelowTwo] });
  const recorded = {
    property: 'XBelowTwo',
    token: '0/0/0',
    steps: [
      ['increment x', 'increment x'],
      ['increment x', 'increment x'],
    ],
  } as const;

  it('replays a counterexample whose steps still fit, returning the trace and the property', () => {
    const { trace, property } = replayCounterexample(model, recorded);
    expect(property).toBe(xBelowTwo);
    expect(trace.steps.map((step) => step.state)).toEqual([
      { x: 0, y: 0 },
      { x: 1, y: 0 },
      { x: 2, y: 0 },
    ]);
  });

  it('refuses a replay that takes a different step, naming the step and both actions', () => {
    const error = mismatchOf(() => replayCounterexample(model, { ...recorded, token: '0/0/1' }));
    expect(error.message).toBe(
      'the counterexample no longer replays on counters 2x2: at step 2 the replay takes "increment y" where the counterexample ' +
        'took "increment x", so this test cannot tell whether XBelowTwo is fixed: run synod check again and emit a new test',
    );
  });

  it('refuses a replay whose indices now pick other actions, though the texts sign alike', () => {
    // Without describeStep, `pick(v1)` and `pick(v2)` both sign as `pick`: the recorded action,
    // still offered under another index, says the indices mean other actions now.
    const picking = { ...model, formatAction: (_state: Counters, action: string) => (action === 'incX' ? 'pick(v1)' : 'pick(v2)') };
    const reordered = {
      ...picking,
      actions: (state: Counters, out: string[]) => {
        const inOrder: string[] = [];
        model.actions(state, inOrder as never);
        out.push(...inOrder.reverse());
      },
    };
    const picked = { ...recorded, steps: [['pick(v1)', 'pick'], ['pick(v1)', 'pick']] } as const;
    expect(replayCounterexample(picking as never, picked).trace.steps).toHaveLength(3);
    const error = mismatchOf(() => replayCounterexample(reordered as never, picked));
    expect(error.message).toMatch(/^the counterexample no longer replays on counters 2x2: at step 1 the replay takes "pick\(v2\)" where the counterexample took "pick\(v1\)"/);
  });

  it('refuses a token that no longer replays, with the replay error', () => {
    const unknown = { ...recorded, token: '0/0/7', steps: [recorded.steps[0], ['increment z', 'increment z']] } as const;
    const error = mismatchOf(() => replayCounterexample(model, unknown));
    expect(error.message).toMatch(/^the counterexample no longer replays on counters 2x2: step 2 takes action 7, but the model offers only 2 actions there, so this test cannot tell/);
  });

  it('ends the trace before a step the spec no longer takes: its action disabled where it was recorded', () => {
    // As a guard added by a fix disables a step: x may no longer reach 2.
    const guarded = countersModel({ maxX: 1, maxY: 2, properties: [xBelowTwo] });
    const { trace, stepGone } = replayCounterexample(guarded, recorded);
    expect(stepGone).toEqual({ step: 2, recorded: 'increment x' });
    expect(trace.token).toBe('0/0');
    expect(trace.steps.map((step) => step.state)).toEqual([
      { x: 0, y: 0 },
      { x: 1, y: 0 },
    ]);
    expect(replayCounterexample(model, recorded).stepGone).toBeUndefined();
  });

  it('ends the trace before a step no longer offered when no step of the same participants is, and not otherwise', () => {
    // An actors spec prunes a delivery its handler ignores: the step is not offered at all, and the
    // indices after it shift (here a2's step, second, becomes first).
    const named = (state: Counters, action: string) => (action === 'incX' ? 'a1 receives Promise from p1' : 'a2 receives Promise from p1');
    const withParticipants = { ...model, participants: ['a1', 'a2', 'p1'], formatAction: named };
    const promises = {
      ...recorded,
      token: '0/1/0',
      steps: [['a2 receives Promise from p1', 'p1->a2 Promise'], ['a1 receives Promise from p1', 'p1->a1 Promise']],
    } as const;
    expect(replayCounterexample(withParticipants as never, promises).stepGone).toBeUndefined();
    const pruned = {
      ...withParticipants,
      actions: (state: Counters, out: string[]) => {
        if (state.y === 0) out.push('incX');
        out.push('incY');
      },
    };
    const { trace, stepGone } = replayCounterexample(pruned as never, { ...promises, token: '0/1/0' });
    expect(stepGone).toEqual({ step: 2, recorded: 'a1 receives Promise from p1' });
    expect(trace.steps).toHaveLength(2);
    // A step of the same participants still offered (here under another name) is no gone step:
    // the replay takes it, as the step a fix changed, and the property is judged along all of it.
    const renamed = { ...withParticipants, formatAction: (state: Counters, action: string) => (action === 'incX' ? 'a1 receives Promised from p1' : named(state, action)) };
    const changed = replayCounterexample(renamed as never, promises);
    expect(changed.stepGone).toBeUndefined();
    expect(changed.trace.steps).toHaveLength(3);
  });

  it('ends at a step gone only where the whole token does not replay as the counterexample, or reaches no failure', () => {
    const variant = (order: string) => twoSteps.build(resolveParameters(twoSteps.parameters, { order }) as never);
    const found = {
      property: 'NotBoth',
      token: '0/0/0',
      steps: [
        ['p steps', 'p steps'],
        ['q steps', 'q steps'],
      ],
    } as const;
    // The fix: p never steps; the token does not fit, and p's step is gone.
    expect(replayCounterexample(variant('never-p'), found)).toMatchObject({ stepGone: { step: 1, recorded: 'p steps' } });
    // A wrong fix (p only after q): the token replays whole, as another run (q, then p) that still
    // breaks NotBoth, so the test fails rather than passing on the step gone.
    expect(() => replayCounterexample(variant('q-first'), found)).toThrow(CounterexampleMismatch);
    expect(replayCounterexample(variant('any'), found).stepGone).toBeUndefined();
    // A token that stops fitting after its steps broke the property (q, then p, then nothing left
    // for a third) is no fix either.
    const longer = { ...found, token: '0/0/0/0', steps: [...found.steps, ['q steps', 'q steps']] } as const;
    expect(() => replayCounterexample(variant('q-first'), longer)).toThrow(CounterexampleMismatch);
  });

  it('refuses a spec without the property, and a token that does not match the steps', () => {
    expect(mismatchOf(() => replayCounterexample(countersModel({ maxX: 2, maxY: 2 }), recorded)).message).toBe(
      'the spec counters 2x2 has no property named XBelowTwo (any more)',
    );
    expect(mismatchOf(() => replayCounterexample(model, { ...recorded, token: '0/0' })).message).toBe(
      'the replay token 0/0 does not match the 2 recorded steps',
    );
    expect(mismatchOf(() => replayCounterexample(model, { ...recorded, token: 'x/y' })).message).toBe(
      "'x/y' is not a replay token (numbers separated by slashes, as 0/3/1/4)",
    );
  });
});

describe('emitVitestTest', () => {
  const parameters = resolveParameters(ping.parameters, { pings: 3, network: 'dup' });
  const model = ping.build(parameters);
  const trace = replayPath(model, { initial: 0, actions: [0, 0, 1, 1] });
  const property = model.properties.find((candidate) => candidate.name === 'NoExtraAnswers')!;
  const text = emitVitestTest({
    testFile: `${root}test/regressions/ping.test.ts`,
    specPath: `${root}specs/examples/ping.ts`,
    specName: 'ping',
    parameters,
    model,
    trace,
    property,
    command: "synod check specs/examples/ping.ts --pings 3 --network dup */ don't",
  });

  it('imports the spec by a path relative to the test file, and synod by its package name only', () => {
    expect(text).toContain("import spec from '../../specs/examples/ping.ts';");
    expect(text).toContain("import { isTerminal, replayCounterexample, resolveSpecParameters } from 'synod';");
    // A path into synod's sources would break once synod moves, and ties the test to its internals.
    expect(text).not.toMatch(/from '[^']*src\//);
  });

  it('records the parameters, the property, the token and each step with its signature', () => {
    expect(text).toContain("const parameters = { pings: 3, network: 'dup' };");
    expect(text).toContain("  property: 'NoExtraAnswers',\n  token: '0/0/0/1/1',");
    expect(text).toContain(
      [
        "    ['pinger1 Ping', 'pinger1: Ping'],",
        "    ['ponger1 receives Ping from pinger1', 'pinger1->ponger1 Ping'],",
        "    ['pinger1 receives Pong from ponger1', 'ponger1->pinger1 Pong'],",
        "    ['pinger1 receives Pong from ponger1', 'ponger1->pinger1 Pong'],",
      ].join('\n'),
    );
    expect(text).toContain("it('ping: NoExtraAnswers holds along the counterexample of 4 steps', () => {");
  });

  it('quotes the command in its header without closing the comment early', () => {
    expect(text).toContain(" *   synod check specs/examples/ping.ts --pings 3 --network dup *\\/ don't\n");
    expect(text).toContain(' *   NoExtraAnswers (always) fails after 4 steps\n');
  });
});
