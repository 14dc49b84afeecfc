/**
 * The outcomes of points whose check did not report for itself: never started (the run was
 * interrupted first), failed (its thread died), or stopped from outside because the spec's code
 * never returned. A check that reported has its own outcome (src/experiments/check-worker.ts).
 */
import type { CheckResult, Progress } from '../explore/result.ts';
import type { PointOutcome } from './check-worker.ts';

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

/** Why a point's thread was stopped from outside: the limit or the interrupt its check did not answer. */
export type NotReturnedTrigger = 'max-seconds' | 'interrupted';

export function notRun(): PointOutcome {
  return { result: { status: 'incomplete', incompleteReason: 'interrupted', statistics: EMPTY_STATISTICS, properties: [] }, notStarted: true };
}

export function failed(message: string): PointOutcome {
  const result: CheckResult = { status: 'error', statistics: EMPTY_STATISTICS, properties: [], error: { code: 'model-threw', message } };
  return { result };
}

/**
 * A check whose spec code was still running after the grace period: incomplete, with the counts
 * of its last progress report (about a second old at most; none if it stuck before the first).
 */
export function notReturned(trigger: NotReturnedTrigger, seconds: number, last: Progress | undefined): PointOutcome {
  const statistics = {
    ...EMPTY_STATISTICS,
    ...(last ? { distinctStates: last.distinctStates, transitions: last.transitions, depth: last.depth, statesPerSecond: last.statesPerSecond } : {}),
    seconds,
  };
  return { result: { status: 'incomplete', incompleteReason: trigger, statistics, properties: [] }, notReturned: true };
}
