/**
 * BROKEN: classic Paxos whose acceptor accepts Accept(n, v) without checking n against its promise.
 *
 * Why it breaks safety: a promise not to accept lower ballots is what lets a proposer trust the
 * values reported in phase 1. Here a proposer with ballot 2 can hear "nothing accepted" from a
 * majority and propose its own value, while an Accept with ballot 1 still in flight is accepted
 * afterwards by acceptors that promised 2: v1 is chosen at ballot 1 and v2 at ballot 2. The
 * acceptor records the accepted ballot as its promise, as the classic handler does (there it can
 * only rise), so here a promise can fall (a2.promised: 2 -> 1 in the trace): that follows from
 * the missing check, and the check alone would restore safety.
 */
import { defineSpec } from '../../src/model.ts';
import { classicRules, paxosParameters, paxosSystem } from '../paxos.ts';

export default defineSpec({
  name: 'no-promise-check',
  description: 'BROKEN Paxos: acceptors accept any ballot, ignoring their promise',
  parameters: paxosParameters,
  build: (parameters) => paxosSystem('no-promise-check', parameters, { ...classicRules, accepts: () => true }).model,
});
