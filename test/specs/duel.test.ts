import { describe, expect, it } from 'vitest';
import paxos from '../../specs/paxos.ts';
import multiPaxos from '../../specs/multi-paxos.ts';
import flexiblePaxos from '../../specs/flexible-paxos.ts';
import type { AnySpec } from '../../src/model.ts';
import { resolveParameters } from '../../src/parameters.ts';
import { checkModel, type CheckOptions } from '../../src/check.ts';
import { formatMermaid } from '../../src/trace/mermaid.ts';

/** Checks only `duel` (an optional sometimes property with a history). */
function checkDuel(spec: AnySpec, parameters: Record<string, string | number>, options: CheckOptions = {}) {
  return checkModel(spec.build(resolveParameters(spec.parameters, parameters)), { properties: ['duel'], ...options });
}

const duelling = { acceptors: 3, proposers: 2, rounds: 2, learners: 0 };

/** Lamport's duel: each proposer completes phase 1, then the other's higher ballot takes a majority. */
const DUEL = [
  'p1 starts round 1 with ballot 1',
  'a1 receives Prepare(b=1) from p1',
  'a2 receives Prepare(b=1) from p1',
  'p1 receives Promise(b=1, accepted=none) from a1',
  'p1 receives Promise(b=1, accepted=none) from a2',
  'p2 starts round 1 with ballot 2',
  'a1 receives Prepare(b=2) from p2',
  'a2 receives Prepare(b=2) from p2',
  'p2 receives Promise(b=2, accepted=none) from a1',
  'p2 receives Promise(b=2, accepted=none) from a2',
  'p1 starts round 2 with ballot 3',
  'a1 receives Prepare(b=3) from p1',
  'a2 receives Prepare(b=3) from p1',
];

describe("the optional sometimes property 'duel' (each proposer loses rounds to the other's higher ballot)", () => {
  it('is not checked unless asked for, so default runs keep their state counts', async () => {
    const model = paxos.build(resolveParameters(paxos.parameters, {}));
    expect(model.properties.find((property) => property.name === 'duel')).toMatchObject({ kind: 'sometimes', optional: true });
    const { result } = await checkModel(model);
    expect(result.properties.map((property) => property.name)).not.toContain('duel');
    expect(result.statistics.distinctStates).toBe(33_489);
  });

  it('classic Paxos, 2 proposers, 2 rounds: witnessed in 13 steps, and the search stops there', async () => {
    const { result, witnesses, model } = await checkDuel(paxos, duelling);
    expect(result.status).toBe('ok');
    expect(result.settledEarly).toBe(true);
    expect(result.statistics.distinctStates).toBe(145_839);
    expect(witnesses).toHaveLength(1);
    const trace = witnesses![0]!.trace;
    expect(trace.steps.slice(1).map((step) => step.actionText)).toEqual(DUEL);
    const duel = model.properties.find((property) => property.name === 'duel')!;
    expect(formatMermaid(model, trace, { property: duel }).split('\n').at(-1)).toBe(
      "  Note over p1,a3: duel is witnessed at step 13: each proposer's rounds were pre-empted by the other's higher ballot " +
        '(p1 lost round 1, p2 lost round 1) and nothing is chosen yet',
    );
    // The step before is no duel yet: p2's round 1 is pre-empted only by the second promise of ballot 3.
    expect(duel.holds(trace.steps[12]!.state)).toBe(false);
  });

  it('the same 13-step witness under symmetry over acceptors (the history counts promises, not acceptors)', async () => {
    const { result, witnesses } = await checkDuel(paxos, duelling, { symmetry: ['acceptors'] });
    expect(result.status).toBe('ok');
    // The concrete trace may name other acceptors than the unreduced search's.
    const anyAcceptor = (text: string | undefined) => text?.replace(/\ba\d\b/g, 'a#');
    expect(witnesses![0]!.trace.steps.slice(1).map((step) => anyAcceptor(step.actionText))).toEqual(DUEL.map(anyAcceptor));
  });

  it('one proposer: never witnessed, and the history adds no state (33,307, the golden count)', async () => {
    const { result } = await checkDuel(paxos, { proposers: 1, rounds: 2 });
    expect(result.status).toBe('violation');
    expect(result.violation).toEqual({ property: 'duel', kind: 'sometimes' });
    expect(result.statistics.distinctStates).toBe(33_307);
  });

  it('one round each: never witnessed (no retry, and nothing pre-empts the highest ballot)', async () => {
    const { result } = await checkDuel(paxos, { proposers: 2, rounds: 1 });
    expect(result.violation).toEqual({ property: 'duel', kind: 'sometimes' });
    expect(result.statistics.distinctStates).toBe(33_489);
  });

  it('Multi-Paxos with a stable leader: never witnessed; with two would-be leaders the same 13-step duel', async () => {
    const stable = await checkDuel(multiPaxos, { proposers: 1, rounds: 2, slots: 1 });
    expect(stable.result.violation).toEqual({ property: 'duel', kind: 'sometimes' });
    expect(stable.result.statistics.distinctStates).toBe(4_693);
    const leaders = await checkDuel(multiPaxos, { acceptors: 2, proposers: 2, rounds: 2, slots: 2 });
    expect(leaders.result.status).toBe('ok');
    expect(leaders.result.statistics.distinctStates).toBe(13_439);
    expect(leaders.witnesses![0]!.trace.steps.length - 1).toBe(13);
  });

  it('Flexible Paxos: pre-emption takes a phase-1 quorum of higher promises (q1 = 1: one promise; 8 steps)', async () => {
    const { result, witnesses } = await checkDuel(flexiblePaxos, { ...duelling, acceptors: 4, q1: 1, q2: 4 });
    expect(result.status).toBe('ok');
    expect(result.statistics.distinctStates).toBe(20_620);
    expect(witnesses![0]!.trace.steps.slice(1).map((step) => step.actionText)).toEqual([
      'p1 starts round 1 with ballot 1',
      'a1 receives Prepare(b=1) from p1',
      'p1 receives Promise(b=1, accepted=none) from a1',
      'p2 starts round 1 with ballot 2',
      'a1 receives Prepare(b=2) from p2',
      'p2 receives Promise(b=2, accepted=none) from a1',
      'p1 starts round 2 with ballot 3',
      'a1 receives Prepare(b=3) from p1',
    ]);
  });
});
