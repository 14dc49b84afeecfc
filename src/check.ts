/**
 * Checking a model end to end: explore it, then rebuild the counterexample (or the error's path)
 * by replay so that it can be shown. The library entry point the CLI and the tests use.
 */
import type { Model } from './model.ts';
import { exploreBreadthFirst } from './explore/breadth-first.ts';
import type { CheckResult, ExploreOptions } from './explore/result.ts';
import { replayPath, type Trace } from './trace/replay.ts';

export interface CheckReport<State, Action> {
  readonly result: CheckResult;
  /** The shortest counterexample, when an always or terminal property failed. */
  readonly counterexample?: Trace<State, Action>;
}

export async function checkModel<State, Action>(
  model: Model<State, Action>,
  options: ExploreOptions = {},
): Promise<CheckReport<State, Action>> {
  const { result, visited } = await exploreBreadthFirst(model, options);
  const path = result.violation?.path;
  if (!path) return { result };
  return { result, counterexample: replayPath(model, path, visited) };
}
