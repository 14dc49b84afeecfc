/**
 * Checking a model end to end: explore it, then rebuild the counterexample (or the error's path)
 * by replay so that it can be shown. The library entry point the CLI and the tests use.
 */
import type { Model } from './model.ts';
import { exploreBreadthFirst } from './explore/breadth-first.ts';
import type { CheckResult, ExploreOptions } from './explore/result.ts';
import { replayPath, type Trace } from './trace/replay.ts';
import { SymmetryReduction } from './explore/symmetry.ts';
import { concretisePath } from './trace/concretise.ts';
import { selectProperties } from './explore/select-properties.ts';
import { exploreParallel, type ParallelOptions } from './explore/parallel.ts';

/**
 * `workers` above 1 (with a `source`, so that worker threads can build the model) explores with
 * the parallel explorer, which gives the same result as the sequential one; see
 * src/explore/parallel.ts for when it starts its threads. An `audit` run always explores sequentially.
 */
export interface CheckOptions extends ParallelOptions {
  /** Symmetric sets to reduce by (the model's `symmetry.sets`); empty or absent: no reduction. */
  readonly symmetry?: readonly string[];
  /** Check exactly these properties; by default every property that is not optional. */
  readonly properties?: readonly string[];
}

export interface CheckReport<State, Action> {
  readonly result: CheckResult;
  /** The shortest counterexample, when an always or terminal property failed. */
  readonly counterexample?: Trace<State, Action>;
}

export async function checkModel<State, Action>(
  model: Model<State, Action>,
  options: CheckOptions = {},
): Promise<CheckReport<State, Action>> {
  model = selectProperties(model, options.properties);
  const explored = options.symmetry?.length ? new SymmetryReduction(model, options.symmetry) : model;
  // The audit is a layer over the sequential explorer's visited set: an audited run uses one thread.
  const parallel = !options.audit && options.source !== undefined && (options.pool !== undefined || (options.workers ?? 1) > 1);
  const { result, visited } = parallel
    ? await exploreParallel(explored, {
        ...options,
        source: { ...options.source!, ...(options.symmetry?.length ? { symmetry: options.symmetry } : {}) },
      })
    : await exploreBreadthFirst(explored, options);
  const path = result.violation?.path;
  if (!path) return { result };
  if (explored === model) return { result, counterexample: replayPath(model, path, visited) };
  // Check the reduced path against the search, then show a concrete trace of the unreduced model.
  replayPath(explored, path, visited);
  return { result, counterexample: replayPath(model, concretisePath(model, explored, path)) };
}
