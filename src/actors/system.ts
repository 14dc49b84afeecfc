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
 * A delivery the handler ignores (no state change, nothing sent) either consumes the message
 * (`ignored: 'consume'`, the literal semantics) or is pruned (`'prune'`: no successor, the message
 * stays in flight, as Stateright does). Pruning keeps every behaviour that matters for safety.
 */
import { WordWriter, type Model, type Property, type WordReader } from '../model.ts';
import { compareWords, type Codec } from './codec.ts';

export type NetworkSemantics = 'bag' | 'dup' | 'lossy';
export const NETWORK_SEMANTICS: readonly NetworkSemantics[] = ['bag', 'dup', 'lossy'];

export type IgnoredDelivery = 'consume' | 'prune';
export const IGNORED_DELIVERY: readonly IgnoredDelivery[] = ['consume', 'prune'];

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
}

export interface Envelope<Message> {
  readonly from: number;
  readonly to: number;
  readonly message: Message;
  /** The canonical encoding of (from, to, message), computed once when sent. */
  readonly words: Int32Array;
}

export interface SystemState<Message> {
  /** Local state of every actor, by global index (roles in declaration order). */
  readonly locals: readonly unknown[];
  /** In-flight messages in canonical order. */
  readonly network: readonly Envelope<Message>[];
}

export interface ActorProtocol<Message> {
  readonly name: string;
  readonly roles: readonly Role<any, Message>[];
  readonly messageCodec: Codec<Message>;
  readonly network: NetworkSemantics;
  readonly ignored: IgnoredDelivery;
  readonly properties: (system: ActorSystem<Message>) => readonly Property<SystemState<Message>>[];
  formatMessage(message: Message): string;
  /** A JSON-friendly view of one actor's local state, for traces. Defaults to the local state itself. */
  describeLocal?(role: Role<any, Message>, local: unknown): Record<string, unknown>;
}

/** Actions are small integers: the low two bits say which kind, the rest which message or timer. */
const DELIVER = 0;
const DROP = 1;
const TIMER = 2;
const TIMER_SLOTS = 16;

/** A protocol made executable: the model, plus typed access to actors for the protocol's properties. */
export class ActorSystem<Message> {
  readonly model: Model<SystemState<Message>, number>;
  readonly actorNames: readonly string[];
  private readonly roleOfActor: Role<any, Message>[] = [];
  private readonly indexInRole: number[] = [];
  private readonly firstActor = new Map<Role<any, Message>, number>();
  private readonly scratch = new WordWriter(64);
  private readonly context: StepContext<Message>;

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
    this.context = new StepContext(this);
    this.model = this.buildModel();
  }

  /** Global index of the `index`-th actor of a role. */
  actor(role: Role<any, Message>, index: number): number {
    return this.first(role) + index;
  }

  /** Local state of the `index`-th actor of a role. */
  local<Local>(state: SystemState<Message>, role: Role<Local, Message>, index: number): Local {
    return state.locals[this.first(role) + index] as Local;
  }

  /** Local states of every actor of a role, in index order. */
  localsOf<Local>(state: SystemState<Message>, role: Role<Local, Message>): Local[] {
    const first = this.first(role);
    return state.locals.slice(first, first + role.count) as Local[];
  }

  roleOf(actor: number): Role<any, Message> {
    return this.roleOfActor[actor]!;
  }

  /** @internal */
  first(role: Role<any, Message>): number {
    const first = this.firstActor.get(role);
    if (first === undefined) throw new Error(`role ${role.name} is not part of ${this.protocol.name}`);
    return first;
  }

  /** @internal */
  envelope(from: number, to: number, message: Message): Envelope<Message> {
    const scratch = this.scratch;
    scratch.reset();
    scratch.push(from);
    scratch.push(to);
    this.protocol.messageCodec.encode(message, scratch);
    return { from, to, message, words: scratch.view().slice() };
  }

  /** Inserts in canonical order; under `dup` a message already in flight is not added again. */
  private addToNetwork(network: Envelope<Message>[], envelope: Envelope<Message>): void {
    let low = 0;
    let high = network.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const order = compareWords(network[middle]!.words, envelope.words);
      if (order === 0 && this.protocol.network === 'dup') return;
      if (order <= 0) low = middle + 1;
      else high = middle;
    }
    if (this.protocol.network === 'dup' && low > 0 && compareWords(network[low - 1]!.words, envelope.words) === 0) return;
    network.splice(low, 0, envelope);
  }

  /**
   * Runs a handler or timer for `actor`; returns the successor, or undefined when it did nothing
   * and `pruneIfIgnored` asks for no successor.
   */
  private step(
    state: SystemState<Message>,
    actor: number,
    consumed: number,
    pruneIfIgnored: boolean,
  ): SystemState<Message> | undefined {
    const context = this.context;
    if (!context.updated && context.sent.length === 0 && pruneIfIgnored) return undefined;
    const network = state.network.slice();
    if (consumed >= 0 && this.protocol.network !== 'dup') network.splice(consumed, 1);
    for (const envelope of context.sent) this.addToNetwork(network, envelope);
    let locals = state.locals;
    if (context.updated) {
      const copy = locals.slice();
      copy[actor] = context.local;
      locals = copy;
    }
    return { locals, network };
  }

  private buildModel(): Model<SystemState<Message>, number> {
    const protocol = this.protocol;
    const actorCount = this.actorNames.length;
    const roleOf = this.roleOfActor;
    const indexInRole = this.indexInRole;
    const lossy = protocol.network === 'lossy';
    const prune = protocol.ignored === 'prune';
    const system = this;
    const context = this.context;

    return {
      name: protocol.name,
      participants: this.actorNames,
      semantics: { network: protocol.network, ignored: protocol.ignored },
      properties: protocol.properties(this),
      initialStates() {
        const locals = roleOf.map((role, actor) => role.initial(indexInRole[actor]!));
        return [{ locals, network: [] }];
      },
      actions(state, out) {
        const network = state.network;
        for (let i = 0; i < network.length; i++) {
          // Identical messages in a bag are interchangeable: deliver (or drop) only the first copy.
          if (i > 0 && compareWords(network[i - 1]!.words, network[i]!.words) === 0) continue;
          out.push(i * 4 + DELIVER);
          if (lossy) out.push(i * 4 + DROP);
        }
        for (let actor = 0; actor < actorCount; actor++) {
          const timers = roleOf[actor]!.timers;
          if (!timers) continue;
          for (let t = 0; t < timers.length; t++) {
            if (timers[t]!.enabled(state.locals[actor], indexInRole[actor]!)) out.push((actor * TIMER_SLOTS + t) * 4 + TIMER);
          }
        }
      },
      nextState(state, action) {
        const kind = action & 3;
        if (kind === TIMER) {
          const slot = action >> 2;
          const actor = (slot / TIMER_SLOTS) | 0;
          const timer = roleOf[actor]!.timers![slot % TIMER_SLOTS]!;
          timer.fire(context.begin(actor, indexInRole[actor]!, state.locals[actor]));
          return system.step(state, actor, -1, false);
        }
        const position = action >> 2;
        const envelope = state.network[position];
        if (envelope === undefined) return undefined;
        if (kind === DROP) {
          const network = state.network.slice();
          network.splice(position, 1);
          return { locals: state.locals, network };
        }
        const to = envelope.to;
        roleOf[to]!.receive(context.begin(to, indexInRole[to]!, state.locals[to]), envelope.message, envelope.from);
        return system.step(state, to, position, prune);
      },
      encode(state, out) {
        for (let actor = 0; actor < actorCount; actor++) roleOf[actor]!.codec.encode(state.locals[actor], out);
        const network = state.network;
        out.push(network.length);
        for (let i = 0; i < network.length; i++) {
          const words = network[i]!.words;
          for (let w = 0; w < words.length; w++) out.push(words[w]!);
        }
      },
      decode(input: WordReader) {
        const locals: unknown[] = [];
        for (let actor = 0; actor < actorCount; actor++) locals.push(roleOf[actor]!.codec.decode(input));
        const count = input.next();
        const network: Envelope<Message>[] = [];
        for (let i = 0; i < count; i++) {
          const start = input.position;
          const from = input.next();
          const to = input.next();
          const message = protocol.messageCodec.decode(input);
          network.push({ from, to, message, words: input.words.slice(start, input.position) });
        }
        return { locals, network };
      },
      formatAction(state, action) {
        const kind = action & 3;
        if (kind === TIMER) {
          const slot = action >> 2;
          const actor = (slot / TIMER_SLOTS) | 0;
          const timer = roleOf[actor]!.timers![slot % TIMER_SLOTS]!;
          const description = timer.describe?.(state.locals[actor], indexInRole[actor]!) ?? timer.name;
          return `${system.actorNames[actor]} ${description}`;
        }
        const envelope = state.network[action >> 2];
        if (envelope === undefined) return `(no message ${action >> 2})`;
        const message = protocol.formatMessage(envelope.message);
        const from = system.actorNames[envelope.from];
        const to = system.actorNames[envelope.to];
        return kind === DROP ? `message ${message} from ${from} to ${to} dropped` : `${to} receives ${message} from ${from}`;
      },
      describeState(state) {
        const view: Record<string, unknown> = {};
        state.locals.forEach((local, actor) => {
          const role = roleOf[actor]!;
          view[system.actorNames[actor]!] = protocol.describeLocal ? protocol.describeLocal(role, local) : local;
        });
        view.network = state.network.map(
          (envelope) =>
            `${system.actorNames[envelope.from]}->${system.actorNames[envelope.to]}: ${protocol.formatMessage(envelope.message)}`,
        );
        return view;
      },
    };
  }
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
  sent: Envelope<Message>[] = [];

  constructor(private readonly system: ActorSystem<Message>) {}

  begin(actor: number, index: number, local: unknown): this {
    this.self = actor;
    this.index = index;
    this.local = local;
    this.updated = false;
    this.sent.length = 0;
    return this;
  }

  update(next: unknown): void {
    this.local = next;
    this.updated = true;
  }

  send(to: number, message: Message): void {
    if (to < 0 || to >= this.system.actorNames.length) throw new RangeError(`send to unknown actor ${to}`);
    this.sent.push(this.system.envelope(this.self, to, message));
  }

  broadcast(role: Role<any, Message>, message: Message): void {
    const first = this.system.first(role);
    for (let index = 0; index < role.count; index++) this.sent.push(this.system.envelope(this.self, first + index, message));
  }
}
