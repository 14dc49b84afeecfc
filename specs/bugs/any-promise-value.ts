/**
 * BROKEN: classic Paxos whose proposer adopts the value of ANY promise that reports an accepted
 * proposal, not the one with the highest ballot (it keeps the most recently received report).
 *
 * Why it breaks safety: only the highest-numbered reported proposal is guaranteed to carry the
 * value that may already be chosen. synod's shortest counterexample (3 acceptors, 3 proposers,
 * 1 round each): v2 is chosen at ballot 2 by {a2,a3}; p3's round at ballot 3 hears (2,v2) from a2 and
 * then (1,v1) from a1, keeps the last report, and gets v1 chosen at ballot 3 by {a1,a2}.
 */
import { defineSpec } from '../../src/model.ts';
import { classicRules, paxosParameters, paxosSystem } from '../paxos.ts';

export default defineSpec({
  name: 'any-promise-value',
  description: 'BROKEN Paxos: the proposer adopts the value of any promise, not the highest-numbered',
  // Three proposers with one round each: the smallest setting with three ballots, which the bug
  // needs (two values accepted at two ballots, then a third ballot that picks the older one).
  parameters: {
    ...paxosParameters,
    proposers: { ...paxosParameters.proposers, default: 3 },
    learners: { ...paxosParameters.learners, default: 0 },
  },
  build: (parameters) =>
    paxosSystem('any-promise-value', parameters, {
      ...classicRules,
      adoptsReported: () => true,
    }).model,
});
