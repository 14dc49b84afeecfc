/**
 * Broken: Paxos.tla where Phase2a(b, v) may propose any value v once a quorum has sent ballot-b
 * 1b messages, even when those messages report earlier votes.
 *
 * Phase2a's second conjunct is the heart of Paxos: if some 1b message of the quorum reports a
 * vote (mbal >= 0), v must be the value of a highest-ballot one. That is what makes v safe at b:
 * a value chosen at an earlier ballot c had votes from a quorum, which shares an acceptor with Q;
 * that acceptor's 1b reports a vote at c or later, and by induction every value voted for at
 * ballots c..b-1 is the chosen one, so the highest reported vote carries it forward. Drop the
 * condition and ballot b may propose another value after one was chosen at a lower ballot, and a
 * quorum voting for it chooses a second value: Consistency fails.
 *
 * The code is specs/paxos-tla.ts with the option phase2aValue = 'any'.
 */
import { defineSpec } from '../../src/model.ts';
import { buildPaxosTla, paxosTlaParameters } from '../paxos-tla.ts';

export default defineSpec({
  name: 'paxos-tla-any-value',
  description: 'broken Paxos.tla: Phase2a proposes any value, ignoring the votes reported in 1b messages',
  parameters: paxosTlaParameters,
  build: (parameters) => buildPaxosTla(parameters, { phase2aValue: 'any', name: 'paxos-tla-any-value' }),
});
