import { describe, expect, it } from 'vitest';
import paxos, { chosenProposals, type Acceptor } from '../../specs/paxos.ts';
import anyPromiseValue from '../../specs/bugs/any-promise-value.ts';
import { PAXOS_ALL_HOLD, checkSpec, counts, verdicts } from './helpers.ts';
import type { SystemState } from '../../src/actors/system.ts';

describe('classic Paxos, 3 acceptors (golden state counts)', () => {
  const cases = [
    { proposers: 1, rounds: 1, network: 'bag', expected: { distinctStates: 183, transitions: 400, depth: 13 } },
    { proposers: 1, rounds: 1, network: 'dup', expected: { distinctStates: 183, transitions: 724, depth: 13 } },
    { proposers: 1, rounds: 2, network: 'bag', expected: { distinctStates: 33_307, transitions: 106_305, depth: 25 } },
    { proposers: 1, rounds: 2, network: 'dup', expected: { distinctStates: 21_295, transitions: 110_601, depth: 25 } },
    { proposers: 2, rounds: 1, network: 'bag', expected: { distinctStates: 33_489, transitions: 111_255, depth: 25 } },
    { proposers: 2, rounds: 1, network: 'dup', expected: { distinctStates: 33_489, transitions: 176_379, depth: 25 } },
  ] as const;

  for (const { proposers, rounds, network, expected } of cases) {
    it(`proposers=${proposers} rounds=${rounds} network=${network}: every property holds`, async () => {
      const report = await checkSpec(paxos, { proposers, rounds, network });
      expect(counts(report)).toEqual({ status: 'ok', ...expected });
      expect(verdicts(report)).toEqual(PAXOS_ALL_HOLD);
    });
  }

  it('gives identical counts on a second run', async () => {
    const first = counts(await checkSpec(paxos, { proposers: 2, rounds: 1 }));
    const second = counts(await checkSpec(paxos, { proposers: 2, rounds: 1 }));
    expect(second).toEqual(first);
  });

  it('consuming ignored deliveries makes more states than pruning them, with the same verdict', async () => {
    const report = await checkSpec(paxos, { proposers: 2, rounds: 1, ignored: 'consume' });
    expect(counts(report)).toEqual({ status: 'ok', distinctStates: 158_458, transitions: 756_708, depth: 25 });
  });

  it('the lossy network keeps safety', async () => {
    const report = await checkSpec(paxos, { proposers: 1, rounds: 2, network: 'lossy', learners: 0 });
    expect(report.result.status).toBe('ok');
  });
});

describe('any-promise-value (broken)', () => {
  it('violates Agreement with a shortest counterexample of 20 steps', async () => {
    const report = await checkSpec(anyPromiseValue, { proposers: 3, rounds: 1, learners: 0 });
    expect(report.result.status).toBe('violation');
    expect(report.result.violation?.property).toBe('Agreement');
    const trace = report.counterexample!;
    expect(trace.steps.length - 1).toBe(20);
    // The last state really has two values chosen, by two quorums.
    const last = trace.steps[trace.steps.length - 1]!.state as SystemState;
    const acceptors = last.locals.slice(3, 6) as Acceptor[];
    const chosen = chosenProposals(acceptors, 2);
    expect(new Set(chosen.map((proposal) => proposal.value)).size).toBe(2);
    // The step before is still safe: the counterexample stops at the first violating state.
    const before = trace.steps[trace.steps.length - 2]!.state as SystemState;
    const chosenBefore = chosenProposals(before.locals.slice(3, 6) as Acceptor[], 2);
    expect(new Set(chosenBefore.map((proposal) => proposal.value)).size).toBe(1);
  });
});
