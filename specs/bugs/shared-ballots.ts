/**
 * BROKEN: two shortcuts seen in implementations, alone or together (parameter `change`):
 * - `same-ballots`: proposers do not make their ballots unique (every proposer uses round + 1);
 * - `promise-equal`: an acceptor promises when n >= promised (to tolerate a retransmitted Prepare),
 *   where the seed promises only when n > promised;
 * - `both` (the default): the two together.
 *
 * What synod finds (3 acceptors, 2 proposers, learners 0): each change alone is safe, together
 * they are not. `same-ballots` alone holds with 1 and 2 rounds (428 and 133,933 states);
 * `promise-equal` alone holds with 1 and 2 rounds (6,561 and 42,003,361 states). With strict
 * promises, two proposers sharing ballot b cannot both gather a majority of promises for b (an
 * acceptor promises b once), so only one of them sends Accept(b, ...); with unique ballots,
 * promising the same ballot again only repeats a promise to its one proposer. Together, p1 and p2
 * both gather majorities for ballot 1 and send Accept(1, v1) and Accept(1, v2), and acceptors
 * accept both (n >= promised): a 14-step counterexample chooses v1 and v2 at the same ballot.
 */
import { defineSpec } from '../../src/model.ts';
import { classicRules, paxosParameters, paxosSystem, type PaxosRules } from '../paxos.ts';

const CHANGES = ['both', 'same-ballots', 'promise-equal'] as const;

export default defineSpec({
  name: 'shared-ballots',
  description: 'BROKEN Paxos: proposers may share ballots, and acceptors promise on n >= promised',
  parameters: {
    ...paxosParameters,
    change: { type: 'choice', choices: CHANGES, default: 'both', description: 'which change to apply' },
  },
  build: ({ change, ...parameters }) => {
    const rules: PaxosRules = {
      ...classicRules,
      ...(change !== 'promise-equal' ? { ballot: (_proposer: number, round: number) => round + 1 } : {}),
      ...(change !== 'same-ballots' ? { promises: (ballot: number, promised: number) => ballot >= promised } : {}),
    };
    return paxosSystem('shared-ballots', parameters, rules).model;
  },
});
