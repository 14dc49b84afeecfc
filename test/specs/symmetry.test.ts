import { describe, expect, it } from 'vitest';
import paxos from '../../specs/paxos.ts';
import anyPromiseValue from '../../specs/bugs/any-promise-value.ts';
import noPromiseCheck from '../../specs/bugs/no-promise-check.ts';
import sharedBallots from '../../specs/bugs/shared-ballots.ts';
import minorityQuorum from '../../specs/bugs/minority-quorum.ts';
import amnesia from '../../specs/bugs/amnesia.ts';
import type { AnySpec } from '../../src/model.ts';
import { resolveParameters } from '../../src/parameters.ts';
import { checkModel } from '../../src/check.ts';
import { SymmetryError } from '../../src/explore/symmetry.ts';
import { replayPath } from '../../src/trace/replay.ts';

function build(spec: AnySpec, parameters: Record<string, string | number>) {
  return spec.build(resolveParameters(spec.parameters, parameters));
}

describe('symmetry reduction on classic Paxos', () => {
  const cases: { parameters: Record<string, number>; unreduced: number; reduced: number }[] = [
    { parameters: { proposers: 1, rounds: 1 }, unreduced: 183, reduced: 44 },
    { parameters: { proposers: 2, rounds: 1 }, unreduced: 33_489, reduced: 5_897 },
    { parameters: { proposers: 1, rounds: 2 }, unreduced: 33_307, reduced: 5_854 },
    { parameters: { proposers: 2, rounds: 1, crashes: 1 }, unreduced: 167_445, reduced: 28_851 },
  ];
  for (const { parameters, unreduced, reduced } of cases) {
    it(`${JSON.stringify(parameters)}: ${unreduced} states reduce to ${reduced}, and the orbit sizes add up to ${unreduced}`, async () => {
      const plain = await checkModel(build(paxos, parameters));
      const symmetric = await checkModel(build(paxos, parameters), { symmetry: ['acceptors'] });
      expect(plain.result.statistics.distinctStates).toBe(unreduced);
      expect(symmetric.result.status).toBe(plain.result.status);
      expect(symmetric.result.statistics.distinctStates).toBe(reduced);
      expect(symmetric.result.statistics.depth).toBe(plain.result.statistics.depth);
      expect(symmetric.result.symmetry?.unreducedStates).toBe(unreduced);
      expect(symmetric.result.symmetry?.reductionFactor).toBeCloseTo(unreduced / reduced, 6);
      expect(symmetric.result.properties).toEqual(plain.result.properties.map((property) => expect.objectContaining({ name: property.name, holds: property.holds, witnessed: property.witnessed })));
    });
  }

  it('5 acceptors: 84x fewer states, and the orbit sizes add up to the unreduced count', async () => {
    const parameters = { acceptors: 5, proposers: 2, rounds: 1, learners: 0 };
    const symmetric = await checkModel(build(paxos, parameters), { symmetry: ['acceptors'] });
    expect(symmetric.result.status).toBe('ok');
    expect(symmetric.result.statistics.distinctStates).toBe(25_686);
    expect(symmetric.result.symmetry?.unreducedStates).toBe(2_169_729);
  });

  it('learners as a second symmetric set keeps the verdict, and the unreduced count is exact, whatever the order of the sets', async () => {
    // Canonicalising one set after the other kept 106 representatives of "831" states here: a
    // joint renaming such as (a1 a2)(l1 l2) can fix a state that neither renaming alone fixes.
    // With 2 acceptors and 3 learners, the learners are the set canonicalised after each renaming of the acceptors.
    for (const [acceptors, learners, states, representatives] of [
      [3, 2, 771, 104],
      [3, 3, 4_395, 240],
      [2, 3, 90, 24],
    ] as const) {
      const parameters = { acceptors, proposers: 1, rounds: 1, learners };
      const plain = await checkModel(build(paxos, parameters));
      expect(plain.result.status).toBe('ok');
      expect(plain.result.statistics.distinctStates).toBe(states);
      for (const symmetry of [
        ['acceptors', 'learners'],
        ['learners', 'acceptors'],
      ]) {
        const symmetric = await checkModel(build(paxos, parameters), { symmetry });
        expect(symmetric.result.status).toBe('ok');
        expect(symmetric.result.statistics.distinctStates).toBe(representatives);
        expect(symmetric.result.symmetry?.unreducedStates).toBe(states);
      }
    }
  });

  it('leaves out a set of fewer than two members: the same states, and only the sets that rename anything reported', async () => {
    for (const learners of [0, 1]) {
      const parameters = { proposers: 2, rounds: 1, learners };
      const both = await checkModel(build(paxos, parameters), { symmetry: ['acceptors', 'learners'] });
      const acceptorsOnly = await checkModel(build(paxos, parameters), { symmetry: ['acceptors'] });
      expect(both.result.symmetry?.sets).toEqual(['acceptors']);
      expect(both.result.statistics.distinctStates).toBe(acceptorsOnly.result.statistics.distinctStates);
      expect(both.result.symmetry?.unreducedStates).toBe(acceptorsOnly.result.symmetry?.unreducedStates);
    }
    // Nothing left to rename: the sets asked for are kept, and the reduction changes nothing.
    const alone = await checkModel(build(paxos, { proposers: 1, rounds: 1, learners: 1 }), { symmetry: ['learners'] });
    expect(alone.result.symmetry?.sets).toEqual(['learners']);
    expect(alone.result.statistics.distinctStates).toBe(alone.result.symmetry?.unreducedStates);
  });

  it('refuses an unknown set and a property that names a particular acceptor', async () => {
    const model = build(paxos, { proposers: 1, rounds: 1 });
    await expect(checkModel(model, { symmetry: ['values'] })).rejects.toThrow(/has no symmetric set 'values'/);
    const asymmetric = {
      ...model,
      properties: [...model.properties, { name: 'A1NeverPromises', kind: 'always' as const, holds: () => true, distinguishes: ['acceptors'] }],
    };
    await expect(checkModel(asymmetric, { symmetry: ['acceptors'] })).rejects.toThrow(SymmetryError);
    await expect(checkModel(asymmetric, { symmetry: ['acceptors'] })).rejects.toThrow(/property A1NeverPromises tells their members apart/);
  });
});

describe('symmetry keeps every verdict of the broken variants, with concrete counterexamples', () => {
  const small = { proposers: 2, rounds: 1, learners: 0 };
  const cases: [string, AnySpec, Record<string, string | number>, number][] = [
    ['any-promise-value', anyPromiseValue, { proposers: 3, rounds: 1, learners: 0 }, 20],
    ['no-promise-check', noPromiseCheck, small, 14],
    ['shared-ballots', sharedBallots, small, 14],
    ['minority-quorum', minorityQuorum, { proposers: 2, rounds: 1 }, 14],
    ['amnesia', amnesia, small, 16],
  ];
  for (const [name, spec, parameters, steps] of cases) {
    it(`${name}: the same violation, the same shortest length, a trace of the unreduced model`, async () => {
      const model = build(spec, parameters);
      const report = await checkModel(model, { symmetry: ['acceptors'] });
      expect(report.result.status).toBe('violation');
      expect(report.result.violation?.property).toBe('Agreement');
      const trace = report.counterexample!;
      expect(trace.steps.length - 1).toBe(steps);
      // Concrete: the token replays on the model without symmetry and ends in the violation.
      const replayed = replayPath(build(spec, parameters), trace.path);
      const agreement = model.properties.find((property) => property.name === 'Agreement')!;
      expect(agreement.holds(replayed.steps[replayed.steps.length - 1]!.state)).toBe(false);
      expect(replayed.steps.slice(0, -1).every((step) => agreement.holds(step.state))).toBe(true);
    });
  }
});
