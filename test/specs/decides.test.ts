import { describe, expect, it } from 'vitest';
import paxos from '../../specs/paxos.ts';
import { resolveParameters } from '../../src/parameters.ts';
import { checkModel } from '../../src/check.ts';

function build(parameters: Record<string, string | number>) {
  return paxos.build(resolveParameters(paxos.parameters, { learners: 0, ...parameters }));
}

describe("the optional terminal property 'decides' (every run that ends has chosen a value)", () => {
  it('is not checked unless asked for', async () => {
    const { result } = await checkModel(build({ proposers: 1, rounds: 1, network: 'lossy' }));
    expect(result.status).toBe('ok');
    expect(result.properties.map((property) => property.name)).toEqual(['Agreement', 'LearnerAgreement', 'Validity', 'ValueChosen']);
  });

  for (const network of ['bag', 'dup']) {
    it(`holds under ${network}: with finitely many rounds every run ends in a decision`, async () => {
      for (const [proposers, rounds] of [[1, 1], [2, 1], [1, 2]] as const) {
        const { result } = await checkModel(build({ proposers, rounds, network }), { properties: ['decides'] });
        expect(result.status, `${proposers} proposers, ${rounds} rounds`).toBe('ok');
      }
    });
  }

  it('fails under lossy: the shortest run loses a majority of Prepare messages', async () => {
    const { result, counterexample } = await checkModel(build({ proposers: 1, rounds: 1, network: 'lossy' }), {
      properties: ['decides'],
    });
    expect(result.status).toBe('violation');
    expect(result.violation).toMatchObject({ property: 'decides', kind: 'terminal' });
    expect(counterexample!.steps.map((step) => step.actionText ?? 'initial')).toEqual([
      'initial',
      'p1 starts round 1 with ballot 1',
      'message Prepare(b=1) from p1 to a1 dropped',
      'message Prepare(b=1) from p1 to a2 dropped',
      'message Prepare(b=1) from p1 to a3 dropped',
    ]);
  });

  it('fails under lossy with the defaults (two proposers) after 8 steps: every Prepare is lost', async () => {
    const { result, counterexample } = await checkModel(paxos.build(resolveParameters(paxos.parameters, { network: 'lossy' })), {
      properties: ['decides'],
    });
    expect(result.violation).toMatchObject({ property: 'decides', kind: 'terminal' });
    expect(result.statistics.distinctStates).toBe(9_281);
    expect(counterexample!.steps.length - 1).toBe(8);
    expect(counterexample!.steps.slice(1).filter((step) => step.actionText!.endsWith('dropped'))).toHaveLength(6);
  });

  it('refuses an unknown property name', async () => {
    await expect(checkModel(build({}), { properties: ['Liveness'] })).rejects.toThrow(
      "paxos has no property 'Liveness' (it has: Agreement, LearnerAgreement, Validity, ValueChosen, decides, duel)",
    );
  });
});
