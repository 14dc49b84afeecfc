/**
 * Parallel breadth-first exploration with worker threads and a shared visited set, giving the
 * same result as the sequential explorer (src/explore/breadth-first.ts): the same distinct
 * states, transitions and depth, the same verdict, violated property and counterexample path (not
 * only its length), the same witnesses, and for a run stopped by --max-states the same counts.
 *
 * How. The search is level-synchronous: the states of one depth (the frontier, in shared memory)
 * are cut into units of consecutive records, and every thread (the main thread and the workers)
 * takes the next unit when it is free. A successor is *claimed* in the shared
 * {@link SharedFingerprintSet} with the unit that found it; when several units of a level find the
 * same state, the earliest wins (an atomic minimum), and within a unit the first parent to find
 * it. That is the parent through which the sequential explorer meets the state first, since it
 * expands a level in record order. A thread keeps a successor (a candidate, with its encoding)
 * only when its claim was the smallest so far, and marks the claims that displaced another. Once
 * units 0..k are done, unit k's surviving claims are final: a claim lost iff an earlier unit
 * displaced a claim on the same state. The main thread then commits unit k: its winners get
 * records in order (the sequential order) and go to the trace store (their claims are settled as
 * their states are expanded in the next level, so that a claim need tell apart only the units of
 * one level: a few bits beside the fingerprint in an 8-byte slot), and its event, if any (a
 * failed property, the model throwing, the
 * --max-states limit), is replayed where the sequential explorer meets it, with its counts at that
 * moment. A unit stops at its first event, and no later unit is started. The unit's candidates,
 * written into chunks of shared memory of one size ({@link CHUNK_WORDS}), then become part of the
 * next level's frontier as they are, their losers marked: committing copies no encodings, which
 * was most of the main thread's commit time (the price: a frontier state keeps its 8-word
 * candidate header, and a unit leaves the end of its last chunk unused).
 * Properties are checked as in the sequential explorer: on each state when a thread takes it to
 * expand it, by the shared {@link PropertyChecker}. The main thread records the outcome through
 * its own checker as it commits the unit, in record order, and a stop at a state reports the
 * counts of the moment it was found (at commit, each winner's candidate header gets the run's
 * transitions so far). Before an event met while expanding, and at the depth limit, the main
 * thread itself checks the states found but not checked yet (the rest of the level, then the
 * next level so far), as the sequential explorer checks its frontier. The level at the depth
 * limit is checked and probed, not expanded, by the main thread alone ({@link DepthLimitProbe}).
 *
 * The visited set cannot grow while threads insert: it is sized before each level from the last
 * level's growth, and a unit that finds it 85% full stops; the main thread then keeps the units
 * committed so far, grows the set (dropping the claims of the rest) and runs the rest again.
 *
 * When. A worker thread is cheap to start (about 50 ms: it loads one script, bundled by esbuild
 * from parallel-worker.ts and the spec; see {@link WorkerPool}), but its first units run before its
 * code is compiled, and starting it takes the main thread's core for a while: joining costs the run
 * about 0.2-0.3 s, which pays only when a second or more of work lies ahead. So a run explores on
 * the main thread alone at first, and starts its threads once it has gone on for
 * `startWorkersAfterSeconds` (1 s) while its levels still grow fast, or for twice that in any case,
 * if a level holds 4,096 states or more (see {@link threadsWouldPay}); they join, unit by unit, as
 * soon as they are ready, and a new thread gets small units first. A run that ends within a second
 * never starts them. This explorer on one thread is as fast as the sequential one on wide levels
 * (deep, narrow spaces pay it a few microseconds a level; Paxos.tla ballots 0..2: 0.26-0.30 s against
 * 0.30-0.32 s; ballots 0..3: 10.4-11.0 s against 10.3-11.6 s). Up to session 10 a run began in
 * the sequential explorer, which handed its search over once a thread was ready; the hand-over's
 * copy of the visited set and frontier took the main thread 0.15-0.25 s while the threads waited,
 * and the main thread's code here then ran cold (levels 2-3 times slower for 0.1-0.2 s): without
 * it, runs of 3-10 s took 3-14% less time. Until threads join such a run, its visited set is the
 * sequential explorer's ({@link SoloClaimingSet}, which needs no atomics; until session 26 the
 * shared set's 12-byte slots also took 20-34 bytes a state where it took 13-16); the main thread
 * moves its entries into the shared set when it starts them (about 0.1 s for 700,000 states, most
 * of it faulting in the new table's memory: a 2.7 s run took 4% longer). A run with threads from
 * the first level (a pool, or waitForWorkers), or that never may start them (one thread, no
 * source), or with scrambled units, uses the shared set throughout. Workers need a
 * {@link ModelSource} (the spec file and parameters), because models cannot be sent between
 * threads; without one the search stays on the main thread. A {@link WorkerPool} can be shared by
 * many runs; a run given one uses its threads from the first level.
 *
 * Balance. Units (up to 8,192 states, and no more than a thread expands in about 0.1 s, the main
 * thread's as large as a worker's; more only where a level would have more units than claims can
 * tell apart, see {@link ParallelSearch.sizeForLevel}) are sized by guided self-scheduling (large while much of the
 * level is left, small near its end); a worker holds up to three; the main thread takes back
 * (steals) units a worker has not started when it has nothing else to do, so a level never waits
 * for units queued behind a slow or descheduled thread.
 *
 * Limits. --max-states is exact, as in the sequential explorer. Time, memory and Ctrl-C are
 * checked between units (about every 50 ms): a run they stop reports the counts of the moment the
 * last state of the last unit committed was found (every state counted was checked), so its
 * counts can differ from a sequential run stopped at the same moment.
 */
import { availableParallelism } from 'node:os';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { WordReader, WordWriter, type Model } from '../model.ts';
import { Fingerprinter, collisionProbability, encodeAndFingerprint } from '../store/fingerprint.ts';
import { SharedFingerprintSet, moveEntries, movingPhase, type ClaimingSet, type MovedEntries } from '../store/shared-fingerprint-set.ts';
import { SoloClaimingSet } from '../store/solo-claiming-set.ts';
import { NO_PARENT, TraceStore } from '../store/trace-store.ts';
import { formatAction } from '../trace/replay.ts';
import {
  DepthLimitProbe,
  PropertyChecker,
  SuccessorLook,
  foundStatistics,
  initialStatesOf,
  modelThrew,
  propertyThrew,
  reasonOf,
  stopsAtOnce,
  type FoundStatistics,
} from './visit.ts';
import { RunControl } from './run-control.ts';
import { ContractBreach } from './contract-breach.ts';
import { SymmetryReduction } from './symmetry.ts';
import type { Exploration } from './breadth-first.ts';
import type { CheckResult, CheckStatus, ExploreOptions, IncompleteReason, ModelError, SoloReason } from './result.ts';
import {
  BufferPool,
  CANDIDATE_HEADER,
  LOST,
  LevelExpander,
  CHUNK_WORDS,
  chunksFor,
  modelSignature,
  type LevelInfo,
  type ModelSource,
  type UnitInput,
  type UnitOutput,
} from './parallel-worker.ts';
import { Frontier, LevelLayout, stateInUnit } from './parallel-frontier.ts';
import { WorkerPool } from './worker-pool.ts';

export type { ModelSource } from './parallel-worker.ts';

export interface ParallelOptions extends ExploreOptions {
  /** Threads that explore, the main thread included (default: `os.availableParallelism()`). */
  readonly workers?: number;
  /** Where worker threads get the model; without it the search runs on the main thread only. */
  readonly source?: ModelSource;
}

/**
 * How the parallel explorer schedules its threads and sizes its work: for tests and
 * measurements, not for users (checkModel does not take them; see checkModelWithTuning). A run
 * gives the same result whatever they say.
 */
export interface ParallelTuning {
  /**
   * Start the worker threads once the run has taken this long (default 1 s) while its levels are
   * still growing fast, or twice this long in any case, when a level is wide enough to share (see
   * {@link threadsWouldPay}).
   */
  readonly startWorkersAfterSeconds?: number;
  /** The fewest states a level (the current one or the next) needs for threads to start by time (default 4,096). */
  readonly minimumLevelForThreads?: number;
  /**
   * Slots the shared visited set starts with (default 131,072; it grows as needed); in a run that
   * starts alone and may start threads later, the fewest it has when they join.
   */
  readonly initialCapacity?: number;
  /** Most states in a unit of work (default 8,192). */
  readonly maxUnitStates?: number;
  /** Expand the units of a level in scrambled order on the main thread. */
  readonly scrambleUnits?: boolean;
  /** Start the worker threads before the first level (or at `startWorkersAtState`) and wait until they are ready. */
  readonly waitForWorkers?: boolean;
  /**
   * Start the worker threads once this many states have been expanded (between two units,
   * whatever the time), to join a run under way. Without `waitForWorkers` they join once ready,
   * as they do when started by time.
   */
  readonly startWorkersAtState?: number;
  /**
   * Worker threads to use instead of starting new ones (see {@link WorkerPool}); they take part
   * from the first level. The run does not close them. `workers` is then the pool's size + 1.
   */
  readonly pool?: WorkerPool;
}

const DEFAULT_START_AFTER_SECONDS = 1;
/** The fewest states a level (this one or the next) needs for threads to start. */
const WIDE_ENOUGH_FOR_THREADS = 4096;
/** A level this much larger than the one before means the search is far from its widest level. */
const STILL_GROWING = 1.3;
/**
 * Large units cost less per state: fewer messages and commits, and a unit's claims collide less
 * with the units running beside it (measured: 8,192 ran Paxos.tla ballots 0..3 8-10% faster than
 * 2,048 on 2 cores). Guided self-scheduling keeps the units near a level's end small.
 */
const DEFAULT_MAX_UNIT = 8192;
/** Slots a shared visited set starts with, unless options say otherwise. */
const DEFAULT_CAPACITY = 1 << 17;
const MIN_UNIT = 16;
/** About how long a unit should take (see statesInUnitTime): far more than a unit's commit costs. */
const UNIT_SECONDS = 0.1;
const PAUSE_EVERY_MS = 50;
/**
 * Grow the visited set before a level when the level could take it past GROW_BEYOND_LOAD (the
 * guess of its growth is generous, and a unit stops only at 85%), to TARGET_LOAD (capacities step
 * by an eighth of a power of two: a growth at least adds a quarter, and a table 60% full for the
 * states it expects holds them in 13.3-15 bytes a state; 0.7 left the last levels of classic
 * Paxos 3/2/2 a growth each, 12 in all, against 7). Every growth touches fresh memory for the
 * slots it adds (it grows in place, see SharedFingerprintSet.beginGrowth), and fresh memory costs 0.4-4.3 ms a
 * megabyte to fault in on this project's machine (a virtual machine: 3-4.3 ms in sessions 9 and
 * 10, on a host that takes back the pages a guest frees), so growing is worth avoiding: growing past
 * 0.6, the last level of classic Paxos 3/2/2 doubled the table to 805 MB (2.3 s of a 33 s run)
 * for a level that left it 33% full.
 */
const GROW_BEYOND_LOAD = 0.75;
const TARGET_LOAD = 0.6;
const MAX_GROWTH_GUESS = 4;
/**
 * Slots from which worker threads help grow the visited set: under a parallel search's first table
 * (2^17 slots, see initialCapacity), so that they help with every growth of a real run (the
 * smallest table has 2^16 slots, so they help with every growth). Measured on this project's machine (classic Paxos 5/2/1, one
 * worker): growths from 2^17 slots took 8-12 ms with the worker's help or without, from 2^21 slots
 * 78 ms with it and 155 ms without.
 */
const SHARED_GROWTH_SLOTS = 1 << 16;
/** The visited set grows for claims (see sizeForLevel) up to this many slots (32 MB; 1,024 units a level). */
const CLAIM_ROOM_SLOTS = 1 << 22;
/** Bits in the {@link Displacers} filter (128 KB). */
const DISPLACER_BITS = 1 << 20;
/** Below this many displaced slots, clearing them one by one beats clearing the whole bitset (128 KiB). */
const FEW_DISPLACERS = 1 << 12;

/** The default number of threads for `--workers`. */
export function defaultWorkers(): number {
  return availableParallelism();
}


/** The units of the level being explored: taken from the frontier, run (here or by a worker), committed in order. */
interface LevelRun {
  readonly frontier: Frontier;
  readonly level: LevelInfo;
  readonly units: (UnitSlot | undefined)[];
  /** Units to run again (after the table grew), in order. */
  readonly retry: UnitInput[];
  created: number;
  committed: number;
  /** The first unit that met an event (it ends the search once committed). */
  eventUnit: number;
  /** A unit found the table too full to insert into: it grows, and the units after the committed ones run again. */
  tableFull: boolean;
  /** The first unit to claim in the shared visited set (units before the threads joined claimed nothing). */
  claimBase: number;
}

interface UnitSlot {
  input: UnitInput;
  /** The frontier segment holding the end of the unit's input: those before it are done with once it is committed. */
  readonly lastSegment: number;
  output?: UnitOutput;
  /**
   * Every unit before this one was done when it started: no smaller parent can claim anything
   * after its claims, so all of them won (no need to read them back).
   */
  alone: boolean;
}

export async function exploreParallel<State, Action>(
  model: Model<State, Action>,
  options: ParallelOptions & ParallelTuning = {},
): Promise<Exploration> {
  const search = new ParallelSearch(model, options);
  try {
    return await search.run();
  } finally {
    await search.close();
  }
}

/**
 * New states per state of the next level, guessed from the last level's (a wrong guess costs a
 * rerun of the level's rest in a larger visited set).
 */
function growthGuess(levelStates: number, nextLevelStates: number): number {
  return levelStates > 0 ? Math.min(MAX_GROWTH_GUESS, Math.max(1, (nextLevelStates / levelStates) * 1.25)) : 2;
}

function propertyNames<State, Action>(model: Model<State, Action>): string[] {
  return model.properties.map((property) => property.name);
}

/** The most threads a run may have (`--workers`, checkModel's `workers`). */
export const MAX_WORKERS = 64;

/** Threads a run explores with, the main thread included. */
function threadsOf(options: ParallelOptions & ParallelTuning): number {
  return options.pool ? options.pool.size + 1 : Math.max(1, Math.floor(options.workers ?? defaultWorkers()));
}

/** How far a run has got, for {@link threadsWouldPay}. */
interface RunProgress {
  readonly seconds: number;
  /** States of the level under way, and how many of them have been taken to expand. */
  readonly levelStates: number;
  readonly expandedStates: number;
  /** States of the next level found so far, and of the level before this one. */
  readonly nextLevelStates: number;
  readonly previousLevelStates: number;
}

/**
 * Threads cost a run about 0.2-0.3 s as they join (their code runs cold at first, and starting
 * them takes the main thread's core for a while), which pays only when a second or more of work
 * lies ahead: likely when the run is past `afterSeconds` and its levels still grow fast
 * (breadth-first levels of these models grow to a widest level and then shrink, so at least as
 * much work is ahead as behind), and a small risk after twice that time. The next level's growth is
 * estimated from the part of the current level expanded so far once there is enough of it: the
 * last level's growth lags a level behind, and at the widest level it still says growing (judged
 * by it, a 1.5 s run started threads at its widest level and took 0.85-0.89x the time of one
 * thread). Measured (Paxos.tla 5 acceptors, ballots 0..1, a 1 s run): threads started at 0.5 s
 * made it 1.3-1.4 s.
 */
function threadsWouldPay(progress: RunProgress, afterSeconds: number, minimumLevel: number): 'yes' | 'not yet' | 'too narrow' {
  if (progress.seconds < afterSeconds) return 'not yet';
  // A level too narrow to give two threads a unit each costs them more to share than they save
  // (a deep, narrow space: levels of 8 states ran 10 times slower once threads joined).
  if (Math.max(progress.levelStates, progress.nextLevelStates) < minimumLevel) return 'too narrow';
  if (progress.seconds >= 2 * afterSeconds) return 'yes';
  const expanded = progress.levelStates > 0 ? progress.expandedStates / progress.levelStates : 0;
  const growing = expanded >= 0.1
    ? progress.nextLevelStates >= STILL_GROWING * expanded * progress.levelStates
    : progress.levelStates >= STILL_GROWING * progress.previousLevelStates;
  return growing ? 'yes' : 'not yet';
}

/**
 * The entries of the visited set whose claim a committed unit displaced, by slot, with the
 * smallest parent record that displaced it: the commit asks about every candidate, and only a
 * few percent were displaced (3% on classic Paxos 3/2/2), so a bitset of slots answers most
 * questions before the Map is consulted.
 */
class Displacers {
  private readonly parents = new Map<number, number>();
  private readonly bits = new Int32Array(DISPLACER_BITS >> 5);

  note(slot: number, parent: number): void {
    const known = this.parents.get(slot);
    if (known === undefined || parent < known) this.parents.set(slot, parent);
    const bit = slot & (DISPLACER_BITS - 1);
    this.bits[bit >> 5]! |= 1 << (bit & 31);
  }

  /** The smallest parent that displaced the claim on `slot`, if one did. */
  of(slot: number): number | undefined {
    const bit = slot & (DISPLACER_BITS - 1);
    if ((this.bits[bit >> 5]! & (1 << (bit & 31))) === 0) return undefined;
    return this.parents.get(slot);
  }

  /** Forgets every displacement; cheap when few were noted (a run of narrow levels clears it at each). */
  clear(): void {
    if (this.parents.size === 0) return;
    if (this.parents.size < FEW_DISPLACERS) {
      for (const slot of this.parents.keys()) this.bits[(slot & (DISPLACER_BITS - 1)) >> 5] = 0;
    } else {
      this.bits.fill(0);
    }
    this.parents.clear();
  }
}

class ParallelSearch<State, Action> {
  private readonly control: RunControl;
  /** Entries whose claim a committed unit of the current level displaced. */
  private readonly displacers = new Displacers();
  /**
   * Records below this have no claim to settle in the shared visited set, or a stale slot: they
   * were added with none (initial states, the lone thread's), or a growth settled them.
   */
  private settledBelow = 0;
  /** The level being explored. */
  private levelRun: LevelRun | undefined;
  /** The visited set once threads may use it: shared, claims kept. */
  private table: SharedFingerprintSet | undefined;
  /** The visited set until then, in a run that may start threads later. */
  private solo: SoloClaimingSet | undefined;
  private readonly traces: TraceStore;
  private readonly checker: PropertyChecker<State>;
  private readonly expander: LevelExpander<State, Action>;
  private readonly reduction: SymmetryReduction<State, Action> | undefined;
  private readonly maxStates: number;
  private readonly maxDepth: number;
  private readonly threads: number;
  private pool: WorkerPool | undefined;
  private poolFailed = false;
  /** Whether this run has started its threads (or found it could not), or never will. */
  private threadsTried: boolean;
  /** Why the run has stayed on one thread, when it is not that it has not run long enough yet. */
  private soloReason: SoloReason | undefined;
  /** The flags of units taken of the levels explored before threads start (see takenFlags). */
  private soloTaken: Int32Array | undefined;

  private transitions = 0;
  private depth = 0;
  private levelDepth = 1;
  private stopReason: IncompleteReason | undefined;
  private violated = false;
  private error: ModelError | undefined;
  /** A violation, an error, --max-states or a settled verdict ended the search. */
  private finished = false;
  /** Every property is a sometimes property and each was witnessed (CheckResult.settledEarly). */
  private settled = false;
  /** Counts of the moment the state the search stopped at was found (a violation, settled, a property that threw). */
  private stoppedAt: FoundStatistics | undefined;
  /** The last state of the last unit committed: all states up to it were checked. */
  private lastChecked: { readonly record: number; readonly found: number; readonly depth: number } | undefined;
  private unreducedStates = 0;
  private orbitsKnown = true;
  private workerCanonicalisingMilliseconds = 0;
  /** Sometimes properties (indices into the model's properties) witnessed so far. */
  private readonly witnessed = new Set<number>();
  private readonly buffers = new BufferPool();
  private frontier = new Frontier(0, this.buffers);
  /** The next level, begun with the level it follows. */
  private next = new Frontier(0, this.buffers);
  private readonly began = performance.now();
  private lastPause = this.began;
  /** New states per parent expected in the next level, to size the visited set. */
  private growth = 2;
  /** States of the level before the one under way. */
  private previousLevelStates = 0;

  constructor(
    private readonly model: Model<State, Action>,
    private readonly options: ParallelOptions & ParallelTuning,
  ) {
    this.control = new RunControl(options);
    this.threads = threadsOf(options);
    // Threads given (a pool) or asked for at once start before the first level, in run().
    this.threadsTried =
      this.threads < 2 || !options.source || (options.startWorkersAtState === undefined && (options.pool !== undefined || options.waitForWorkers === true));
    // Scrambled units exercise claims on one thread.
    if (this.threadsTried || options.scrambleUnits) this.table = new SharedFingerprintSet(options.initialCapacity ?? DEFAULT_CAPACITY);
    else this.solo = new SoloClaimingSet();
    this.traces = new TraceStore();
    this.checker = new PropertyChecker(model.properties);
    this.expander = new LevelExpander(model, this.visited, this.buffers);
    this.reduction = model instanceof SymmetryReduction ? model : undefined;
    this.maxStates = options.maxStates ?? Number.POSITIVE_INFINITY;
    this.maxDepth = options.maxDepth ?? Number.POSITIVE_INFINITY;
  }

  private get visited(): ClaimingSet {
    return this.table ?? this.solo!;
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    if (pool && pool === this.options.pool) pool.end();
    else await pool?.close();
  }

  async run(): Promise<Exploration> {
    let more = true;
    try {
      this.exploreInitialStates();
    } catch (thrown) {
      this.error = this.describeError(reasonOf(thrown), undefined, false, -1, thrown instanceof ContractBreach ? 'model-contract' : 'model-threw');
      more = false;
      // The initial states found before it threw are checked, as they would have been when found.
      this.checkUnchecked(0, 1, false);
    }
    if (more && this.options.startWorkersAtState === undefined && (this.options.waitForWorkers || this.options.pool)) {
      this.startWorkers();
      await this.pool?.settled();
    }
    while (more && !this.finished && !this.stopReason && this.frontier.count > 0) {
      if (this.levelDepth >= this.maxDepth) {
        await this.probeLimitLevel();
        break;
      }
      await this.exploreLevel();
      if (this.finished || this.stopReason) break;
      this.frontier.release();
      this.previousLevelStates = this.frontier.count;
      this.frontier = this.next;
      this.levelDepth++;
    }
    return this.finish();
  }

  /** The sequential explorer's first loop: the initial states become the first level. */
  private exploreInitialStates(): void {
    const model = this.model;
    const writer = new WordWriter();
    const fingerprint = new Fingerprinter();
    const initialStates = initialStatesOf(model);
    const first = new LevelLayout(this.buffers);
    try {
      for (let index = 0; index < initialStates.length; index++) {
        const state = initialStates[index]!;
        encodeAndFingerprint(model, state, writer, fingerprint);
        if (!this.visited.addIfAbsent(fingerprint.high, fingerprint.low)) continue;
        this.traces.add(NO_PARENT, index);
        if (this.reduction) this.countOrbit(this.reduction.orbitOfLastEncoded);
        this.depth = 1;
        first.add(0, fingerprint.high, fingerprint.low, writer.words, 0, writer.length);
      }
    } finally {
      // Checked as the first level is expanded, as every state is (or, when a later initial state
      // throws, before the error is reported).
      this.frontier.add(first.words, first.used, first.count);
      // Added with no claim: nothing to settle.
      this.settledBelow = this.traces.size;
    }
  }

  private countOrbit(orbit: number): void {
    this.unreducedStates += orbit;
    if (orbit === 0) this.orbitsKnown = false;
  }

  /** Reads which sometimes properties the checker has witnessed (rarely: only after a witness). */
  private noteWitnesses(): void {
    const properties = this.model.properties;
    const outcomes = this.checker.outcomes(() => ({ initial: 0, actions: [] }));
    outcomes.forEach((outcome, index) => {
      if (properties[index]!.kind === 'sometimes' && outcome.witnessed) this.witnessed.add(index);
    });
  }

  private unwitnessed(): number[] {
    const indices: number[] = [];
    this.model.properties.forEach((property, index) => {
      if (property.kind === 'sometimes' && !this.witnessed.has(index)) indices.push(index);
    });
    return indices;
  }

  private get usable(): number {
    return this.pool ? this.pool.readyCount : 0;
  }

  /** Starts the worker threads (or takes the pool given): they join, unit by unit, once ready. */
  private startWorkers(): void {
    const source = this.options.source;
    if (this.pool || this.poolFailed || this.threads < 2 || !source) return;
    let pool: WorkerPool;
    try {
      pool = this.options.pool ?? WorkerPool.start(this.threads - 1, source);
    } catch {
      // No tsx to start threads with (or no threads at all): explore on the main thread.
      this.poolFailed = true;
      this.soloReason = 'no threads';
      return;
    }
    const table = this.table ?? this.leaveSolo();
    if (!table) {
      this.poolFailed = true;
      this.soloReason = 'memory';
      if (pool !== this.options.pool) void pool.close();
      return;
    }
    table.shared = true;
    pool.begin(source, table, propertyNames(this.model), modelSignature(this.model as Model<unknown, unknown>));
    this.pool = pool;
  }

  /**
   * Moves the lone thread's visited set into a shared one, sized for the rest of the level (or the
   * next one), between units (so every claim so far is final); undefined, the run staying on one
   * thread, when the shared set would take it past --max-memory.
   */
  private leaveSolo(): SharedFingerprintSet | undefined {
    const solo = this.solo!;
    // At a level's end, sized for the next level, which would otherwise grow it at once.
    const ahead = this.frontier.remaining > 0 ? this.frontier.remaining : this.next.count;
    const expected = solo.size + ahead * this.growth;
    const capacity = Math.max(this.options.initialCapacity ?? DEFAULT_CAPACITY, expected / TARGET_LOAD);
    if (this.wouldPassMemoryLimit(SharedFingerprintSet.bytesFor(capacity))) return undefined;
    const table = SharedFingerprintSet.copyOf(solo, capacity);
    this.table = table;
    this.solo = undefined;
    this.expander.table = table;
    // The lone thread's records claimed nothing, and have no slots in this table.
    this.settledBelow = this.traces.size;
    if (this.levelRun) this.levelRun.claimBase = this.levelRun.created;
    return table;
  }

  /**
   * Whether growing the visited set to `capacity` slots would take the run past --max-memory: then
   * the run stops there (max-memory) instead. Limits are otherwise checked between units, and one
   * growth of a large table adds hundreds of megabytes at once (a run limited to 700 MB peaked at
   * 864 MB).
   */
  private growthPassesMemoryLimit(capacity: number): boolean {
    if (!this.wouldPassMemoryLimit(this.table!.bytesToGrow(capacity))) return false;
    this.stopReason = 'max-memory';
    return true;
  }

  /** Whether `bytes` more resident memory would take the run to --max-memory. */
  private wouldPassMemoryLimit(bytes: number): boolean {
    const limit = this.options.maxMemoryBytes;
    return limit !== undefined && process.memoryUsage.rss() + bytes >= limit;
  }

  /**
   * Grows the visited set, between levels or units, when no worker is inserting. The ready worker
   * threads move parts of a large one beside the main thread: most of a growth's cost is the fresh
   * memory of the slots it adds, which each thread touches for its own part (in a run of 22 million
   * states on one thread and a worker, growths took 3.4 s of 25, the worker idle all along).
   */
  private async rehash(capacity: number, dropFrom = Number.POSITIVE_INFINITY): Promise<void> {
    const pool = this.pool;
    const table = this.table!;
    const helpers = pool && table.capacity >= SHARED_GROWTH_SLOTS ? pool.readyCount : 0;
    // Every claim moved is settled, but the level's own not committed, which are dropped.
    const growth = table.beginGrowth(capacity, { parity: (this.levelDepth + 1) & 1, dropFrom }, helpers + 1);
    // In place, the parts first save what the parts below them overwrite, then move.
    const phases = growth.phase === 'save' ? [growth, movingPhase(growth)] : [growth];
    let moved: MovedEntries[] = [];
    for (const phase of phases) {
      const theirs = helpers > 0 ? pool!.moveParts(phase) : undefined;
      moved = [moveEntries(phase, 0)];
      if (theirs) moved.push(...(await theirs));
    }
    table.finishGrowth(growth, moved);
    // The states recorded so far have their claims settled, and their slots moved.
    this.settledBelow = this.traces.size;
    pool?.tableChanged();
  }

  private unitSize(remaining: number): number {
    const threads = this.usable + 1;
    const maxUnit = Math.min(this.options.maxUnitStates ?? DEFAULT_MAX_UNIT, this.statesInUnitTime(threads));
    if (threads === 1 && !this.options.scrambleUnits) return maxUnit;
    // Guided self-scheduling: big units while there is much left, small ones near the end.
    // The main thread takes units as large as a worker's: it commits between them, but halving
    // its units made more of them (and more commits of small ones) and measured slower.
    const size = Math.min(maxUnit, Math.ceil(remaining / (threads * 4)));
    return Math.max(Math.min(MIN_UNIT, maxUnit), size);
  }

  /**
   * The states a thread expands in about UNIT_SECONDS, from the run so far: limits and Ctrl-C are
   * seen between units, and a model slow per state (a reduction over a large group: milliseconds a
   * state) would otherwise take seconds a unit, past --max-seconds.
   */
  private statesInUnitTime(threads: number): number {
    const expanded = (this.lastChecked?.record ?? -1) + 1;
    // Nothing to go by yet: a small unit first, whose time the next ones go by.
    if (expanded < MIN_UNIT) return 4 * MIN_UNIT;
    const secondsPerState = (this.control.seconds() * threads) / expanded;
    return secondsPerState > 0 ? Math.max(MIN_UNIT, Math.floor(UNIT_SECONDS / secondsPerState)) : Number.POSITIVE_INFINITY;
  }

  /**
   * The slots the shared visited set should have for a level of `states` states (its capacity
   * when it need not grow): room for what the level may bring, and for claims enough to tell its
   * units apart. A model slow per state has units of a few states (as many as a thread expands in
   * UNIT_SECONDS), and a small table tells only 2^(k-12) units of a level apart: the table grows
   * for those, up to CLAIM_ROOM_SLOTS, rather than make units that run for seconds.
   */
  private sizeForLevel(states: number): number {
    const table = this.table!;
    let capacity = table.capacity;
    const expected = this.visited.size + states * this.growth;
    if (expected > capacity * GROW_BEYOND_LOAD) capacity = expected / TARGET_LOAD;
    const units = 2 * Math.ceil(states / Math.min(DEFAULT_MAX_UNIT, this.statesInUnitTime(this.usable + 1)));
    // A table of 2^k slots tells 2^(k-12) units apart.
    if (units > table.claimLimit && capacity < CLAIM_ROOM_SLOTS) capacity = Math.max(capacity, Math.min(CLAIM_ROOM_SLOTS, 2 ** (Math.ceil(Math.log2(units)) + 12)));
    return Math.min(capacity, SharedFingerprintSet.maxCapacity);
  }

  private async exploreLevel(): Promise<void> {
    const frontier = this.frontier;
    const minUnit = Math.min(MIN_UNIT, this.options.maxUnitStates ?? DEFAULT_MAX_UNIT);
    const level: LevelInfo = {
      firstRecord: frontier.firstRecord,
      depth: this.levelDepth,
      unwitnessed: this.unwitnessed(),
      // A unit ends at the size asked for (or the frontier's end): this many at most.
      taken: this.takenFlags(Math.ceil(frontier.count / minUnit) + 1),
    };
    this.next = new Frontier(this.traces.size, this.buffers);
    // A lone thread's set grows by itself.
    const capacity = this.table ? this.sizeForLevel(frontier.count) : 0;
    if (this.table && capacity > this.table.capacity) {
      if (this.growthPassesMemoryLimit(capacity)) return;
      await this.rehash(capacity);
    }

    // The level's units, in a record of their own read by methods: closures made here for each
    // level cost a run of narrow levels more than its work (tsx's keepNames names each one).
    this.displacers.clear();
    const run: LevelRun = { frontier, level, units: [], retry: [], created: 0, committed: 0, eventUnit: Number.POSITIVE_INFINITY, tableFull: false, claimBase: 0 };
    this.levelRun = run;
    const { units, retry } = run;

    for (;;) {
      if (this.finished) return;
      const pool = this.pool;
      if (pool) {
        for (let output = pool.takeResult(); output; output = pool.takeResult()) this.accept(output, true);
        this.commitReady();
        if (this.finished) return;
        for (let member = pool.idle(); member && this.canStart(); member = pool.idle()) {
          const input = this.takeInput(member.unitCap);
          const spares: SharedArrayBuffer[] = [];
          for (let chunk = chunksFor(input); chunk > 0; chunk--) spares.push(this.buffers.take(CHUNK_WORDS));
          pool.send(member, input, level, spares);
        }
      }
      if (this.canStart()) {
        if (this.options.scrambleUnits && !pool) {
          // Later units first: their claims are then lowered by earlier ones, as under threads.
          const batch: UnitInput[] = [];
          for (let i = 0; i < 4 && this.canStart(); i++) batch.push(this.takeInput());
          for (const input of batch.reverse()) this.accept(this.expander.expand(input, level), false);
        } else {
          this.accept(this.expander.expand(this.takeInput(), level), false);
        }
        this.commitReady();
        const pausing = this.maybePause(frontier.remaining + this.next.count, pool !== undefined);
        if (pausing) await pausing;
        continue;
      }
      if (this.stopReason) return;
      if (pool && pool.outstanding > 0) {
        const stolen = run.tableFull ? undefined : pool.steal(level.taken!, Math.min(run.eventUnit, run.created - 1));
        if (stolen !== undefined) {
          this.accept(this.expander.expand(units[stolen]!.input, level), false);
          this.commitReady();
          const pausing = this.maybePause(frontier.remaining + this.next.count, true);
          if (pausing) await pausing;
          continue;
        }
        await pool.event(PAUSE_EVERY_MS);
        const pausing = this.maybePause(frontier.remaining + this.next.count, false);
        if (pausing) await pausing;
        continue;
      }
      if (run.tableFull) {
        // Keep what is final, then run everything after it again in a bigger table.
        this.commitReady();
        if (this.finished) return;
        retry.length = 0;
        for (let index = run.committed; index < run.created; index++) {
          const slot = units[index]!;
          // Its candidates are not kept: their chunks serve the units run again.
          for (const chunk of slot.output?.chunks ?? []) this.buffers.give(chunk.buffer as SharedArrayBuffer);
          slot.output = undefined;
          level.taken![index] = 0;
          retry.push(slot.input);
        }
        run.eventUnit = Number.POSITIVE_INFINITY;
        run.tableFull = false;
        const grown = Math.min(this.table!.capacity * 4, SharedFingerprintSet.maxCapacity);
        if (grown === this.table!.capacity) {
          // As large as it can be: the run stops as when memory runs out.
          this.stopReason = 'max-memory';
          return;
        }
        if (this.growthPassesMemoryLimit(grown)) return;
        await this.rehash(grown, run.committed - run.claimBase);
        // Slots move; and the table now holds the committed units' claims, so the units run
        // again never claim what those took.
        this.displacers.clear();
        continue;
      }
      break;
    }
    this.commitReady();
    if (!this.finished && run.committed !== run.created) throw new Error('parallel exploration left a unit of work uncommitted');
    this.growth = growthGuess(frontier.count, this.next.count);
  }

  /**
   * A level's flags of units taken, shared with the threads that mark them. Before threads start
   * no unit is marked, so the levels explored until then share one buffer (a shared buffer for
   * each level cost a run of 400,000 narrow levels 0.1-0.2 s); a level that starts them hands it to
   * the threads, and every level after that has its own.
   */
  private takenFlags(units: number): Int32Array {
    if (this.pool) return new Int32Array(new SharedArrayBuffer(4 * units));
    if (!this.soloTaken || this.soloTaken.length < units) this.soloTaken = new Int32Array(new SharedArrayBuffer(4 * Math.max(units, 1024)));
    return this.soloTaken;
  }

  /** The index of the next unit to start: one to run again first, else a new one. */
  private nextIndex(): number {
    const run = this.levelRun!;
    return run.retry.length > 0 ? run.retry[0]!.index : run.created;
  }

  private canStart(): boolean {
    const run = this.levelRun!;
    return !this.finished && !this.stopReason && !run.tableFull && (run.retry.length > 0 || run.frontier.remaining > 0) && this.nextIndex() <= run.eventUnit;
  }

  private takeInput(cap = Number.POSITIVE_INFINITY): UnitInput {
    const run = this.levelRun!;
    const again = run.retry.shift();
    if (again) {
      // Run again after a growth, which settled its states' claims.
      again.settleFrom = this.settledBelow;
      const slot = run.units[again.index]!;
      slot.alone = run.committed === again.index;
      return again;
    }
    const frontier = run.frontier;
    let wanted = Math.min(cap, this.unitSize(frontier.remaining));
    if (this.table) {
      // A claim tells apart only claimLimit units of a level: the last one it can takes the rest.
      const claims = this.table.claimLimit - (run.created - run.claimBase);
      wanted = Math.max(wanted, claims <= 1 ? frontier.remaining : Math.ceil(frontier.remaining / claims));
    }
    const input = frontier.take(wanted, run.created, run.created - run.claimBase, this.settledBelow);
    run.created++;
    run.units[input.index] = { input, alone: run.committed === input.index, lastSegment: frontier.lastTakenSegment };
    return input;
  }

  private accept(output: UnitOutput, fromWorker: boolean): void {
    const run = this.levelRun!;
    for (const spare of output.spares) this.buffers.give(spare);
    const slot = run.units[output.index];
    if (!slot || slot.output) return;
    slot.input = output.input;
    slot.output = output;
    if (fromWorker) this.workerCanonicalisingMilliseconds += output.canonicalisingMilliseconds;
    if (output.full) run.tableFull = true;
    else if (output.event && output.index < run.eventUnit) run.eventUnit = output.index;
  }

  private commitReady(): void {
    const run = this.levelRun!;
    while (!this.finished && run.committed < run.created) {
      const slot = run.units[run.committed];
      if (!slot?.output || slot.output.full) break;
      this.commit(slot.output, run.level, slot.alone);
      run.units[run.committed] = undefined;
      run.committed++;
      if (!this.finished) run.frontier.releaseBefore(slot.lastSegment);
    }
  }

  /**
   * Starts this run's worker threads once they would pay (see {@link threadsWouldPay}), between two
   * units: they join, unit by unit, once ready; the main thread goes on meanwhile. True when it
   * started them (or tried to).
   */
  private startWorkersIfTheyPay(now: number): boolean {
    const options = this.options;
    const frontier = this.frontier;
    const atState = options.startWorkersAtState;
    const verdict =
      atState !== undefined
        ? frontier.firstRecord + frontier.taken >= atState
          ? 'yes'
          : 'not yet'
        : threadsWouldPay(
            {
              seconds: (now - this.began) / 1000,
              levelStates: frontier.count,
              expandedStates: frontier.taken,
              nextLevelStates: this.next.count,
              previousLevelStates: this.previousLevelStates,
            },
            options.startWorkersAfterSeconds ?? DEFAULT_START_AFTER_SECONDS,
            options.minimumLevelForThreads ?? WIDE_ENOUGH_FOR_THREADS,
          );
    if (verdict !== 'yes') {
      // Narrow as of now: a wider level later that threads do not pay for yet leaves the reason open.
      this.soloReason = verdict === 'too narrow' ? 'narrow' : undefined;
      return false;
    }
    this.soloReason = undefined;
    // One try, whether the threads start or not.
    this.threadsTried = true;
    this.startWorkers();
    return true;
  }

  /**
   * Time, memory, Ctrl-C and progress, about every 50 ms; lets worker messages in. A promise only
   * when there is something to wait for: awaiting nothing after every unit cost a run of 400,000
   * narrow levels (one unit each) a promise and a turn of the microtask queue per level.
   */
  private maybePause(frontier: number, yieldAnyway: boolean): Promise<void> | undefined {
    const now = performance.now();
    // Not once the run has ended (at the unit just committed): the threads could not take part.
    if (!this.threadsTried && !this.finished && !this.stopReason && this.startWorkersIfTheyPay(now) && this.options.waitForWorkers) {
      return this.waitForWorkersThenPause(frontier, yieldAnyway);
    }
    if (now - this.lastPause >= PAUSE_EVERY_MS) return this.pause(now, frontier);
    if (yieldAnyway) return yieldToEventLoop();
    return undefined;
  }

  /** The threads were just tried (`threadsTried`), so the pause that follows starts none. */
  private async waitForWorkersThenPause(frontier: number, yieldAnyway: boolean): Promise<void> {
    await this.pool?.settled();
    await this.maybePause(frontier, yieldAnyway);
  }

  /** Samples memory, reports progress, checks the limits and lets the event loop run (Ctrl-C). */
  private async pause(now: number, frontier: number): Promise<void> {
    this.lastPause = now;
    const reason = await this.control.pause(() => ({
      distinctStates: this.traces.size,
      transitions: this.transitions,
      depth: this.depth,
      frontier,
    }));
    if (reason) this.stopReason = reason;
  }

  /**
   * Replays one unit as the sequential explorer would have run it: its states' checks (witnesses,
   * and a violation or a property that threw at one of them), then its surviving claims, which
   * become records in order, and its event, if any, which ends the search with the counts of that
   * moment.
   */
  private commit(output: UnitOutput, level: LevelInfo, alone: boolean): void {
    const displacers = this.displacers;
    const chunks = output.chunks;
    const event = output.event;
    const input = output.input;
    const traces = this.traces;
    const before = this.transitions;
    if (output.witnesses.length > 0 && this.witnessAll(output, level)) return;
    if (event && (event.kind === 'always' || (event.kind === 'error' && event.checking))) {
      const record = input.firstRecord + event.parent;
      if (event.kind === 'always') {
        this.checker.violated = this.model.properties[event.property];
        this.checker.violatingRecord = record;
        this.violated = true;
      } else {
        this.error = propertyThrew(this.model, event.reason, record, level.depth, traces);
      }
      this.stopAt(record, event.found, level.depth);
      return;
    }
    for (let chunk = 0; output.displacing > 0 && chunk < chunks.length; chunk++) {
      const candidates = chunks[chunk]!;
      for (let offset = 0; offset < candidates.length; offset += CANDIDATE_HEADER + candidates[offset + 7]!) {
        const slotWord = candidates[offset]!;
        if (slotWord < 0) {
          // This claim displaced another (a later unit's, or an earlier claim it will lose to).
          displacers.note(-slotWord - 1, candidates[offset + 1]!);
        }
      }
    }
    for (let chunk = 0; chunk < chunks.length; chunk++) {
      const candidates = chunks[chunk]!;
      const end = candidates.length;
      let winners = 0;
      for (let offset = 0; offset < end; ) {
        const slotWord = candidates[offset]!;
        const parentRecord = candidates[offset + 1]!;
        const length = candidates[offset + 7]!;
        const at = offset;
        offset += CANDIDATE_HEADER + length;
        if (!alone) {
          // A claim lost iff a smaller parent displaced a claim on the same entry (it then holds
          // the entry or lost it to a smaller one still); those parents' units are committed.
          const displacer = displacers.of(slotWord < 0 ? -slotWord - 1 : slotWord);
          if (displacer !== undefined && displacer < parentRecord) {
            candidates[at + 1] = LOST;
            continue;
          }
        }
        if (traces.size >= this.maxStates) {
          this.transitions = before + candidates[at + 3]!;
          this.stopReason = 'max-states';
          // The states found before the limit was met are checked (the first `at` words of these).
          this.next.add(candidates, at, winners);
          this.checkUnchecked(this.checkedFrom(output), level.depth);
          this.finished = true;
          return;
        }
        traces.add(parentRecord, candidates[at + 2]!);
        if (this.reduction) this.countOrbit(candidates[at + 4]!);
        if (level.depth + 1 > this.depth) this.depth = level.depth + 1;
        // From now on the run's transitions when the state was found (see CANDIDATE_HEADER).
        candidates[at + 3] = (before + candidates[at + 3]!) | 0;
        winners++;
      }
      // The unit's candidates, the lost ones marked, are part of the next level as they are.
      this.next.add(candidates, end, winners);
    }
    if (event) {
      if (event.kind === 'terminal') {
        this.checker.violated = this.model.properties[event.property];
        this.checker.violatingRecord = input.firstRecord + event.parent;
        this.violated = true;
      } else {
        this.error = this.describeError(event.reason, event.actionText, event.decoding, input.firstRecord + event.parent, event.contract ? 'model-contract' : 'model-threw');
      }
      this.transitions = before + event.transitions;
      // Unless a state found earlier, not checked yet, stops the run first.
      this.checkUnchecked(this.checkedFrom(output), level.depth);
      this.finished = true;
      return;
    }
    this.transitions = before + output.transitions;
    this.lastChecked = { record: input.firstRecord + input.count - 1, found: output.lastFound, depth: level.depth };
  }

  /**
   * The level at the depth limit: its states are checked and probed (see {@link DepthLimitProbe}),
   * not expanded, in record order, as the sequential explorer does; on the main thread alone, since
   * a depth limit is a one-off level (simplicity over speed).
   */
  private async probeLimitLevel(): Promise<void> {
    const model = this.model;
    const depth = this.levelDepth;
    const frontier = this.frontier;
    let action: Action | undefined;
    const heard = (taken: Action | undefined) => (action = taken);
    const successors = new SuccessorLook(model, new WordWriter(), new Fingerprinter(), heard);
    const limitProbe = new DepthLimitProbe(model, this.checker, successors, this.visited, heard);
    /** The record after which the probes stopped to pause (-1: they did not). */
    let pausedAfter = -1;
    const probe = (state: State, record: number, high: number, low: number, found: number): boolean => {
      this.lastChecked = { record, found, depth };
      let failsTerminal: boolean;
      try {
        failsTerminal = limitProbe.probe(state, record, high, low);
      } catch (thrown) {
        const reason = reasonOf(thrown);
        this.error = this.describeError(reason, action === undefined ? undefined : formatAction(model, state, action), false, record, thrown instanceof ContractBreach ? 'model-contract' : 'model-threw');
        // The states after it are checked: a violation among them stops the run first.
        this.checkUnchecked(record + 1, depth, false);
        this.finished = true;
        return true;
      }
      if (limitProbe.cutOff) this.stopReason = 'max-depth';
      if (!failsTerminal) {
        // Probing costs what expanding does, and the rest of the level once the limit cut something
        // off is still checked (and probed for terminal states when a terminal property is
        // checked): a wide level at the limit must still see Ctrl-C.
        if (!this.control.tick()) return false;
        pausedAfter = record;
        return true;
      }
      // A terminal violation: unless a state after it, checked first, stops the run.
      this.violated = true;
      this.checkUnchecked(record + 1, depth, false);
      this.finished = true;
      return true;
    };
    for (let from = frontier.firstRecord; ; from = pausedAfter + 1) {
      pausedAfter = -1;
      this.checkUnchecked(from, depth, false, probe);
      if (pausedAfter < 0 || this.finished) break;
      const cutOff = this.stopReason;
      await this.pause(performance.now(), frontier.count - (pausedAfter + 1 - frontier.firstRecord));
      // Stopped while probing (beyond the limit's own max-depth): the counts are of the last state
      // checked, as after any other stop.
      if (this.stopReason !== cutOff) return;
    }
    // When the limit cut nothing off the run is the full run, and counts what the probes took.
    this.transitions += limitProbe.transitions;
  }

  /** The first record of the unit's level that the unit did not check. */
  private checkedFrom(output: UnitOutput): number {
    const event = output.event;
    const input = output.input;
    return input.firstRecord + (event ? event.parent + 1 : input.count);
  }

  /**
   * Records the unit's witnesses (each at the state of the unit that satisfied it first), in the
   * order of those states, through the shared checker; true when the search settles at one (it is
   * then over).
   */
  private witnessAll(output: UnitOutput, level: LevelInfo): boolean {
    const input = output.input;
    const found = output.witnesses
      .map((parent, index) => ({ parent, property: level.unwitnessed[index]! }))
      .filter(({ parent, property }) => parent >= 0 && !this.witnessed.has(property))
      .sort((a, b) => a.parent - b.parent);
    for (const { parent } of found) {
      const record = input.firstRecord + parent;
      const { words, at } = stateInUnit(input, parent);
      this.witness(words, at, record);
      if (this.checker.settled) {
        this.settled = true;
        this.stopAt(record, words[at + 3]!, level.depth);
        return true;
      }
    }
    return false;
  }

  /** The state of the candidate at `at` (see CANDIDATE_HEADER), decoded on the main thread. */
  private decodeCandidate(words: Int32Array, at: number): State {
    const start = at + CANDIDATE_HEADER;
    return this.model.decode(new WordReader(words, start, start + words[at + 7]!));
  }

  /** Records a sometimes witness through the shared checker, on the state decoded from the candidate at `at`. */
  private witness(words: Int32Array, at: number, record: number): void {
    const state = this.decodeCandidate(words, at);
    let violated = false;
    try {
      violated = this.checker.checkNew(state, record);
    } catch {
      // A property threw at this state after the witness: the unit's event reports it.
    }
    if (violated) {
      // Decoding changed the state (the model breaks the encode/decode contract): the workers'
      // check of the state itself found no violation, so none is recorded here.
      this.checker.violated = undefined;
      this.checker.violatingRecord = -1;
    }
    this.noteWitnesses();
  }

  /**
   * The search stops at the state with this record, whose candidate header word 3 is `found`:
   * its counts are those of the moment it was found.
   */
  private stopAt(record: number, found: number, depth: number): void {
    this.stoppedAt = foundStatistics(record, found, depth, this.transitions);
    this.noteWitnesses();
    this.stopReason = undefined;
    this.finished = true;
  }

  /**
   * Checks, in record order, the states found and not checked yet: those of the current level
   * from `from` on, then those of the next level found so far; stops at the first that stops the
   * search. Called before an event met while expanding (a terminal state that fails, the model
   * throwing, a limit), since the sequential explorer checks a state when it is found. At the depth
   * limit, `probe` follows each check that does not stop the search; true when it stops it.
   */
  private checkUnchecked(
    from: number,
    depth: number,
    withNextLevel = true,
    probe?: (state: State, record: number, high: number, low: number, found: number) => boolean,
  ): void {
    let checking = -1;
    let decoding = -1;
    let checkingFound = 0;
    let checkingDepth = depth;
    const visit = (words: Int32Array, at: number, record: number): boolean => {
      decoding = record;
      const state = this.decodeCandidate(words, at);
      checking = record;
      checkingFound = words[at + 3]!;
      const violated = this.checker.checkNew(state, record);
      checking = -1;
      if (!violated && !this.checker.settled) return probe !== undefined && probe(state, record, words[at + 5]!, words[at + 6]!, checkingFound);
      if (violated) this.violated = true;
      else this.settled = true;
      this.error = undefined;
      this.stopAt(record, checkingFound, checkingDepth);
      return true;
    };
    try {
      if (this.frontier.visitFrom(from, visit) || !withNextLevel) return;
      checkingDepth = depth + 1;
      this.next.visitFrom(this.next.firstRecord, visit);
    } catch (thrown) {
      if (checking < 0) {
        // Decoding threw. At the depth limit (no next level) the sequential explorer meets it as
        // it decodes the level's states to check them: it is the run's error, and the states after
        // it are still checked. After another event (a terminal violation or an error there too),
        // the model breaks its own contract there, and the event stands.
        if (withNextLevel || this.error || this.violated) return;
        this.error = this.describeError(reasonOf(thrown), undefined, true, decoding);
        this.checkUnchecked(decoding + 1, depth, false);
        return;
      }
      this.violated = false;
      this.error = propertyThrew(this.model, thrown, checking, checkingDepth, this.traces);
      this.stopAt(checking, checkingFound, checkingDepth);
    }
  }

  private describeError(reason: string, actionText: string | undefined, decoding: boolean, record: number, code: ModelError['code'] = 'model-threw'): ModelError {
    return modelThrew(reason, actionText, { record, depth: this.levelDepth, decoding }, (at) => this.traces.pathTo(at), code);
  }

  private finish(): Exploration {
    const control = this.control;
    const checker = this.checker;
    const traces = this.traces;
    control.sampleMemory();
    const seconds = control.seconds();
    let stoppedAt = this.stoppedAt;
    const lastChecked = this.lastChecked;
    const stopReason = this.stopReason;
    if (!stoppedAt && lastChecked && stopsAtOnce(stopReason)) {
      // Stopped by time, memory or Ctrl-C: the counts of the moment the state checked last was
      // found, so that every state counted was checked.
      stoppedAt = foundStatistics(lastChecked.record, lastChecked.found, lastChecked.depth, this.transitions);
    }
    const distinctStates = stoppedAt?.distinctStates ?? traces.size;
    const pathTo = (record: number) => traces.pathTo(record);
    const error = this.error;
    const complete = !this.violated && !error && !stopReason;
    const violation = error ? undefined : checker.violation(pathTo, complete);
    let status: CheckStatus;
    if (error) status = 'error';
    else if (this.violated) status = 'violation';
    else if (stopReason) status = 'incomplete';
    else status = violation ? 'violation' : 'ok';
    const reduction = this.reduction;
    const canonicalisingMilliseconds = reduction
      ? reduction.canonicalisingMilliseconds + this.workerCanonicalisingMilliseconds
      : 0;
    const workersUsed = 1 + (this.pool?.contributors ?? 0);
    const result: CheckResult = {
      status,
      statistics: {
        distinctStates,
        transitions: stoppedAt?.transitions ?? this.transitions,
        depth: stoppedAt?.depth ?? this.depth,
        seconds,
        statesPerSecond: seconds > 0 ? distinctStates / seconds : distinctStates,
        peakMemoryBytes: control.peakMemoryBytes,
        storeBytes: this.visited.approximateBytes() + traces.approximateBytes(),
        collisionProbability: collisionProbability(distinctStates),
        workers: this.threads,
        workersUsed,
        ...(workersUsed === 1 && this.threads > 1 ? { soloReason: this.soloReason ?? (this.pool?.excuse !== undefined ? 'no threads' : 'short') } : {}),
      },
      properties: checker.outcomes(pathTo),
      ...(violation ? { violation } : {}),
      ...(status === 'incomplete' && stopReason ? { incompleteReason: stopReason } : {}),
      ...(error ? { error } : {}),
      ...(this.settled && status === 'ok' ? { settledEarly: true as const } : {}),
      ...(reduction
        ? {
            symmetry: {
              sets: reduction.sets,
              // Orbits are counted as states are found: unknown for a run stopped at a state found earlier.
              ...(this.orbitsKnown && !stoppedAt && this.unreducedStates > 0
                ? {
                    unreducedStates: this.unreducedStates,
                    reductionFactor: distinctStates > 0 ? this.unreducedStates / distinctStates : 1,
                  }
                : {}),
              canonicalisingSeconds: canonicalisingMilliseconds / 1000,
            },
          }
        : {}),
    };
    return { result, visited: this.visited, traces };
  }
}
