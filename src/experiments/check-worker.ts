/**
 * One check in a worker thread of its own, so that a large experiment point does not hold up the
 * others and its memory goes when it ends. The thread builds the model from the spec (bundled
 * into its code, see src/explore/worker-script.ts), runs `checkModel`, posts the result and
 * ends. A `stop` message aborts the check, which then reports what it explored so far.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { checkModel } from '../check.ts';
import { guardProcessFromSpecs } from '../process-guards.ts';
import { buildSpecModel, type PreloadedSpec } from '../explore/parallel-worker.ts';
import type { CheckResult, Progress } from '../explore/result.ts';

/** What to check: the spec, resolved parameters, and the run's options. */
export interface PointRequest {
  readonly specPath: string;
  readonly parameters: Readonly<Record<string, string | number>>;
  readonly symmetry?: readonly string[];
  readonly properties?: readonly string[];
  readonly maxStates?: number;
  readonly maxSeconds?: number;
  readonly maxMemoryBytes?: number;
  /** Explorer threads for this check (default 1). */
  readonly workers?: number;
}

/** The result of one check, with the shortest counterexample's length and replay token. */
export interface PointOutcome {
  readonly result: CheckResult;
  readonly counterexample?: { readonly length: number; readonly token: string };
  /** The shortest witness of each sometimes property named in the request's properties and witnessed. */
  readonly witnesses?: readonly { readonly property: string; readonly length: number; readonly token: string }[];
  /** The run was interrupted before this point's check began: its result holds no counts. */
  readonly notStarted?: true;
  /**
   * The spec's code had not returned some seconds after the check should have stopped (its
   * --max-seconds, or an interrupt): its thread was terminated, and the counts are those of its
   * last progress report.
   */
  readonly notReturned?: true;
}

export type FromCheckWorker =
  | { readonly type: 'done'; readonly outcome: PointOutcome }
  /** About once a second: what a thread stopped from outside (its spec code stuck) still counts. */
  | { readonly type: 'progress'; readonly progress: Progress }
  | { readonly type: 'failed'; readonly message: string };

export type ToCheckWorker = { readonly type: 'stop' };

/** Marks the workerData of a thread that loads this module through tsx and must start itself. */
export const CHECK_WORKER_MARK = 'synod-check-worker';

/** Runs the check a thread was started for; `preloaded` is the spec when bundled with this module. */
export function runCheckWorker(preloaded?: PreloadedSpec): void {
  // A spec's process.exit would end this thread, and its console.log would reach the sweep's stdout.
  guardProcessFromSpecs();
  const port = parentPort!;
  const request = (workerData as { request: PointRequest }).request;
  const controller = new AbortController();
  port.on('message', (message: ToCheckWorker) => {
    if (message.type === 'stop') controller.abort();
  });
  void (async () => {
    try {
      // The model as the spec builds it: checkModel selects the properties and wraps it as synod check does.
      const model = await buildSpecModel({ specPath: request.specPath, parameters: request.parameters }, preloaded);
      const report = await checkModel(model, {
        ...(request.symmetry?.length ? { symmetry: request.symmetry } : {}),
        ...(request.properties?.length ? { properties: request.properties } : {}),
        ...(request.maxStates !== undefined ? { maxStates: request.maxStates } : {}),
        ...(request.maxSeconds !== undefined ? { maxSeconds: request.maxSeconds } : {}),
        ...(request.maxMemoryBytes !== undefined ? { maxMemoryBytes: request.maxMemoryBytes } : {}),
        ...((request.workers ?? 1) > 1 ? { workers: request.workers, source: { specPath: request.specPath, parameters: request.parameters } } : {}),
        signal: controller.signal,
        // Posted at once even while the spec's code holds this thread: postMessage needs no event loop.
        onProgress: (progress) => port.postMessage({ type: 'progress', progress } satisfies FromCheckWorker),
      });
      const trace = report.counterexample;
      const outcome: PointOutcome = {
        result: report.result,
        ...(trace ? { counterexample: { length: trace.steps.length - 1, token: trace.token } } : {}),
        ...(report.witnesses
          ? { witnesses: report.witnesses.map((witness) => ({ property: witness.property, length: witness.trace.steps.length - 1, token: witness.trace.token })) }
          : {}),
      };
      port.postMessage({ type: 'done', outcome } satisfies FromCheckWorker);
    } catch (error) {
      port.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error) } satisfies FromCheckWorker);
    }
    port.close();
  })();
}

if (!isMainThread && (workerData as { mark?: string } | null)?.mark === CHECK_WORKER_MARK) runCheckWorker();
