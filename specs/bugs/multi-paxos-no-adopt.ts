/**
 * BROKEN: Multi-Paxos whose new leader adopts the highest-numbered reported proposal for slot 0
 * only, and proposes its own value for every other slot of the log.
 *
 * A realistic bug: code that handles the first log entry (or the one the leader is "working on")
 * correctly and treats the rest of the log as fresh. Why it breaks safety: a value may already be
 * chosen in any slot, and the highest-numbered proposal reported for that slot is what guarantees
 * a new leader re-proposes it; ignoring it lets the new leader overwrite a chosen entry. synod's
 * shortest counterexample (3 acceptors, 2 proposers, 1 round, 2 slots, no learners): p1 gets v1
 * chosen for slot 1 at ballot 1 by {a1,a2}; p2 then gathers promises at ballot 2 from a quorum
 * that includes a1 or a2, which report (1,v1) for slot 1, yet proposes its own v2 for slot 1, and
 * v2 is chosen for slot 1 at ballot 2: two values chosen for one slot.
 */
import { defineSpec } from '../../src/model.ts';
import { multiPaxosParameters, multiPaxosRules, multiPaxosSystem } from '../multi-paxos.ts';

export default defineSpec({
  name: 'multi-paxos-no-adopt',
  description: 'BROKEN Multi-Paxos: a new leader adopts reported values for slot 0 only',
  parameters: multiPaxosParameters,
  build: (parameters) =>
    multiPaxosSystem('multi-paxos-no-adopt', parameters, {
      ...multiPaxosRules,
      adoptsSlot: (slot) => slot === 0,
    }).model,
});
