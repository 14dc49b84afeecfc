/**
 * Runs checks with bounded concurrency (p-queue), each in a worker thread of its own. A point
 * whose thread fails is an `error` outcome; a point not started when the run is aborted is
 * recorded as incomplete (`interrupted`), never dropped.
 */
import PQueue from 'p-queue';
import type { PointOutcome, PointRequest } from './check-worker.ts';
import { failed, notRun } from './point-outcomes.ts';
import { PointRunner } from './point-runner.ts';

export interface PointsProgress {
  /** Points with a result. */
  readonly done: number;
  readonly running: number;
  /** Points waiting for a slot. */
  readonly left: number;
  /** Points the run was interrupted before (recorded as not started). */
  readonly notStarted: number;
  readonly seconds: number;
}

export interface RunPointsOptions {
  /** Checks that run at once, each in its own thread. */
  readonly concurrency: number;
  readonly signal?: AbortSignal;
  /** Aborted at a second interrupt: the points still running are ended at once, not after their grace. */
  readonly hurry?: AbortSignal;
  /** Seconds a check has to stop after its limit or an interrupt before its thread is terminated. */
  readonly returnGraceSeconds?: number;
  /** Called when the first point starts, about once a second while points run, and at the end. */
  readonly onProgress?: (progress: PointsProgress) => void;
}

/** A queue of checks: `check` resolves with the point's outcome once a slot has run it. */
export class PointQueue {
  private readonly runner: PointRunner;
  private readonly queue: PQueue;
  private readonly startedAt = performance.now();
  private added = 0;
  private done = 0;
  private running = 0;
  private notStarted = 0;
  private lastReported = '';
  private lastReportedAt = Number.NEGATIVE_INFINITY;
  /** Reports progress while points run, so that a long point shows the run is alive. */
  private ticker: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly options: RunPointsOptions) {
    this.queue = new PQueue({ concurrency: Math.max(1, options.concurrency) });
    this.runner = new PointRunner(options.returnGraceSeconds);
  }

  check(request: PointRequest): Promise<PointOutcome> {
    this.added++;
    return this.queue.add(async () => {
      let outcome: PointOutcome;
      if (this.options.signal?.aborted) {
        outcome = notRun();
        this.notStarted++;
        // Once interrupted, the points left are set aside at once: one line for all of them, at the last.
        if (this.running > 0 || this.added - this.done - this.running - this.notStarted > 0) return outcome;
      } else {
        this.running++;
        // After the points added with this one (a queue starts its first at once, inside add).
        queueMicrotask(() => this.report());
        this.tick();
        try {
          outcome = await this.runner.run(request, this.options.signal, this.options.hurry);
        } catch (error) {
          outcome = failed(error instanceof Error ? error.message : String(error));
        }
        this.running--;
        this.done++;
        this.tick();
        // The queue starts the next point once this one's promise settles: counted now, it would
        // show one running too few, and hold that line a second or two.
        if (this.added - this.done - this.running - this.notStarted > 0) {
          setImmediate(() => this.report());
          return outcome;
        }
      }
      this.report();
      return outcome;
    }) as Promise<PointOutcome>;
  }

  private report(): void {
    const left = this.added - this.done - this.running - this.notStarted;
    const now = performance.now();
    const counts = `${this.done}/${this.running}/${left}/${this.notStarted}`;
    const last = this.running === 0 && left === 0;
    // At most once a second (fast points would print a line each), and the last counts once: the
    // ticker reports what changed in between. (Less 100 ms: the ticker's timer may fire a little early.)
    const withinTheSecond = now - this.lastReportedAt < PROGRESS_SECONDS * 1000 - 100;
    if (last ? counts === this.lastReported : withinTheSecond) return;
    this.lastReported = counts;
    this.lastReportedAt = now;
    this.options.onProgress?.({ done: this.done, running: this.running, left, notStarted: this.notStarted, seconds: (now - this.startedAt) / 1000 });
  }

  /** Keeps the once-a-second report going while a point runs, and stops it when none does. */
  private tick(): void {
    if (this.running > 0 && !this.ticker && this.options.onProgress) {
      this.ticker = setInterval(() => this.report(), PROGRESS_SECONDS * 1000);
      this.ticker.unref();
    } else if (this.running === 0 && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }
}

const PROGRESS_SECONDS = 1;

/** Checks every request; the outcomes come back in the order given, whatever order they finish in. */
export function runPoints(requests: readonly PointRequest[], options: RunPointsOptions): Promise<PointOutcome[]> {
  const queue = new PointQueue(options);
  return Promise.all(requests.map((request) => queue.check(request)));
}
