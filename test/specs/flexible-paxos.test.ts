import { describe, expect, it } from 'vitest';
import flexiblePaxos from '../../specs/flexible-paxos.ts';
import { RefusedCombination, resolveParameters, resolveSpecParameters } from '../../src/parameters.ts';
import minorityQuorum from '../../specs/bugs/minority-quorum.ts';
import { checkModel } from '../../src/check.ts';

/**
 * The Flexible Paxos theorem, checked: safe exactly when q1 + q2 > acceptors. Every (q1, q2) for
 * 3 and 4 acceptors, and the boundary q1 + q2 in {5, 6} for 5 acceptors (the full 5-acceptor
 * sweep is in the README; it takes minutes). 2 proposers, 1 round each, no learners, symmetry
 * over acceptors. Expected: [acceptors, q1, q2, shortest counterexample length or distinct states].
 */
const UNSAFE: [number, number, number, number][] = [
  [3, 1, 1, 8], [3, 1, 2, 10], [3, 2, 1, 12],
  [4, 1, 1, 8], [4, 1, 2, 10], [4, 1, 3, 12], [4, 2, 1, 12], [4, 2, 2, 14], [4, 3, 1, 16],
  [5, 1, 4, 14], [5, 2, 3, 16], [5, 3, 2, 18], [5, 4, 1, 20],
];
const SAFE: [number, number, number, number][] = [
  [3, 1, 3, 1_925], [3, 2, 2, 909], [3, 2, 3, 909], [3, 3, 1, 297], [3, 3, 2, 297], [3, 3, 3, 297],
  [4, 1, 4, 13_054], [4, 2, 3, 8_942], [4, 2, 4, 8_942], [4, 3, 2, 2_527], [4, 3, 3, 2_527], [4, 3, 4, 2_527],
  [4, 4, 1, 782], [4, 4, 2, 782], [4, 4, 3, 782], [4, 4, 4, 782],
  [5, 3, 3, 25_686], [5, 4, 2, 5_771], [5, 5, 1, 1_847],
];

function check(acceptors: number, q1: number, q2: number) {
  const parameters = { acceptors, q1, q2, proposers: 2, rounds: 1, learners: 0 };
  return checkModel(flexiblePaxos.build(resolveParameters(flexiblePaxos.parameters, parameters)), { symmetry: ['acceptors'] });
}

describe('Flexible Paxos: safe exactly when q1 + q2 > acceptors', () => {
  it('the tables cover every (q1, q2) for 3 and 4 acceptors', () => {
    for (const acceptors of [3, 4]) {
      const covered = [...UNSAFE, ...SAFE].filter(([n]) => n === acceptors).length;
      expect(covered).toBe(acceptors * acceptors);
    }
    for (const [n, q1, q2] of UNSAFE) expect(q1 + q2).toBeLessThanOrEqual(n);
    for (const [n, q1, q2] of SAFE) expect(q1 + q2).toBeGreaterThan(n);
  });

  for (const [acceptors, q1, q2, steps] of UNSAFE) {
    it(`n=${acceptors} q1=${q1} q2=${q2}: Agreement fails after ${steps} steps`, async () => {
      const { result, counterexample } = await check(acceptors, q1, q2);
      expect(result.status).toBe('violation');
      expect(result.violation?.property).toBe('Agreement');
      expect(counterexample!.steps.length - 1).toBe(steps);
    });
  }
  for (const [acceptors, q1, q2, states] of SAFE) {
    it(`n=${acceptors} q1=${q1} q2=${q2}: every property holds (${states} states up to symmetry)`, async () => {
      const { result } = await check(acceptors, q1, q2);
      expect(result.status).toBe('ok');
      expect(result.statistics.distinctStates).toBe(states);
    });
  }

  it('the defaults (3 acceptors, q1 = 3, q2 = 1, a learner), unreduced: every property holds in 2,916 states', async () => {
    const { result } = await checkModel(flexiblePaxos.build(resolveParameters(flexiblePaxos.parameters, {})));
    expect(result.status).toBe('ok');
    expect(result.statistics).toMatchObject({ distinctStates: 2_916, transitions: 9_396, depth: 27 });
  });

  it('refuses a quorum larger than the acceptors, and takes one as large', () => {
    expect(() => resolveSpecParameters(flexiblePaxos, { acceptors: 3, q1: 4 })).toThrow(new RefusedCombination('q1 = 4 is larger than the 3 acceptors'));
    expect(() => resolveSpecParameters(flexiblePaxos, { acceptors: 3, q1: 4 })).toThrow(RefusedCombination);
    expect(() => resolveSpecParameters(flexiblePaxos, { acceptors: 4, q1: 4, q2: 5 })).toThrow(new RefusedCombination('q2 = 5 is larger than the 4 acceptors'));
    expect(resolveSpecParameters(flexiblePaxos, { acceptors: 4, q1: 4, q2: 4 })).toMatchObject({ acceptors: 4, q1: 4, q2: 4 });
    expect(() => resolveSpecParameters(minorityQuorum, { acceptors: 3, quorum: 4 })).toThrow(new RefusedCombination('quorum 4 is larger than the 3 acceptors'));
    expect(resolveSpecParameters(minorityQuorum, {})).toMatchObject({ acceptors: 4, quorum: 2 });
    // A program that resolves the declarations alone gets no model for such values: build refuses them too.
    expect(() => flexiblePaxos.build(resolveParameters(flexiblePaxos.parameters, { acceptors: 3, q2: 4 }))).toThrow(new RefusedCombination('q2 = 4 is larger than the 3 acceptors'));
    expect(() => minorityQuorum.build(resolveParameters(minorityQuorum.parameters, { acceptors: 3, quorum: 4 }))).toThrow(RefusedCombination);
  });
});
