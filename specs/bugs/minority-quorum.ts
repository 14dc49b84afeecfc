/**
 * BROKEN: Paxos with quorums that need not intersect: any `quorum` acceptors (default 2 of 4) are
 * enough to promise, to accept and to learn.
 *
 * Why it breaks safety: Paxos is safe because every phase-1 quorum meets every phase-2 quorum, so
 * a new proposer always hears of a value that may have been chosen. With 2 of 4, {a1,a2} can
 * choose v1 while p2 prepares with {a3,a4}, hears of nothing, and proposes v2. Any two acceptors
 * then choose it: in the shortest counterexample (14 steps) {a1,a2} again, whose promise was for
 * ballot 1, so they accept ballot 2.
 */
import { defineSpec } from '../../src/model.ts';
import { classicRules, paxosParameters, paxosSystem } from '../paxos.ts';

export default defineSpec({
  name: 'minority-quorum',
  description: 'BROKEN Paxos: quorums of a fixed size that need not intersect (2 of 4)',
  parameters: {
    ...paxosParameters,
    acceptors: { ...paxosParameters.acceptors, default: 4 },
    quorum: { type: 'integer', min: 1, max: 9, default: 2, description: 'acceptors that make a quorum' },
  },
  refuse: ({ quorum, acceptors }) => (quorum > acceptors ? `quorum ${quorum} is larger than the ${acceptors} acceptors` : undefined),
  build: ({ quorum, ...parameters }) =>
    paxosSystem('minority-quorum', parameters, { ...classicRules, phase1Quorum: () => quorum, phase2Quorum: () => quorum }).model,
});
