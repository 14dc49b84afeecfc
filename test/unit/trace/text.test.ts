import { describe, it, expect } from 'vitest';
import { describeChanges, flattenDescription, formatTraceText } from '../../../src/trace/text.ts';
import { replayPath } from '../../../src/trace/replay.ts';
import type { Property } from '../../../src/model.ts';
import { countersModel, type Counters } from '../../toys/counters.ts';
import { stoppingCounterModel, terminalIsDone } from '../../toys/stopping-counter.ts';

describe('flattenDescription', () => {
  it('flattens nested objects to dotted paths and keeps arrays whole', () => {
    const flat = flattenDescription({
      round: 2,
      acceptor: { a1: { promised: 3, accepted: null }, a2: { promised: 1, accepted: [1, 'v'] } },
      network: ['Prepare(1)', 'Prepare(1)'],
      label: 'x',
    });
    expect([...flat.entries()]).toEqual([
      ['round', 2],
      ['acceptor.a1.promised', 3],
      ['acceptor.a1.accepted', null],
      ['acceptor.a2.promised', 1],
      ['acceptor.a2.accepted', [1, 'v']],
      ['network', ['Prepare(1)', 'Prepare(1)']],
      ['label', 'x'],
    ]);
  });

  it('prefixes paths', () => {
    expect([...flattenDescription({ a: 1, b: { c: 2 } }, 'state').entries()]).toEqual([
      ['state.a', 1],
      ['state.b.c', 2],
    ]);
  });
});

describe('describeChanges', () => {
  const changes = (before: Record<string, unknown>, after: Record<string, unknown>) =>
    describeChanges(flattenDescription(before), flattenDescription(after));

  it('says nothing when nothing changed', () => {
    expect(changes({ a: 1, b: [1, 2], c: { d: 'x' } }, { a: 1, b: [1, 2], c: { d: 'x' } })).toEqual([]);
  });

  it('shows a list whose items only changed places whole, before -> after', () => {
    expect(changes({ a: 1, log: ['v1', 'v2'] }, { a: 1, log: ['v2', 'v1'] })).toEqual(['log: [v1, v2] -> [v2, v1]']);
    expect(changes({ log: [[1, 2], [3]] }, { log: [[3], [1, 2]] })).toEqual(['log: [[1, 2], [3]] -> [[3], [1, 2]]']);
  });

  it('shows a changed scalar as before -> after', () => {
    expect(changes({ a: 1, b: { c: 'old' }, d: null }, { a: 2, b: { c: 'new' }, d: 5 })).toEqual([
      'a: 1 -> 2',
      'b.c: old -> new',
      'd: null -> 5',
    ]);
  });

  it('shows list items added and removed, as multisets', () => {
    expect(changes({ net: ['P1', 'P1', 'A2'] }, { net: ['P1', 'A2', 'B3', 'B3'] })).toEqual(['net + B3, B3', 'net - P1']);
    expect(changes({ net: [] }, { net: ['x'] })).toEqual(['net + x']);
    expect(changes({ net: [[1, 2]] }, { net: [] })).toEqual(['net - [1, 2]']);
  });

  it('reports a value that appears', () => {
    const lines = changes({ a: 1, learned: {} }, { a: 1, learned: { l1: 2 } });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^learned\.l1: .* -> 2$/);
  });

  it('reports a value that disappears', () => {
    // e.g. a learner's entry, or a channel with no messages left, leaves the description.
    const lines = changes({ a: 1, learned: { l1: 2 } }, { a: 1, learned: {} });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^learned\.l1: 2 -> /);
  });
});

describe('formatTraceText', () => {
  it('refuses a trace with no steps, naming itself', () => {
    const model = countersModel({ maxX: 1, maxY: 1 });
    expect(() => formatTraceText(model, { path: { initial: 0, actions: [] }, token: '', steps: [] })).toThrow(new RangeError('formatTraceText: the trace has no steps, not even its initial state'));
  });

  it('numbers the steps, lists the initial state and only what changed, and marks the failing property', () => {
    const notCorner: Property<Counters> = {
      name: 'NotCorner',
      kind: 'always',
      holds: (state) => !(state.x === 1 && state.y === 1),
      explain: (state) => `reached (${state.x}, ${state.y})`,
    };
    const model = countersModel({ maxX: 1, maxY: 1, properties: [notCorner] });
    const trace = replayPath(model, { initial: 0, actions: [0, 1] });
    expect(formatTraceText(model, trace, { property: notCorner })).toBe(
      [
        '  0. initial state',
        '       x: 0',
        '       y: 0',
        '  1. increment x',
        '       x: 0 -> 1',
        '  2. increment y',
        '       y: 0 -> 1',
        '  >> NotCorner fails at step 2: reached (1, 1)',
      ].join('\n'),
    );
  });

  it('marks a terminal failure with the explanation, and honours the indent', () => {
    const model = stoppingCounterModel([terminalIsDone]);
    const trace = replayPath(model, { initial: 0, actions: [0, 0, 0] });
    const text = formatTraceText(model, trace, { property: terminalIsDone, indent: '' });
    expect(text.split('\n')).toEqual([
      '0. initial state',
      '     n: 0',
      '     done: false',
      '1. inc',
      '     n: 0 -> 1',
      '2. inc',
      '     n: 1 -> 2',
      '3. inc',
      '     n: 2 -> 3',
      '>> TerminalIsDone fails at step 3: stopped at 3 without finishing',
    ]);
  });

  it('without an explanation or a property, prints no reason and no marker', () => {
    const bare: Property<Counters> = { name: 'Bare', kind: 'always', holds: () => false };
    const model = countersModel({ maxX: 1, maxY: 1 });
    const trace = replayPath(model, { initial: 0, actions: [] });
    expect(formatTraceText(model, trace, { property: bare })).toBe(
      ['  0. initial state', '       x: 0', '       y: 0', '  >> Bare fails at step 0'].join('\n'),
    );
    expect(formatTraceText(model, trace)).toBe(['  0. initial state', '       x: 0', '       y: 0'].join('\n'));
  });

  it('describes a model without describeState as its whole state', () => {
    const { describeState: _unused, ...base } = countersModel({ maxX: 1, maxY: 1 });
    const trace = replayPath(base, { initial: 0, actions: [1] });
    expect(formatTraceText(base, trace)).toBe(
      ['  0. initial state', '       state.x: 0', '       state.y: 0', '  1. increment y', '       state.y: 0 -> 1'].join('\n'),
    );
  });
});
