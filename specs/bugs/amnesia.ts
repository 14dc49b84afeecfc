/**
 * BROKEN: Paxos whose acceptors may crash and restart having forgotten their promise and their
 * accepted proposal (state kept in memory only, not on disk).
 *
 * Why it breaks safety: an acceptor's vote counts toward a chosen value only because it keeps
 * refusing lower ballots and keeps reporting what it accepted. After v1 is chosen by {a1,a2}, a2
 * restarts empty; a proposer with a higher ballot hears "nothing accepted" from {a2,a3}, proposes
 * its own value, and gets v2 chosen by {a2,a3}. (The model's record of votes cast survives the
 * restart: it is history, not the acceptor's memory.)
 */
import { defineSpec } from '../../src/model.ts';
import { paxosParameters, paxosSystem } from '../paxos.ts';

export default defineSpec({
  name: 'amnesia',
  description: 'BROKEN Paxos: an acceptor may restart having forgotten its promise and accepted value',
  parameters: {
    ...paxosParameters,
    crashes: { ...paxosParameters.crashes, min: 1, default: 1, description: 'acceptor crashes allowed (each restart forgets)' },
  },
  build: (parameters) => paxosSystem('amnesia', { ...parameters, restart: 'amnesia' }).model,
});
