/**
 * The distinct local states one actor has been in, each kept once (interned) together with the
 * steps already taken from it. Handlers and timers are deterministic functions of the local state,
 * the message and its sender, and an actor passes through a few thousand local states while the
 * system passes through millions of states; so nearly every step an exploration takes repeats a
 * step computed before, and is looked up here instead of running the handler, allocating its
 * result and encoding that again.
 */
import { WordReader, WordWriter } from '../model.ts';
import { Fingerprinter } from '../store/fingerprint.ts';
import { whereEncoded, type Codec } from './codec.ts';

/** What a handler or timer did from one local state. */
export interface LocalStep {
  /** The local state it set; undefined when it did not call `update`. */
  readonly next: LocalEntry | undefined;
  /** The envelopes it sent, packed, in ascending order. */
  readonly sent: readonly number[];
  /** Whether the step did nothing: no update, nothing sent. */
  readonly ignored: boolean;
  /**
   * The whole change to a state's fingerprint when messages form a multiset (`bag`, `lossy`):
   * the new local state's share less the old one's, plus the messages sent, less the message
   * delivered (the key of this step, for a delivery).
   */
  readonly deltaHigh: number;
  readonly deltaLow: number;
}

export class LocalEntry {
  /** Steps taken on deliveries, by the envelope's number among those sent to this actor (see `ActorSystem`). */
  readonly deliveries: (LocalStep | undefined)[] = [];
  /** Steps taken by each timer, by timer position. */
  readonly timerSteps: (LocalStep | undefined)[] = [];
  /** Bit t: timer t is enabled here; -1 until asked. */
  enabledTimers = -1;
  /** The local state an amnesia restart leaves. */
  forgotten: LocalEntry | undefined;

  constructor(
    /** The local state, decoded from `words`: the one object handlers see for it. */
    readonly local: unknown,
    /** Its canonical encoding. */
    readonly words: Int32Array,
    /** For this table's lookups. */
    readonly hash: number,
    /** A 64-bit fingerprint of (actor, words), in two halves: this part's share of a state's fingerprint. */
    readonly partHigh: number,
    readonly partLow: number,
  ) {}
}

/** Past this many local states the table starts over, so that a protocol with a huge local space cannot exhaust memory. */
const DEFAULT_LIMIT = 1 << 16;

export class LocalStateTable {
  private slots = new Int32Array(1024);
  private entries: LocalEntry[] = [];
  private readonly byIdentity = new Map<unknown, LocalEntry>();
  private readonly writer = new WordWriter(64);
  private readonly fingerprinter = new Fingerprinter();
  private partWords = new Int32Array(64);

  constructor(
    private readonly codec: Codec<unknown>,
    /** Which actor's table this is: two actors in equal local states contribute different parts. */
    private readonly actor: number,
    private readonly limit = DEFAULT_LIMIT,
  ) {}

  get size(): number {
    return this.entries.length;
  }

  /** The entry of the local state encoded at input.words[start, end); the input's position is left at `end`. */
  fromWords(input: WordReader, start: number, end: number): LocalEntry {
    const words = input.words;
    const hash = hashWords(words, start, end);
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const index = this.slots[slot]!;
      if (index === 0) break;
      const entry = this.entries[index - 1]!;
      if (entry.hash === hash && sameWords(entry.words, words, start, end)) {
        input.position = end;
        return entry;
      }
    }
    input.position = start;
    // Frozen: every state with these words shares this object, so a handler must not change it.
    const local = deepFreeze(this.codec.decode(input));
    if (input.position !== end) throw new RangeError('a local state decoded to a different length than its codec measured');
    return this.add(local, words.slice(start, end), hash);
  }

  /** The entry of a local state given as a value (a handler's result, an initial state). */
  fromLocal(local: unknown): LocalEntry {
    const known = this.byIdentity.get(local);
    if (known !== undefined) return known;
    const writer = this.writer;
    writer.reset();
    try {
      this.codec.encode(local, writer);
    } catch (error) {
      // A message's fields may share names with it (ballot): say which one failed.
      throw whereEncoded(error, 'local state');
    }
    return this.fromWords(new WordReader(writer.words, 0, writer.length), 0, writer.length);
  }

  private add(local: unknown, words: Int32Array, hash: number): LocalEntry {
    if (this.entries.length >= this.limit) this.clear();
    if (this.partWords.length < words.length + 1) this.partWords = new Int32Array(words.length * 2 + 1);
    this.partWords[0] = this.actor;
    this.partWords.set(words, 1);
    this.fingerprinter.hash(this.partWords, 0, words.length + 1);
    const entry = new LocalEntry(local, words, hash, this.fingerprinter.high | 0, this.fingerprinter.low | 0);
    this.entries.push(entry);
    this.byIdentity.set(local, entry);
    if (this.entries.length * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    else this.place(this.slots, this.entries.length);
    return entry;
  }

  private place(slots: Int32Array, index: number): void {
    const mask = slots.length - 1;
    let slot = this.entries[index - 1]!.hash & mask;
    while (slots[slot] !== 0) slot = (slot + 1) & mask;
    slots[slot] = index;
  }

  private rehash(capacity: number): void {
    const slots = new Int32Array(capacity);
    for (let index = 1; index <= this.entries.length; index++) this.place(slots, index);
    this.slots = slots;
  }

  private clear(): void {
    this.entries = [];
    this.slots = new Int32Array(1024);
    this.byIdentity.clear();
  }
}

function hashWords(words: Int32Array, start: number, end: number): number {
  let hash = Math.imul(end - start, 0x9e3779b1);
  for (let i = start; i < end; i++) {
    hash = Math.imul(hash ^ words[i]!, 0x85ebca6b);
    hash ^= hash >>> 15;
  }
  // 30 bits: a small integer, never a boxed number.
  return hash & 0x3fffffff;
}

/** Whether `known` holds exactly words[start, end). */
export function sameWords(known: Int32Array, words: Int32Array, start: number, end: number): boolean {
  if (known.length !== end - start) return false;
  for (let i = 0; i < known.length; i++) if (known[i] !== words[start + i]) return false;
  return true;
}

/** Freezes a decoded value and the objects and arrays inside it, once per distinct local state. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
