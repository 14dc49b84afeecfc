/**
 * The work of the parallel explorer (src/explore/parallel.ts): expanding one unit of a
 * breadth-first level, the same code on the main thread and in the worker threads, plus the
 * worker threads' message loop.
 *
 * A unit is a run of consecutive frontier states (consecutive records). For each state, in
 * order, the expander does what the sequential explorer does (decode, check the properties,
 * push actions, compute and encode each successor, skip self-loops, check terminal states),
 * except that instead of adding a successor to the visited set it *claims* it with the unit's
 * place in the level ({@link SharedFingerprintSet.claim}): the earliest unit that finds a state
 * during a level wins, and within it the first parent to find it, exactly the parent through
 * which the sequential explorer first meets it.
 * Every successor this unit claimed (a *candidate*) is returned with its encoding; the main thread
 * keeps those whose claim survived, in unit order, which is the sequential order. Properties are
 * checked with the shared {@link PropertyChecker} on each state of the unit as it is decoded (as
 * the sequential explorer checks a state when it takes it from the frontier), and the unit stops
 * at its first event (a failed always or terminal property, or the model throwing), as the
 * sequential explorer stops at its first.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { WordReader, WordWriter, type AnySpec, type FingerprintHalves, type Model, type Property } from '../model.ts';
import { Fingerprinter, encodeAndFingerprint, fingerprintsItself } from '../store/fingerprint.ts';
import { FULL, SharedFingerprintSet, moveEntries, type ClaimingSet, type MovedEntries, type TableGrowth } from '../store/shared-fingerprint-set.ts';
import { PropertyChecker, SuccessorLook, appendNewSuccessor, reasonOf } from './visit.ts';
import { formatAction } from '../trace/replay.ts';
import { trackHistory } from './history.ts';
import { guardProcessFromSpecs } from '../process-guards.ts';
import { SymmetryReduction } from './symmetry.ts';
import { ContractBreach } from './contract-breach.ts';

/** Where worker threads get the model from: they import the spec and build it themselves. */
export interface ModelSource {
  /** The spec module, as a path (relative to the working directory) or a file URL. */
  readonly specPath: string;
  /** The export that holds the spec; `default` when absent. */
  readonly exportName?: string;
  /** Resolved parameter values, passed to `spec.build`. */
  readonly parameters: Readonly<Record<string, string | number>>;
  /** Symmetric sets to reduce by, as checkModel's `symmetry` option. */
  readonly symmetry?: readonly string[];
}

/**
 * Consecutive frontier states, a view of the frontier (in shared memory, so that it reaches a
 * worker without a copy). The frontier is made of the previous level's candidate buffers, so a
 * state is a candidate (see {@link CANDIDATE_HEADER}); a candidate whose claim was lost is marked
 * {@link LOST} in its parent word and is skipped (it is not among `count`).
 */
export interface UnitInput {
  readonly index: number;
  /** The key the unit claims its successors with: its place among the level's units since the visited set was shared. */
  readonly claim: number;
  /**
   * The unit settles the claims of its states from this record on ({@link SharedFingerprintSet.settle}):
   * the states before it were settled by a growth, or never claimed, and their slots may be stale.
   */
  settleFrom: number;
  readonly firstRecord: number;
  readonly count: number;
  /** The states, in views of one or more of the frontier's buffers. */
  readonly parts: readonly Int32Array[];
  /** Words in `parts`. */
  readonly wordCount: number;
}

/** What every unit of a level shares. */
export interface LevelInfo {
  /** Record of the level's first state. */
  readonly firstRecord: number;
  /** Depth of the level's states (initial states = 1). */
  readonly depth: number;
  /** Indices into the model's properties of the sometimes properties not yet witnessed. */
  readonly unwitnessed: readonly number[];
  /**
   * One word per unit (in shared memory): a worker takes a unit by changing its word from 0 to 1;
   * the main thread may take back a unit no worker has started (0 to 2) and run it itself.
   */
  readonly taken?: Int32Array;
}

/**
 * The first thing in a unit that would stop the sequential explorer. `parent` is the index in the
 * unit of the state it happened at; `found`, that state's candidate-header word 3 (see
 * {@link CANDIDATE_HEADER}).
 */
export type UnitEvent =
  /** The state at `parent` fails `property` (an index into the model's properties). */
  | { readonly kind: 'always'; readonly parent: number; readonly found: number; readonly property: number }
  /** The state at `parent` is terminal and fails `property`. */
  | { readonly kind: 'terminal'; readonly parent: number; readonly property: number; readonly transitions: number }
  /**
   * The model threw while expanding the state at `parent`; when `checking`, a property threw
   * while checking that state.
   */
  | {
      readonly kind: 'error';
      readonly parent: number;
      readonly checking: boolean;
      readonly found: number;
      readonly transitions: number;
      readonly reason: string;
      readonly actionText?: string;
      readonly decoding: boolean;
      /** What was thrown is a ContractBreach (the model breaks its contract, e.g. a property blind to a renaming). */
      readonly contract: boolean;
    };

/**
 * Candidate layout: `[slot, parentRecord, actionIndex, transitions, orbit, high, low, length,
 * ...words]`; `slot` is `-slot - 1` when the claim displaced another parent's claim;
 * `transitions` counts the unit's transitions up to and including this one, and once the main
 * thread has committed the unit, the run's (modulo 2^32): the transitions taken when the state was
 * found, which a run that stops at the state reports.
 */
export const CANDIDATE_HEADER = 8;
/** The parent word of a candidate that lost its claim (written by the main thread's commit). */
export const LOST = -1;

export interface UnitOutput {
  readonly index: number;
  /** The input, handed back (a view of shared memory) so that the unit can be run again. */
  readonly input: UnitInput;
  /** The table was too full to claim a successor: nothing here is usable; grow and run again. */
  readonly full: boolean;
  /**
   * The candidates, in order, in chunks of shared memory ({@link CHUNK_WORDS} words, or a buffer
   * of its own for a candidate longer than that), each a view of the words its candidates use.
   */
  readonly chunks: readonly Int32Array[];
  readonly candidateCount: number;
  /** Candidates whose claim displaced another parent's (marked in their slot word). */
  readonly displacing: number;
  /** Transitions of the unit (up to its event, counted as the sequential explorer counts them). */
  readonly transitions: number;
  /** Header word 3 of the unit's last state (when it has no event, all its states were checked). */
  readonly lastFound: number;
  /** For each of the level's unwitnessed properties, the first state of the unit satisfying it (index in the unit), or -1 (empty: none). */
  witnesses: readonly number[];
  readonly event: UnitEvent | undefined;
  /** Time the symmetry reduction spent canonicalising, when there is one. */
  readonly canonicalisingMilliseconds: number;
  /** Spare chunks a worker hands back to the main thread's pool with its result (see {@link runWorker}). */
  spares: readonly SharedArrayBuffer[];
}

/**
 * Spare buffers (chunks, almost all), so that units do not allocate (typed arrays are zeroed when
 * allocated, and many short-lived large ones make the garbage collector run often). Chunks travel
 * with the units: the main thread sends a worker spare chunks with each unit and takes back the
 * chunks of its candidates, with the spares it did not use, and the candidates' chunks serve as
 * part of the next level's frontier until that level is done. The buffers are shared memory, so
 * who may write one is a matter of protocol: the thread that took it from its pool, until it
 * hands it on (a worker never puts a buffer it returned back in its own pool).
 */
/**
 * Buffers the main thread's pool keeps (256 MB of chunks): the current level's chunks come back as its units
 * are committed, while the next level's units take them, so the pool holds only the difference.
 */
const MAX_SPARE_BUFFERS = 1024;
/** Spare chunks a worker keeps between units; the rest go back with its result. */
const SPARES_KEPT_BY_WORKER = 2;

/**
 * Candidates are written into chunks of this many words (256 KB), all of one size: a level's
 * frontier is made of them, and when a level is done they serve the next level's units as they
 * are, whatever those find. (Up to session 13 each unit had one buffer, of a power of two with room
 * for half as much again as its input: at the peak of classic Paxos with 5 acceptors, 2 proposers
 * and 1 round, 98 million states, the frontier held 2.6 times the words it used, and the resident
 * set was twice the one-worker run's.) A unit leaves unused the end of its last chunk and, at the
 * end of each chunk, less than the room kept for a successor encoded in place (the longest
 * encoding so far and an eighth more).
 */
export const CHUNK_WORDS = 1 << 16;
/** Room a chunk must have left before a successor of unknown length is encoded straight into it, at least. */
const MIN_ENCODING_ROOM = 256;
const NO_WORDS = new Int32Array(0);
const NO_SPARES: SharedArrayBuffer[] = [];

/**
 * The chunk to go on in when the current one, `out`, lacks `needed` words: `out` is kept among the
 * unit's chunks if it holds candidates (`used` words), else handed back.
 */
function nextChunk(buffers: BufferPool, chunks: Int32Array[], out: Int32Array, used: number, needed: number): Int32Array {
  if (used > 0) chunks.push(out.subarray(0, used));
  else buffers.give(out.buffer as SharedArrayBuffer);
  return new Int32Array(buffers.take(Math.max(CHUNK_WORDS, needed)));
}

/** Chunks a unit's candidates are likely to fill (its input's words and half as much again): the spares a worker gets with it. */
export function chunksFor(unit: UnitInput): number {
  return Math.ceil((unit.wordCount + (unit.wordCount >> 1)) / CHUNK_WORDS) + 1;
}

export class BufferPool {
  private readonly free: SharedArrayBuffer[] = [];

  /** A buffer of at least `words` 32-bit words (its contents are garbage). */
  take(words: number): SharedArrayBuffer {
    const needed = words * 4;
    // The smallest that fits; a chunk asked for is almost always among them, found at once.
    let best = -1;
    for (let i = this.free.length - 1; i >= 0; i--) {
      const bytes = this.free[i]!.byteLength;
      if (bytes >= needed && (best < 0 || bytes < this.free[best]!.byteLength)) {
        best = i;
        if (bytes === needed) break;
      }
    }
    if (best >= 0) {
      const buffer = this.free[best]!;
      this.free[best] = this.free[this.free.length - 1]!;
      this.free.pop();
      return buffer;
    }
    // A power of two: the few buffers that are not chunks (a long candidate's, the initial
    // states') then fit again later.
    let size = 1 << 16;
    while (size < needed) size *= 2;
    return new SharedArrayBuffer(size);
  }

  /** Takes out all but `keep` of the spare buffers (the smallest stay). */
  drain(keep: number): SharedArrayBuffer[] {
    if (this.free.length <= keep) return NO_SPARES;
    this.free.sort((a, b) => a.byteLength - b.byteLength);
    return this.free.splice(keep);
  }

  give(buffer: SharedArrayBuffer): void {
    if (buffer.byteLength === 0) return;
    if (this.free.length >= MAX_SPARE_BUFFERS) {
      // Keep the larger ones.
      let smallest = 0;
      for (let i = 1; i < this.free.length; i++) if (this.free[i]!.byteLength < this.free[smallest]!.byteLength) smallest = i;
      if (this.free[smallest]!.byteLength >= buffer.byteLength) return;
      this.free[smallest] = buffer;
      return;
    }
    this.free.push(buffer);
  }
}

/**
 * Settles the claims of the unit's states from record `settleFrom` on ({@link SharedFingerprintSet.settle}),
 * all before the unit expands any. A settle is a store to a random slot, most often a cache miss:
 * made as each state was expanded, each one's miss stood alone, and the next claim's locked
 * instruction waited for it; made together, the misses overlap (session 28: 2-4% of a two-worker
 * run). Settling a state the unit then does not expand (it stops at an event, or finds the table
 * full) changes nothing: the claim was final, and a growth settles it anyway.
 */
function settleClaims(table: ClaimingSet, unit: UnitInput): void {
  const end = unit.firstRecord + unit.count;
  let record = unit.firstRecord;
  for (let part = 0; part < unit.parts.length && record < end; part++) {
    const words = unit.parts[part]!;
    for (let at = 0; at < words.length && record < end; at += CANDIDATE_HEADER + words[at + 7]!) {
      if (words[at + 1] === LOST) continue;
      if (record >= unit.settleFrom) {
        const slotWord = words[at]!;
        table.settle(slotWord < 0 ? -slotWord - 1 : slotWord, words[at + 5]!, words[at + 6]!);
      }
      record++;
    }
  }
}

export class LevelExpander<State, Action> {
  private readonly writer = new WordWriter();
  /** Writes new successors' encodings straight into the unit's chunk. */
  private readonly candidateWriter = new WordWriter(0);
  private readonly reader = new WordReader(new Int32Array(0));
  private readonly fingerprint = new Fingerprinter();
  private readonly reduction: SymmetryReduction<State, Action> | undefined;
  private checkerKey = '';
  /** Room for an encoding written straight into a chunk: the longest so far and an eighth more. */
  private encodingRoom = MIN_ENCODING_ROOM;
  private checkerProperties: Property<State>[] = [];
  /** One for every unit: made for each, it cost a run of narrow levels (a unit a level) more than its work. */
  private readonly successors: SuccessorLook<State, Action>;
  /** The action the model threw on while fingerprinting a state's successors all at once. */
  private blamed: Action | undefined;

  constructor(
    readonly model: Model<State, Action>,
    public table: ClaimingSet,
    readonly buffers: BufferPool = new BufferPool(),
  ) {
    this.reduction = model instanceof SymmetryReduction ? model : undefined;
    this.successors = new SuccessorLook(model, this.writer, this.fingerprint, (action) => (this.blamed = action));
  }

  /** Properties checked during a level: always, terminal, and the unwitnessed sometimes ones. */
  private propertiesFor(level: LevelInfo): Property<State>[] {
    const key = level.unwitnessed.join(',');
    if (key !== this.checkerKey || this.checkerProperties.length === 0) {
      const properties = this.model.properties;
      this.checkerKey = key;
      this.checkerProperties = properties.filter(
        (property, index) => property.kind !== 'sometimes' || level.unwitnessed.includes(index),
      );
    }
    return this.checkerProperties;
  }

  expand(unit: UnitInput, level: LevelInfo): UnitOutput {
    const checker = new PropertyChecker(this.propertiesFor(level));
    const output = this.expandWith(checker, unit, level);
    // Kept out of the hot function: the outcomes come in two shapes, and a shape the optimised
    // code has not seen throws the whole function's optimised code away.
    if (level.unwitnessed.length > 0) output.witnesses = firstWitnesses(checker, this.model, level);
    return output;
  }

  private expandWith(checker: PropertyChecker<State>, unit: UnitInput, level: LevelInfo): UnitOutput & { witnesses: number[] } {
    const model = this.model;
    const table = this.table;
    const writer = this.writer;
    const candidateWriter = this.candidateWriter;
    const reader = this.reader;
    const modelFingerprints = fingerprintsItself(model);
    const expandingFingerprint: FingerprintHalves = { high: 0, low: 0 };
    const reduction = this.reduction;
    const hasTerminalChecks = checker.hasTerminalChecks;
    const claimKey = unit.claim;
    // Claims are made at the parity of the depth of the states found.
    table.parity = (level.depth + 1) & 1;
    const parts = unit.parts;
    // Before the first part: the step to the next part runs at every unit's first state, so the
    // optimised code has seen it (a step first taken later, in a unit spanning two segments,
    // would throw the optimised code away).
    let part = -1;
    let words: Int32Array = NO_WORDS;
    const canonicalisingBefore = reduction ? reduction.canonicalisingMilliseconds : 0;

    const buffers = this.buffers;
    const chunks: Int32Array[] = [];
    let out: Int32Array = new Int32Array(buffers.take(CHUNK_WORDS));
    let used = 0;
    // Encoded straight into the chunk, a successor needs room for the longest encoding seen so far.
    let encodingRoom = this.encodingRoom;
    let candidateCount = 0;
    let displacing = 0;
    let transitions = 0;
    let event: UnitEvent | undefined;
    let full = false;

    let parent = 0;
    let found = 0;
    let state: State | undefined;
    let action: Action | undefined;
    const successors = this.successors;
    this.blamed = undefined;
    let checking = false;
    let at = 0;
    if (unit.settleFrom < unit.firstRecord + unit.count) settleClaims(table, unit);
    try {
      expansion: for (; parent < unit.count; parent++) {
        // To the next state: past lost candidates, and on to the next part at a part's end.
        for (;;) {
          if (at >= words.length) {
            words = parts[++part]!;
            at = 0;
          } else if (words[at + 1] === LOST) {
            at += CANDIDATE_HEADER + words[at + 7]!;
          } else {
            break;
          }
        }
        const parentRecord = unit.firstRecord + parent;
        found = words[at + 3]!;
        const parentHigh = words[at + 5]!;
        const parentLow = words[at + 6]!;
        const length = words[at + 7]!;
        reader.words = words;
        reader.position = at + CANDIDATE_HEADER;
        reader.end = at + CANDIDATE_HEADER + length;
        at += CANDIDATE_HEADER + length;
        state = undefined;
        action = undefined;
        expandingFingerprint.high = parentHigh >>> 0;
        expandingFingerprint.low = parentLow >>> 0;
        state = model.decode(reader, modelFingerprints ? expandingFingerprint : undefined);
        checking = true;
        if (checker.checkNew(state, parent)) {
          event = { kind: 'always', parent, found, property: model.properties.indexOf(checker.violated!) };
          break;
        }
        checking = false;
        // A fresh array: emptying one by setting its length frees its storage, which costs more.
        const actions: Action[] = [];
        model.actions(state, actions);
        let hasOtherSuccessor = false;
        successors.begin(state, actions);
        for (let index = 0; index < actions.length; index++) {
          action = actions[index]!;
          if (!successors.take(index)) continue;
          const encoded = successors.encoded;
          const high = successors.high | 0;
          const low = successors.low | 0;
          transitions++;
          if (high === parentHigh && low === parentLow) continue;
          hasOtherSuccessor = true;
          const slot = table.claim(high, low, claimKey);
          if (slot < 0) {
            if (slot === FULL) {
              full = true;
              break expansion;
            }
            continue;
          }
          let target = used + CANDIDATE_HEADER;
          let length: number;
          if (encoded) {
            length = writer.length;
            if (target + length > out.length) {
              out = nextChunk(buffers, chunks, out, used, CANDIDATE_HEADER + length);
              used = 0;
              target = CANDIDATE_HEADER;
            }
            const source = writer.words;
            for (let i = 0; i < length; i++) out[target + i] = source[i]!;
          } else {
            // Encoded straight into the chunk, after room for its header.
            if (target + encodingRoom > out.length) {
              out = nextChunk(buffers, chunks, out, used, CANDIDATE_HEADER + encodingRoom);
              used = 0;
              target = CANDIDATE_HEADER;
            }
            candidateWriter.words = out;
            candidateWriter.length = target;
            appendNewSuccessor(model, state, action, candidateWriter);
            length = candidateWriter.length - target;
            if (length > encodingRoom) encodingRoom = this.encodingRoom = length + (length >> 3);
            if (candidateWriter.words !== out) {
              // A longer encoding outgrew the chunk into an ordinary array: into a chunk of its own.
              const outgrown = candidateWriter.words;
              out = nextChunk(buffers, chunks, out, used, CANDIDATE_HEADER + length);
              out.set(outgrown.subarray(target, target + length), CANDIDATE_HEADER);
              used = 0;
              target = CANDIDATE_HEADER;
            }
          }
          // A claim that displaced another parent's is marked (as -slot - 1): the main thread
          // learns from it which earlier claims lost, without reading the table back.
          if (table.lowered) {
            out[used] = -slot - 1;
            displacing++;
          } else {
            out[used] = slot;
          }
          out[used + 1] = parentRecord;
          out[used + 2] = index;
          out[used + 3] = transitions;
          out[used + 4] = reduction ? reduction.orbitOfLastEncoded : 0;
          out[used + 5] = high;
          out[used + 6] = low;
          out[used + 7] = length;
          used = target + length;
          candidateCount++;
        }
        action = undefined;
        if (!hasOtherSuccessor && hasTerminalChecks && checker.checkTerminal(state, parentRecord)) {
          event = { kind: 'terminal', parent, property: model.properties.indexOf(checker.violated!), transitions };
          break;
        }
      }
    } catch (thrown) {
      event = {
        kind: 'error',
        parent,
        checking,
        found,
        transitions,
        reason: reasonOf(thrown),
        ...(state !== undefined && (action ?? this.blamed) !== undefined ? { actionText: formatAction(model, state, (action ?? this.blamed)!) } : {}),
        decoding: state === undefined,
        contract: thrown instanceof ContractBreach,
      };
    }

    if (used > 0) chunks.push(out.subarray(0, used));
    else buffers.give(out.buffer as SharedArrayBuffer);
    // One shape for every output (the main thread's commit reads them all).
    return {
      index: unit.index,
      input: unit,
      full,
      chunks,
      candidateCount: full ? 0 : candidateCount,
      displacing,
      transitions,
      lastFound: found,
      witnesses: NO_WITNESSES,
      event: full ? undefined : event,
      canonicalisingMilliseconds: reduction ? reduction.canonicalisingMilliseconds - canonicalisingBefore : 0,
      spares: NO_SPARES,
    };
  }
}

const NO_WITNESSES: number[] = [];

/** For each of the level's unwitnessed properties, the first state of the unit the checker saw satisfy it. */
function firstWitnesses<State>(checker: PropertyChecker<State>, model: Model<State, unknown>, level: LevelInfo): number[] {
  const outcomes = checker.outcomes((record) => ({ initial: record, actions: [] }));
  return level.unwitnessed.map((index) => {
    const name = model.properties[index]!.name;
    const outcome = outcomes.find((candidate) => candidate.kind === 'sometimes' && candidate.name === name);
    return outcome?.witness ? outcome.witness.initial : -1;
  });
}

/** The file URL of a spec given as a path or a URL. */
export function specUrl(specPath: string): string {
  return specPath.startsWith('file:') ? specPath : pathToFileURL(resolve(specPath)).href;
}

/** A spec module bundled into the worker's code (see parallel.ts), so the worker needs no tsx. */
export interface PreloadedSpec {
  readonly url: string;
  readonly module: Record<string, unknown>;
}

/** Imports the spec named by `source` and builds its model, as the spec builds it (no property selected, nothing wrapped). */
export async function buildSpecModel(source: ModelSource, preloaded?: PreloadedSpec): Promise<Model<unknown, unknown>> {
  const url = specUrl(source.specPath);
  let module: Record<string, unknown>;
  if (preloaded) {
    if (preloaded.url !== url) throw new Error(`this worker thread was built for ${preloaded.url}, not ${url}`);
    module = preloaded.module;
  } else {
    module = (await import(url)) as Record<string, unknown>;
  }
  const spec = module[source.exportName ?? 'default'] as AnySpec | undefined;
  if (!spec || typeof spec.build !== 'function') throw new Error(`${source.specPath} has no spec export '${source.exportName ?? 'default'}'`);
  return spec.build(source.parameters as never) as Model<unknown, unknown>;
}

/**
 * Imports the spec named by `source` and builds its model as the main thread has it: with the
 * properties named `properties`, in that order (the main thread may have selected some), tracking
 * their history, wrapped for symmetry if asked.
 */
export async function buildFromSource(
  source: ModelSource,
  properties?: readonly string[],
  preloaded?: PreloadedSpec,
): Promise<Model<unknown, unknown>> {
  let model = await buildSpecModel(source, preloaded);
  if (properties) {
    const all = model.properties;
    const chosen = properties.map((name) => {
      const property = all.find((candidate) => candidate.name === name);
      if (!property) throw new Error(`the model built in a worker has no property ${name} (it has ${all.map((p) => p.name).join(', ')})`);
      return property;
    });
    if (chosen.length !== all.length || chosen.some((property, index) => property !== all[index])) {
      model = Object.create(model, { properties: { value: chosen, enumerable: true } }) as Model<unknown, unknown>;
    }
  }
  model = trackHistory(model);
  return source.symmetry?.length ? new SymmetryReduction(model, source.symmetry) : model;
}

/** States a {@link modelSignature} expands: a few milliseconds of a thread's start. */
const SIGNATURE_STATES = 128;

/**
 * What a worker thread's model must share with the main thread's for the threads to take part:
 * the fingerprints of the initial states, then of the successors of the first states a
 * breadth-first search expands (each action's, 0 for a disabled one), high and low in turn. The
 * initial states alone miss a source given other parameters that change only later steps
 * (classic Paxos with another network, or more rounds): its threads would explore another model.
 * A model that throws ends the signature there, with a marker, on both sides alike. A symmetry
 * reduction's base model is the one compared.
 */
export function modelSignature(explored: Model<unknown, unknown>, states = SIGNATURE_STATES): number[] {
  // Unreduced: both sides reduce by the symmetry the run names, and canonicalising 128 states'
  // successors can take seconds under a large group (7 acceptors and 3 values: 3.3 s).
  const model = explored instanceof SymmetryReduction ? (explored.base as Model<unknown, unknown>) : explored;
  const writer = new WordWriter();
  const fingerprint = new Fingerprinter();
  const signature: number[] = [];
  const seen = new Set<string>();
  const queue: unknown[] = [];
  const meet = (state: unknown): void => {
    encodeAndFingerprint(model, state, writer, fingerprint);
    signature.push(fingerprint.high, fingerprint.low);
    const key = `${fingerprint.high},${fingerprint.low}`;
    if (seen.has(key)) return;
    seen.add(key);
    queue.push(state);
  };
  try {
    for (const state of model.initialStates()) meet(state);
    for (let expanded = 0; expanded < queue.length && expanded < states; expanded++) {
      const state = queue[expanded];
      const actions: unknown[] = [];
      model.actions(state, actions);
      for (const action of actions) {
        const next = model.nextState(state, action);
        if (next === undefined) signature.push(0, 0);
        else meet(next);
      }
    }
  } catch {
    signature.push(-1);
  }
  return signature;
}

/** Main thread to worker. Messages of a run carry its number; a worker serves one run at a time. */
export type ToWorker =
  | {
      readonly type: 'init';
      readonly run: number;
      readonly source: ModelSource;
      readonly table: SharedArrayBuffer;
      readonly properties: readonly string[];
      /** The main thread's {@link modelSignature}: the model built here must have the same. */
      readonly signature: readonly number[];
    }
  | { readonly type: 'table'; readonly table: SharedArrayBuffer }
  /** Move a part of a growth of the visited set (no unit is running). */
  | { readonly type: 'move'; readonly run: number; readonly growth: TableGrowth; readonly part: number }
  | {
      readonly type: 'expand';
      readonly run: number;
      readonly unit: UnitInput;
      readonly level: LevelInfo;
      /** Buffers the worker may use (they come back with results). */
      readonly spares: readonly SharedArrayBuffer[];
    };

/** Worker to main thread. A `failed` with no run: the thread could not start at all. */
export type FromWorker =
  | { readonly type: 'ready'; readonly run: number }
  | { readonly type: 'failed'; readonly run?: number; readonly message: string }
  | { readonly type: 'result'; readonly run: number; readonly output: UnitOutput }
  | { readonly type: 'moved'; readonly run: number; readonly part: number; readonly moved: MovedEntries }
  /** The main thread took the unit back before this worker started it. */
  | { readonly type: 'skipped'; readonly run: number; readonly index: number };

/** Marks the workerData of the explorer's threads. */
export const WORKER_MARK = 'synod-parallel-worker';

/**
 * The worker thread's message loop. `preloaded`: the spec, when the worker's code is a bundle of
 * this module and the spec; otherwise the worker imports the spec (through tsx) when told to.
 */
export function runWorker(preloaded?: PreloadedSpec): void {
  // As on the main thread of the synod command: a spec's process.exit would end this thread, and its
  // console.log would reach the command's stdout.
  guardProcessFromSpecs();
  const port = parentPort!;
  let expander: LevelExpander<unknown, unknown> | undefined;
  let table: SharedFingerprintSet | undefined;
  let run = -1;
  const buffers = new BufferPool();
  let chain: Promise<void> = Promise.resolve();
  const handle = async (message: ToWorker): Promise<void> => {
    switch (message.type) {
      case 'init': {
        run = message.run;
        expander = undefined;
        try {
          const model = await buildFromSource(message.source, message.properties, preloaded);
          if (modelSignature(model).join() !== message.signature.join()) {
            throw new Error(
              'the model built from the source differs from the one checked (its initial states or the first steps from them do: another spec, other parameters, or a build that is not a function of them)',
            );
          }
          table = SharedFingerprintSet.attach(message.table);
          table.shared = true;
          expander = new LevelExpander(model, table, buffers);
          port.postMessage({ type: 'ready', run } satisfies FromWorker);
        } catch (error) {
          port.postMessage({ type: 'failed', run, message: error instanceof Error ? error.message : String(error) } satisfies FromWorker);
        }
        return;
      }
      case 'table':
        table?.use(message.table);
        return;
      case 'move':
        port.postMessage({ type: 'moved', run: message.run, part: message.part, moved: moveEntries(message.growth, message.part) } satisfies FromWorker);
        return;
      case 'expand': {
        for (const spare of message.spares) buffers.give(spare);
        if (message.run !== run || !expander) return;
        const taken = message.level.taken;
        if (taken && Atomics.compareExchange(taken, message.unit.index, 0, 1) !== 0) {
          port.postMessage({ type: 'skipped', run, index: message.unit.index } satisfies FromWorker);
          return;
        }
        const output = expander.expand(message.unit, message.level);
        table!.flush();
        // What the unit did not use goes back with it, so that spares do not pile up here.
        output.spares = buffers.drain(SPARES_KEPT_BY_WORKER);
        // The candidates (shared memory, like the input) are the main thread's from now on.
        port.postMessage({ type: 'result', run, output } satisfies FromWorker);
        return;
      }
    }
  };
  port.on('message', (message: ToWorker) => {
    chain = chain.then(() => handle(message));
  });
}

// Started by tsx from the main thread's bootstrap; a bundled worker calls runWorker itself.
if (!isMainThread && (workerData as { mark?: string } | null)?.mark === WORKER_MARK) runWorker();
