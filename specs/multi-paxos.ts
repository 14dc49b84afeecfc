/**
 * Multi-Paxos: a log of `slots` entries decided by one set of acceptors, with leader changes.
 *
 * A proposer that becomes leader runs phase 1 once for the whole log: Prepare(b) to every acceptor,
 * and each acceptor that promises b replies Promise(b, accepted) carrying its accepted proposal
 * (ballot, value) for EVERY slot. Once a majority has promised, the leader runs phase 2 for each
 * slot: it sends Accept(b, slot, v) where v is, per slot, the value of the highest-numbered
 * proposal reported for that slot, or its own value for that slot if none was reported. Acceptors
 * follow the rules of specs/paxos.ts (promise b only if b > promised; accept when b >= promised),
 * per slot for accepting, and tell the learners Accepted(b, slot, v). A learner learns v for a slot
 * once a majority reported accepting the same (b, slot, v).
 *
 * Leaders may change at any time: a proposer may start a new round with a higher ballot while it
 * has rounds left (ballots are unique, r * P + i + 1 as in specs/paxos.ts), which is both the
 * retry after a timeout and a competing leader taking over. Own values are deterministic so the
 * state space stays small: proposer i (0-based) proposes value i + 1 for every slot, so the log
 * proposer p1 writes alone is [v1, v1, ...]. A leader sends its Accepts for all slots as soon as
 * phase 1 completes; since the network delivers in-flight messages in any order, and may hold one
 * forever, this loses no interleaving of per-slot proposals that matters for safety.
 *
 * "Chosen" is a fact of history: v is chosen for a slot once a majority of acceptors have accepted
 * the same (b, slot, v), so each acceptor keeps the votes it ever cast (they survive any restart).
 *
 * The broken variant in specs/bugs/multi-paxos-no-adopt.ts reuses this file, changing one rule
 * in `MultiPaxosRules`.
 */
import { defineSpec, type Property } from '../src/model.ts';
import {
  ActorSystem,
  countBits,
  type Role,
  type SystemState,
} from '../src/actors/system.ts';
import { integer, integerSet, natural, record, union, withMember, type Codec } from '../src/actors/codec.ts';
import { classicRules, duelProperty, paxosParameters, renameAcceptorReferences, reportsAbout, valueName, votesOfQuorums, type PaxosConfiguration } from './paxos.ts';

export type Ballot = number;
/** Values are 1..P (proposer i proposes value i + 1 for every slot); 0 means none. */
export type Value = number;

/** At most this many slots: the Promise carries one 8-bit proposal per slot. */
export const MAX_SLOTS = 3;

/**
 * A proposal (ballot, value) packed in 8 bits, ballot * 8 + value (0: none), and a log of them
 * packed one per slot: slot s in bits 8s..8s+7. Promises and local states carry such logs.
 */
export type PackedLog = number;
const proposalOf = (log: PackedLog, slot: number): number => (log >>> (8 * slot)) & 255;
export const ballotAt = (log: PackedLog, slot: number): Ballot => proposalOf(log, slot) >> 3;
export const valueAt = (log: PackedLog, slot: number): Value => proposalOf(log, slot) & 7;
const withProposal = (log: PackedLog, slot: number, ballot: Ballot, value: Value): PackedLog =>
  (log & ~(255 << (8 * slot))) | (((ballot << 3) | value) << (8 * slot));

export type MultiPaxosMessage =
  | { readonly type: 'Prepare'; readonly ballot: Ballot }
  /** `accepted`: the acceptor's accepted proposal for every slot, as a {@link PackedLog}. */
  | { readonly type: 'Promise'; readonly ballot: Ballot; readonly accepted: PackedLog }
  | { readonly type: 'Accept'; readonly ballot: Ballot; readonly slot: number; readonly value: Value }
  | { readonly type: 'Accepted'; readonly ballot: Ballot; readonly slot: number; readonly value: Value };

/**
 * Ballots up to 31 (5 bits), values up to 7 (3 bits), slots 0..2 (2 bits). The widest message is
 * Promise: tag 2 + ballot 5 + 3 slots * 8 = 31 bits; with sender and receiver (at most 10 actors:
 * 100 routes, under 7 bits) under 38 bits, well within the 52 the actors layer allows.
 */
const ballot = natural(31);
const value = natural(7);
const slot = natural(MAX_SLOTS - 1);
/** A log of MAX_SLOTS proposals, 8 bits each. */
const packedLog = natural(2 ** (8 * MAX_SLOTS) - 1);
const messageCodec: Codec<MultiPaxosMessage> = union<'type', MultiPaxosMessage>('type', {
  Prepare: record({ ballot }),
  Promise: record({ ballot, accepted: packedLog }),
  Accept: record({ ballot, slot, value }),
  Accepted: record({ ballot, slot, value }),
});

export interface Proposer {
  /** Rounds started so far. */
  readonly round: number;
  /** Ballot of the current round; 0 before the first. */
  readonly ballot: Ballot;
  /** Acceptors (bit i = acceptor i) that promised the current ballot. */
  readonly promises: number;
  /** Per slot, the highest-numbered proposal adopted from the promises so far (a {@link PackedLog}). */
  readonly adopted: PackedLog;
  /** 1 once the current round has sent its Accept messages (phase 2 for every slot). */
  readonly accepting: number;
}

export interface Acceptor {
  readonly promised: Ballot;
  /** Per slot, the last proposal accepted (a {@link PackedLog}). */
  readonly accepted: PackedLog;
  /** Every vote ever cast, as a {@link voteCode}: the history that defines "chosen". */
  readonly votes: readonly number[];
}

export interface Learner {
  /** Accepted reports heard, as voteCode * 16 + acceptor index. */
  readonly heard: readonly number[];
  /** Values learned: bit slot * 8 + value. */
  readonly learned: number;
}

/** A vote (ballot, slot, value) as one number: (ballot * 4 + slot) * 8 + value, below 1024. */
const voteCode = (ballot: Ballot, slot: number, value: Value): number => ((ballot << 2) | slot) * 8 + value;
const voteBallot = (vote: number): Ballot => vote >> 5;
const voteSlot = (vote: number): number => (vote >> 3) & 3;
const voteValue = (vote: number): Value => vote & 7;

// Bounded fields share words (see `record`): a proposer takes two, an acceptor one and its votes.
const proposerCodec: Codec<Proposer> = record({ round: natural(7), ballot, promises: natural(31), adopted: packedLog, accepting: natural(1) });
const acceptorCodec: Codec<Acceptor> = record({ promised: ballot, accepted: packedLog, votes: integerSet });
const learnerCodec: Codec<Learner> = record({ heard: integerSet, learned: integer });

/** The rules a variant may change; `multiPaxosRules` are the correct ones. */
export interface MultiPaxosRules {
  /** Whether a new leader adopts, for `slot`, the highest-numbered proposal its promises report. */
  adoptsSlot(slot: number): boolean;
}

export const multiPaxosRules: MultiPaxosRules = {
  adoptsSlot: () => true,
};

export const multiPaxosParameters = {
  acceptors: { ...paxosParameters.acceptors, max: 5 },
  proposers: { ...paxosParameters.proposers, max: 3, description: 'number of proposers (would-be leaders; proposer i proposes value i for every slot)' },
  rounds: { ...paxosParameters.rounds, max: 3, default: 1, description: 'rounds (ballots, i.e. leaderships) each proposer may start' },
  slots: { type: 'integer', min: 1, max: MAX_SLOTS, default: 2, description: 'entries of the replicated log' },
  // No learners by default: with one, the default configuration grows from 164,025 states to
  // 19,316,025 (every Accepted report is one more message in flight). SlotAgreement, defined on the
  // acceptors' votes, does not need them; LogAgreement does (try --learners 1 --slots 1, or --proposers 1).
  learners: { ...paxosParameters.learners, max: 2, default: 0 },
  network: paxosParameters.network,
  crashes: paxosParameters.crashes,
  ignored: paxosParameters.ignored,
} as const;

/** The classic configuration plus the length of the log; acceptors restart durable unless a variant says otherwise. */
export interface MultiPaxosConfiguration extends PaxosConfiguration {
  readonly slots: number;
}

/** Builds the actor system of Multi-Paxos with the given rules. */
export function multiPaxosSystem(name: string, configuration: MultiPaxosConfiguration, rules: MultiPaxosRules = multiPaxosRules) {
  const { acceptors: acceptorCount, proposers: proposerCount, rounds, slots } = configuration;
  if (!(Number.isInteger(slots) && slots >= 1 && slots <= MAX_SLOTS)) throw new RangeError(`slots must be 1..${MAX_SLOTS}, got ${slots}`);
  // Majorities and unique ballots r * P + i + 1, as in classic Paxos.
  const quorum = classicRules.phase2Quorum(acceptorCount);
  const ballotOf = (proposer: number, round: number) => classicRules.ballot(proposer, round, proposerCount);
  let acceptorRole: Role<Acceptor, MultiPaxosMessage>;
  let learnerRole: Role<Learner, MultiPaxosMessage>;
  // Actors are numbered proposers first, then acceptors, then learners.
  const acceptorIndex = (actor: number) => actor - proposerCount;

  const proposerRole: Role<Proposer, MultiPaxosMessage> = {
    name: 'proposer',
    prefix: 'p',
    count: proposerCount,
    codec: proposerCodec,
    initial: () => ({ round: 0, ballot: 0, promises: 0, adopted: 0, accepting: 0 }),
    timers: [
      {
        name: 'StartRound',
        enabled: (proposer) => proposer.round < rounds,
        describe: (proposer, index) => `starts round ${proposer.round + 1} with ballot ${ballotOf(index, proposer.round)}`,
        fire(context) {
          const proposer = context.local;
          const ballot = ballotOf(context.index, proposer.round);
          context.update({ round: proposer.round + 1, ballot, promises: 0, adopted: 0, accepting: 0 });
          context.broadcast(acceptorRole, { type: 'Prepare', ballot });
        },
      },
    ],
    receive(context, message, from) {
      const proposer = context.local;
      if (message.type !== 'Promise' || message.ballot !== proposer.ballot || proposer.accepting) return;
      const bit = 1 << acceptorIndex(from);
      if (proposer.promises & bit) return;
      let adopted = proposer.adopted;
      for (let s = 0; s < slots; s++) {
        const reported = ballotAt(message.accepted, s);
        if (reported > ballotAt(adopted, s) && rules.adoptsSlot(s)) adopted = withProposal(adopted, s, reported, valueAt(message.accepted, s));
      }
      const promises = proposer.promises | bit;
      const accepting = countBits(promises) >= quorum ? 1 : 0;
      context.update({ ...proposer, promises, adopted, accepting });
      if (!accepting) return;
      // Phase 2 for every slot of the log: the adopted value, else this proposer's own.
      for (let s = 0; s < slots; s++) {
        const value = ballotAt(adopted, s) > 0 ? valueAt(adopted, s) : context.index + 1;
        context.broadcast(acceptorRole, { type: 'Accept', ballot: proposer.ballot, slot: s, value });
      }
    },
  };

  acceptorRole = {
    name: 'acceptor',
    prefix: 'a',
    count: acceptorCount,
    codec: acceptorCodec,
    initial: () => ({ promised: 0, accepted: 0, votes: [] }),
    // The votes are the model's record of history (what "chosen" is defined on), not the
    // acceptor's memory, so they survive even a restart that forgets everything else.
    forget: (acceptor) => ({ promised: 0, accepted: 0, votes: acceptor.votes }),
    receive(context, message, from) {
      const acceptor = context.local;
      if (message.type === 'Prepare') {
        if (!(message.ballot > acceptor.promised)) return;
        context.update({ ...acceptor, promised: message.ballot });
        context.send(from, { type: 'Promise', ballot: message.ballot, accepted: acceptor.accepted });
      } else if (message.type === 'Accept') {
        if (!(message.ballot >= acceptor.promised)) return;
        const vote = voteCode(message.ballot, message.slot, message.value);
        const votes = withMember(acceptor.votes, vote);
        const accepted = withProposal(acceptor.accepted, message.slot, message.ballot, message.value);
        context.update({ promised: message.ballot, accepted, votes });
        context.broadcast(learnerRole, { type: 'Accepted', ballot: message.ballot, slot: message.slot, value: message.value });
      }
    },
  };

  learnerRole = {
    name: 'learner',
    prefix: 'l',
    count: configuration.learners,
    codec: learnerCodec,
    initial: () => ({ heard: [], learned: 0 }),
    receive(context, message, from) {
      if (message.type !== 'Accepted') return;
      const learner = context.local;
      const vote = voteCode(message.ballot, message.slot, message.value);
      const report = vote * 16 + acceptorIndex(from);
      const heard = withMember(learner.heard, report);
      if (heard === learner.heard) return;
      const learned = reportsAbout(heard, vote) >= quorum ? learner.learned | (1 << (message.slot * 8 + message.value)) : learner.learned;
      context.update({ heard, learned });
    },
  };

  const system: ActorSystem<MultiPaxosMessage> = new ActorSystem<MultiPaxosMessage>({
    name,
    roles: [proposerRole, acceptorRole, learnerRole],
    messageCodec,
    network: configuration.network,
    ignored: configuration.ignored,
    faults: { crashes: configuration.crashes, restart: configuration.restart ?? 'durable', roles: [acceptorRole] },
    // Acceptors are interchangeable, and so are learners; values are not (value i is proposer i's).
    symmetric: { acceptors: acceptorRole, learners: learnerRole },
    renameLocal: renameAcceptorReferences({ proposerRole, learnerRole, proposerCount, acceptorCount }),
    formatMessage: (message) => formatMultiPaxosMessage(message, slots),
    describeLocal: (role, local) => describeLocal(role.name, local, slots),
    properties: (system) => [
      ...multiPaxosProperties(system, acceptorRole, learnerRole, quorum, slots),
      // Duelling leaders (--property duel): never witnessed with one stable leader (--proposers 1).
      duelProperty({
        system,
        proposerRole,
        acceptorRole,
        phase1Quorum: quorum,
        rounds,
        nothingChosen: (state) => chosenMask(system.localsOf(state, acceptorRole), quorum) === 0,
      }),
    ],
  });
  return system;
}

export interface ChosenEntry {
  readonly ballot: Ballot;
  readonly slot: number;
  readonly value: Value;
  /** Acceptor indices that voted for it. */
  readonly voters: readonly number[];
}

/** Votes (ballot, slot, value) cast, at some time, by a quorum of acceptors. */
export function chosenEntries(acceptors: readonly Acceptor[], quorum: number): ChosenEntry[] {
  return votesOfQuorums(acceptors, quorum)
    .map(({ vote, voters }) => ({ ballot: voteBallot(vote), slot: voteSlot(vote), value: voteValue(vote), voters }))
    .sort((a, b) => a.slot - b.slot || a.ballot - b.ballot || a.value - b.value);
}

const votersPerVote = new Int32Array(1024);

/** Bit slot * 8 + v set when v was chosen for the slot; the property checks' fast path (no allocation). */
export function chosenMask(acceptors: readonly Acceptor[], quorum: number): number {
  let mask = 0;
  for (const acceptor of acceptors) {
    for (const vote of acceptor.votes) {
      if (++votersPerVote[vote]! >= quorum) mask |= 1 << (voteSlot(vote) * 8 + voteValue(vote));
    }
  }
  for (const acceptor of acceptors) for (const vote of acceptor.votes) votersPerVote[vote] = 0;
  return mask;
}

/** Values of a slot in a mask with bit slot * 8 + value. */
const slotValues = (mask: number, slot: number): number => (mask >>> (slot * 8)) & 255;

function valueList(mask: number): string {
  const values: string[] = [];
  for (let value = 1; value < 8; value++) if (mask & (1 << value)) values.push(valueName(value));
  return values.join(', ');
}

function describeChosen(chosen: readonly ChosenEntry[], slots: number): string {
  const parts: string[] = [];
  for (let s = 0; s < slots; s++) {
    const entries = chosen.filter((entry) => entry.slot === s);
    if (entries.length === 0) parts.push(`slot ${s}: nothing chosen`);
    else {
      const text = entries
        .map((entry) => `${valueName(entry.value)} chosen at ballot ${entry.ballot} by {${entry.voters.map((index) => `a${index + 1}`).join(',')}}`)
        .join(' and ');
      parts.push(`slot ${s}: ${text}`);
    }
  }
  return parts.join('; ');
}

function describeLearned(learned: number, slots: number): string {
  const parts: string[] = [];
  for (let s = 0; s < slots; s++) parts.push(valueList(slotValues(learned, s)) || '-');
  return `[${parts.join(' | ')}]`;
}

function multiPaxosProperties(
  system: ActorSystem<MultiPaxosMessage>,
  acceptorRole: Role<Acceptor, MultiPaxosMessage>,
  learnerRole: Role<Learner, MultiPaxosMessage>,
  quorum: number,
  slots: number,
): Property<SystemState>[] {
  const acceptorsOf = (state: SystemState) => system.localsOf(state, acceptorRole);
  // Two properties ask for the chosen values of the same state in a row: compute them once.
  let lastState: SystemState | undefined;
  let lastChosen = 0;
  const chosen = (state: SystemState) => {
    if (state !== lastState) {
      lastState = state;
      lastChosen = chosenMask(acceptorsOf(state), quorum);
    }
    return lastChosen;
  };
  const explainChosen = (state: SystemState) => describeChosen(chosenEntries(acceptorsOf(state), quorum), slots);
  const learnedMask = (state: SystemState) => system.localsOf(state, learnerRole).reduce((mask, learner) => mask | learner.learned, 0);
  const atMostOnePerSlot = (mask: number) => {
    for (let s = 0; s < slots; s++) if (countBits(slotValues(mask, s)) > 1) return false;
    return true;
  };
  return [
    {
      name: 'SlotAgreement',
      kind: 'always',
      holds: (state) => atMostOnePerSlot(chosen(state)),
      explain: explainChosen,
    },
    {
      name: 'LogAgreement',
      kind: 'always',
      holds: (state) => atMostOnePerSlot(learnedMask(state)),
      explain: (state) => {
        const learners = system.localsOf(state, learnerRole);
        if (learners.length === 0) return 'there are no learners';
        return learners.map((learner, index) => `l${index + 1} learned ${describeLearned(learner.learned, slots)}`).join('; ');
      },
    },
    {
      name: 'AllSlotsChosen',
      kind: 'sometimes',
      holds: (state) => {
        const mask = chosen(state);
        for (let s = 0; s < slots; s++) if (slotValues(mask, s) === 0) return false;
        return true;
      },
      explain: explainChosen,
    },
  ];
}

function formatProposal(ballot: Ballot, value: Value): string {
  return ballot === 0 ? 'none' : `(${ballot},${valueName(value)})`;
}

/** The first `slots` entries of a packed log, as [slot 0 | slot 1 | ...]. */
function formatLog(log: PackedLog, slots: number): string {
  const entries: string[] = [];
  for (let s = 0; s < slots; s++) entries.push(formatProposal(ballotAt(log, s), valueAt(log, s)));
  return `[${entries.join(' | ')}]`;
}

/** A message for traces; `slots` is the length of the log, the entries a Promise shows. */
export function formatMultiPaxosMessage(message: MultiPaxosMessage, slots: number = MAX_SLOTS): string {
  switch (message.type) {
    case 'Prepare':
      return `Prepare(b=${message.ballot})`;
    case 'Promise':
      return `Promise(b=${message.ballot}, accepted=${formatLog(message.accepted, slots)})`;
    case 'Accept':
      return `Accept(b=${message.ballot}, slot ${message.slot}, ${valueName(message.value)})`;
    case 'Accepted':
      return `Accepted(b=${message.ballot}, slot ${message.slot}, ${valueName(message.value)})`;
  }
}

function describeLocal(role: string, local: unknown, slots: number): Record<string, unknown> {
  if (role === 'proposer') {
    const proposer = local as Proposer;
    return {
      round: proposer.round,
      ballot: proposer.ballot,
      promises: bitList(proposer.promises, 'a'),
      adopted: formatLog(proposer.adopted, slots),
      accepting: proposer.accepting === 1,
    };
  }
  if (role === 'acceptor') {
    const acceptor = local as Acceptor;
    return {
      promised: acceptor.promised,
      accepted: formatLog(acceptor.accepted, slots),
      votes: acceptor.votes.map((vote) => `(b=${voteBallot(vote)}, slot ${voteSlot(vote)}, ${valueName(voteValue(vote))})`),
    };
  }
  const learner = local as Learner;
  return { learned: describeLearned(learner.learned, slots), heard: learner.heard.length };
}

function bitList(mask: number, prefix: string): string[] {
  const names: string[] = [];
  for (let index = 0; index < 31; index++) if (mask & (1 << index)) names.push(`${prefix}${index + 1}`);
  return names;
}

export default defineSpec({
  name: 'multi-paxos',
  description: 'Multi-Paxos: a log of slots decided by the same acceptors, phase 1 once per leader, phase 2 per slot',
  parameters: multiPaxosParameters,
  build: (parameters) => multiPaxosSystem('multi-paxos', parameters).model,
});
