/**
 * The worker threads of the parallel explorer (src/explore/parallel.ts): starting them with the
 * explorer's code and the spec, handing them units of work and collecting the results, taking back
 * units a thread has not started, and having them move parts of a growth of the shared visited set.
 */
import { Worker } from 'node:worker_threads';
import type { MovedEntries, SharedFingerprintSet, TableGrowth } from '../store/shared-fingerprint-set.ts';
import { WORKER_MARK, type FromWorker, type LevelInfo, type ModelSource, type ToWorker, type UnitInput, type UnitOutput } from './parallel-worker.ts';
import { bundleWorkerScript, workerBootstrapScript, type WorkerEntry } from './worker-script.ts';

/**
 * Units a worker holds at once: one running and two queued, so that it does not wait while the
 * main thread is busy with a unit of its own.
 */
const UNITS_PER_WORKER = 3;
/** The first unit a new worker thread gets (see PoolWorker.unitCap). */
const FIRST_WORKER_UNIT = 32;

interface PoolWorker {
  readonly worker: Worker;
  /** Booted, and has built the current run's model. */
  ready: boolean;
  /** Gone for good (crashed, or the pool closed). */
  dead: boolean;
  /** Could not build the current run's model: sits this run out. */
  excused: boolean;
  outstanding: number;
  /** Units sent and not yet answered, in order (the main thread may take back one not started). */
  readonly queue: number[];
  tableGeneration: number;
  /** Units this worker expanded in the current run. */
  units: number;
  /** Moving a part of a growth of the visited set. */
  moving: boolean;
  /**
   * Most states in the next unit for this worker: a new thread's code is not compiled yet and
   * runs its first states many times slower, so it starts with small units (doubling with each).
   */
  unitCap: number;
}

/**
 * Worker threads for the parallel explorer. A run makes its own and closes it at the end; a
 * caller that checks many models (tests, parameter sweeps) can start one with
 * {@link WorkerPool.start} and pass it to every run (`pool` option), saving the threads' start-up,
 * and close it when done.
 *
 * How a thread gets its code. Workers run TypeScript from source like the rest of synod, and
 * registering tsx in a thread costs about 0.4 s of CPU (it starts a loader thread of its own) and
 * slows the main thread down while it happens. So a pool for one spec ({@link WorkerPool.start}
 * with a source) first asks esbuild (which tsx itself runs on) to bundle parallel-worker.ts with
 * the spec into one script, which a thread loads in about 40 ms; when esbuild cannot be loaded or
 * cannot bundle the spec, and for pools that serve any spec, threads register tsx and import the
 * spec themselves.
 */
export class WorkerPool {
  private readonly members: PoolWorker[] = [];
  private readonly results: UnitOutput[] = [];
  /** What the workers moved of the current growth of the visited set, by part. */
  private moved: (MovedEntries | undefined)[] = [];
  private wake: (() => void) | undefined;
  private tableGeneration = 0;
  private table: SharedFingerprintSet | undefined;
  /** Messages carry the run they belong to; late results of an earlier run are dropped. */
  private run = 0;
  /** The init message of the current run, for threads that start after it began. */
  private init: ToWorker | undefined;
  /** Threads still to be created (their code is being bundled). */
  private pending: number;
  private closed = false;
  failure: Error | undefined;
  /** Why a thread sat the current run out, if one did: it could not build the run's model. */
  excuse: string | undefined;
  /** Parts of growths of the visited set that worker threads moved, over the pool's life. */
  partsMoved = 0;

  /**
   * Starts `count` worker threads (they boot in the background). With `source`, the threads
   * serve that spec only, and start faster (see above); without, any spec.
   */
  static start(count: number, source?: ModelSource): WorkerPool {
    return new WorkerPool(count, source);
  }

  private constructor(count: number, source?: ModelSource) {
    this.pending = count;
    if (!source) {
      this.spawn(workerBootstrap(), WORKER_MARK);
      return;
    }
    void bundleWorker(source.specPath).then((bundle) => {
      try {
        if (bundle !== undefined) this.spawn(bundle, BUNDLED_WORKER_MARK);
        else this.spawn(workerBootstrap(), WORKER_MARK);
      } catch {
        // No way to start a thread: the run goes on without.
        this.pending = 0;
        this.signal();
      }
    });
  }

  private spawn(code: string, mark: string): void {
    const count = this.pending;
    this.pending = 0;
    if (this.closed) return;
    for (let i = 0; i < count; i++) {
      const worker = new Worker(code, { eval: true, workerData: { mark } });
      const member: PoolWorker = {
        worker,
        ready: false,
        dead: false,
        excused: false,
        outstanding: 0,
        queue: [],
        tableGeneration: this.tableGeneration,
        units: 0,
        moving: false,
        unitCap: FIRST_WORKER_UNIT,
      };
      this.members.push(member);
      worker.on('message', (message: FromWorker) => this.receive(member, message));
      worker.on('error', (error: unknown) => this.lose(member, error instanceof Error ? error : new Error(String(error))));
      worker.on('exit', (code) => this.lose(member, new Error(`a worker thread exited with code ${code}`)));
      // The table may have grown since the run began: send the current one.
      if (this.init?.type === 'init' && this.table) worker.postMessage({ ...this.init, table: this.table.sharedBuffer });
    }
    this.signal();
  }

  /** Threads in the pool that have not died (including those still being created). */
  get size(): number {
    return this.pending + this.members.filter((member) => !member.dead).length;
  }

  /** Starts a run: every worker builds the model from `source` and uses `table`. */
  begin(source: ModelSource, table: SharedFingerprintSet, properties: readonly string[], signature: readonly number[]): void {
    this.run++;
    this.table = table;
    this.results.length = 0;
    this.failure = undefined;
    this.excuse = undefined;
    for (const member of this.members) {
      member.ready = false;
      member.excused = false;
      member.outstanding = 0;
      member.queue.length = 0;
      member.units = 0;
      member.moving = false;
      member.tableGeneration = this.tableGeneration;
    }
    const init: ToWorker = { type: 'init', run: this.run, source, table: table.sharedBuffer, properties, signature };
    this.init = init;
    for (const member of this.members) {
      if (member.dead) continue;
      member.worker.postMessage(init);
    }
  }

  /** Ends a run: whatever its workers still send is ignored. */
  end(): void {
    this.run++;
    this.init = undefined;
    this.table = undefined;
    this.results.length = 0;
    for (const member of this.members) {
      member.ready = false;
      member.outstanding = 0;
      member.queue.length = 0;
    }
  }

  private receive(member: PoolWorker, message: FromWorker): void {
    if (message.type === 'failed' && message.run === undefined) {
      // The thread could not even start (no tsx to load TypeScript with): it is of no use.
      member.dead = true;
      void member.worker.terminate();
      this.signal();
      return;
    }
    if (message.run !== this.run) return;
    switch (message.type) {
      case 'ready':
        member.ready = true;
        if (member.tableGeneration !== this.tableGeneration) this.sendTable(member);
        break;
      case 'failed':
        // The spec would not load or build in this thread, or built another model: explore without it.
        member.excused = true;
        this.excuse = message.message;
        break;
      case 'result':
        this.answered(member, message.output.index);
        member.units++;
        member.unitCap *= 2;
        this.results.push(message.output);
        break;
      case 'skipped':
        this.answered(member, message.index);
        break;
      case 'moved':
        member.moving = false;
        this.moved[message.part] = message.moved;
        this.partsMoved++;
        break;
    }
    this.signal();
  }

  private answered(member: PoolWorker, index: number): void {
    member.outstanding--;
    const at = member.queue.indexOf(index);
    if (at >= 0) member.queue.splice(at, 1);
  }

  /** Units sent to workers and not yet answered. */
  get outstanding(): number {
    let count = 0;
    for (const member of this.members) count += member.outstanding;
    return count;
  }

  /**
   * Takes back the lowest unit (up to `last`) that a worker holds but has not started, for the main
   * thread to run: the level then never waits for units queued behind a slow or descheduled worker.
   */
  steal(taken: Int32Array, last: number): number | undefined {
    let best: number | undefined;
    for (const member of this.members) {
      for (const index of member.queue) {
        if (index <= last && (best === undefined || index < best) && Atomics.load(taken, index) === 0) best = index;
      }
    }
    if (best === undefined || Atomics.compareExchange(taken, best, 0, 2) !== 0) return undefined;
    return best;
  }

  private lose(member: PoolWorker, error: Error): void {
    if (member.dead) return;
    member.dead = true;
    // A worker that fails while it holds units takes them with it: the run cannot go on exactly.
    if (member.ready && (member.outstanding > 0 || member.moving)) this.failure = new Error(`a worker thread failed: ${error.message}`);
    this.signal();
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private sendTable(member: PoolWorker): void {
    member.tableGeneration = this.tableGeneration;
    const message: ToWorker = { type: 'table', table: this.table!.sharedBuffer };
    member.worker.postMessage(message);
  }

  /** The table was rehashed (no unit is running): every ready worker switches to the new buffer. */
  tableChanged(): void {
    this.tableGeneration++;
    for (const member of this.members) if (member.ready && !member.dead) this.sendTable(member);
  }

  /**
   * Has the ready workers move parts 1 to n of a growth of the visited set, one part each (no unit
   * is running; the caller moves part 0 meanwhile): resolves with what each moved, by part.
   */
  async moveParts(growth: TableGrowth): Promise<MovedEntries[]> {
    const parts = growth.bounds.length - 1;
    const movers = this.members.filter((member) => this.usable(member));
    if (movers.length < parts - 1) throw new Error(`${parts - 1} parts of the visited set to move and ${movers.length} threads ready`);
    this.moved = [];
    for (let part = 1; part < parts; part++) {
      const member = movers[part - 1]!;
      member.moving = true;
      const message: ToWorker = { type: 'move', run: this.run, growth, part };
      member.worker.postMessage(message);
    }
    for (;;) {
      if (this.failure) throw this.failure;
      let done = 0;
      for (let part = 1; part < parts; part++) if (this.moved[part]) done++;
      if (done === parts - 1) break;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
    const moved = this.moved.slice(1) as MovedEntries[];
    this.moved = [];
    return moved;
  }

  private usable(member: PoolWorker): boolean {
    return member.ready && !member.dead && !member.excused;
  }

  /** A ready worker with room for another unit. */
  idle(): PoolWorker | undefined {
    for (const member of this.members) {
      if (this.usable(member) && member.outstanding < UNITS_PER_WORKER) return member;
    }
    return undefined;
  }

  get readyCount(): number {
    return this.members.filter((member) => this.usable(member)).length;
  }

  /** Worker threads that expanded at least one unit in the current run. */
  get contributors(): number {
    return this.members.filter((member) => member.units > 0).length;
  }

  send(member: PoolWorker, unit: UnitInput, level: LevelInfo, spares: readonly SharedArrayBuffer[]): void {
    member.outstanding++;
    member.queue.push(unit.index);
    const message: ToWorker = { type: 'expand', run: this.run, unit, level, spares };
    // The unit is a view of the shared frontier and the spares are shared: sent without a copy.
    member.worker.postMessage(message);
  }

  takeResult(): UnitOutput | undefined {
    if (this.failure) throw this.failure;
    return this.results.shift();
  }

  /** Resolves once every worker is ready for the current run, excused, or gone. */
  async settled(): Promise<void> {
    while (this.pending > 0 || this.members.some((member) => !member.ready && !member.dead && !member.excused)) {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  /**
   * Resolves on the next result, readiness or failure, or after `waitAtMostMs`: the caller checks
   * Ctrl-C and its limits between waits, and a unit may never come back (a spec's code that never
   * returns holds its thread).
   */
  event(waitAtMostMs: number): Promise<void> {
    if (this.results.length > 0 || this.failure) return Promise.resolve();
    return new Promise((resolve) => {
      const woken = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        if (this.wake === woken) this.wake = undefined;
        resolve();
      }, waitAtMostMs);
      this.wake = woken;
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.end();
    // A run still waiting on the threads fails instead of waiting for ever.
    this.failure = new Error('the worker threads were stopped');
    this.signal();
    await Promise.all(
      this.members.map((member) => {
        member.dead = true;
        return member.worker.terminate();
      }),
    );
  }
}

/** Marks the workerData of a bundled worker, whose bundle starts the worker loop itself. */
const BUNDLED_WORKER_MARK = 'synod-parallel-worker-bundled';

/**
 * The explorer's worker module. Resolved when called, not when this module loads: this module may
 * itself be bundled into another worker's CommonJS script, where `import.meta.url` is not set.
 */
function parallelWorker(): WorkerEntry {
  return { moduleUrl: new URL('./parallel-worker.ts', import.meta.url), start: 'runWorker' };
}

function bundleWorker(specPath: string): Promise<string | undefined> {
  return bundleWorkerScript(parallelWorker(), specPath);
}

/** The code a worker thread starts with: register tsx, then load parallel-worker.ts. */
function workerBootstrap(): string {
  return workerBootstrapScript(parallelWorker());
}
