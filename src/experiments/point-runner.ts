/**
 * Runs experiment points, each check in a worker thread of its own (src/experiments/check-worker.ts).
 * The worker's code is prepared once per spec file and reused for every point of that spec.
 *
 * A check stops itself at its --max-seconds or when asked to, but only between calls into the
 * spec: spec code that never returns (a loop in an action) keeps its thread forever. The main
 * thread stays free, so it terminates such a thread once the grace period after the limit or the
 * interrupt has passed, and records the point as incomplete (see notReturned).
 */
import { Worker } from 'node:worker_threads';
import { bundleWorkerScript, workerBootstrapScript, type WorkerEntry } from '../explore/worker-script.ts';
import type { Progress } from '../explore/result.ts';
import { CHECK_WORKER_MARK, type FromCheckWorker, type PointOutcome, type PointRequest, type ToCheckWorker } from './check-worker.ts';
import { notReturned, type NotReturnedTrigger } from './point-outcomes.ts';

/** How long a check has, after its --max-seconds or an interrupt, before its thread is terminated. */
export const RETURN_GRACE_SECONDS = 5;

/** A bundled thread starts its check itself; this mark keeps the module's own start from firing too. */
const BUNDLED_CHECK_WORKER_MARK = 'synod-check-worker-bundled';

function checkWorker(): WorkerEntry {
  return { moduleUrl: new URL('./check-worker.ts', import.meta.url), start: 'runCheckWorker' };
}

interface WorkerCode {
  readonly code: string;
  readonly mark: string;
}

export class PointRunner {
  private readonly code = new Map<string, Promise<WorkerCode>>();

  /** `graceSeconds`: see RETURN_GRACE_SECONDS (tests shorten it). */
  constructor(private readonly graceSeconds = RETURN_GRACE_SECONDS) {}

  /** The thread code for a spec: an esbuild bundle of the worker and the spec, or the tsx bootstrap. */
  private codeFor(specPath: string): Promise<WorkerCode> {
    let code = this.code.get(specPath);
    if (!code) {
      code = bundleWorkerScript(checkWorker(), specPath).then((bundle) =>
        bundle !== undefined
          ? { code: bundle, mark: BUNDLED_CHECK_WORKER_MARK }
          : { code: workerBootstrapScript(checkWorker()), mark: CHECK_WORKER_MARK },
      );
      this.code.set(specPath, code);
    }
    return code;
  }

  /**
   * Checks one point in a new thread. Aborting `signal` stops the check, which still reports
   * (incomplete, `interrupted`). Rejects when the thread fails (the spec throws while building).
   */
  async run(request: PointRequest, signal?: AbortSignal, hurry?: AbortSignal): Promise<PointOutcome> {
    // A check with explorer threads of its own starts them from its source files, which a
    // bundle does not keep (import.meta.url): such a thread loads through tsx instead.
    const { code, mark } =
      (request.workers ?? 1) > 1
        ? { code: workerBootstrapScript(checkWorker()), mark: CHECK_WORKER_MARK }
        : await this.codeFor(request.specPath);
    return new Promise<PointOutcome>((resolve, reject) => {
      const startedAt = performance.now();
      const worker = new Worker(code, { eval: true, workerData: { mark, request } });
      let settled = false;
      let lastProgress: Progress | undefined;
      const timers: ReturnType<typeof setTimeout>[] = [];
      const giveUpAfter = (seconds: number, trigger: NotReturnedTrigger) =>
        timers.push(setTimeout(() => finish(notReturned(trigger, (performance.now() - startedAt) / 1000, lastProgress)), seconds * 1000));
      const stop = () => {
        worker.postMessage({ type: 'stop' } satisfies ToCheckWorker);
        giveUpAfter(this.graceSeconds, 'interrupted');
      };
      // A second interrupt ends the thread now, as its grace running out would.
      const hurried = () => finish(notReturned('interrupted', (performance.now() - startedAt) / 1000, lastProgress));
      const finish = (outcome: PointOutcome | undefined, failure?: Error) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', stop);
        hurry?.removeEventListener('abort', hurried);
        for (const timer of timers) clearTimeout(timer);
        // Terminating ends spec code that never returns too (and the check's own explorer threads).
        void worker.terminate();
        if (outcome) resolve(outcome);
        else reject(failure);
      };
      // Counted from the thread's start, which is before the check's own clock starts: never early.
      if (request.maxSeconds !== undefined) giveUpAfter(request.maxSeconds + this.graceSeconds, 'max-seconds');
      if (signal?.aborted) stop();
      else signal?.addEventListener('abort', stop, { once: true });
      if (hurry?.aborted) hurried();
      else hurry?.addEventListener('abort', hurried, { once: true });
      worker.on('message', (message: FromCheckWorker) => {
        if (message.type === 'progress') lastProgress = message.progress;
        else if (message.type === 'done') finish(message.outcome);
        else finish(undefined, new Error(message.message));
      });
      worker.on('error', (error: unknown) => finish(undefined, error instanceof Error ? error : new Error(String(error))));
      worker.on('exit', (status) => finish(undefined, new Error(`the check's thread exited with code ${status}`)));
    });
  }
}
