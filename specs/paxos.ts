/**
 * Classic single-decree Paxos, as the seed describes it (Lamport, "Paxos Made Simple").
 *
 * Proposers pick unique, totally ordered ballots (proposer i in round r uses r * P + i + 1) and
 * may start a new round at any time while rounds remain: that is the retry after a timeout, and it
 * is what lets two proposers duel. A round sends Prepare(b) to every acceptor; once a majority has
 * promised, the proposer sends Accept(b, v) where v is the value of the highest-numbered proposal
 * reported in the promises, or its own value (proposer i proposes value i) if none was reported.
 *
 * Acceptors follow the seed's rules: promise b only if b > promised; accept (b, v) when
 * b >= promised, and tell the learners. A learner learns v once a majority reported accepting the
 * same (b, v). "Chosen" is a fact of history (a majority once accepted the same proposal), so each
 * acceptor keeps the votes it ever cast.
 *
 * The broken variants in specs/bugs/ reuse this file, each changing one rule in `PaxosRules`.
 */
import { defineSpec, type Property } from '../src/model.ts';
import {
  ActorSystem,
  IGNORED_DELIVERY,
  NETWORK_SEMANTICS,
  countBits,
  type RestartSemantics,
  type Role,
  type SystemState,
} from '../src/actors/system.ts';
import { integer, integerSet, natural, record, union, withMember, type Codec } from '../src/actors/codec.ts';

export type Ballot = number;
/** Values are 1..P (proposer i proposes value i); 0 means none. */
export type Value = number;

export type PaxosMessage =
  | { readonly type: 'Prepare'; readonly ballot: Ballot }
  | { readonly type: 'Promise'; readonly ballot: Ballot; readonly acceptedBallot: Ballot; readonly acceptedValue: Value }
  | { readonly type: 'Accept'; readonly ballot: Ballot; readonly value: Value }
  | { readonly type: 'Accepted'; readonly ballot: Ballot; readonly value: Value };

/** Ballots are at most rounds * proposers = 20 and values at most 5: 5 and 3 bits. */
const ballot = natural(31);
const value = natural(7);
const messageCodec: Codec<PaxosMessage> = union<'type', PaxosMessage>('type', {
  Prepare: record({ ballot }),
  Promise: record({ ballot, acceptedBallot: ballot, acceptedValue: value }),
  Accept: record({ ballot, value }),
  Accepted: record({ ballot, value }),
});

export interface Proposer {
  /** Rounds started so far. */
  readonly round: number;
  /** Ballot of the current round; 0 before the first. */
  readonly ballot: Ballot;
  /** Acceptors (bit i = acceptor i) that promised the current ballot. */
  readonly promises: number;
  /** The proposal adopted from the promises so far (ballot 0: none). */
  readonly adoptedBallot: Ballot;
  readonly adoptedValue: Value;
  /** 1 once the current round has sent its Accept messages. */
  readonly accepting: number;
}

export interface Acceptor {
  readonly promised: Ballot;
  readonly acceptedBallot: Ballot;
  readonly acceptedValue: Value;
  /** Every vote ever cast, as ballot * 16 + value: the history that defines "chosen". */
  readonly votes: readonly number[];
}

export interface Learner {
  /** Accepted reports heard, as (ballot * 16 + value) * 16 + acceptor index. */
  readonly heard: readonly number[];
  /** Values learned (bit v). */
  readonly learned: number;
}

// Bounded fields share a word (see `record`): a proposer is one word, an acceptor one and its votes.
const proposerCodec: Codec<Proposer> = record({
  round: natural(7),
  ballot,
  promises: natural(511),
  adoptedBallot: ballot,
  adoptedValue: value,
  accepting: natural(1),
});
const acceptorCodec: Codec<Acceptor> = record({
  promised: ballot,
  acceptedBallot: ballot,
  acceptedValue: value,
  votes: integerSet,
});
const learnerCodec: Codec<Learner> = record({ heard: integerSet, learned: integer });

/** The rules a variant may change; `classicRules` are the seed's. */
export interface PaxosRules {
  /** Whether a promise reporting `reported` replaces the proposal adopted so far. */
  adoptsReported(adoptedBallot: Ballot, reportedBallot: Ballot): boolean;
  /** Whether an acceptor that promised `promised` promises `ballot`. */
  promises(ballot: Ballot, promised: Ballot): boolean;
  /** Whether an acceptor that promised `promised` accepts a proposal with `ballot`. */
  accepts(ballot: Ballot, promised: Ballot): boolean;
  /** Ballot of proposer `proposer` (0-based) in round `round` (0-based). */
  ballot(proposer: number, round: number, proposers: number): Ballot;
  /** How many promises make a phase-1 quorum. */
  phase1Quorum(acceptors: number): number;
  /** How many accepts make a phase-2 quorum: what chooses a value, and what a learner waits for. */
  phase2Quorum(acceptors: number): number;
}

export const classicRules: PaxosRules = {
  adoptsReported: (adoptedBallot, reportedBallot) => reportedBallot > adoptedBallot,
  promises: (ballot, promised) => ballot > promised,
  accepts: (ballot, promised) => ballot >= promised,
  ballot: (proposer, round, proposers) => round * proposers + proposer + 1,
  phase1Quorum: (acceptors) => Math.floor(acceptors / 2) + 1,
  phase2Quorum: (acceptors) => Math.floor(acceptors / 2) + 1,
};

export const paxosParameters = {
  acceptors: { type: 'integer', min: 1, max: 9, default: 3, description: 'number of acceptors' },
  proposers: { type: 'integer', min: 1, max: 5, default: 2, description: 'number of proposers (each proposes its own value)' },
  // One round by default: 3 acceptors and 2 proposers then check in about a second (33,489
  // states). Two rounds each is past 115 million states (see the README's Performance section).
  rounds: { type: 'integer', min: 1, max: 4, default: 1, description: 'rounds (ballots) each proposer may start' },
  learners: { type: 'integer', min: 0, max: 3, default: 1, description: 'number of learners (0 leaves learning out)' },
  network: { type: 'choice', choices: NETWORK_SEMANTICS, default: 'bag', description: 'network semantics' },
  crashes: {
    type: 'integer',
    min: 0,
    max: 3,
    default: 0,
    description: 'acceptor crashes allowed in a run (each may restart, keeping its durable state)',
  },
  ignored: {
    type: 'choice',
    choices: IGNORED_DELIVERY,
    default: 'prune',
    description: 'a delivery the handler ignores: prune the step (the message stays in flight) or consume the message',
  },
} as const;

export interface PaxosConfiguration {
  readonly acceptors: number;
  readonly proposers: number;
  readonly rounds: number;
  readonly learners: number;
  readonly network: (typeof NETWORK_SEMANTICS)[number];
  readonly ignored: (typeof IGNORED_DELIVERY)[number];
  readonly crashes: number;
  /** What a restarted acceptor keeps: everything (the seed's durable state) unless a variant says otherwise. */
  readonly restart?: RestartSemantics;
}

/** Names for traces: v1, v2, ... */
export const valueName = (value: Value): string => (value === 0 ? 'none' : `v${value}`);

/** Builds the actor system of classic Paxos with the given rules. */
export function paxosSystem(name: string, configuration: PaxosConfiguration, rules: PaxosRules = classicRules) {
  const { acceptors: acceptorCount, proposers: proposerCount, rounds } = configuration;
  const phase1Quorum = rules.phase1Quorum(acceptorCount);
  const quorum = rules.phase2Quorum(acceptorCount);
  let acceptorRole: Role<Acceptor, PaxosMessage>;
  let learnerRole: Role<Learner, PaxosMessage>;
  // Actors are numbered proposers first, then acceptors, then learners.
  const acceptorIndex = (actor: number) => actor - proposerCount;

  const proposerRole: Role<Proposer, PaxosMessage> = {
    name: 'proposer',
    prefix: 'p',
    count: proposerCount,
    codec: proposerCodec,
    initial: () => ({ round: 0, ballot: 0, promises: 0, adoptedBallot: 0, adoptedValue: 0, accepting: 0 }),
    timers: [
      {
        name: 'StartRound',
        enabled: (proposer) => proposer.round < rounds,
        describe: (proposer, index) =>
          `starts round ${proposer.round + 1} with ballot ${rules.ballot(index, proposer.round, proposerCount)}`,
        fire(context) {
          const proposer = context.local;
          const ballot = rules.ballot(context.index, proposer.round, proposerCount);
          context.update({ round: proposer.round + 1, ballot, promises: 0, adoptedBallot: 0, adoptedValue: 0, accepting: 0 });
          context.broadcast(acceptorRole, { type: 'Prepare', ballot });
        },
      },
    ],
    receive(context, message, from) {
      const proposer = context.local;
      if (message.type !== 'Promise' || message.ballot !== proposer.ballot || proposer.accepting) return;
      const bit = 1 << acceptorIndex(from);
      if (proposer.promises & bit) return;
      let { adoptedBallot, adoptedValue } = proposer;
      if (message.acceptedBallot > 0 && rules.adoptsReported(adoptedBallot, message.acceptedBallot)) {
        adoptedBallot = message.acceptedBallot;
        adoptedValue = message.acceptedValue;
      }
      const promises = proposer.promises | bit;
      const accepting = countBits(promises) >= phase1Quorum ? 1 : 0;
      context.update({ ...proposer, promises, adoptedBallot, adoptedValue, accepting });
      if (accepting) {
        const value = adoptedBallot > 0 ? adoptedValue : context.index + 1;
        context.broadcast(acceptorRole, { type: 'Accept', ballot: proposer.ballot, value });
      }
    },
  };

  acceptorRole = {
    name: 'acceptor',
    prefix: 'a',
    count: acceptorCount,
    codec: acceptorCodec,
    initial: () => ({ promised: 0, acceptedBallot: 0, acceptedValue: 0, votes: [] }),
    // The votes are the model's record of history (what "chosen" is defined on), not the
    // acceptor's memory, so they survive even a restart that forgets everything else.
    forget: (acceptor) => ({ promised: 0, acceptedBallot: 0, acceptedValue: 0, votes: acceptor.votes }),
    receive(context, message, from) {
      const acceptor = context.local;
      if (message.type === 'Prepare') {
        if (!rules.promises(message.ballot, acceptor.promised)) return;
        context.update({ ...acceptor, promised: message.ballot });
        context.send(from, {
          type: 'Promise',
          ballot: message.ballot,
          acceptedBallot: acceptor.acceptedBallot,
          acceptedValue: acceptor.acceptedValue,
        });
      } else if (message.type === 'Accept') {
        if (!rules.accepts(message.ballot, acceptor.promised)) return;
        const vote = message.ballot * 16 + message.value;
        const votes = withMember(acceptor.votes, vote);
        context.update({ promised: message.ballot, acceptedBallot: message.ballot, acceptedValue: message.value, votes });
        context.broadcast(learnerRole, { type: 'Accepted', ballot: message.ballot, value: message.value });
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
      const proposal = message.ballot * 16 + message.value;
      const report = proposal * 16 + acceptorIndex(from);
      const heard = withMember(learner.heard, report);
      if (heard === learner.heard) return;
      const learned = reportsAbout(heard, proposal) >= quorum ? learner.learned | (1 << message.value) : learner.learned;
      context.update({ heard, learned });
    },
  };

  const system: ActorSystem<PaxosMessage> = new ActorSystem<PaxosMessage>({
    name,
    roles: [proposerRole, acceptorRole, learnerRole],
    messageCodec,
    network: configuration.network,
    ignored: configuration.ignored,
    faults: { crashes: configuration.crashes, restart: configuration.restart ?? 'durable', roles: [acceptorRole] },
    // Acceptors are interchangeable, and so are learners; values are not (value i is proposer i's).
    symmetric: { acceptors: acceptorRole, learners: learnerRole },
    renameLocal: renameAcceptorReferences({ proposerRole, learnerRole, proposerCount, acceptorCount }),
    formatMessage: formatPaxosMessage,
    describeLocal: (role, local) => describeLocal(role.name, local),
    properties: (system) => [
      ...paxosProperties(system, proposerRole, acceptorRole, learnerRole, quorum),
      duelProperty({
        system,
        proposerRole,
        acceptorRole,
        phase1Quorum,
        rounds,
        nothingChosen: (state) =>
          chosenValueMask(state.locals, system.actor(acceptorRole, 0), acceptorRole.count, quorum) === 0,
      }),
    ],
  });
  return system;
}

/**
 * Symmetry support shared by the Paxos-family specs: renames the acceptor references a proposer
 * (bitmask `promises`, bit i = acceptor i) and a learner (`heard` reports, acceptor index in the
 * low 4 bits) hold. Acceptors are numbered after the proposers.
 */
export function renameAcceptorReferences<Message>(layout: {
  readonly proposerRole: Role<{ readonly promises: number }, Message>;
  readonly learnerRole: Role<{ readonly heard: readonly number[] }, Message>;
  readonly proposerCount: number;
  readonly acceptorCount: number;
}) {
  const { proposerRole, learnerRole, proposerCount, acceptorCount } = layout;
  return (role: Role<any, Message>, local: unknown, rename: (actor: number) => number): unknown => {
    const renameAcceptor = (index: number) => rename(proposerCount + index) - proposerCount;
    if (role === proposerRole) {
      const proposer = local as { readonly promises: number };
      let promises = 0;
      for (let index = 0; index < acceptorCount; index++) if (proposer.promises & (1 << index)) promises |= 1 << renameAcceptor(index);
      return promises === proposer.promises ? proposer : { ...proposer, promises };
    }
    if (role === learnerRole) {
      const learner = local as { readonly heard: readonly number[] };
      const heard = learner.heard.map((report) => (report & ~15) | renameAcceptor(report & 15)).sort((a, b) => a - b);
      return { ...learner, heard };
    }
    return local;
  };
}

/** How many of a learner's reports (proposal * 16 + acceptor index, sorted) are about `proposal`. */
export function reportsAbout(heard: readonly number[], proposal: number): number {
  let reports = 0;
  for (let i = 0; i < heard.length; i++) if (heard[i]! >> 4 === proposal) reports++;
  return reports;
}

export interface ChosenProposal {
  readonly ballot: Ballot;
  readonly value: Value;
  /** Acceptor indices that voted for it. */
  readonly voters: readonly number[];
}

/**
 * The votes cast by at least `quorum` acceptors, each with the indices of its voters, for the
 * explanations of traces (the properties use a faster check that builds nothing). Shared by the
 * Paxos-family specs, whose acceptors keep every vote they ever cast as a number.
 */
export function votesOfQuorums(
  acceptors: readonly { readonly votes: readonly number[] }[],
  quorum: number,
): { readonly vote: number; readonly voters: number[] }[] {
  const voters = new Map<number, number[]>();
  acceptors.forEach((acceptor, index) => {
    for (const vote of acceptor.votes) {
      const list = voters.get(vote);
      if (list) list.push(index);
      else voters.set(vote, [index]);
    }
  });
  const chosen: { vote: number; voters: number[] }[] = [];
  for (const [vote, list] of voters) if (list.length >= quorum) chosen.push({ vote, voters: list });
  return chosen;
}

/** Proposals accepted, at some time, by a quorum of acceptors. */
export function chosenProposals(acceptors: readonly Acceptor[], quorum: number): ChosenProposal[] {
  return votesOfQuorums(acceptors, quorum)
    .map(({ vote, voters }) => ({ ballot: vote >> 4, value: vote & 15, voters }))
    .sort((a, b) => a.ballot - b.ballot || a.value - b.value);
}

const votersPerProposal = new Int32Array(16 * 64);

/**
 * Bit v set when value v was chosen, from the acceptors at locals[first .. first + count): the
 * property checks' fast path, run on every new state, so it allocates nothing.
 */
function chosenValueMask(locals: readonly unknown[], first: number, count: number, quorum: number): number {
  let mask = 0;
  for (let actor = first; actor < first + count; actor++) {
    const votes = (locals[actor] as Acceptor).votes;
    for (let i = 0; i < votes.length; i++) {
      const vote = votes[i]!;
      if (++votersPerProposal[vote]! >= quorum) mask |= 1 << (vote & 15);
    }
  }
  for (let actor = first; actor < first + count; actor++) {
    const votes = (locals[actor] as Acceptor).votes;
    for (let i = 0; i < votes.length; i++) votersPerProposal[votes[i]!] = 0;
  }
  return mask;
}

function describeChosen(chosen: readonly ChosenProposal[]): string {
  if (chosen.length === 0) return 'nothing is chosen';
  return chosen
    .map(
      (proposal) =>
        `${valueName(proposal.value)} chosen at ballot ${proposal.ballot} by {${proposal.voters.map((index) => `a${index + 1}`).join(',')}}`,
    )
    .join('; ');
}

function valueList(mask: number): string {
  const values: string[] = [];
  for (let value = 1; value < 16; value++) if (mask & (1 << value)) values.push(valueName(value));
  return values.join(', ');
}

function paxosProperties(
  system: ActorSystem<PaxosMessage>,
  proposerRole: Role<Proposer, PaxosMessage>,
  acceptorRole: Role<Acceptor, PaxosMessage>,
  learnerRole: Role<Learner, PaxosMessage>,
  quorum: number,
): Property<SystemState>[] {
  const acceptorsOf = (state: SystemState) => system.localsOf(state, acceptorRole);
  const firstAcceptor = system.actor(acceptorRole, 0);
  const firstLearner = system.actor(learnerRole, 0);
  const firstProposer = system.actor(proposerRole, 0);
  // Three properties ask for the chosen values of the same state in a row: compute them once.
  let lastState: SystemState | undefined;
  let lastChosen = 0;
  const chosenMask = (state: SystemState) => {
    if (state !== lastState) {
      lastState = state;
      lastChosen = chosenValueMask(state.locals, firstAcceptor, acceptorRole.count, quorum);
    }
    return lastChosen;
  };
  const learnedMask = (state: SystemState) => {
    let mask = 0;
    for (let index = 0; index < learnerRole.count; index++) mask |= (state.locals[firstLearner + index] as Learner).learned;
    return mask;
  };
  /** Bit i + 1 set when proposer i has started a round, so proposed its value i + 1 or another's. */
  const proposedMask = (state: SystemState) => {
    let mask = 0;
    for (let index = 0; index < proposerRole.count; index++) {
      if ((state.locals[firstProposer + index] as Proposer).round > 0) mask |= 1 << (index + 1);
    }
    return mask;
  };
  return [
    {
      name: 'Agreement',
      kind: 'always',
      holds: (state) => countBits(chosenMask(state)) <= 1,
      explain: (state) => describeChosen(chosenProposals(acceptorsOf(state), quorum)),
    },
    {
      name: 'LearnerAgreement',
      kind: 'always',
      holds: (state) => countBits(learnedMask(state)) <= 1,
      // Who learned what: one learner that learned two values is another bug than two that disagree.
      explain: (state) =>
        Array.from({ length: learnerRole.count }, (_unused, index) => {
          const learned = valueList((state.locals[firstLearner + index] as Learner).learned);
          return `${system.actorNames[firstLearner + index]} learned ${learned || 'nothing'}`;
        }).join('; '),
    },
    {
      name: 'Validity',
      kind: 'always',
      holds: (state) => (chosenMask(state) & ~proposedMask(state)) === 0,
      explain: (state) => describeChosen(chosenProposals(acceptorsOf(state), quorum)),
    },
    {
      name: 'ValueChosen',
      kind: 'sometimes',
      holds: (state) => chosenMask(state) !== 0,
      explain: (state) => describeChosen(chosenProposals(acceptorsOf(state), quorum)),
    },
    {
      // Optional (--property decides): with finitely many rounds and a reliable network every
      // run ends in a decision; a lossy network can lose the messages that would have made one.
      name: 'decides',
      kind: 'terminal',
      optional: true,
      holds: (state) => chosenMask(state) !== 0,
      explain: (state) => `the run has ended (no step is possible) and ${describeChosen(chosenProposals(acceptorsOf(state), quorum))}`,
    },
  ];
}

/**
 * The optional `sometimes` property `duel` (--property duel), shared by the Paxos-family specs:
 * the seed's duelling proposers, shown as rounds wasted by pre-emption. As in "Paxos Made
 * Simple": p completes phase 1 for n1, q then completes phase 1 for n2 > n1, so p's accept
 * requests for n1 are ignored; p completes phase 1 for n3 > n2, so q's are ignored; and so on.
 *
 * A round is *pre-empted* when, after it has completed phase 1 (a phase-1 quorum promised its
 * ballot), a phase-1 quorum of acceptors has promised higher ballots before its accept phase
 * succeeded: its Accepts can no longer be accepted by a quorum. The higher ballots are another
 * proposer's, since a proposer's own later ballots do not exist while it is in this round.
 * `duel` holds when at least two proposers have each had max(1, rounds - 1) rounds pre-empted
 * and nothing is chosen yet. rounds - 1 is the most the proposer with the highest ballot can
 * lose (its last round cannot be pre-empted); with one round each that is 0, but a duel needs a
 * retry, and nothing pre-empts the highest ballot, so with `--rounds 1` (and with one proposer, or
 * one stable leader) `duel` is never witnessed. Since nothing may be chosen yet, no counted round
 * can have succeeded, which is the "before its accept phase succeeded" of the definition.
 *
 * Which rounds were pre-empted is history the state forgets once a proposer moves on, so the
 * property keeps it (a {@link History}: per proposer, a bitmask of its pre-empted rounds), and
 * the engine tracks it only when `duel` is checked: default runs keep their state counts. The
 * history depends on how many acceptors promised, never on which, so symmetry stays sound.
 */
export function duelProperty<Message>(layout: {
  readonly system: ActorSystem<Message>;
  readonly proposerRole: Role<{ readonly round: number; readonly ballot: Ballot; readonly accepting: number }, Message>;
  readonly acceptorRole: Role<{ readonly promised: Ballot }, Message>;
  readonly phase1Quorum: number;
  readonly rounds: number;
  readonly nothingChosen: (state: SystemState) => boolean;
}): Property<SystemState> {
  const { system, proposerRole, acceptorRole, phase1Quorum, rounds, nothingChosen } = layout;
  const proposerCount = proposerRole.count;
  const needed = Math.max(1, rounds - 1);
  const preemptedRounds = (mask: number) => bitList(mask, '').map(Number);
  const duellists = (history: readonly number[]) => history.filter((mask) => countBits(mask) >= needed).length;
  return {
    name: 'duel',
    kind: 'sometimes',
    optional: true,
    history: {
      initial: () => new Array<number>(proposerCount).fill(0),
      next(history, _from, to) {
        let next = history;
        const acceptors = system.localsOf(to, acceptorRole);
        for (let index = 0; index < proposerCount; index++) {
          const proposer = system.local(to, proposerRole, index);
          const bit = 1 << (proposer.round - 1);
          if (!proposer.accepting || history[index]! & bit) continue;
          let higher = 0;
          for (const acceptor of acceptors) if (acceptor.promised > proposer.ballot) higher++;
          if (higher < phase1Quorum) continue;
          if (next === history) next = history.slice();
          (next as number[])[index] = history[index]! | bit;
        }
        return next;
      },
      describe: (history) =>
        Object.fromEntries(history.map((mask, index) => [system.actorNames[system.actor(proposerRole, index)]!, { preemptedRounds: preemptedRounds(mask) }])),
    },
    holds: (state, history) => duellists(history!) >= 2 && nothingChosen(state),
    explain: (state, history) => {
      const lost = history!
        .map((mask, index) => `${system.actorNames[system.actor(proposerRole, index)]} lost round${countBits(mask) === 1 ? '' : 's'} ${preemptedRounds(mask).join(', ') || 'none'}`)
        .join(', ');
      return `each proposer's rounds were pre-empted by the other's higher ballot (${lost}) and ${nothingChosen(state) ? 'nothing is chosen yet' : 'a value is chosen'}`;
    },
  };
}

export function formatPaxosMessage(message: PaxosMessage): string {
  switch (message.type) {
    case 'Prepare':
      return `Prepare(b=${message.ballot})`;
    case 'Promise':
      return message.acceptedBallot === 0
        ? `Promise(b=${message.ballot}, accepted=none)`
        : `Promise(b=${message.ballot}, accepted=(${message.acceptedBallot},${valueName(message.acceptedValue)}))`;
    case 'Accept':
      return `Accept(b=${message.ballot}, ${valueName(message.value)})`;
    case 'Accepted':
      return `Accepted(b=${message.ballot}, ${valueName(message.value)})`;
  }
}

function describeLocal(role: string, local: unknown): Record<string, unknown> {
  if (role === 'proposer') {
    const proposer = local as Proposer;
    return {
      round: proposer.round,
      ballot: proposer.ballot,
      promises: bitList(proposer.promises, 'a'),
      adopted: proposer.adoptedBallot === 0 ? 'none' : `(${proposer.adoptedBallot},${valueName(proposer.adoptedValue)})`,
      accepting: proposer.accepting === 1,
    };
  }
  if (role === 'acceptor') {
    const acceptor = local as Acceptor;
    return {
      promised: acceptor.promised,
      accepted: acceptor.acceptedBallot === 0 ? 'none' : `(${acceptor.acceptedBallot},${valueName(acceptor.acceptedValue)})`,
      votes: acceptor.votes.map((vote) => `(${vote >> 4},${valueName(vote & 15)})`),
    };
  }
  const learner = local as Learner;
  return { learned: valueList(learner.learned) || 'nothing', heard: learner.heard.length };
}

function bitList(mask: number, prefix: string): string[] {
  const names: string[] = [];
  for (let index = 0; index < 31; index++) if (mask & (1 << index)) names.push(`${prefix}${index + 1}`);
  return names;
}

export default defineSpec({
  name: 'paxos',
  description: 'classic single-decree Paxos (proposers, acceptors, learners) on the actors layer',
  parameters: paxosParameters,
  build: (parameters) => paxosSystem('paxos', parameters).model,
});
