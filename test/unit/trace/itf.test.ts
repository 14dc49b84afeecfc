import { describe, expect, it } from 'vitest';
import {
  goneStep,
  ACTION_TAKEN,
  ITF_FORMAT_DESCRIPTION,
  ItfError,
  firstActionDifference,
  firstDifference,
  formatItf,
  readItf,
  toItfValue,
  traceToItf,
} from '../../../src/trace/itf.ts';
import { replayPath } from '../../../src/trace/replay.ts';
import { resolveParameters } from '../../../src/parameters.ts';
import type { Model, Property } from '../../../src/model.ts';
import ping from '../../../specs/examples/ping.ts';
import twoSteps from '../../e2e/fixtures/two-steps.ts';
import { countersModel, type Counters } from '../../toys/counters.ts';

const xBelowTwo: Property<Counters> = {
  name: 'XBelowTwo',
  kind: 'always',
  holds: (state) => state.x < 2,
  explain: (state) => `x is ${state.x}`,
};

describe('toItfValue', () => {
  it('tags integers as #bigint, including large and negative ones', () => {
    expect(toItfValue(0)).toEqual({ '#bigint': '0' });
    expect(toItfValue(-17)).toEqual({ '#bigint': '-17' });
    expect(toItfValue(2 ** 53 - 1)).toEqual({ '#bigint': '9007199254740991' });
    expect(toItfValue(12345678901234567890n)).toEqual({ '#bigint': '12345678901234567890' });
  });

  it('writes numbers that are not integers, functions and symbols as #unserializable (ITF has no fractions), not as strings they could be mistaken for', () => {
    expect(toItfValue(1.5)).toEqual({ '#unserializable': '1.5' });
    expect(toItfValue(Number.NaN)).toEqual({ '#unserializable': 'NaN' });
    expect(toItfValue(Symbol('s'))).toEqual({ '#unserializable': 'Symbol(s)' });
  });

  it('keeps strings and booleans, maps arrays to lists and objects to records, recursively', () => {
    expect(toItfValue('(1,v1)')).toBe('(1,v1)');
    expect(toItfValue(false)).toBe(false);
    expect(toItfValue({ promised: 3, votes: ['(1,v1)'], nested: { ok: true, n: [1, 2] } })).toEqual({
      promised: { '#bigint': '3' },
      votes: ['(1,v1)'],
      nested: { ok: true, n: [{ '#bigint': '1' }, { '#bigint': '2' }] },
    });
  });

  it('writes Set as #set, Map as #map, and null or undefined as the unit value (an empty #tup)', () => {
    expect(toItfValue(new Set([2, 1]))).toEqual({ '#set': [{ '#bigint': '2' }, { '#bigint': '1' }] });
    expect(toItfValue(new Map([['a1', 3]]))).toEqual({ '#map': [['a1', { '#bigint': '3' }]] });
    expect(toItfValue(null)).toEqual({ '#tup': [] });
    expect(toItfValue(undefined)).toEqual({ '#tup': [] });
  });
});

describe('traceToItf', () => {
  const model = countersModel({ maxX: 2, maxY: 2, properties: [xBelowTwo] });
  const trace = replayPath(model, { initial: 0, actions: [0, 1, 0] });
  const itf = traceToItf(model, trace, {
    source: 'specs/counters.ts',
    spec: 'counters',
    parameters: { maxX: 2, mode: 'fast' },
    property: xBelowTwo,
    generator: 'synod check',
  });

  it('writes the #meta a replay needs: spec, parameters, property, explanation and token', () => {
    expect(itf['#meta']).toEqual({
      format: 'ITF',
      'format-description': ITF_FORMAT_DESCRIPTION,
      source: 'specs/counters.ts',
      description: 'synod check: XBelowTwo (always) fails after 3 steps',
      spec: 'counters',
      params: { maxX: 2, mode: 'fast' },
      status: 'violation',
      property: 'XBelowTwo',
      kind: 'always',
      explanation: 'x is 2',
      replayToken: '0/0/1/0',
    });
  });

  it('has one state per step plus the initial one, each with its index, variables and action', () => {
    expect(itf.vars).toEqual(['x', 'y', ACTION_TAKEN]);
    expect(itf.states).toEqual([
      { '#meta': { index: 0 }, x: { '#bigint': '0' }, y: { '#bigint': '0' }, [ACTION_TAKEN]: 'init' },
      { '#meta': { index: 1 }, x: { '#bigint': '1' }, y: { '#bigint': '0' }, [ACTION_TAKEN]: 'increment x' },
      { '#meta': { index: 2 }, x: { '#bigint': '1' }, y: { '#bigint': '1' }, [ACTION_TAKEN]: 'increment y' },
      { '#meta': { index: 3 }, x: { '#bigint': '2' }, y: { '#bigint': '1' }, [ACTION_TAKEN]: 'increment x' },
    ]);
  });

  it('without a property, says ok and names no property', () => {
    const plain = traceToItf(model, trace, { source: 's.ts', spec: 's', parameters: {} });
    expect(plain['#meta'].status).toBe('ok');
    expect(plain['#meta'].description).toBe('synod: a trace of 3 steps');
    expect(plain['#meta']).not.toHaveProperty('property');
    expect(plain['#meta']).not.toHaveProperty('explanation');
  });

  it('uses the whole state as one variable when the model cannot describe it', () => {
    const { describeState: _unused, ...bare } = model;
    const opaque: Model<Counters, string> = bare;
    const itfOfOpaque = traceToItf(opaque, replayPath(opaque, { initial: 0, actions: [1] }), { source: 's', spec: 's', parameters: {} });
    expect(itfOfOpaque.vars).toEqual(['state', ACTION_TAKEN]);
    expect(itfOfOpaque.states[1]!.state).toEqual({ x: { '#bigint': '0' }, y: { '#bigint': '1' } });
  });

  it('keeps a described Set as #set and a Map as #map, and writes a description that contains itself as [circular]', () => {
    const described: Model<Counters, string> = {
      ...model,
      describeState: (state) => {
        const looped: Record<string, unknown> = { x: state.x };
        looped.self = looped;
        return { seen: new Set([state.x]), by: new Map([['y', state.y]]), looped };
      },
    };
    const states = traceToItf(described, replayPath(described, { initial: 0, actions: [1] }), { source: 's', spec: 's', parameters: {} }).states;
    expect(states[1]!.seen).toEqual({ '#set': [{ '#bigint': '0' }] });
    expect(states[1]!.by).toEqual({ '#map': [['y', { '#bigint': '1' }]] });
    expect(states[1]!.looped).toEqual({ x: { '#bigint': '0' }, self: '[circular]' });
  });

  it('maps an actor system: one record per actor, the network as a list, a stateless actor as unit', () => {
    const model = ping.build(resolveParameters(ping.parameters, { pings: 3, network: 'dup' }));
    const trace = replayPath(model, { initial: 0, actions: [0, 0, 1, 1] });
    const result = traceToItf(model, trace, { source: 'specs/examples/ping.ts', spec: 'ping', parameters: { pings: 3, network: 'dup' } });
    expect(result.vars).toEqual(['pinger1', 'ponger1', 'network', ACTION_TAKEN]);
    expect(result.states).toHaveLength(5);
    expect(result.states[4]).toEqual({
      '#meta': { index: 4 },
      pinger1: { sent: { '#bigint': '1' }, answers: { '#bigint': '2' } },
      ponger1: { '#tup': [] },
      network: ['pinger1->ponger1: Ping', 'ponger1->pinger1: Pong'],
      [ACTION_TAKEN]: 'pinger1 receives Pong from ponger1',
    });
  });
});

describe('readItf', () => {
  const model = countersModel({ maxX: 2, maxY: 2, properties: [xBelowTwo] });
  const trace = replayPath(model, { initial: 0, actions: [0, 1, 0] });
  const text = formatItf(traceToItf(model, trace, { source: 'c.ts', spec: 'counters', parameters: { maxX: 2 }, property: xBelowTwo }));

  it('reads back the replay token, parameters, spec, property and states of a file it wrote', () => {
    expect(text.endsWith('}\n')).toBe(true);
    const read = readItf(text);
    expect(read.replayToken).toBe('0/0/1/0');
    expect(read.params).toEqual({ maxX: 2 });
    expect(read.spec).toBe('counters');
    expect(read.property).toBe('XBelowTwo');
    expect(read.vars).toEqual(['x', 'y', ACTION_TAKEN]);
    expect(read.states).toHaveLength(4);
  });

  const bad: [string, string, RegExp][] = [
    ['text that is not JSON', '{"vars": [', /^not JSON: /],
    ['a JSON array', '[]', /the top level is not a JSON object/],
    ['an object without states', '{"#meta": {"replayToken": "0"}, "vars": []}', /needs "vars" and "states" arrays/],
    ['a trace without #meta', '{"vars": [], "states": []}', /no "#meta" object/],
    ['a #meta without a replay token', '{"#meta": {"format": "ITF"}, "vars": [], "states": []}', /no "replayToken"/],
    ['a replay token that is not a string', '{"#meta": {"replayToken": [0, 1]}, "vars": [], "states": []}', /^"#meta.replayToken" must be a string, a replay token such as "0\/3\/1\/4", got an array$/],
    ['parameters that are not values', '{"#meta": {"replayToken": "0", "params": {"n": [1]}}, "vars": [], "states": []}', /"#meta.params.n" must be a number or a string/],
  ];
  for (const [what, input, message] of bad) {
    it(`refuses ${what}`, () => {
      expect(() => readItf(input)).toThrow(ItfError);
      expect(() => readItf(input)).toThrow(message);
    });
  }
});

describe('traceToItf on descriptions that differ in their keys', () => {
  it("writes a key the format owns (#...) or the action taken's name with a leading _, so neither is read as the format's", () => {
    const model = { ...countersModel({ maxX: 2, maxY: 2 }), describeState: () => ({ '#meta': 1, [ACTION_TAKEN]: 'mine', n: { '#set': 2 } }) };
    const trace = replayPath(model, { initial: 0, actions: [0] });
    const itf = traceToItf(model, trace, { source: 'c', spec: 'c', parameters: {} });
    expect(itf.vars).toEqual(['_#meta', `_${ACTION_TAKEN}`, 'n', ACTION_TAKEN]);
    expect(itf.states[1]).toEqual({ '#meta': { index: 1 }, '_#meta': { '#bigint': '1' }, [`_${ACTION_TAKEN}`]: 'mine', n: { '_#set': { '#bigint': '2' } }, [ACTION_TAKEN]: 'increment x' });
    expect(firstDifference(model, trace, readItf(formatItf(itf)).states)).toBeUndefined();
  });

  it('gives every state every variable, one its description lacks as #unserializable, which replay reads as absent', () => {
    const model = { ...countersModel({ maxX: 2, maxY: 2 }), describeState: (state: Counters) => (state.x > 0 ? { x: state.x, extra: true } : { x: state.x }) };
    const trace = replayPath(model, { initial: 0, actions: [1, 0] });
    const itf = traceToItf(model, trace, { source: 'c', spec: 'c', parameters: {} });
    expect(itf.vars).toEqual(['x', 'extra', ACTION_TAKEN]);
    expect(itf.states.map((state) => state.extra)).toEqual([
      { '#unserializable': '(absent from this state)' },
      { '#unserializable': '(absent from this state)' },
      true,
    ]);
    expect(firstDifference(model, trace, readItf(formatItf(itf)).states)).toBeUndefined();
  });
});

describe('firstDifference', () => {
  const model = countersModel({ maxX: 2, maxY: 2 });
  const trace = replayPath(model, { initial: 0, actions: [0, 1, 0] });
  const recorded = readItf(formatItf(traceToItf(model, trace, { source: 'c', spec: 'c', parameters: {} }))).states;

  it('finds none when the replay matches the file', () => {
    expect(firstDifference(model, trace, recorded)).toBeUndefined();
  });

  it('names the first step whose variables or action differ', () => {
    const changed = recorded.map((state, index) => (index === 2 ? { ...state, y: { '#bigint': '7' } } : state));
    expect(firstDifference(model, trace, changed)).toEqual({ step: 2, variable: 'y' });
    const renamed = recorded.map((state, index) => (index === 3 ? { ...state, [ACTION_TAKEN]: 'something else' } : state));
    expect(firstDifference(model, trace, renamed)).toEqual({ step: 3, variable: ACTION_TAKEN });
  });

  it('names the step where one of them ends early', () => {
    expect(firstDifference(model, trace, recorded.slice(0, 2))).toEqual({ step: 2 });
  });

  it('finds none in the same values written otherwise: plain integers, fields and set members in another order', () => {
    const plain = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(plain)
        : value !== null && typeof value === 'object'
          ? '#bigint' in value
            ? Number((value as { '#bigint': string })['#bigint'])
            : Object.fromEntries(Object.entries(value).reverse().map(([key, field]) => [key, plain(field)]))
          : value;
    const rewritten = recorded.map((state) => plain(state) as Record<string, unknown>);
    expect(JSON.stringify(rewritten)).not.toBe(JSON.stringify(recorded));
    expect(firstDifference(model, trace, rewritten)).toBeUndefined();
    // A set's members in another order are the same set; in a list, another list.
    const described = { ...model, describeState: () => ({ members: new Set([1, 2]), order: [1, 2] }) };
    const ours = readItf(formatItf(traceToItf(described, trace, { source: 'c', spec: 'c', parameters: {} }))).states;
    const reordered = ours.map((state) => ({ ...state, members: { '#set': [2, 1] } }));
    expect(firstDifference(described, trace, reordered)).toBeUndefined();
    expect(firstDifference(described, trace, ours.map((state) => ({ ...state, order: [2, 1] })))).toEqual({ step: 0, variable: 'order' });
    // Files written before #unserializable held a fraction as a plain string.
    const fraction = { ...model, describeState: () => ({ ratio: 1.5 }) };
    const older = readItf(formatItf(traceToItf(fraction, trace, { source: 'c', spec: 'c', parameters: {} }))).states.map((state) => ({ ...state, ratio: '1.5' }));
    expect(firstDifference(fraction, trace, older)).toBeUndefined();
  });
});

describe('firstActionDifference', () => {
  // Actions named as Paxos.tla names them, the actor inside parentheses: `bump(x) by 1`.
  const base = countersModel({ maxX: 3, maxY: 3 });
  const model = {
    ...base,
    participants: ['x', 'y'],
    formatAction: (state: Counters, action: 'incX' | 'incY' | 'stay') =>
      action === 'incX' ? `bump(x) to (${state.x + 1})` : `bump(y) to (${state.y + 1})`,
  };
  const trace = replayPath(model, { initial: 0, actions: [0, 0, 0] });
  const recordedAs = (texts: readonly string[]) => [{}, ...texts.map((text) => ({ [ACTION_TAKEN]: text }))];

  it('tells a later step by another actor, named inside parentheses, from one with other contents', () => {
    // The replay bumps x three times. The file's step 1 differs, taken by the same actor; then only the contents differ.
    expect(firstActionDifference(model, trace, recordedAs(['bump(x) to (5)', 'bump(x) to (9)', 'bump(x) to (9)']))).toEqual({
      step: 1,
      recorded: 'bump(x) to (5)',
      replayed: 'bump(x) to (1)',
    });
    // Step 3 is another actor's step: the replay is another run from there.
    expect(firstActionDifference(model, trace, recordedAs(['bump(x) to (5)', 'bump(x) to (2)', 'bump(y) to (3)']))).toMatchObject({
      step: 1,
      otherStepAt: 3,
    });
  });

  it('reads numbers standing alone outside parentheses as contents, as emitted tests do, but not numbers in names', () => {
    const numbered = { ...model, formatAction: (state: Counters, action: string) => (action === 'incX' ? `x bumps round ${state.x + 1}` : `y bumps round ${state.y + 1}`) };
    const bumped = replayPath(numbered, { initial: 0, actions: [0, 0, 0] });
    // Step 1 is the changed step; steps 2 and 3 differ in their numbers only: the file's run still.
    expect(firstActionDifference(numbered, bumped, recordedAs(['x bumps round 7', 'x bumps round 8', 'x bumps round 9']))).toEqual({
      step: 1,
      recorded: 'x bumps round 7',
      replayed: 'x bumps round 1',
    });
  });

  it('takes a first differing step by another actor for another run at once', () => {
    expect(firstActionDifference(model, trace, recordedAs(['bump(y) to (1)', 'bump(x) to (2)', 'bump(x) to (3)']))).toEqual({
      step: 1,
      recorded: 'bump(y) to (1)',
      replayed: 'bump(x) to (1)',
      recordedAt: 1,
      otherStepAt: 1,
    });
  });
});

describe('goneStep', () => {
  // The counterexample of two-steps: p steps (action 0), then q (action 0 again).
  const recorded = [undefined, 'p steps', 'q steps'];
  const path = { initial: 0, actions: [0, 0] };
  const variant = (order: string, label = 'plain') => twoSteps.build(resolveParameters(twoSteps.parameters, { order, label }) as never);

  it('names the first step the spec no longer offers, when nobody else takes it there', () => {
    expect(goneStep(variant('never-p'), path, recorded)).toEqual({ step: 1, recorded: 'p steps', before: { initial: 0, actions: [] } });
  });

  it('finds none where every step is still taken, or the step is offered under another index', () => {
    expect(goneStep(variant('any'), path, recorded)).toBeUndefined();
    // The index names q's step, but p's is still enabled, at another index: the indices name other
    // actions (other parameters), which is no step gone.
    expect(goneStep(variant('any'), { initial: 0, actions: [1, 0] }, [undefined, 'p steps', 'q steps'])).toBeUndefined();
  });

  it('finds none where the same kind of step by the same participants is offered with other contents (a changed step)', () => {
    expect(goneStep(variant('never-p'), path, [undefined, 'q steps (3)', 'p steps'])).toBeUndefined();
    // Another kind of step by them is no changed step.
    expect(goneStep(variant('never-p'), path, [undefined, 'q jumps', 'p steps'])).toMatchObject({ step: 1, recorded: 'q jumps' });
  });

  it("reads the participants inside parentheses too (Paxos.tla's Phase2b(a2)), and finds none for a text that names nobody", () => {
    expect(goneStep(variant('never-p'), path, [undefined, 'Step(p)', 'q steps'])).toMatchObject({ step: 1, recorded: 'Step(p)' });
    expect(goneStep(variant('never-p'), path, [undefined, 'Tick', 'q steps'])).toBeUndefined();
  });

  it('follows the recorded steps by their text where a fix pruned other actions before the step gone, shifting the indices', () => {
    // The file took q (index 1 of p, q), then p; a spec where p never steps offers q at index 0.
    const shifted = goneStep(variant('never-p'), { initial: 0, actions: [1, 0] }, [undefined, 'q steps', 'p steps']);
    expect(shifted).toEqual({ step: 2, recorded: 'p steps', before: { initial: 0, actions: [0] } });
  });
});
