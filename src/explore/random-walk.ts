/**
 * Random simulation: seeded random walks from the initial states, for configurations too large
 * to explore exhaustively. Each run starts from a random initial state and takes up to `depth`
 * steps, each to a successor chosen uniformly among the enabled ones (self-loops aside); it ends
 * early at a terminal state or when a property fails. Run r draws from a generator seeded by
 * (seed, r), so the same seed gives the same runs, and any one run can be reproduced alone.
 *
 * States meet the same visit step as in the exhaustive explorers ({@link PropertyChecker}):
 * properties are checked once per distinct state, which is remembered by fingerprint (a state
 * found violating is remembered too, so a later run that reaches it fails there as well). A
 * violation's path is the walk itself, which `synod replay` re-runs. Because walks see only part
 * of the state space, a simulation without a violation is `incomplete`, never `ok`; except when
 * every property checked is a `sometimes` property and each has been witnessed, a verdict no
 * further state can change: the simulation then stops and is `ok` (as the exhaustive explorers
 * stop, `settledEarly`).
 */
import { WordReader, WordWriter, type Model, type Property } from '../model.ts';
import { Fingerprinter, collisionProbability, encodeAndFingerprint } from '../store/fingerprint.ts';
import { OpenAddressingFingerprintSet } from '../store/fingerprint-set.ts';
import type { ReplayPath } from '../store/trace-store.ts';
import { PropertyChecker, initialStatesOf, reasonOf, throwingProperty } from './visit.ts';
import { ContractBreach } from './contract-breach.ts';
import { RunControl } from './run-control.ts';
import { below, runGenerator } from './random.ts';
import type { CheckResult, CheckStatus, ExploreOptions, IncompleteReason, ModelError, Violation } from './result.ts';

export interface SimulationOptions extends Omit<ExploreOptions, 'maxDepth'> {
  /** Walks to take. */
  readonly runs: number;
  /** Most steps a walk takes. */
  readonly depth: number;
  readonly seed: number;
}

/** A run that reached a violating state. */
export interface WalkViolation extends Violation {
  readonly path: ReplayPath;
  /** The run's number (0-based); with the seed it names the walk. */
  readonly run: number;
  /** Seconds into the simulation when it was found. */
  readonly seconds: number;
}

export interface SimulationStatistics {
  readonly seed: number;
  /** Runs taken (fewer than asked when a limit stopped the simulation). */
  readonly runs: number;
  readonly runsPerSecond: number;
  /** Steps taken over all runs. */
  readonly steps: number;
  /**
   * Runs that ended at a terminal state (that no property fails), at the depth bound (a successor
   * left untaken), or at a violation; with the last run when `settled`, and the run the spec threw
   * in, they add up to `runs`.
   */
  readonly endedTerminal: number;
  readonly endedAtDepth: number;
  readonly endedViolating: number;
  /** The last run stopped at the walk that witnessed the last sometimes property (status `ok`). */
  readonly settled: boolean;
  /** The run the spec's code threw in (status `error`), when it threw in one. */
  readonly errorRun?: number;
  /** Every run that failed, in order. */
  readonly violations: readonly WalkViolation[];
  /** The walk that first witnessed each sometimes property witnessed. */
  readonly witnesses: readonly { readonly property: string; readonly run: number; readonly path: ReplayPath }[];
}

export interface Simulation {
  /**
   * `violation` (the shortest violating walk found), `incomplete` (reason `simulation` or a limit),
   * `ok` only when every property is a sometimes property and each was witnessed, or `error`.
   */
  readonly result: CheckResult;
  readonly simulation: SimulationStatistics;
}

export async function simulate<State, Action>(model: Model<State, Action>, options: SimulationOptions): Promise<Simulation> {
  const control = new RunControl(options);
  const visited = new OpenAddressingFingerprintSet();
  const violating = new Map<string, Property<State>>();
  /** The walk that first met each witness of a sometimes property, by record (= discovery order). */
  const witnessPaths = new Map<number, ReplayPath>();
  /** The run each of those walks was. */
  const witnessRuns = new Map<ReplayPath, number>();
  const checker = new PropertyChecker(model.properties);
  const writer = new WordWriter();
  const fingerprint = new Fingerprinter();
  const actions: Action[] = [];
  const candidates: number[] = [];
  const violations: WalkViolation[] = [];
  const maxStates = options.maxStates ?? Number.POSITIVE_INFINITY;
  let stopReason: IncompleteReason | undefined;
  let error: ModelError | undefined;
  let runs = 0;
  let steps = 0;
  let longest = 0;
  let endedTerminal = 0;
  let endedAtDepth = 0;
  let settled = false;

  /** Encodes `state`, returns it as the explorer would see it (decoded), with its fingerprint set. */
  const normalise = (state: State): State => {
    encodeAndFingerprint(model, state, writer, fingerprint);
    return model.decode(new WordReader(writer.words, 0, writer.length));
  };
  const key = () => `${fingerprint.high}:${fingerprint.low}`;
  /**
   * Visits the state just normalised, reached by `path` from `initial`: a new one has its
   * properties checked. Returns the property it fails, if any.
   */
  const visit = (state: State, initial: number, path: readonly number[]): Property<State> | undefined => {
    if (!visited.addIfAbsent(fingerprint.high, fingerprint.low)) return violating.get(key());
    const record = visited.size - 1;
    const unwitnessed = checker.unwitnessedCount;
    let violated: boolean;
    try {
      violated = checker.checkNew(state, record);
    } catch (thrown) {
      throw namingTheProperty(state, thrown);
    }
    if (checker.unwitnessedCount < unwitnessed) {
      const witness = { initial, actions: [...path] };
      witnessPaths.set(record, witness);
      witnessRuns.set(witness, run);
    }
    if (!violated) return undefined;
    const failed = checker.violated!;
    checker.violated = undefined;
    violating.set(key(), failed);
    return failed;
  };

  /** What a check of `state`'s properties threw, with the property that threw named, as the explorers name it. */
  const namingTheProperty = (state: State, thrown: unknown): unknown => {
    const property = thrown instanceof ContractBreach ? '' : throwingProperty(model, thrown, state);
    return property === '' ? thrown : new Error(`${property}${reasonOf(thrown)}`);
  };

  let initialStates: readonly State[] = [];
  let run = 0;
  let path: number[] = [];
  let initial = 0;
  try {
    initialStates = initialStatesOf(model);
    for (; run < options.runs; run++) {
      const next = runGenerator(options.seed, run);
      initial = below(next, initialStates.length);
      path = [];
      let state = normalise(initialStates[initial]!);
      let failed = visit(state, initial, path);
      let boundReached = false;
      while (!failed && !checker.settled) {
        actions.length = 0;
        model.actions(state, actions);
        const parentHigh = fingerprint.high;
        const parentLow = fingerprint.low;
        candidates.length = 0;
        for (let index = 0; index < actions.length; index++) candidates.push(index);
        // Draw actions without replacement until one leads elsewhere: uniform over those that do.
        let successor: State | undefined;
        let chosen = -1;
        while (candidates.length > 0) {
          const pick = below(next, candidates.length);
          const index = candidates[pick]!;
          candidates[pick] = candidates[candidates.length - 1]!;
          candidates.pop();
          const candidate = model.nextState(state, actions[index]!);
          if (candidate === undefined) continue;
          const normalised = normalise(candidate);
          if (fingerprint.high === parentHigh && fingerprint.low === parentLow) continue;
          successor = normalised;
          chosen = index;
          break;
        }
        if (successor === undefined) {
          let terminalViolated = false;
          try {
            terminalViolated = checker.hasTerminalChecks && checker.checkTerminal(state, -1);
          } catch (thrown) {
            throw namingTheProperty(state, thrown);
          }
          if (terminalViolated) {
            failed = checker.violated!;
            checker.violated = undefined;
          } else {
            endedTerminal++;
          }
          break;
        }
        // Only now: a walk of `depth` steps that ends at a terminal state is judged there as one.
        if (path.length >= options.depth) {
          boundReached = true;
          break;
        }
        path.push(chosen);
        steps++;
        state = successor;
        failed = visit(state, initial, path);
      }
      settled = checker.settled;
      if (failed) {
        violations.push({ property: failed.name, kind: failed.kind, path: { initial, actions: [...path] }, run, seconds: control.seconds() });
      } else if (boundReached) {
        endedAtDepth++;
      }
      if (path.length + 1 > longest) longest = path.length + 1;
      runs = run + 1;
      if (settled) break;
      if (visited.size >= maxStates) {
        stopReason = 'max-states';
        break;
      }
      control.sampleMemory();
      stopReason = control.checkLimits();
      if (stopReason) break;
      if (control.tick()) {
        stopReason = await control.pause(() => ({ distinctStates: visited.size, transitions: steps, depth: longest, frontier: 0 }));
        if (stopReason) break;
      }
    }
  } catch (thrown) {
    const reason = reasonOf(thrown);
    const code = thrown instanceof ContractBreach ? 'model-contract' : 'model-threw';
    error =
      initialStates.length === 0
        ? { code, message: `${reason} (while building the initial states)` }
        : { code, message: `${reason} (in run ${run} after ${path.length === 1 ? '1 step' : `${path.length} steps`})`, path: { initial, actions: [...path] }, statePath: { initial, actions: [...path] } };
    // The run the model threw in counts too, its states visited; none did when the initial states failed.
    if (initialStates.length > 0) {
      runs = run + 1;
      if (path.length + 1 > longest) longest = path.length + 1;
    }
  }

  const seconds = control.seconds();
  const shortest = violations.reduce<WalkViolation | undefined>(
    (best, candidate) => (best === undefined || candidate.path.actions.length < best.path.actions.length ? candidate : best),
    undefined,
  );
  let status: CheckStatus;
  if (error) status = 'error';
  else if (shortest) status = 'violation';
  else status = settled ? 'ok' : 'incomplete';
  const properties = checker.outcomes((record) => witnessPaths.get(record)!);
  const result: CheckResult = {
    status,
    statistics: {
      distinctStates: visited.size,
      transitions: steps,
      depth: longest,
      seconds,
      statesPerSecond: seconds > 0 ? visited.size / seconds : visited.size,
      peakMemoryBytes: control.peakMemoryBytes,
      storeBytes: visited.approximateBytes(),
      collisionProbability: collisionProbability(visited.size),
    },
    properties: properties.map((outcome) =>
      outcome.kind === 'sometimes' || !violations.some((violation) => violation.property === outcome.name)
        ? outcome
        : { ...outcome, holds: false, witnessed: false },
    ),
    ...(shortest && !error ? { violation: { property: shortest.property, kind: shortest.kind, path: shortest.path } } : {}),
    ...(status === 'incomplete' ? { incompleteReason: stopReason ?? 'simulation' } : {}),
    ...(status === 'ok' ? { settledEarly: true as const } : {}),
    ...(error ? { error } : {}),
  };
  return {
    result,
    simulation: {
      seed: options.seed,
      runs,
      runsPerSecond: seconds > 0 ? runs / seconds : runs,
      steps,
      endedTerminal,
      endedAtDepth,
      endedViolating: violations.length,
      settled,
      ...(error?.statePath ? { errorRun: run } : {}),
      violations,
      witnesses: properties.flatMap((outcome) =>
        outcome.witness ? [{ property: outcome.name, run: witnessRuns.get(outcome.witness)!, path: outcome.witness }] : [],
      ),
    },
  };
}
