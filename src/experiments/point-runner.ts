/**
 * Runs experiment points, each check in a worker thread of its own (src/experiments/check-worker.ts).
 * The worker's code is prepared once per spec file and reused for every point of that spec.
 */
import { Worker } from 'node:worker_threads';
import { bundleWorkerScript, workerBootstrapScript, type WorkerEntry } from '../explore/worker-script.ts';
import { CHECK_WORKER_MARK, type FromCheckWorker, type PointOutcome, type PointRequest, type ToCheckWorker } from './check-worker.ts';

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
  async run(request: PointRequest, signal?: AbortSignal): Promise<PointOutcome> {
    // A check with explorer threads of its own starts them from its source files, which a
    // bundle does not keep (import.meta.url): such a thread loads through tsx instead.
    const { code, mark } =
      (request.workers ?? 1) > 1
        ? { code: workerBootstrapScript(checkWorker()), mark: CHECK_WORKER_MARK }
        : await this.codeFor(request.specPath);
    return new Promise<PointOutcome>((resolve, reject) => {
      const worker = new Worker(code, { eval: true, workerData: { mark, request } });
      let settled = false;
      const stop = () => worker.postMessage({ type: 'stop' } satisfies ToCheckWorker);
      const finish = (outcome: PointOutcome | undefined, failure?: Error) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', stop);
        void worker.terminate();
        if (outcome) resolve(outcome);
        else reject(failure);
      };
      if (signal?.aborted) stop();
      else signal?.addEventListener('abort', stop, { once: true });
      worker.on('message', (message: FromCheckWorker) => {
        if (message.type === 'done') finish(message.outcome);
        else finish(undefined, new Error(message.message));
      });
      worker.on('error', (error: unknown) => finish(undefined, error instanceof Error ? error : new Error(String(error))));
      worker.on('exit', (status) => finish(undefined, new Error(`the check's thread exited with code ${status}`)));
    });
  }
}
