/**
 * Runs a list of checks with bounded concurrency (p-queue), each in a worker thread of its own,
 * and returns their outcomes in the order given, whatever order they finish in. A point whose
 * thread fails is an `error` outcome; points not started when the run is aborted are recorded as
 * incomplete (`interrupted`), never dropped.
 */
import PQueue from 'p-queue';
import type { CheckResult } from '../explore/result.ts';
import type { PointOutcome, PointRequest } from './check-worker.ts';
import { PointRunner } from './point-runner.ts';

export interface PointsProgress {
  readonly done: number;
  readonly running: number;
  readonly left: number;
  readonly seconds: number;
}

export interface RunPointsOptions {
  /** Checks that run at once, each in its own thread. */
  readonly concurrency: number;
  readonly signal?: AbortSignal;
  /** Called when a point ends. */
  readonly onProgress?: (progress: PointsProgress) => void;
}

const EMPTY_STATISTICS = {
  distinctStates: 0,
  transitions: 0,
  depth: 0,
  seconds: 0,
  statesPerSecond: 0,
  peakMemoryBytes: 0,
  storeBytes: 0,
  collisionProbability: 0,
};

function notRun(): PointOutcome {
  return { result: { status: 'incomplete', incompleteReason: 'interrupted', statistics: EMPTY_STATISTICS, properties: [] } };
}

function failed(message: string): PointOutcome {
  const result: CheckResult = { status: 'error', statistics: EMPTY_STATISTICS, properties: [], error: { code: 'model-threw', message } };
  return { result };
}

export async function runPoints(requests: readonly PointRequest[], options: RunPointsOptions): Promise<PointOutcome[]> {
  const runner = new PointRunner();
  const queue = new PQueue({ concurrency: Math.max(1, options.concurrency) });
  const outcomes: PointOutcome[] = new Array<PointOutcome>(requests.length);
  const startedAt = performance.now();
  let done = 0;
  let running = 0;
  const report = () =>
    options.onProgress?.({ done, running, left: requests.length - done - running, seconds: (performance.now() - startedAt) / 1000 });
  requests.forEach((request, index) => {
    void queue.add(async () => {
      if (options.signal?.aborted) {
        outcomes[index] = notRun();
        done++;
        return;
      }
      running++;
      try {
        outcomes[index] = await runner.run(request, options.signal);
      } catch (error) {
        outcomes[index] = failed(error instanceof Error ? error.message : String(error));
      }
      running--;
      done++;
      report();
    });
  });
  await queue.onIdle();
  return outcomes;
}
