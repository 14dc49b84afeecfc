/**
 * Flexible Paxos (Howard, Malkhi, Spiegelman, 2016): classic Paxos with a phase-1 quorum of `q1`
 * acceptors and a phase-2 quorum of `q2` acceptors, any sets of those sizes.
 *
 * Why it is safe exactly when q1 + q2 > acceptors: Paxos needs only that every phase-1 quorum
 * meets every phase-2 quorum (majorities in phase 1 need not meet each other), so that a new
 * proposer hears of any value a phase-2 quorum may have chosen. Two sets of sizes q1 and q2 out
 * of n always intersect when q1 + q2 > n; when q1 + q2 <= n, disjoint ones exist, and synod finds
 * a run in which {q2 acceptors} choose v1 while a disjoint phase-1 quorum lets v2 be chosen.
 * "Chosen" and learning use the phase-2 quorum.
 */
import { defineSpec } from '../src/model.ts';
import { classicRules, paxosParameters, paxosSystem } from './paxos.ts';

export default defineSpec({
  name: 'flexible-paxos',
  description: 'Flexible Paxos: phase-1 quorums of q1 and phase-2 quorums of q2 acceptors',
  parameters: {
    ...paxosParameters,
    q1: { type: 'integer', min: 1, max: 9, default: 3, description: 'acceptors in a phase-1 quorum (promises)' },
    q2: { type: 'integer', min: 1, max: 9, default: 1, description: 'acceptors in a phase-2 quorum (accepts)' },
  },
  // A quorum is a set of acceptors: one larger than all of them could never gather.
  refuse: ({ q1, q2, acceptors }) =>
    q1 > acceptors ? `q1 = ${q1} is larger than the ${acceptors} acceptors`
    : q2 > acceptors ? `q2 = ${q2} is larger than the ${acceptors} acceptors`
    : undefined,
  build: ({ q1, q2, ...parameters }) =>
    paxosSystem('flexible-paxos', parameters, { ...classicRules, phase1Quorum: () => q1, phase2Quorum: () => q2 }).model,
});
