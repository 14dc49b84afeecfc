import { describe, expect, it } from 'vitest';
import noPromiseCheck from '../../specs/bugs/no-promise-check.ts';
import sharedBallots from '../../specs/bugs/shared-ballots.ts';
import minorityQuorum from '../../specs/bugs/minority-quorum.ts';
import amnesia from '../../specs/bugs/amnesia.ts';
import paxos from '../../specs/paxos.ts';
import { checkSpec, counts } from './helpers.ts';
import { checkModel } from '../../src/check.ts';
import { resolveParameters } from '../../src/parameters.ts';

const small = { proposers: 2, rounds: 1, learners: 0 };

describe('broken variants: synod finds each bug with its shortest counterexample', () => {
  const cases = [
    { name: 'no-promise-check', spec: noPromiseCheck, parameters: small, property: 'Agreement', steps: 14 },
    { name: 'shared-ballots (both changes)', spec: sharedBallots, parameters: small, property: 'Agreement', steps: 14 },
    { name: 'minority-quorum (2 of 4)', spec: minorityQuorum, parameters: { proposers: 2, rounds: 1 }, property: 'Agreement', steps: 14 },
    { name: 'amnesia (one crash)', spec: amnesia, parameters: small, property: 'Agreement', steps: 16 },
  ];
  for (const { name, spec, parameters, property, steps } of cases) {
    it(`${name}: ${property} fails after ${steps} steps`, async () => {
      const report = await checkSpec(spec, parameters);
      expect(report.result.status).toBe('violation');
      expect(report.result.violation?.property).toBe(property);
      expect(report.counterexample!.steps.length - 1).toBe(steps);
    });
  }

  it('no-promise-check: LearnerAgreement fails, explained learner by learner', async () => {
    const model = noPromiseCheck.build(resolveParameters(noPromiseCheck.parameters, { learners: 2 }));
    const report = await checkModel(model, { properties: ['LearnerAgreement'] });
    expect(report.result.violation?.property).toBe('LearnerAgreement');
    const property = report.model.properties.find((candidate) => candidate.name === 'LearnerAgreement')!;
    const last = report.counterexample!.steps.at(-1)!.state;
    expect(property.explain!(last)).toBe('l1 learned v1, v2; l2 learned nothing');
  });

  it('amnesia: the counterexample contains the crash and the forgetful restart', async () => {
    const report = await checkSpec(amnesia, small);
    const actions = report.counterexample!.steps.map((step) => step.actionText ?? '');
    const crash = actions.findIndex((action) => /^a\d crashes$/.test(action));
    const restart = actions.findIndex((action) => /^a\d restarts, forgetting its state$/.test(action));
    expect(crash).toBeGreaterThan(0);
    expect(restart).toBeGreaterThan(crash);
  });
});

describe('shared-ballots: each change alone is safe', () => {
  it('same ballots with strict promises holds (1 and 2 rounds)', async () => {
    expect(counts(await checkSpec(sharedBallots, { ...small, change: 'same-ballots' }))).toEqual({
      status: 'ok',
      distinctStates: 428,
      transitions: 1_062,
      depth: 12,
    });
    expect(counts(await checkSpec(sharedBallots, { ...small, rounds: 2, change: 'same-ballots' }))).toEqual({
      status: 'ok',
      distinctStates: 133_933,
      transitions: 378_750,
      depth: 23,
    });
  });

  it('promising on n >= promised with unique ballots holds (1 round)', async () => {
    expect(counts(await checkSpec(sharedBallots, { ...small, change: 'promise-equal' }))).toEqual({
      status: 'ok',
      distinctStates: 6_561,
      transitions: 16_458,
      depth: 19,
    });
  });
});

describe('classic Paxos with acceptor crashes (durable state) stays safe', () => {
  it('one crash: every property holds', async () => {
    const report = await checkSpec(paxos, { proposers: 2, rounds: 1, crashes: 1 });
    expect(counts(report)).toEqual({ status: 'ok', distinctStates: 167_445, transitions: 714_396, depth: 27 });
  });
});
