/**
 * Message-passing semantics on top of the model contract. A protocol is a set of roles (proposer,
 * acceptor, ...); each role has a typed local state, message handlers that update it and send
 * messages, and timers (internal steps such as "start a new round"). This module turns such a
 * protocol into a `Model` whose actions are: deliver an in-flight message, drop one (lossy
 * networks), fire an enabled timer. It knows no particular protocol.
 *
 * Network semantics:
 * - `bag`: in-flight messages form a multiset; any one may be delivered next; delivery consumes it.
 * - `dup`: messages stay in flight once sent (a set), so any may be delivered again, any number of times.
 * - `lossy`: like `bag`, and any in-flight message may also be dropped.
 *
 * Faults: with a crash budget, an actor of a role the protocol names may crash (it then takes no
 * step; messages to it wait in flight) and later restart, either with its state (`durable`) or
 * with what its role's `forget` keeps (`amnesia`: by default the initial state).
 *
 * A delivery the handler ignores (no state change, nothing sent) either consumes the message
 * (`ignored: 'consume'`, the literal semantics) or is pruned (`'prune'`: no successor, the message
 * stays in flight, as Stateright does). Pruning keeps every behaviour that matters for safety.
 */
import { WordWriter, type FingerprintHalves, type Model, type Property, type Symmetry, type WordReader } from '../model.ts';
import { fmix32 } from '../store/fingerprint.ts';
import { MAX_PACKED_BITS, measurer, whereEncoded, type Codec } from './codec.ts';
import { LocalStateTable, sameWords, type LocalEntry, type LocalStep } from './local-states.ts';
import { ThrownIn, textOfThrown } from '../thrown.ts';

export type NetworkSemantics = 'bag' | 'dup' | 'lossy';
export const NETWORK_SEMANTICS: readonly NetworkSemantics[] = ['bag', 'dup', 'lossy'];

export type IgnoredDelivery = 'consume' | 'prune';
export const IGNORED_DELIVERY: readonly IgnoredDelivery[] = ['prune', 'consume'];

/** What a handler or timer sees and may do. */
export interface ActorContext<Local, Message> {
  /** Global index of this actor. */
  readonly self: number;
  /** Index of this actor within its role (0-based). */
  readonly index: number;
  /** This actor's local state: as the step began, or as the last {@link update} made it. */
  readonly local: Local;
  /** Replaces this actor's local state (a second call replaces the first's). */
  update(next: Local): void;
  send(to: number, message: Message): void;
  /** Sends to every actor of a role. */
  broadcast(role: Role<never, Message> | Role<any, Message>, message: Message): void;
}

export interface Timer<Local, Message> {
  readonly name: string;
  enabled(local: Local, index: number): boolean;
  fire(context: ActorContext<Local, Message>): void;
  /** A description of the firing for traces (e.g. `starts round 2 with ballot 4`). */
  describe?(local: Local, index: number): string;
}

export interface Role<Local, Message> {
  readonly name: string;
  /** Prefix of actor names: prefix 'p' gives p1, p2, ... */
  readonly prefix: string;
  readonly count: number;
  readonly codec: Codec<Local>;
  initial(index: number): Local;
  receive(context: ActorContext<Local, Message>, message: Message, from: number): void;
  readonly timers?: readonly Timer<Local, Message>[];
  /**
   * The local state after a restart that loses durable state. Defaults to `initial(index)`; a spec
   * keeps here what is not the actor's memory but the model's record of history (e.g. votes cast).
   */
  forget?(local: Local, index: number): Local;
}

/** An in-flight message, unpacked. */
export interface Envelope<Message> {
  readonly from: number;
  readonly to: number;
  readonly message: Message;
}

export interface SystemState {
  /** Local state of every actor, by global index (roles in declaration order). */
  readonly locals: readonly unknown[];
  /**
   * In-flight messages, each packed into one number (sender, receiver, message), in ascending
   * order: a multiset under `bag` and `lossy`, a set under `dup`.
   */
  readonly network: readonly number[];
  /** Crashed actors (bit = global index); always 0 without faults. */
  readonly down: number;
  /** Crashes so far, against the protocol's crash budget. */
  readonly crashes: number;
}

export type RestartSemantics = 'durable' | 'amnesia';
export const RESTART_SEMANTICS: readonly RestartSemantics[] = ['durable', 'amnesia'];

export interface Faults<Message> {
  /** How many crashes may happen in one run. */
  readonly crashes: number;
  readonly restart: RestartSemantics;
  /** The roles whose actors may crash. */
  readonly roles: readonly Role<any, Message>[];
}

export interface ActorProtocol<Message> {
  readonly name: string;
  readonly roles: readonly Role<any, Message>[];
  /** Must be bounded (built from natural, boolean, record, union) so messages pack into numbers. */
  readonly messageCodec: Codec<Message>;
  readonly network: NetworkSemantics;
  readonly ignored: IgnoredDelivery;
  readonly faults?: Faults<Message>;
  /**
   * Roles whose actors are interchangeable, by the set name users give to --symmetry
   * (e.g. { acceptors: acceptorRole }). Renaming them must not change what the protocol does.
   */
  readonly symmetric?: Readonly<Record<string, Role<any, Message>>>;
  /** Renames actor references held in a local state (e.g. a bitmask of acceptors that promised). */
  renameLocal?(role: Role<any, Message>, local: unknown, rename: (actor: number) => number): unknown;
  /** Renames actor references carried in a message. */
  renameMessage?(message: Message, rename: (actor: number) => number): Message;
  readonly properties: (system: ActorSystem<Message>) => readonly Property<SystemState>[];
  formatMessage(message: Message): string;
  /** A JSON-friendly view of one actor's local state, for traces. Defaults to the local state itself. */
  describeLocal?(role: Role<any, Message>, local: unknown): Record<string, unknown>;
}

/** Actions are small integers: the low two bits say which kind, the rest which message or timer. */
const DELIVER = 0;
const DROP = 1;
const TIMER = 2;
const FAULT = 3;
const TIMER_SLOTS = 16;
const NOTHING_SENT: readonly number[] = Object.freeze([]);
/** Message spaces up to this size get a table of unpacked messages (an array of that length). */
const MESSAGE_CACHE_LIMIT = 2 ** 20;
/** Envelope spaces up to this size number envelopes through a table (an Int32Array of that length), larger ones through a Map. */
const DENSE_ENVELOPE_LIMIT = 2 ** 23;

/** A protocol made executable: the model, plus typed access to actors for the protocol's properties. */
export class ActorSystem<Message> {
  readonly model: Model<SystemState, number>;
  readonly actorNames: readonly string[];
  private readonly roleOfActor: Role<any, Message>[] = [];
  private readonly indexInRole: number[] = [];
  private readonly firstActor = new Map<Role<any, Message>, number>();
  private readonly context: StepContext<Message>;
  /** Packed envelope = (from * actors + to) * messageScale + packed message. */
  /** @internal */
  readonly messageScale: number;
  private readonly pack: (message: Message) => number;
  private readonly unpack: (packed: number) => Message;
  /** Words per envelope in the state encoding: 1 when it fits in 31 bits, else 2. */
  private readonly envelopeWords: 1 | 2;

  constructor(readonly protocol: ActorProtocol<Message>) {
    // Specs run from source without a type check: a semantics left out would explore as none of them.
    if (!NETWORK_SEMANTICS.includes(protocol.network)) {
      throw new Error(`${protocol.name} gives network ${String(protocol.network)}: it must be one of ${NETWORK_SEMANTICS.join(', ')}`);
    }
    if (!IGNORED_DELIVERY.includes(protocol.ignored)) {
      throw new Error(`${protocol.name} gives ignored ${String(protocol.ignored)}: it must be one of ${IGNORED_DELIVERY.join(', ')}`);
    }
    // Every trace names its deliveries with it: left out, each such step would say only that it threw.
    if (typeof protocol.formatMessage !== 'function') {
      throw new Error(`${protocol.name} has no formatMessage, which names a message in traces (give it one, such as formatMessage: (message) => message.type)`);
    }
    const faults = protocol.faults;
    if (faults && (!Number.isInteger(faults.crashes) || faults.crashes < 0)) {
      throw new Error(`${protocol.name} allows ${String(faults.crashes)} crashes: a whole number, 0 or more`);
    }
    if (faults && !RESTART_SEMANTICS.includes(faults.restart)) {
      throw new Error(`${protocol.name} gives restart ${String(faults.restart)}: it must be one of ${RESTART_SEMANTICS.join(', ')}`);
    }
    const names: string[] = [];
    for (const role of protocol.roles) {
      // Actors are named by prefix and number in traces, diagrams and explanations.
      const same = protocol.roles.slice(0, protocol.roles.indexOf(role)).find((earlier) => earlier.prefix === role.prefix);
      if (same) throw new Error(`roles ${same.name} and ${role.name} of ${protocol.name} both name their actors '${role.prefix}1', '${role.prefix}2', ...: give them different prefixes`);
      this.firstActor.set(role, names.length);
      if ((role.timers?.length ?? 0) > TIMER_SLOTS) {
        throw new Error(`role ${role.name} of ${protocol.name} has ${role.timers!.length} timers: a role has at most ${TIMER_SLOTS} (an action numbers its timer in 4 bits)`);
      }
      if (!Number.isInteger(role.count) || role.count < 0) {
        throw new Error(`role ${role.name} of ${protocol.name} has count ${String(role.count)}: a role's count is a whole number, 0 or more`);
      }
      for (let index = 0; index < role.count; index++) {
        this.roleOfActor.push(role);
        this.indexInRole.push(index);
        names.push(`${role.prefix}${index + 1}`);
      }
    }
    this.actorNames = names;
    const codec = protocol.messageCodec;
    if (codec.bits === undefined || !codec.pack || !codec.unpack) {
      throw new Error(
        `the message codec of ${protocol.name} is not bounded, or needs more than ${MAX_PACKED_BITS} bits: build it from natural(), boolean, record() and union(), with bounds that fit`,
      );
    }
    this.messageScale = 2 ** codec.bits;
    const envelopeBound = names.length * names.length * this.messageScale;
    if (envelopeBound > 2 ** MAX_PACKED_BITS) {
      throw new Error(`messages of ${protocol.name} with sender and receiver need more than ${MAX_PACKED_BITS} bits`);
    }
    this.envelopeWords = envelopeBound <= 2 ** 31 ? 1 : 2;
    this.pack = codec.pack.bind(codec);
    const unpack = codec.unpack.bind(codec);
    if (this.messageScale <= MESSAGE_CACHE_LIMIT) {
      // Messages are immutable values drawn from a small space: unpack each one once and hand
      // handlers the same frozen object every time it is delivered.
      const cache: (Message | undefined)[] = new Array(this.messageScale);
      this.unpack = (packed) => cache[packed] ?? (cache[packed] = Object.freeze(unpack(packed)));
    } else {
      this.unpack = unpack;
    }
    this.context = new StepContext(this);
    this.model = this.buildModel();
  }

  /** Global index of the `index`-th actor of a role. */
  actor(role: Role<any, Message>, index: number): number {
    return this.first(role) + index;
  }

  /** Local state of the `index`-th actor of a role. */
  local<Local>(state: SystemState, role: Role<Local, Message>, index: number): Local {
    return state.locals[this.first(role) + index] as Local;
  }

  /** Local states of every actor of a role, in index order. */
  localsOf<Local>(state: SystemState, role: Role<Local, Message>): Local[] {
    const first = this.first(role);
    return state.locals.slice(first, first + role.count) as Local[];
  }

  roleOf(actor: number): Role<any, Message> {
    return this.roleOfActor[actor]!;
  }

  /** The in-flight messages of a state, unpacked, in canonical order. */
  envelopes(state: SystemState): Envelope<Message>[] {
    return state.network.map((packed) => this.unpackEnvelope(packed));
  }

  /** @internal */
  first(role: Role<any, Message>): number {
    const first = this.firstActor.get(role);
    if (first === undefined) throw new Error(`role ${role?.name ?? String(role)} is not part of ${this.protocol.name}`);
    return first;
  }

  /** @internal */
  packEnvelope(from: number, to: number, message: Message, what = 'message sent'): number {
    let packed: number;
    try {
      packed = this.pack(message);
    } catch (error) {
      throw whereEncoded(error, what);
    }
    return (from * this.actorNames.length + to) * this.messageScale + packed;
  }

  /** The receiver of a packed envelope, without unpacking the message. */
  receiverOf(packed: number): number {
    const message = packed % this.messageScale;
    return ((packed - message) / this.messageScale) % this.actorNames.length;
  }

  unpackEnvelope(packed: number): Envelope<Message> {
    const message = packed % this.messageScale;
    const route = (packed - message) / this.messageScale;
    const to = route % this.actorNames.length;
    return { from: (route - to) / this.actorNames.length, to, message: this.unpack(message) };
  }

  /**
   * Symmetry over interchangeable roles. The representative orders a role's actors by the
   * encoding of their local state; actors with identical local states are tried in every order,
   * and the renaming with the least encoding of the whole state wins. That is a canonical form:
   * every renaming of a state sorts to the same candidates, so it gets the same representative.
   * The cost is one rename per candidate, which is one unless several actors are in the same state.
   */
  private symmetry(): Symmetry<SystemState> {
    const symmetric = this.protocol.symmetric!;
    const stateWriter = new WordWriter(256);
    const bestWriter = new WordWriter(256);
    // Scratch space per set, reused on every call: this runs once per successor.
    const scratch = new Map<string, { keys: WordWriter[]; traffic: number[][]; order: number[] }>();
    for (const [set, role] of Object.entries(symmetric)) {
      scratch.set(set, {
        keys: Array.from({ length: role.count }, () => new WordWriter(64)),
        traffic: Array.from({ length: role.count }, () => []),
        order: Array.from({ length: role.count }, (_unused, index) => index),
      });
    }
    /**
     * The canonical renaming of one set's members (for the other sets' names as they are), and
     * how many renamings of the set map the state to itself: the least encoding among the
     * orderings of the members by key that try every order of members with equal keys.
     */
    const canonicalise = (state: SystemState, set: string): { state: SystemState; stabiliser: number } => {
      const role = symmetric[set]!;
      const { keys, traffic, order } = scratch.get(set)!;
      const first = this.first(role);
      const count = role.count;
      this.symmetryKeys(state, role, first, keys, traffic);
      for (let index = 0; index < count; index++) order[index] = index;
      // Insertion sort of the members by key (ties keep index order); notes whether any tie.
      let tie = false;
      for (let i = 1; i < count; i++) {
        const member = order[i]!;
        let j = i - 1;
        for (; j >= 0; j--) {
          const comparison = compareWriters(keys[order[j]!]!, keys[member]!);
          if (comparison === 0) tie = true;
          if (comparison <= 0) break;
          order[j + 1] = order[j]!;
        }
        order[j + 1] = member;
      }
      if (!tie) {
        // Distinct keys: one candidate renaming, and no renaming fixes the state.
        let identity = true;
        for (let index = 0; index < count; index++) if (order[index] !== index) identity = false;
        if (identity) return { state, stabiliser: 1 };
        const mapping = this.identityMapping();
        for (let position = 0; position < count; position++) mapping[first + order[position]!] = first + position;
        return { state: this.rename(state, mapping), stabiliser: 1 };
      }
      const groups: number[][] = [];
      for (const member of order) {
        const last = groups[groups.length - 1];
        if (last && compareWriters(keys[last[0]!]!, keys[member]!) === 0) last.push(member);
        else groups.push([member]);
      }
      // candidates[i] lists, for each sorted position, the member that moves there.
      let candidates: number[][] = [[]];
      for (const group of groups) {
        const orderings = permutations(group);
        candidates = candidates.flatMap((prefix) => orderings.map((ordering) => [...prefix, ...ordering]));
      }
      let best: SystemState | undefined;
      let stabiliser = 0;
      for (const candidate of candidates) {
        const mapping = this.identityMapping();
        candidate.forEach((member, position) => (mapping[first + member] = first + position));
        const renamed = this.rename(state, mapping);
        stateWriter.reset();
        this.model.encode(renamed, stateWriter);
        const comparison = best === undefined ? -1 : compareWriters(stateWriter, bestWriter);
        if (comparison < 0) {
          best = renamed;
          stabiliser = 1;
          copyWriter(stateWriter, bestWriter);
        } else if (comparison === 0) {
          stabiliser++;
        }
      }
      return { state: best!, stabiliser };
    };
    /**
     * Several sets: one (the largest) is canonicalised by keys after every renaming of the others,
     * and the least encoding wins. Canonicalising the sets one after the other instead is not a
     * canonical form (renaming learners changes the acceptors' keys), and multiplying the sets'
     * orbit sizes miscounts states that a joint renaming fixes ((a1 a2)(l1 l2) and neither
     * alone): 831 states for 771. The cost is one canonicalisation per renaming of the other sets.
     */
    const otherRenamings = new Map<string, { inner: string; mappings: number[][]; groupSize: number }>();
    const renamingsFor = (sets: readonly string[]) => {
      const key = sets.join(',');
      let known = otherRenamings.get(key);
      if (!known) {
        const inner = sets.reduce((largest, set) => (symmetric[set]!.count > symmetric[largest]!.count ? set : largest));
        let mappings: number[][] = [this.identityMapping()];
        let groupSize = factorial(symmetric[inner]!.count);
        for (const set of sets) {
          if (set === inner) continue;
          const role = symmetric[set]!;
          const first = this.first(role);
          const members = Array.from({ length: role.count }, (_unused, index) => index);
          groupSize *= factorial(role.count);
          mappings = mappings.flatMap((mapping) =>
            permutations(members).map((ordering) => {
              const extended = [...mapping];
              ordering.forEach((member, position) => (extended[first + member] = first + position));
              return extended;
            }),
          );
        }
        known = { inner, mappings, groupSize };
        otherRenamings.set(key, known);
      }
      return known;
    };
    const jointWriter = new WordWriter(256);
    const representativeOf = (state: SystemState, sets: readonly string[], orbit: { size: number }): SystemState => {
      if (sets.length === 1) {
        const { state: canonical, stabiliser } = canonicalise(state, sets[0]!);
        orbit.size = factorial(symmetric[sets[0]!]!.count) / stabiliser;
        return canonical;
      }
      const { inner, mappings, groupSize } = renamingsFor(sets);
      let best: SystemState | undefined;
      let stabiliser = 0;
      for (let index = 0; index < mappings.length; index++) {
        const renamed = index === 0 ? state : this.rename(state, mappings[index]!);
        const canonical = canonicalise(renamed, inner);
        stateWriter.reset();
        this.model.encode(canonical.state, stateWriter);
        const comparison = best === undefined ? -1 : compareWriters(stateWriter, jointWriter);
        if (comparison < 0) {
          best = canonical.state;
          stabiliser = canonical.stabiliser;
          copyWriter(stateWriter, jointWriter);
        } else if (comparison === 0) {
          // Another renaming of the other sets reaches the same representative: the joint
          // renamings that fix the state are these times the inner set's own.
          stabiliser += canonical.stabiliser;
        }
      }
      orbit.size = groupSize / stabiliser;
      return best!;
    };
    return {
      sets: Object.keys(symmetric),
      sizes: Object.fromEntries(Object.entries(symmetric).map(([set, role]) => [set, role.count])),
      exact: true,
      breachHint: 'a local state or message that names actors of a symmetric role needs renameLocal or renameMessage',
      representative: (state, sets, orbit) => {
        try {
          return representativeOf(state, sets, orbit);
        } catch (error) {
          // A value the codecs cannot hold here comes from renameLocal or renameMessage.
          throw whereEncoded(error, 'renaming for --symmetry (renameLocal, renameMessage)');
        }
      },
    };
  }

  /**
   * An actor's key: its local state, then the messages it sends and receives, with the other
   * endpoint named only when it is outside the set. Keys do not change under renaming, and
   * actors in different situations rarely share one, so few ties remain.
   */
  private symmetryKeys(state: SystemState, role: Role<any, Message>, first: number, keys: WordWriter[], traffic: number[][]): void {
    const count = role.count;
    const actors = this.actorNames.length;
    const scale = this.messageScale;
    for (let index = 0; index < count; index++) traffic[index]!.length = 0;
    const network = state.network;
    for (let i = 0; i < network.length; i++) {
      const packed = network[i]!;
      const message = packed % scale;
      const route = (packed - message) / scale;
      const to = route % actors;
      const from = (route - to) / actors;
      const fromMember = from >= first && from < first + count;
      const toMember = to >= first && to < first + count;
      if (fromMember) traffic[from - first]!.push(((toMember ? actors : to) * 2 + 1) * scale + message);
      if (toMember) traffic[to - first]!.push((fromMember ? actors : from) * 2 * scale + message);
    }
    for (let index = 0; index < count; index++) {
      const key = keys[index]!;
      key.reset();
      role.codec.encode(state.locals[first + index], key);
      const messages = traffic[index]!;
      if (messages.length > 1) messages.sort(ascending);
      key.push(messages.length);
      // Keys are compared as 32-bit words: split each signature in two.
      for (let m = 0; m < messages.length; m++) {
        const signature = messages[m]!;
        const low = signature % 2 ** 30;
        key.push((signature - low) / 2 ** 30);
        key.push(low);
      }
    }
  }

  private identityMapping(): number[] {
    return [...Array(this.actorNames.length).keys()];
  }

  /** The state with every actor a renamed to mapping[a]: locals, references inside them, messages. */
  private rename(state: SystemState, mapping: readonly number[]): SystemState {
    const protocol = this.protocol;
    const renameActor = (actor: number) => mapping[actor]!;
    const locals: unknown[] = new Array(state.locals.length);
    state.locals.forEach((local, actor) => {
      const renamed = protocol.renameLocal ? protocol.renameLocal(this.roleOfActor[actor]!, local, renameActor) : local;
      locals[mapping[actor]!] = renamed;
    });
    const actors = this.actorNames.length;
    const scale = this.messageScale;
    const network = state.network.map((packed) => {
      if (protocol.renameMessage) {
        const { from, to, message } = this.unpackEnvelope(packed);
        return this.packEnvelope(mapping[from]!, mapping[to]!, protocol.renameMessage(message, renameActor), 'message');
      }
      // Only the route changes: rewrite it arithmetically, leaving the packed message as it is.
      const message = packed % scale;
      const route = (packed - message) / scale;
      const to = route % actors;
      const from = (route - to) / actors;
      return (mapping[from]! * actors + mapping[to]!) * scale + message;
    });
    network.sort((a, b) => a - b);
    let down = 0;
    for (let actor = 0; actor < mapping.length; actor++) if (state.down & (1 << actor)) down |= 1 << mapping[actor]!;
    return { locals, network, down, crashes: state.crashes };
  }

  private buildModel(): Model<SystemState, number> {
    const protocol = this.protocol;
    const actorCount = this.actorNames.length;
    const roleOf = this.roleOfActor;
    const indexInRole = this.indexInRole;
    const lossy = protocol.network === 'lossy';
    const dup = protocol.network === 'dup';
    const prune = protocol.ignored === 'prune';
    const twoWords = this.envelopeWords === 2;
    const messageScale = this.messageScale;
    const messageBits = Math.log2(messageScale);
    const system = this;
    const context = this.context;
    const faults = protocol.faults && protocol.faults.crashes > 0 ? protocol.faults : undefined;
    const crashable = roleOf.map((role) => faults?.roles.includes(role) ?? false);
    const amnesia = faults?.restart === 'amnesia';
    const tables = roleOf.map((role, actor) => new LocalStateTable(role.codec, actor));
    const measure = roleOf.map((role) => measurer(role.codec));

    // The state decoded last and its actors' entries: explorers expand the state they just decoded.
    let decodedState: SystemState | undefined;
    const decodedEntries: LocalEntry[] = new Array(actorCount);
    // The steps `actions` looked up for the deliveries of `stepsState` (the decoded state), by
    // network position.
    const decodedSteps: (LocalStep | undefined)[] = [];
    let stepsState: SystemState | undefined;
    const otherEntries: LocalEntry[] = new Array(actorCount);
    const entriesOf = (state: SystemState): readonly LocalEntry[] => {
      if (state === decodedState) return decodedEntries;
      for (let actor = 0; actor < actorCount; actor++) otherEntries[actor] = tables[actor]!.fromLocal(state.locals[actor]);
      return otherEntries;
    };
    const entryAt = (state: SystemState, actor: number): LocalEntry =>
      state === decodedState ? decodedEntries[actor]! : tables[actor]!.fromLocal(state.locals[actor]);

    // The transition `transition` worked out last: which actor's local state it replaces (with
    // what), which in-flight message it consumes, what it sends, and the fault bookkeeping after it.
    let changedActor = -1;
    let replacement: LocalEntry | undefined;
    let consumed = -1;
    let sent: readonly number[] = NOTHING_SENT;
    let step: LocalStep | undefined;
    let down = 0;
    let crashes = 0;
    const merged: number[] = [];

    /** What the handler or timer that just ran in `context` did, from `entry`, on delivery of `consumed` (-1: a timer). */
    const stepTaken = (actor: number, entry: LocalEntry, consumed: number): LocalStep => {
      const next = context.updated ? tables[actor]!.fromLocal(context.local) : undefined;
      const count = context.sentCount;
      const envelopes = count === 0 ? NOTHING_SENT : context.sent.slice(0, count);
      if (count > 1) sortPrefix(envelopes as number[], count);
      let deltaHigh = 0;
      let deltaLow = 0;
      for (let i = 0; i < count; i++) {
        deltaHigh = (deltaHigh + messagePartHigh(envelopes[i]!)) | 0;
        deltaLow = (deltaLow + messagePartLow(envelopes[i]!)) | 0;
      }
      if (next !== undefined) {
        deltaHigh = (deltaHigh + next.partHigh - entry.partHigh) | 0;
        deltaLow = (deltaLow + next.partLow - entry.partLow) | 0;
      }
      if (consumed >= 0) {
        deltaHigh = (deltaHigh - messagePartHigh(consumed)) | 0;
        deltaLow = (deltaLow - messagePartLow(consumed)) | 0;
      }
      return { next, sent: envelopes, ignored: next === undefined && count === 0, deltaHigh, deltaLow };
    };

    // The explorers ask about one successor up to three times in a row (its fingerprint, then,
    // when it is new, its encoding and the state itself): the transition is worked out once.
    let transitionState: SystemState | undefined;
    let transitionAction = -1;
    let transitionEnabled = false;
    let mergedLength = -1;

    // One-word envelopes are small integers: the receiver in integer arithmetic.
    const receiverOf = (packed: number): number =>
      twoWords ? system.receiverOf(packed) : (packed >>> messageBits) % actorCount;

    // Envelopes are numbered in the order they are first delivered, separately for each receiver,
    // so that a local state remembers its delivery steps in an array indexed by that number: an
    // index, not a Map lookup, on every in-flight message of every state expanded.
    const envelopeSpace = actorCount * actorCount * messageScale;
    const envelopeNumbers = envelopeSpace <= DENSE_ENVELOPE_LIMIT ? new Int32Array(envelopeSpace) : undefined;
    const largeEnvelopeNumbers = new Map<number, number>();
    const numbered = new Int32Array(actorCount);
    const envelopeNumber = (packed: number, to: number): number => {
      if (envelopeNumbers !== undefined) {
        const known = envelopeNumbers[packed]!;
        if (known !== 0) return known - 1;
        envelopeNumbers[packed] = numbered[to]! + 1;
        return numbered[to]!++;
      }
      const known = largeEnvelopeNumbers.get(packed);
      if (known !== undefined) return known;
      largeEnvelopeNumbers.set(packed, numbered[to]!);
      return numbered[to]!++;
    };

    /** The step of actor `to` in `entry` on delivery of `packed`: remembered, or taken now. */
    const deliveryStep = (entry: LocalEntry, to: number, packed: number): LocalStep => {
      const number = envelopeNumber(packed, to);
      const steps = entry.deliveries;
      const known = steps[number];
      if (known !== undefined) return known;
      const { from, message } = system.unpackEnvelope(packed);
      roleOf[to]!.receive(context.begin(to, indexInRole[to]!, entry.local), message, from);
      const taken = stepTaken(to, entry, packed);
      // Filled up to the index, so the array never has holes (which could make V8 store it as a dictionary).
      while (steps.length < number) steps.push(undefined);
      steps[number] = taken;
      return taken;
    };

    /** Works out the transition; false when the action is disabled here or its delivery is pruned. */
    const transition = (state: SystemState, entries: readonly LocalEntry[], action: number): boolean => {
      if (state === transitionState && action === transitionAction) return transitionEnabled;
      transitionState = undefined;
      mergedLength = -1;
      transitionEnabled = takeTransition(state, entries, action);
      transitionState = state;
      transitionAction = action;
      return transitionEnabled;
    };

    const takeTransition = (state: SystemState, entries: readonly LocalEntry[], action: number): boolean => {
      const kind = action & 3;
      changedActor = -1;
      replacement = undefined;
      consumed = -1;
      sent = NOTHING_SENT;
      step = undefined;
      down = state.down;
      crashes = state.crashes;
      if (kind === FAULT) {
        const actor = action >> 3;
        if ((action >> 2) & 1) {
          down &= ~(1 << actor);
          if (amnesia) {
            const entry = entries[actor]!;
            const role = roleOf[actor]!;
            const index = indexInRole[actor]!;
            changedActor = actor;
            replacement = entry.forgotten ??= tables[actor]!.fromLocal(role.forget ? role.forget(entry.local, index) : role.initial(index));
          }
        } else {
          down |= 1 << actor;
          crashes++;
        }
        return true;
      }
      if (kind === TIMER) {
        const slot = action >> 2;
        const actor = (slot / TIMER_SLOTS) | 0;
        const position = slot % TIMER_SLOTS;
        const entry = entries[actor]!;
        step = entry.timerSteps[position];
        if (step === undefined) {
          roleOf[actor]!.timers![position]!.fire(context.begin(actor, indexInRole[actor]!, entry.local));
          step = entry.timerSteps[position] = stepTaken(actor, entry, -1);
        }
        changedActor = actor;
        replacement = step.next;
        sent = step.sent;
        return true;
      }
      const position = action >> 2;
      const packed = state.network[position];
      if (packed === undefined) return false;
      if (kind === DROP) {
        consumed = position;
        return true;
      }
      const to = receiverOf(packed);
      step = (state === stepsState ? decodedSteps[position] : undefined) ?? deliveryStep(entries[to]!, to, packed);
      if (prune && step.ignored) return false;
      changedActor = to;
      replacement = step.next;
      sent = step.sent;
      consumed = dup ? -1 : position;
      return true;
    };

    /**
     * The network after the transition into `merged`, returning its length: one merge of the old
     * network (less the consumed message) with the sorted messages sent; under `dup` a set.
     */
    const mergeNetwork = (network: readonly number[]): number => {
      if (mergedLength >= 0) return mergedLength;
      let length = 0;
      let i = 0;
      let j = 0;
      const sentCount = sent.length;
      while (i < network.length || j < sentCount) {
        if (i === consumed) {
          i++;
          continue;
        }
        const next = j >= sentCount || (i < network.length && network[i]! <= sent[j]!) ? network[i++]! : sent[j++]!;
        if (dup && length > 0 && merged[length - 1] === next) continue;
        merged[length++] = next;
      }
      mergedLength = length;
      return length;
    };

    /** Appends the canonical encoding: every actor's words (one replaced), the network, the faults. */
    const write = (
      entries: readonly LocalEntry[],
      network: readonly number[],
      networkLength: number,
      stateDown: number,
      stateCrashes: number,
      out: WordWriter,
    ): void => {
      let localsLength = 0;
      for (let actor = 0; actor < actorCount; actor++) localsLength += entries[actor]!.words.length;
      if (replacement !== undefined) localsLength += replacement.words.length - entries[changedActor]!.words.length;
      out.reserve(localsLength + networkLength * 2 + 3);
      const words = out.words;
      let at = out.length;
      for (let actor = 0; actor < actorCount; actor++) {
        const source = (actor === changedActor && replacement !== undefined ? replacement : entries[actor]!).words;
        const length = source.length;
        for (let i = 0; i < length; i++) words[at + i] = source[i]!;
        at += length;
      }
      words[at++] = networkLength;
      if (twoWords) {
        for (let i = 0; i < networkLength; i++) {
          const packed = network[i]!;
          const low = packed % 2 ** 31;
          words[at++] = (packed - low) / 2 ** 31;
          words[at++] = low;
        }
      } else {
        for (let i = 0; i < networkLength; i++) words[at++] = network[i]!;
      }
      if (faults) {
        words[at++] = stateDown;
        words[at++] = stateCrashes;
      }
      out.length = at;
    };

    // Fingerprints: a state's fingerprint is the sum (in each 32-bit half) of its parts'
    // fingerprints: every actor's local state (LocalEntry.partHigh/partLow, which include the
    // actor), every in-flight message counted as often as it is in flight, and the fault
    // bookkeeping. Sums do not depend on order, and a step changes few parts, so a successor's
    // fingerprint is its parent's plus the difference.
    let decodedHigh = 0;
    let decodedLow = 0;
    let partsHigh = 0;
    let partsLow = 0;
    /** Sums the parts of a state into partsHigh and partsLow. */
    const sumParts = (state: SystemState, entries: readonly LocalEntry[]): void => {
      let high = 0;
      let low = 0;
      for (let actor = 0; actor < actorCount; actor++) {
        const entry = entries[actor]!;
        high = (high + entry.partHigh) | 0;
        low = (low + entry.partLow) | 0;
      }
      const network = state.network;
      for (let i = 0; i < network.length; i++) {
        high = (high + messagePartHigh(network[i]!)) | 0;
        low = (low + messagePartLow(network[i]!)) | 0;
      }
      if (faults) {
        high = (high + faultsPartHigh(state.down, state.crashes)) | 0;
        low = (low + faultsPartLow(state.down, state.crashes)) | 0;
      }
      partsHigh = high;
      partsLow = low;
    };
    /**
     * The sum of the parts of a successor into successorHigh and successorLow, from its parent's
     * (`high`, `low`); false when the action is disabled.
     */
    let successorHigh = 0;
    let successorLow = 0;
    const successorFingerprint = (state: SystemState, entries: readonly LocalEntry[], action: number, high: number, low: number): boolean => {
      if (!transition(state, entries, action)) return false;
      if (step !== undefined && !dup) {
        // A delivery or a timer on a multiset of messages: the step knows its whole change.
        high = (high + step.deltaHigh) | 0;
        low = (low + step.deltaLow) | 0;
      } else {
        if (replacement !== undefined) {
          const replaced = entries[changedActor]!;
          high = (high - replaced.partHigh + replacement.partHigh) | 0;
          low = (low - replaced.partLow + replacement.partLow) | 0;
        }
        if (consumed >= 0) {
          const packed = state.network[consumed]!;
          high = (high - messagePartHigh(packed)) | 0;
          low = (low - messagePartLow(packed)) | 0;
        }
        // Under dup messages form a set: one already in flight, or sent twice, is there once.
        for (let i = 0; i < sent.length; i++) {
          const packed = sent[i]!;
          if ((i > 0 && sent[i - 1] === packed) || includesSorted(state.network, packed)) continue;
          high = (high + messagePartHigh(packed)) | 0;
          low = (low + messagePartLow(packed)) | 0;
        }
        if (faults && (down !== state.down || crashes !== state.crashes)) {
          high = (high - faultsPartHigh(state.down, state.crashes) + faultsPartHigh(down, crashes)) | 0;
          low = (low - faultsPartLow(state.down, state.crashes) + faultsPartLow(down, crashes)) | 0;
        }
      }
      successorHigh = high;
      successorLow = low;
      return true;
    };
    // A sum of (0, 0) is reported as (0, 1): (0, 0) is no fingerprint (see Model.fingerprint).
    const reportedLow = (high: number, low: number): number => (low !== 0 || high !== 0 ? low : 1);

    return {
      name: protocol.name,
      participants: this.actorNames,
      // Arrows show the messages, and a step's label a crash or a restart.
      diagramOmits: ['network', 'down'],
      semantics: {
        network: protocol.network,
        ignored: protocol.ignored,
        ...(faults ? { crashes: String(faults.crashes), restart: faults.restart } : {}),
      },
      properties: protocol.properties(this),
      initialStates() {
        const locals = roleOf.map((role, actor) => tables[actor]!.fromLocal(role.initial(indexInRole[actor]!)).local);
        return [{ locals, network: [], down: 0, crashes: 0 }];
      },
      actions(state, out) {
        const network = state.network;
        const decoded = state === decodedState;
        for (let i = 0; i < network.length; i++) {
          if (decoded) decodedSteps[i] = undefined;
          // Identical messages in a bag are interchangeable: deliver (or drop) only the first copy.
          if (i > 0 && network[i - 1] === network[i]) continue;
          const packed = network[i]!;
          const to = receiverOf(packed);
          if (state.down === 0 || !(state.down & (1 << to))) {
            if (!prune) {
              out.push(i * 4 + DELIVER);
            } else {
              // A delivery the handler ignores is pruned: it is not offered at all, so an explorer
              // does not ask for it. Which deliveries are offered depends on the state alone.
              let step: LocalStep | undefined;
              try {
                step = deliveryStep(entryAt(state, to), to, packed);
              } catch {
                // Offered, so that the handler throws again in nextState, where the error names it.
              }
              if (decoded) decodedSteps[i] = step;
              if (step === undefined || !step.ignored) out.push(i * 4 + DELIVER);
            }
          }
          if (lossy) out.push(i * 4 + DROP);
        }
        if (decoded) stepsState = state;
        for (let actor = 0; actor < actorCount; actor++) {
          if (faults && crashable[actor]) {
            const isDown = (state.down & (1 << actor)) !== 0;
            if (isDown) out.push((actor * 2 + 1) * 4 + FAULT);
            else if (state.crashes < faults.crashes) out.push(actor * 2 * 4 + FAULT);
          }
          const timers = roleOf[actor]!.timers;
          if (!timers || state.down & (1 << actor)) continue;
          const entry = entryAt(state, actor);
          if (entry.enabledTimers === -1) {
            let enabled = 0;
            for (let t = 0; t < timers.length; t++) {
              let on: boolean;
              try {
                on = timers[t]!.enabled(entry.local, indexInRole[actor]!);
              } catch (thrown) {
                // No action names it: the explorer is listing the state's actions.
                throw new ThrownIn(`${system.actorNames[actor]}'s timer ${timers[t]!.name}, asked whether it is enabled`, thrown);
              }
              if (on) enabled |= 1 << t;
            }
            entry.enabledTimers = enabled;
          }
          for (let t = 0; t < timers.length; t++) {
            if (entry.enabledTimers & (1 << t)) out.push((actor * TIMER_SLOTS + t) * 4 + TIMER);
          }
        }
      },
      nextState(state, action) {
        if (!transition(state, entriesOf(state), action)) return undefined;
        let locals = state.locals;
        if (replacement !== undefined) {
          const copy = locals.slice();
          copy[changedActor] = replacement.local;
          locals = copy;
        }
        const network = consumed >= 0 || sent.length > 0 ? merged.slice(0, mergeNetwork(state.network)) : state.network;
        return { locals, network, down, crashes };
      },
      encodeSuccessor(state, action, out) {
        const entries = entriesOf(state);
        if (!transition(state, entries, action)) return false;
        write(entries, merged, mergeNetwork(state.network), down, crashes, out);
        return true;
      },
      fingerprint(state, out) {
        sumParts(state, entriesOf(state));
        out.high = partsHigh >>> 0;
        out.low = reportedLow(partsHigh, partsLow) >>> 0;
      },
      fingerprintSuccessors(state, actions, out) {
        const entries = entriesOf(state);
        const highs = out.high;
        const lows = out.low;
        // The steps `actions` looked up for the state just decoded know their whole change to the
        // fingerprint, on a multiset of messages: most successors take two additions.
        const stepsKnown = state === stepsState && !dup;
        let parentHigh = decodedHigh;
        let parentLow = decodedLow;
        if (state !== decodedState) {
          sumParts(state, entries);
          parentHigh = partsHigh;
          parentLow = partsLow;
        }
        for (let index = 0; index < actions.length; index++) {
          const action = actions[index]!;
          let known: LocalStep | undefined;
          if (stepsKnown) {
            const kind = action & 3;
            // (Past the network's end the array holds steps of a state decoded before.)
            if (kind === DELIVER) known = action >> 2 < state.network.length ? decodedSteps[action >> 2] : undefined;
            else if (kind === TIMER) known = decodedEntries[((action >> 2) / TIMER_SLOTS) | 0]!.timerSteps[(action >> 2) % TIMER_SLOTS];
          }
          let high: number;
          let low: number;
          if (known !== undefined && !(prune && known.ignored)) {
            high = (parentHigh + known.deltaHigh) | 0;
            low = (parentLow + known.deltaLow) | 0;
          } else if (successorFingerprint(state, entries, action, parentHigh, parentLow)) {
            high = successorHigh;
            low = successorLow;
          } else {
            highs[index] = 0;
            lows[index] = 0;
            continue;
          }
          highs[index] = high;
          lows[index] = reportedLow(high, low);
        }
      },
      encode(state, out) {
        transitionState = undefined;
        changedActor = -1;
        replacement = undefined;
        write(entriesOf(state), state.network, state.network.length, state.down, state.crashes, out);
      },
      decode(input: WordReader, fingerprint?: FingerprintHalves) {
        // Forget the state decoded before first: a decode that throws half-way leaves nothing stale.
        decodedState = undefined;
        stepsState = undefined;
        const words = input.words;
        const locals: unknown[] = new Array(actorCount);
        for (let actor = 0; actor < actorCount; actor++) {
          const start = input.position;
          const end = start + measure[actor]!(words, start);
          if (!(end <= input.end)) throw new RangeError('decode read past the end of the encoded state');
          // States are mostly expanded right after a sibling (a successor of the same parent), so
          // most actors are in the local state they were in the state decoded before.
          const previous = decodedEntries[actor];
          let entry: LocalEntry;
          if (previous !== undefined && sameWords(previous.words, words, start, end)) {
            input.position = end;
            entry = previous;
          } else {
            entry = tables[actor]!.fromWords(input, start, end);
            decodedEntries[actor] = entry;
          }
          locals[actor] = entry.local;
        }
        let at = input.position;
        const count = words[at++]!;
        const end = at + count * (twoWords ? 2 : 1) + (faults ? 2 : 0);
        if (!(count >= 0 && end <= input.end)) throw new RangeError('decode read past the end of the encoded state');
        const network: number[] = [];
        for (let i = 0; i < count; i++) {
          const packed = twoWords ? words[at++]! * 2 ** 31 + words[at++]! : words[at++]!;
          network.push(packed);
        }
        const state: SystemState = faults
          ? { locals, network, down: words[at++]!, crashes: words[at++]! }
          : { locals, network, down: 0, crashes: 0 };
        input.position = at;
        if (fingerprint !== undefined && !(fingerprint.high === 0 && fingerprint.low === 1)) {
          decodedHigh = fingerprint.high | 0;
          decodedLow = fingerprint.low | 0;
        } else {
          // Reported as (0, 1), the sum may have been (0, 0) or (0, 1) (see `reportedLow`): sum it again.
          sumParts(state, decodedEntries);
          decodedHigh = partsHigh;
          decodedLow = partsLow;
        }
        decodedState = state;
        return state;
      },
      formatAction(state, action) {
        const kind = action & 3;
        if (kind === FAULT) {
          const name = system.actorNames[action >> 3];
          if (!((action >> 2) & 1)) return `${name} crashes`;
          return amnesia ? `${name} restarts, forgetting its state` : `${name} restarts with its state`;
        }
        if (kind === TIMER) {
          const slot = action >> 2;
          const actor = (slot / TIMER_SLOTS) | 0;
          const timer = roleOf[actor]!.timers![slot % TIMER_SLOTS]!;
          const description = timer.describe?.(state.locals[actor], indexInRole[actor]!) ?? timer.name;
          return `${system.actorNames[actor]} ${description}`;
        }
        const packed = state.network[action >> 2];
        if (packed === undefined) return `(no message ${action >> 2})`;
        const envelope = system.unpackEnvelope(packed);
        const message = protocol.formatMessage(envelope.message);
        const from = system.actorNames[envelope.from];
        const to = system.actorNames[envelope.to];
        return kind === DROP ? `message ${message} from ${from} to ${to} dropped` : `${to} receives ${message} from ${from}`;
      },
      // Model.describeStep (for sequence diagrams): a delivered or dropped message with its sender
      // and receiver; a timer or fault as a local step of its actor, labelled as formatAction says.
      describeStep(state, action) {
        const kind = action & 3;
        const packed = state.network[action >> 2];
        if ((kind === DELIVER || kind === DROP) && packed !== undefined) {
          const envelope = system.unpackEnvelope(packed);
          const from = system.actorNames[envelope.from]!;
          const to = system.actorNames[envelope.to]!;
          return { kind: kind === DROP ? 'drop' : 'message', from, to, label: protocol.formatMessage(envelope.message) };
        }
        const from = system.actorNames[kind === TIMER ? ((action >> 2) / TIMER_SLOTS) | 0 : action >> 3] ?? protocol.name;
        const text = system.model.formatAction!(state, action);
        return { kind: 'local', from, label: text.startsWith(`${from} `) ? text.slice(from.length + 1) : text };
      },
      ...(protocol.symmetric && Object.keys(protocol.symmetric).length > 0 ? { symmetry: system.symmetry() } : {}),
      // The protocol's describeLocal and formatMessage are guarded one actor and one message at a
      // time, so that one that throws for some values costs the trace those values only, not
      // every state's whole description.
      describeState(state) {
        const view: Record<string, unknown> = {};
        state.locals.forEach((local, actor) => {
          const role = roleOf[actor]!;
          view[system.actorNames[actor]!] = protocol.describeLocal ? orNote('describeLocal', () => protocol.describeLocal!(role, local)) : local;
        });
        if (faults) view.down = system.actorNames.filter((_name, actor) => state.down & (1 << actor));
        view.network = system
          .envelopes(state)
          .map(
            (envelope) =>
              `${system.actorNames[envelope.from]}->${system.actorNames[envelope.to]}: ${orNote('formatMessage', () => protocol.formatMessage(envelope.message))}`,
          );
        return view;
      },
    };
  }
}

/** What `describe` returns, or a one-line note naming the protocol function that threw. */
function orNote<Value>(functionName: string, describe: () => Value): Value | string {
  try {
    return describe();
  } catch (thrown) {
    return `(${functionName} threw: ${textOfThrown(thrown)})`;
  }
}

/**
 * A message's share of a state's fingerprint, one function per half. Each half is a bijection of
 * the envelope's low 32 bits (and mixes in the rest), so distinct messages never share a half
 * when envelopes fit in 32 bits; the two halves use unrelated constants.
 */
function messagePartHigh(packed: number): number {
  const rest = packed > 0x7fffffff ? (packed / 4294967296) | 0 : 0;
  return fmix32((Math.imul(packed | 0, 0xcc9e2d51) ^ Math.imul(rest + 0x3c6ef372, 0x1b873593)) + 0x6a09e667);
}

function messagePartLow(packed: number): number {
  const rest = packed > 0x7fffffff ? (packed / 4294967296) | 0 : 0;
  return fmix32((Math.imul(packed | 0, 0x27d4eb2f) ^ Math.imul(rest + 0x7f4a7c15, 0x165667b1)) + 0x510e527f);
}

function faultsPartHigh(down: number, crashes: number): number {
  return fmix32(Math.imul(down, 0x9e3779b1) + Math.imul(crashes + 1, 0x85ebca77) + 0x1f83d9ab);
}

function faultsPartLow(down: number, crashes: number): number {
  return fmix32(Math.imul(down, 0xc2b2ae3d) + Math.imul(crashes + 1, 0x27d4eb2f) + 0x5be0cd19);
}

/** Whether a sorted array holds `value`: binary search, for the in-flight set under `dup`. */
function includesSorted(values: readonly number[], value: number): boolean {
  let low = 0;
  let high = values.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const at = values[middle]!;
    if (at === value) return true;
    if (at < value) low = middle + 1;
    else high = middle - 1;
  }
  return false;
}

/** Insertion sort of the first `count` numbers: a step sends a handful of messages. */
function sortPrefix(values: number[], count: number): void {
  for (let i = 1; i < count; i++) {
    const value = values[i]!;
    let j = i - 1;
    while (j >= 0 && values[j]! > value) {
      values[j + 1] = values[j]!;
      j--;
    }
    values[j + 1] = value;
  }
}

function ascending(a: number, b: number): number {
  return a - b;
}

/** Lexicographic order of two writers' contents. */
function compareWriters(left: WordWriter, right: WordWriter): number {
  const length = Math.min(left.length, right.length);
  const a = left.words;
  const b = right.words;
  for (let i = 0; i < length; i++) {
    if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  }
  return left.length - right.length;
}

/** All orderings of `items`, for enumerating renamings within groups of identical actors. */
function permutations(items: readonly number[]): number[][] {
  if (items.length <= 1) return [items.slice()];
  const result: number[][] = [];
  items.forEach((item, index) => {
    const rest = items.filter((_other, otherIndex) => otherIndex !== index);
    for (const tail of permutations(rest)) result.push([item, ...tail]);
  });
  return result;
}

/** Copies what `from` holds into `to`. */
function copyWriter(from: WordWriter, to: WordWriter): void {
  to.reset();
  to.reserve(from.length);
  to.words.set(from.view());
  to.length = from.length;
}

function factorial(n: number): number {
  return n <= 1 ? 1 : n * factorial(n - 1);
}

/** Number of set bits: handy for quorums kept as bitmasks of actor indices. */
export function countBits(mask: number): number {
  let count = 0;
  for (let rest = mask >>> 0; rest !== 0; rest &= rest - 1) count++;
  return count;
}

/**
 * The context handed to handlers and timers. One instance per system, reset for every step, so
 * the hot loop creates no closures; a handler must not keep it beyond its call.
 */
class StepContext<Message> implements ActorContext<unknown, Message> {
  self = 0;
  index = 0;
  local: unknown;
  updated = false;
  /** Packed envelopes sent during this step: the first `sentCount` entries. */
  readonly sent: number[] = [];
  sentCount = 0;

  constructor(private readonly system: ActorSystem<Message>) {}

  begin(actor: number, index: number, local: unknown): this {
    this.self = actor;
    this.index = index;
    this.local = local;
    this.updated = false;
    this.sentCount = 0;
    return this;
  }

  update(next: unknown): void {
    this.local = next;
    this.updated = true;
  }

  send(to: number, message: Message): void {
    if (!Number.isInteger(to) || to < 0 || to >= this.system.actorNames.length) throw new RangeError(`send to unknown actor ${String(to)}`);
    this.sent[this.sentCount++] = this.system.packEnvelope(this.self, to, message);
  }

  broadcast(role: Role<any, Message>, message: Message): void {
    const first = this.system.first(role);
    // Pack the message once; only the receiver differs between the envelopes.
    const system = this.system;
    const packed = system.packEnvelope(this.self, first, message);
    const scale = system.messageScale;
    for (let index = 0; index < role.count; index++) this.sent[this.sentCount++] = packed + index * scale;
  }
}
