/**
 * BROKEN: classic Paxos whose proposer adopts the value of ANY promise that reports an accepted
 * proposal, not the one with the highest ballot (it keeps the most recently received report).
 *
 * Why it breaks safety: the highest-numbered report is the only one guaranteed to carry a value
 * that may already be chosen. Say v1 is chosen at ballot 1 by {a1,a2}, and later a3 and a2 accept
 * v2 at ballot 4 ... more simply: a proposer that hears of (1, v1) from one acceptor and of
 * (2, v2) from another may pick v1 while v2 was chosen at ballot 2 by a majority; its Accept then
 * gets v1 chosen at a higher ballot, and two values are chosen. synod finds the shortest such run.
 */
import { defineSpec } from '../../src/model.ts';
import { classicRules, paxosParameters, paxosSystem } from '../paxos.ts';

export default defineSpec({
  name: 'any-promise-value',
  description: 'BROKEN Paxos: the proposer adopts the value of any promise, not the highest-numbered',
  parameters: paxosParameters,
  build: (parameters) =>
    paxosSystem('any-promise-value', parameters, {
      ...classicRules,
      adoptsReported: () => true,
    }).model,
});
