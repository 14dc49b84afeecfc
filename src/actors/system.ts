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
import { WordWriter, type Model, type Property, type Symmetry, type WordReader } from '../model.ts';
import { MAX_PACKED_BITS, compareWords, type Codec } from './codec.ts';

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
  readonly local: Local;
  /** Replaces this actor's local state. */
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
/** Message spaces up to this size get a table of unpacked messages (an array of that length). */
const MESSAGE_CACHE_LIMIT = 2 ** 20;

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
    const names: string[] = [];
    for (const role of protocol.roles) {
      this.firstActor.set(role, names.length);
      if ((role.timers?.length ?? 0) > TIMER_SLOTS) throw new Error(`role ${role.name} has more than ${TIMER_SLOTS} timers`);
      for (let index = 0; index < role.count; index++) {
        this.roleOfActor.push(role);
        this.indexInRole.push(index);
        names.push(`${role.prefix}${index + 1}`);
      }
    }
    this.actorNames = names;
    const codec = protocol.messageCodec;
    if (codec.bits === undefined || !codec.pack || !codec.unpack) {
      throw new Error(`the message codec of ${protocol.name} is not bounded: build it from natural(), boolean, record() and union()`);
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
    if (first === undefined) throw new Error(`role ${role.name} is not part of ${this.protocol.name}`);
    return first;
  }

  /** @internal */
  packEnvelope(from: number, to: number, message: Message): number {
    return (from * this.actorNames.length + to) * this.messageScale + this.pack(message);
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
   * The successor after the handler or timer that ran in `this.context`, or undefined when it did
   * nothing and `pruneIfIgnored` asks for no successor. The new network is one merge of the old
   * one (less the consumed message) with the sorted messages just sent.
   */
  private successor(state: SystemState, actor: number, consumed: number, pruneIfIgnored: boolean): SystemState | undefined {
    const context = this.context;
    const sentCount = context.sentCount;
    if (!context.updated && sentCount === 0 && pruneIfIgnored) return undefined;
    const dup = this.protocol.network === 'dup';
    const skip = dup ? -1 : consumed;
    let network = state.network;
    if (skip >= 0 || sentCount > 0) {
      const sent = context.sent;
      if (sentCount > 1) sortPrefix(sent, sentCount);
      const old = state.network;
      const merged: number[] = [];
      let i = 0;
      let j = 0;
      while (i < old.length || j < sentCount) {
        if (i === skip) {
          i++;
          continue;
        }
        const next =
          j >= sentCount || (i < old.length && old[i]! <= sent[j]!) ? old[i++]! : sent[j++]!;
        if (dup && merged.length > 0 && merged[merged.length - 1] === next) continue;
        merged.push(next);
      }
      network = merged;
    }
    let locals = state.locals;
    if (context.updated) {
      const copy = locals.slice();
      copy[actor] = context.local;
      locals = copy;
    }
    return { locals, network, down: state.down, crashes: state.crashes };
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
    return {
      sets: Object.keys(symmetric),
      representative: (state, sets, orbit) => {
        let current = state;
        orbit.size = 1;
        for (let s = 0; s < sets.length; s++) {
          const set = sets[s]!;
          const role = symmetric[set]!;
          const { keys, traffic, order } = scratch.get(set)!;
          const first = this.first(role);
          const count = role.count;
          this.symmetryKeys(current, role, first, keys, traffic);
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
            orbit.size *= factorial(count);
            let identity = true;
            for (let index = 0; index < count; index++) if (order[index] !== index) identity = false;
            if (identity) continue;
            const mapping = this.identityMapping();
            for (let position = 0; position < count; position++) mapping[first + order[position]!] = first + position;
            current = this.rename(current, mapping);
            continue;
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
            const renamed = this.rename(current, mapping);
            stateWriter.reset();
            this.model.encode(renamed, stateWriter);
            const comparison = best === undefined ? -1 : compareWriters(stateWriter, bestWriter);
            if (comparison < 0) {
              best = renamed;
              stabiliser = 1;
              bestWriter.reset();
              bestWriter.reserve(stateWriter.length);
              bestWriter.words.set(stateWriter.view());
              bestWriter.length = stateWriter.length;
            } else if (comparison === 0) {
              stabiliser++;
            }
          }
          current = best!;
          orbit.size *= factorial(count) / stabiliser;
        }
        return current;
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
        return this.packEnvelope(mapping[from]!, mapping[to]!, protocol.renameMessage(message, renameActor));
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
    const prune = protocol.ignored === 'prune';
    const twoWords = this.envelopeWords === 2;
    const messageScale = this.messageScale;
    // The most recently decoded state's local states and their words, so that encoding one of its
    // successors copies the words of every local state the step did not replace.
    const lastDecoded = {
      locals: [] as readonly unknown[],
      words: new Int32Array(256),
      offsets: new Int32Array(actorCount + 1),
    };
    const unpack = this.unpack;
    const system = this;
    const context = this.context;
    const faults = protocol.faults && protocol.faults.crashes > 0 ? protocol.faults : undefined;
    const crashable = roleOf.map((role) => faults?.roles.includes(role) ?? false);
    const amnesia = faults?.restart === 'amnesia';

    return {
      name: protocol.name,
      participants: this.actorNames,
      semantics: {
        network: protocol.network,
        ignored: protocol.ignored,
        ...(faults ? { crashes: String(faults.crashes), restart: faults.restart } : {}),
      },
      properties: protocol.properties(this),
      initialStates() {
        const locals = roleOf.map((role, actor) => role.initial(indexInRole[actor]!));
        return [{ locals, network: [], down: 0, crashes: 0 }];
      },
      actions(state, out) {
        const network = state.network;
        for (let i = 0; i < network.length; i++) {
          // Identical messages in a bag are interchangeable: deliver (or drop) only the first copy.
          if (i > 0 && network[i - 1] === network[i]) continue;
          if (state.down === 0 || !(state.down & (1 << system.receiverOf(network[i]!)))) out.push(i * 4 + DELIVER);
          if (lossy) out.push(i * 4 + DROP);
        }
        for (let actor = 0; actor < actorCount; actor++) {
          if (faults && crashable[actor]) {
            const isDown = (state.down & (1 << actor)) !== 0;
            if (isDown) out.push((actor * 2 + 1) * 4 + FAULT);
            else if (state.crashes < faults.crashes) out.push(actor * 2 * 4 + FAULT);
          }
          const timers = roleOf[actor]!.timers;
          if (!timers || state.down & (1 << actor)) continue;
          for (let t = 0; t < timers.length; t++) {
            if (timers[t]!.enabled(state.locals[actor], indexInRole[actor]!)) out.push((actor * TIMER_SLOTS + t) * 4 + TIMER);
          }
        }
      },
      nextState(state, action) {
        const kind = action & 3;
        if (kind === FAULT) {
          const actor = action >> 3;
          if ((action >> 2) & 1) {
            let locals = state.locals;
            if (amnesia) {
              const role = roleOf[actor]!;
              const index = indexInRole[actor]!;
              const copy = locals.slice();
              copy[actor] = role.forget ? role.forget(locals[actor], index) : role.initial(index);
              locals = copy;
            }
            return { locals, network: state.network, down: state.down & ~(1 << actor), crashes: state.crashes };
          }
          return { locals: state.locals, network: state.network, down: state.down | (1 << actor), crashes: state.crashes + 1 };
        }
        if (kind === TIMER) {
          const slot = action >> 2;
          const actor = (slot / TIMER_SLOTS) | 0;
          const timer = roleOf[actor]!.timers![slot % TIMER_SLOTS]!;
          timer.fire(context.begin(actor, indexInRole[actor]!, state.locals[actor]));
          return system.successor(state, actor, -1, false);
        }
        const position = action >> 2;
        const packed = state.network[position];
        if (packed === undefined) return undefined;
        if (kind === DROP) {
          const network = state.network.slice();
          network.splice(position, 1);
          return { locals: state.locals, network, down: state.down, crashes: state.crashes };
        }
        const packedMessage = packed % messageScale;
        const route = (packed - packedMessage) / messageScale;
        const to = route % actorCount;
        const from = (route - to) / actorCount;
        roleOf[to]!.receive(context.begin(to, indexInRole[to]!, state.locals[to]), unpack(packedMessage), from);
        return system.successor(state, to, position, prune);
      },
      encode(state, out) {
        const locals = state.locals;
        const known = lastDecoded.locals;
        for (let actor = 0; actor < actorCount; actor++) {
          const local = locals[actor];
          if (local === known[actor]) {
            // A successor changes at most one actor: the others' words are the decoded state's.
            const start = lastDecoded.offsets[actor]!;
            const end = lastDecoded.offsets[actor + 1]!;
            out.reserve(end - start);
            const words = out.words;
            const source = lastDecoded.words;
            let at = out.length;
            for (let i = start; i < end; i++) words[at++] = source[i]!;
            out.length = at;
          } else {
            roleOf[actor]!.codec.encode(local, out);
          }
        }
        const network = state.network;
        out.reserve(network.length * 2 + 1);
        const words = out.words;
        let at = out.length;
        words[at++] = network.length;
        if (twoWords) {
          for (let i = 0; i < network.length; i++) {
            const packed = network[i]!;
            const low = packed % 2 ** 31;
            words[at++] = (packed - low) / 2 ** 31;
            words[at++] = low;
          }
        } else {
          for (let i = 0; i < network.length; i++) words[at++] = network[i]!;
        }
        out.length = at;
        if (faults) {
          out.push(state.down);
          out.push(state.crashes);
        }
      },
      decode(input: WordReader) {
        const locals: unknown[] = new Array(actorCount);
        const start = input.position;
        const offsets = lastDecoded.offsets;
        for (let actor = 0; actor < actorCount; actor++) {
          offsets[actor] = input.position - start;
          locals[actor] = roleOf[actor]!.codec.decode(input);
        }
        offsets[actorCount] = input.position - start;
        // Keep a copy, not the caller's buffer: the caller may write successors into it.
        if (lastDecoded.words.length < offsets[actorCount]!) lastDecoded.words = new Int32Array(offsets[actorCount]! * 2);
        lastDecoded.words.set(input.words.subarray(start, input.position));
        lastDecoded.locals = locals;
        const count = input.next();
        const network: number[] = new Array(count);
        for (let i = 0; i < count; i++) network[i] = twoWords ? input.next() * 2 ** 31 + input.next() : input.next();
        if (!faults) return { locals, network, down: 0, crashes: 0 };
        const down = input.next();
        return { locals, network, down, crashes: input.next() };
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
      describeState(state) {
        const view: Record<string, unknown> = {};
        state.locals.forEach((local, actor) => {
          const role = roleOf[actor]!;
          view[system.actorNames[actor]!] = protocol.describeLocal ? protocol.describeLocal(role, local) : local;
        });
        if (faults) view.down = system.actorNames.filter((_name, actor) => state.down & (1 << actor));
        view.network = system
          .envelopes(state)
          .map(
            (envelope) =>
              `${system.actorNames[envelope.from]}->${system.actorNames[envelope.to]}: ${protocol.formatMessage(envelope.message)}`,
          );
        return view;
      },
    };
  }
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
    if (!(to >= 0 && to < this.system.actorNames.length)) throw new RangeError(`send to unknown actor ${to}`);
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
