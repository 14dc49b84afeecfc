import { describe, expect, it } from 'vitest';
import mermaid from 'mermaid';
import { formatMermaid, mermaidText } from '../../../src/trace/mermaid.ts';
import { replayPath, formatAction } from '../../../src/trace/replay.ts';
import { resolveParameters } from '../../../src/parameters.ts';
import type { AnyModel, Property } from '../../../src/model.ts';
import type { ReplayPath } from '../../../src/store/trace-store.ts';
import ping from '../../../specs/examples/ping.ts';
import anyPromiseValue from '../../../specs/bugs/any-promise-value.ts';
import paxosTlaAnyValue from '../../../specs/bugs/paxos-tla-any-value.ts';
import { checkModel } from '../../../src/check.ts';
import { countersModel, type Counters } from '../../toys/counters.ts';

/** The real Mermaid parser: resolves for a valid diagram, rejects with the parse error otherwise. */
async function parses(diagram: string): Promise<unknown> {
  return mermaid.parse(diagram);
}

/** A path choosing, at each step, the enabled action whose text matches. */
function pathByText(model: AnyModel, texts: readonly RegExp[]): ReplayPath {
  let state = model.initialStates()[0];
  const actions: number[] = [];
  for (const text of texts) {
    const enabled: unknown[] = [];
    model.actions(state, enabled);
    const index = enabled.findIndex((action) => text.test(formatAction(model, state, action)) && model.nextState(state, action));
    if (index < 0) throw new Error(`no action matches ${text}`);
    actions.push(index);
    state = model.nextState(state, enabled[index])!;
  }
  return { initial: 0, actions };
}

describe('mermaidText', () => {
  it('escapes what would end or break a message: # ; < and newlines', () => {
    expect(mermaidText('a; b # c <d>\ne')).toBe('a#59; b #35; c #lt;d><br/>e');
  });
});

describe('formatMermaid on the README ping example (dup network, 4 steps)', () => {
  const model = ping.build(resolveParameters(ping.parameters, { pings: 3, network: 'dup' }));
  const trace = replayPath(model, { initial: 0, actions: [0, 0, 1, 1] });
  const property = model.properties.find((candidate) => candidate.name === 'NoExtraAnswers');
  const diagram = formatMermaid(model, trace, { property });

  it('draws deliveries as arrows in delivery order, local steps and changes as notes, and the failing property last', () => {
    expect(diagram).toBe(
      [
        'sequenceDiagram',
        '  participant pinger1',
        '  participant ponger1',
        '  Note over pinger1: 1. Ping<br/>sent: 0 -> 1',
        '  pinger1->>ponger1: 2. Ping',
        '  ponger1->>pinger1: 3. Pong',
        '  Note over pinger1: answers: 0 -> 1',
        '  ponger1->>pinger1: 4. Pong',
        '  Note over pinger1: answers: 1 -> 2',
        '  Note over pinger1,ponger1: NoExtraAnswers fails at step 4',
      ].join('\n'),
    );
  });

  it('is a sequence diagram for the Mermaid parser', async () => {
    await expect(parses(diagram)).resolves.toEqual({ diagramType: 'sequence', config: {} });
  });

  it('(the parser does reject a broken diagram, so the check above can fail)', async () => {
    await expect(parses(diagram.replace('ponger1->>pinger1: 3.', 'ponger1->>: 3.'))).rejects.toThrow(/Parse error/);
    await expect(parses(diagram.replace('2. Ping', '2. Ping; unescaped'))).rejects.toThrow(/Parse error/);
  });
});

describe('formatMermaid on the any-promise-value counterexample (20 steps)', () => {
  const model = anyPromiseValue.build(resolveParameters(anyPromiseValue.parameters, { proposers: 3, rounds: 1, learners: 0 }));
  // The shortest counterexample synod check finds for these parameters.
  const trace = replayPath(model, { initial: 0, actions: [0, 0, 0, 1, 1, 0, 3, 4, 3, 1, 1, 2, 2, 2, 2, 0, 2, 1, 0, 0] });
  const agreement = model.properties.find((candidate) => candidate.name === 'Agreement')!;
  const diagram = formatMermaid(model, trace, { property: agreement });
  const lines = diagram.split('\n');

  it('declares the actors as participants, in order', () => {
    expect(lines[0]).toBe('sequenceDiagram');
    expect(lines.slice(1, 7)).toEqual(['p1', 'p2', 'p3', 'a1', 'a2', 'a3'].map((name) => `  participant ${name}`));
    expect(lines.filter((line) => line.includes('participant'))).toHaveLength(6);
  });

  it('has one arrow per delivery, from sender to receiver, numbered by step', () => {
    const deliveries = trace.steps.filter((step) => step.actionText?.includes(' receives '));
    const arrows = lines.filter((line) => line.includes('->>'));
    expect(deliveries).toHaveLength(17);
    expect(arrows).toHaveLength(17);
    expect(arrows[0]).toBe('  p1->>a1: 2. Prepare(b=1)');
    expect(arrows[16]).toBe('  p3->>a2: 20. Accept(b=3, v1)');
  });

  it('notes each actor\'s changed fields (not the network) and the timers as local steps', () => {
    expect(lines).toContain('  Note over p3: 14. starts round 1 with ballot 3<br/>round: 0 -> 1<br/>ballot: 0 -> 3');
    expect(lines).toContain('  Note over p3: promises + a1<br/>adopted: (2,v2) -> (1,v1)<br/>accepting: false -> true');
    expect(lines).toContain('  Note over a2: accepted: (2,v2) -> (3,v1)<br/>votes + (3,v1)');
    expect(diagram).not.toContain('network');
  });

  it('ends with a note over everyone naming the property and why it fails, escaped', () => {
    expect(lines[lines.length - 1]).toBe(
      '  Note over p1,a3: Agreement fails at step 20: v2 chosen at ballot 2 by {a2,a3}#59; v1 chosen at ballot 3 by {a1,a2}',
    );
  });

  it('is a sequence diagram for the Mermaid parser', async () => {
    await expect(parses(diagram)).resolves.toEqual({ diagramType: 'sequence', config: {} });
  });
});

describe('formatMermaid, other cases', () => {
  it('draws a dropped message as a crossed arrow', async () => {
    const model = ping.build(resolveParameters(ping.parameters, { pings: 1, network: 'lossy' }));
    const trace = replayPath(model, pathByText(model, [/Ping$/, /Ping from pinger1 to ponger1 dropped/]));
    const diagram = formatMermaid(model, trace);
    expect(diagram.split('\n').slice(3)).toEqual(['  Note over pinger1: 1. Ping<br/>sent: 0 -> 1', '  pinger1-xponger1: 2. Ping (dropped)']);
    await expect(parses(diagram)).resolves.toEqual({ diagramType: 'sequence', config: {} });
  });

  it('draws a step whose describeStep throws as a note over everyone with the action, what it threw and every change', async () => {
    const model = ping.build(resolveParameters(ping.parameters, { pings: 1, network: 'bag' }));
    const throwing: AnyModel = {
      ...model,
      describeStep(state, action) {
        const step = model.describeStep!(state, action);
        if (step.label === 'Pong') throw new Error('no step for Pong\n  at a pasted stack');
        return step;
      },
    };
    const trace = replayPath(throwing, pathByText(throwing, [/Ping$/, /receives Ping/, /receives Pong/]));
    const diagram = formatMermaid(throwing, trace);
    expect(diagram.split('\n').slice(3)).toEqual([
      '  Note over pinger1: 1. Ping<br/>sent: 0 -> 1',
      '  pinger1->>ponger1: 2. Ping',
      '  Note over pinger1,ponger1: 3. pinger1 receives Pong from ponger1 (describeStep threw: no step for Pong [and 1 more line])<br/>network - ponger1->pinger1: Pong',
      '  Note over pinger1: answers: 0 -> 1',
    ]);
    await expect(parses(diagram)).resolves.toEqual({ diagramType: 'sequence', config: {} });
  });

  it('falls back to one participant named after the model, and a note per step, without participants or describeStep', async () => {
    const xBelowTwo: Property<Counters> = { name: 'XBelowTwo', kind: 'always', holds: (state) => state.x < 2 };
    const model = countersModel({ maxX: 2, maxY: 2, properties: [xBelowTwo] });
    const diagram = formatMermaid(model, replayPath(model, { initial: 0, actions: [0, 0] }), { property: xBelowTwo });
    expect(diagram).toBe(
      [
        'sequenceDiagram',
        '  participant P_counters_2x2 as counters 2x2',
        '  Note over P_counters_2x2: 1. increment x<br/>x: 0 -> 1',
        '  Note over P_counters_2x2: 2. increment x<br/>x: 1 -> 2',
        '  Note over P_counters_2x2: XBelowTwo fails at step 2',
      ].join('\n'),
    );
    await expect(parses(diagram)).resolves.toEqual({ diagramType: 'sequence', config: {} });
  });
});

describe('formatMermaid on a model with participants and no describeStep (Paxos.tla any-value, 12 steps)', () => {
  it('notes each step with its action and every change, shared variables included: there are no arrows to show them', async () => {
    const model = paxosTlaAnyValue.build(resolveParameters(paxosTlaAnyValue.parameters, {}));
    const { result, counterexample } = await checkModel(model);
    expect(result.status).toBe('violation');
    const property = model.properties.find((candidate) => candidate.name === 'Consistency');
    const lines = formatMermaid(model, counterexample!, { property }).split('\n');
    expect(lines).toHaveLength(1 + 5 + 12 + 1);
    expect(lines[6]).toBe('  Note over leader0,a3: 1. Phase1a(0)<br/>msgs + 1a(bal=0)');
    expect(lines[13]).toBe('  Note over leader0,a3: 8. Phase1b(a2) on 1a(bal=1)<br/>maxBal.a2: 0 -> 1<br/>msgs + 1b(acc=a2, bal=1, mbal=0, mval=v1)');
    await expect(parses(lines.join('\n'))).resolves.toBeDefined();
  });
});

describe('formatMermaid on a model whose participants are its variables, with no describeStep', () => {
  it('names each step before the changes of the participants it changed', () => {
    const model = { ...countersModel({ maxX: 2, maxY: 2 }), participants: ['x', 'y'] };
    const trace = replayPath(model, { initial: 0, actions: [0, 1] });
    expect(formatMermaid(model, trace).split('\n')).toEqual([
      'sequenceDiagram',
      '  participant x',
      '  participant y',
      '  Note over x,y: 1. increment x',
      '  Note over x: 0 -> 1',
      '  Note over x,y: 2. increment y',
      '  Note over y: 0 -> 1',
    ]);
  });
});

describe('formatMermaid on a model with participants, describeStep and a variable of no participant', () => {
  // Two processes whose steps set a shared turn, which no arrow shows.
  type Turns = { readonly p: number; readonly q: number; readonly turn: string };
  const model = {
    name: 'turns',
    participants: ['p', 'q'],
    initialStates: (): Turns[] => [{ p: 0, q: 0, turn: 'p' }],
    actions: (_state: Turns, out: string[]) => out.push('p', 'q'),
    nextState: (state: Turns, who: string): Turns | undefined =>
      who === 'p' ? (state.p < 1 ? { ...state, p: 1, turn: 'q' } : undefined) : state.q < 1 ? { ...state, q: 1, turn: 'p' } : undefined,
    encode: (state: Turns, out: { push(word: number): void }) => (out.push(state.p), out.push(state.q), out.push(state.turn === 'p' ? 0 : 1)),
    decode: (input: { next(): number }): Turns => ({ p: input.next(), q: input.next(), turn: input.next() === 0 ? 'p' : 'q' }),
    describeState: (state: Turns) => ({ p: { step: state.p }, q: { step: state.q }, turn: state.turn }),
    describeStep: (_state: Turns, who: string) => ({ kind: 'local' as const, from: who, label: 'steps' }),
    properties: [],
  };

  it('shows the shared variable in a note over everyone, and leaves out only what diagramOmits names', async () => {
    const trace = replayPath(model as never, { initial: 0, actions: [0, 1] });
    const shown = formatMermaid(model as never, trace).split('\n');
    expect(shown).toEqual([
      'sequenceDiagram',
      '  participant p',
      '  participant q',
      '  Note over p: 1. steps<br/>step: 0 -> 1',
      '  Note over p,q: turn: p -> q',
      '  Note over q: 2. steps<br/>step: 0 -> 1',
      '  Note over p,q: turn: q -> p',
    ]);
    await expect(parses(shown.join('\n'))).resolves.toBeDefined();
    // A model whose arrows show a variable (the actors layer's network) names it to leave it out.
    expect(formatMermaid({ ...model, diagramOmits: ['turn'] } as never, trace).split('\n')).toEqual(shown.filter((line) => !line.includes('turn')));
  });
});
