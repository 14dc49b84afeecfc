/**
 * Checking a model end to end: explore it, then rebuild the counterexample (or the error's path)
 * by replay so that it can be shown. The library entry point the CLI and the tests use.
 */
import type { Model } from './model.ts';
import { exploreBreadthFirst } from './explore/breadth-first.ts';
import type { CheckResult } from './explore/result.ts';
import { DETERMINISM_RULE, ReplayError, replayPath, replayToError, type Trace } from './trace/replay.ts';
import { SymmetryReduction } from './explore/symmetry.ts';
import { ConcretiseError, concretisePath } from './trace/concretise.ts';
import { MAX_WORKERS, exploreParallel, type ParallelOptions, type ParallelTuning } from './explore/parallel.ts';
import { withCheckedProperties } from './explore/history.ts';
import { ContractBreach } from './explore/contract-breach.ts';
import type { ReplayPath } from './store/trace-store.ts';

/**
 * `workers` above 1 (with a `source`, so that worker threads can build the model) explores with
 * the parallel explorer, which gives the same result as the sequential one; see
 * src/explore/parallel.ts for when it starts its threads. An `audit` run always explores sequentially.
 */
export interface CheckOptions<State = unknown, Action = unknown> extends ParallelOptions {
  /**
   * With `audit`: a second instance of the model, built apart from the same parameters (call the
   * spec's build again), so that the audit also finds a model that is not a function of its
   * arguments (randomness, the clock, state kept between calls); see BreadthFirstOptions.
   */
  readonly auditTwin?: Model<State, Action>;
  /** Symmetric sets to reduce by (the model's `symmetry.sets`); empty or absent: no reduction. */
  readonly symmetry?: readonly string[];
  /** Check exactly these properties; by default every property that is not optional. */
  readonly properties?: readonly string[];
}

export interface CheckReport<State, Action> {
  readonly result: CheckResult;
  /**
   * The model as checked: the selected properties, tracking their history if they declare one
   * (src/explore/history.ts). Traces are its traces: render them with it.
   */
  readonly model: Model<State, Action>;
  /** The shortest counterexample, when an always or terminal property failed. */
  readonly counterexample?: Trace<State, Action>;
  /**
   * The shortest witness of each sometimes property named in `options.properties` and witnessed:
   * who asks for a sometimes property by name wants to see the run that shows it.
   */
  readonly witnesses?: readonly Witness<State, Action>[];
  /**
   * When the run stopped at an error of the model (its code threw, or it broke its contract) at a
   * state the search had reached, and explored without a symmetry reduction: the trace to that
   * state, to see how the model got there.
   */
  readonly errorTrace?: Trace<State, Action>;
}

export interface Witness<State, Action> {
  readonly property: string;
  readonly trace: Trace<State, Action>;
}

export async function checkModel<State, Action>(
  model: Model<State, Action>,
  options: CheckOptions<State, Action> = {},
): Promise<CheckReport<State, Action>> {
  return checkModelWithTuning(model, options, {});
}

/** How checkModel runs, for tests and measurements: the parallel explorer's tuning, and the symmetry probe's size. */
export interface CheckTuning extends ParallelTuning {
  /** States the audit before a reduced run covers (default SYMMETRY_PROBE_STATES; 0: none). */
  readonly symmetryProbeStates?: number;
}

/**
 * checkModel with the parallel explorer's tuning (when its threads start, its units' size, a pool
 * of threads shared by many runs) and the symmetry probe's size: for tests and measurements, not
 * exported from src/index.ts.
 */
export async function checkModelWithTuning<State, Action>(
  model: Model<State, Action>,
  options: CheckOptions<State, Action>,
  { symmetryProbeStates = SYMMETRY_PROBE_STATES, ...tuning }: CheckTuning,
): Promise<CheckReport<State, Action>> {
  refuseBadOptions(options);
  model = withCheckedProperties(model, options.properties);
  const twin = options.audit && options.auditTwin ? withCheckedProperties(options.auditTwin, options.properties) : undefined;
  const explored = options.symmetry?.length ? new SymmetryReduction(model, options.symmetry) : model;
  let probeSeconds = 0;
  if (explored !== model && !options.audit && symmetryProbeStates > 0 && model.symmetry?.exact === true) {
    const probeStartedAt = performance.now();
    const stopped = await symmetryProbe(model, options, symmetryProbeStates);
    if (stopped) return { result: stopped, model };
    probeSeconds = (performance.now() - probeStartedAt) / 1000;
  }
  // The probe's time counts against --max-seconds, and in the run's time.
  const searchOptions = options.maxSeconds !== undefined && probeSeconds > 0 ? { ...options, maxSeconds: Math.max(options.maxSeconds - probeSeconds, 0.001) } : options;
  // The audit is a layer over the sequential explorer's visited set: an audited run uses one thread.
  const parallel = !options.audit && options.source !== undefined && (tuning.pool !== undefined || (options.workers ?? 1) > 1);
  const explorerRun = parallel
    ? await exploreParallel(explored, {
        ...searchOptions,
        ...tuning,
        // The threads reduce by the symmetry this run reduces by, whatever the source says.
        source: { ...options.source!, symmetry: options.symmetry ?? [] },
      })
    : await exploreBreadthFirst(explored, { ...searchOptions, ...(twin ? { auditTwin: twin } : {}) });
  const { visited } = explorerRun;
  const result = probeSeconds > 0 ? withSecondsBefore(explorerRun.result, probeSeconds) : explorerRun.result;
  // Check a reduced path against the search, then show a concrete trace of the unreduced model.
  const rebuild = (path: ReplayPath): Trace<State, Action> => {
    if (explored === model) return replayPath(model, path, visited);
    replayPath(explored, path, visited);
    return replayPath(model, concretisePath(model, explored, path));
  };
  /**
   * The trace must end where the search said: a model that does not repeat itself can rebuild a
   * path into another state the search saw, where the property gives the other verdict.
   */
  const confirm = (trace: Trace<State, Action>, propertyName: string, fails: boolean): Trace<State, Action> => {
    const property = model.properties.find((candidate) => candidate.name === propertyName);
    const step = trace.steps.length - 1;
    let verdict: string | undefined;
    try {
      if (property && property.holds(trace.steps[step]!.state) === fails) verdict = fails ? 'holds' : 'does not hold';
    } catch {
      // It did not throw on the state the search met there.
      verdict = 'throws';
    }
    if (verdict !== undefined) {
      throw new ReplayError(
        'nondeterministic',
        step,
        `replay reached a state at step ${step} where ${propertyName} ${verdict}: the model is nondeterministic (${DETERMINISM_RULE})`,
      );
    }
    return trace;
  };
  // Not under a reduction: the search expanded a representative, and a concrete trace ends at some
  // renaming of it, where code that is not symmetric need not fail the same way.
  const errorPath = explored === model ? result.error?.statePath : undefined;
  const errorTrace = errorPath ? replayToError(model, errorPath, visited) : undefined;
  const named = options.properties ?? [];
  const violation = result.violation;
  const path = violation?.path;
  try {
    const witnesses = result.properties
      .filter((outcome) => outcome.kind === 'sometimes' && outcome.witness && named.includes(outcome.name))
      .map((outcome) => ({ property: outcome.name, trace: confirm(rebuild(outcome.witness!), outcome.name, false) }));
    return {
      result,
      model,
      ...(path ? { counterexample: confirm(rebuild(path), violation!.property, true) } : {}),
      ...(witnesses.length > 0 ? { witnesses } : {}),
      ...(errorTrace ? { errorTrace } : {}),
    };
  } catch (error) {
    // A trace the search found does not replay: the model breaks its contract. The run's result
    // still stands, as an error with its statistics, so that every output format reports it.
    // (Concretising meets states the search did not compute, where the reduction can find a
    // property that tells members apart: a ContractBreach.)
    if (!(error instanceof ReplayError) && !(error instanceof ConcretiseError) && !(error instanceof ContractBreach)) throw error;
    // A run that stopped at the model's error keeps that error: a witness found before it is what did not replay.
    if (result.status === 'error') return { result, model, ...(errorTrace ? { errorTrace } : {}) };
    const found = result.violation ? `the ${result.violation.property} violation found` : 'a witness found';
    // Reduced, a property that tells members of a set apart looks like a model that does not repeat itself.
    const symmetric =
      explored !== model && error instanceof ReplayError && error.problem === 'nondeterministic'
        ? `; or, under --symmetry, a property tells the members of a reduced set (${(result.symmetry?.sets ?? options.symmetry!).join(', ')}) apart without declaring distinguishes (--symmetry --audit names it)`
        : '';
    const { violation: _violation, ...rest } = result;
    return {
      result: { ...rest, status: 'error', error: { code: 'model-contract', message: `rebuilding the trace of ${found}: ${error.message}${symmetric}` } },
      model,
    };
  }
}

/** A result whose run took `seconds` more before its search began: its time and rate count them. */
function withSecondsBefore(result: CheckResult, seconds: number): CheckResult {
  const total = result.statistics.seconds + seconds;
  return { ...result, statistics: { ...result.statistics, seconds: total, statesPerSecond: total > 0 ? result.statistics.distinctStates / total : 0 } };
}

/** States of a reduced model audited before its search (see symmetryProbe). */
export const SYMMETRY_PROBE_STATES = 500;

/**
 * The audit of the first states of a model reduced by a symmetry marked exact (the only kind the
 * audit can check), before its search: a symmetry the spec declares wrongly (a local state that
 * names acceptors, with no renameLocal) gives an OK with counts that are not the model's, and
 * shows in the first few steps. The audit also checks the rest of the model's contract there.
 * Without the properties: the search itself stops where one tells a state from its
 * representative. Under the run's limits and its signal. The run's result when the probe ends it
 * (a breach, or Ctrl-C or --max-seconds while it ran), else undefined: whatever else the probe
 * meets (a throw) the search meets too, and reports.
 */
async function symmetryProbe<State, Action>(model: Model<State, Action>, options: CheckOptions<State, Action>, states: number): Promise<CheckResult | undefined> {
  const withoutProperties = Object.create(model, { properties: { value: [], enumerable: true } }) as Model<State, Action>;
  const { result } = await exploreBreadthFirst(new SymmetryReduction(withoutProperties, options.symmetry!), {
    audit: true,
    // Its states cost many calls into the spec each: a slow spec's probe must see Ctrl-C and the clock.
    statesBetweenChecks: 1,
    maxStates: Math.min(states, options.maxStates ?? states),
    ...(options.maxDepth !== undefined ? { maxDepth: options.maxDepth } : {}),
    ...(options.maxSeconds !== undefined ? { maxSeconds: options.maxSeconds } : {}),
    ...(options.maxMemoryBytes !== undefined ? { maxMemoryBytes: options.maxMemoryBytes } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const breach = result.status === 'error' && result.error?.code === 'model-contract';
  const stopped = result.status === 'incomplete' && (result.incompleteReason === 'interrupted' || result.incompleteReason === 'max-seconds' || result.incompleteReason === 'max-memory');
  if (!breach && !stopped) return undefined;
  // Not an --audit run: its statistics would say the audit found it, and count what the audit kept.
  const { audit: _audit, ...statistics } = result.statistics;
  // No property was checked: each as a run stopped before any state says it.
  const properties = model.properties.map((property) => ({ name: property.name, kind: property.kind, holds: true, witnessed: property.kind !== 'sometimes' }));
  return {
    ...result,
    statistics,
    properties,
    ...(breach
      ? {
          error: {
            ...result.error!,
            message: `${result.error!.message} (found by the audit of the first ${states.toLocaleString('en-US')} states that a run under a symmetry makes before its search; --audit audits every state)`,
          },
        }
      : {}),
  };
}

/**
 * Refuses limits no run could honour, as the command line refuses its flags: a program passing
 * `maxStates: 0` or `workers: 1.5` gets a RangeError naming the option, not a run that ignores it.
 */
function refuseBadOptions(options: Pick<CheckOptions<unknown, unknown>, 'maxStates' | 'maxDepth' | 'workers' | 'maxSeconds' | 'maxMemoryBytes'>): void {
  const whole = (name: string, value: number | undefined, max: number) => {
    if (value !== undefined && !(Number.isInteger(value) && value >= 1 && value <= max)) {
      throw new RangeError(`checkModel's ${name} must be a whole number from 1 to ${max}, got ${String(value)}`);
    }
  };
  whole('maxStates', options.maxStates, Number.MAX_SAFE_INTEGER);
  whole('maxDepth', options.maxDepth, Number.MAX_SAFE_INTEGER);
  whole('workers', options.workers, MAX_WORKERS);
  for (const [name, value] of [['maxSeconds', options.maxSeconds], ['maxMemoryBytes', options.maxMemoryBytes]] as const) {
    if (value !== undefined && !(Number.isFinite(value) && value > 0)) throw new RangeError(`checkModel's ${name} must be a positive number, got ${String(value)}`);
  }
}
