/**
 * The record of an experiment (a sweep or a matrix): every check's parameters and outcome, and
 * what is needed to reproduce it. The tables, JSON and plots in src/report/ are drawn from it.
 */
import type { CheckStatus, IncompleteReason } from '../explore/result.ts';
import type { Machine } from './environment.ts';
import type { PointOutcome, PointRequest } from './check-worker.ts';
import type { RefusedPoint } from './grid.ts';

/** One check of an experiment. */
export interface ExperimentRow {
  readonly spec: string;
  readonly specPath: string;
  /** Every parameter, resolved (defaults filled in). */
  readonly parameters: Readonly<Record<string, string | number>>;
  /** Symmetric sets reduced by; empty: no reduction. */
  readonly symmetry: readonly string[];
  /** The matrix's preset (network and faults) this check was run for. */
  readonly preset?: string;
  /** The properties checked, when not the spec's default selection. */
  readonly properties?: readonly string[];
  readonly status: CheckStatus;
  /** The property violated (or never witnessed). */
  readonly property?: string;
  readonly propertyKind?: 'always' | 'sometimes' | 'terminal';
  readonly distinctStates: number;
  readonly transitions: number;
  readonly depth: number;
  readonly seconds: number;
  readonly statesPerSecond: number;
  /**
   * The check's peak resident set (its thread shares the process: other checks running beside it
   * count too). This and the next two only from a check that reported for itself: absent for a
   * point not started, a thread that failed, or spec code that did not return.
   */
  readonly peakMemoryBytes?: number;
  /** Bytes held by the visited set and the trace store. */
  readonly storeBytes?: number;
  /** Explorer threads that expanded states (1 when the check ended before more threads paid off). */
  readonly workersUsed?: number;
  /** With symmetry: the states of the unreduced model these representatives stand for. */
  readonly unreducedStates?: number;
  /** Steps of the shortest counterexample. */
  readonly counterexampleLength?: number;
  readonly replayToken?: string;
  /** The shortest witness of each sometimes property named with --property and witnessed: its steps and replay token. */
  readonly witnesses?: readonly { readonly property: string; readonly length: number; readonly replayToken: string }[];
  readonly incompleteReason?: IncompleteReason;
  /**
   * The check's thread was terminated because the spec's code had not returned within the grace
   * period after its limit or an interrupt (reason `max-seconds` or `interrupted`): its counts are
   * those of its last progress report, if it made one.
   */
  readonly specCodeDidNotReturn?: true;
  readonly error?: string;
  /**
   * The check stopped at the last witness (only sometimes properties were checked): the counts
   * cover the states explored until then, not the whole state space.
   */
  readonly settledEarly?: true;
  /** Interrupted before its check began (status incomplete, reason interrupted): no counts. */
  readonly notStarted?: true;
}

export interface SpecIdentity {
  readonly name: string;
  readonly path: string;
  readonly sha256: string;
}

export interface ExperimentRecord {
  readonly kind: 'sweep' | 'matrix';
  readonly synod: string;
  /** The command line that produced it. */
  readonly command: string;
  readonly startedAt: string;
  readonly seconds: number;
  readonly specs: readonly SpecIdentity[];
  /** The grid as given (empty: each spec's defaults). */
  readonly grid: string;
  /** The parameters that vary, in grid order: the columns of the table. */
  readonly swept: readonly string[];
  readonly options: {
    /** `off`, `on` or `both`: whether points were checked with symmetry reduction. */
    readonly symmetry: 'off' | 'on' | 'both';
    readonly symmetrySets?: readonly string[];
    readonly properties?: readonly string[];
    readonly maxSeconds?: number;
    readonly maxStates?: number;
    readonly maxMemoryBytes?: number;
    /** Checks run at once, each in its own thread. */
    readonly concurrency: number;
    /** Explorer threads per check. */
    readonly checkWorkers: number;
    /** Exhaustive checks use no randomness. */
    readonly seed: null;
  };
  readonly machine: Machine;
  readonly rows: readonly ExperimentRow[];
  /** A sweep's grid points the spec's `refuse` turned down, in grid order: not checked, no rows. */
  readonly refused?: readonly RefusedPoint[];
  /** Ctrl-C (or SIGTERM) ended the run: some rows are checks it stopped or never started. */
  readonly interrupted?: true;
}

/** A row from a check's request and outcome. */
export function experimentRow(spec: string, request: PointRequest, outcome: PointOutcome): ExperimentRow {
  const { result, counterexample } = outcome;
  const statistics = result.statistics;
  return {
    spec,
    specPath: request.specPath,
    parameters: request.parameters,
    symmetry: result.symmetry?.sets ?? request.symmetry ?? [],
    ...(request.properties ? { properties: request.properties } : {}),
    status: result.status,
    ...(result.violation ? { property: result.violation.property, propertyKind: result.violation.kind } : {}),
    distinctStates: statistics.distinctStates,
    transitions: statistics.transitions,
    depth: statistics.depth,
    seconds: statistics.seconds,
    statesPerSecond: statistics.statesPerSecond,
    // A check that ran samples its memory at once; the outcomes made for it from outside have none.
    ...(statistics.peakMemoryBytes > 0 && !outcome.notReturned
      ? { peakMemoryBytes: statistics.peakMemoryBytes, storeBytes: statistics.storeBytes, workersUsed: statistics.workersUsed ?? 1 }
      : {}),
    ...(result.symmetry?.unreducedStates !== undefined ? { unreducedStates: result.symmetry.unreducedStates } : {}),
    ...(counterexample ? { counterexampleLength: counterexample.length, replayToken: counterexample.token } : {}),
    ...(outcome.witnesses ? { witnesses: outcome.witnesses.map(({ property, length, token }) => ({ property, length, replayToken: token })) } : {}),
    ...(result.incompleteReason ? { incompleteReason: result.incompleteReason } : {}),
    ...(outcome.notReturned ? { specCodeDidNotReturn: true as const } : {}),
    ...(result.error ? { error: result.error.message } : {}),
    ...(result.settledEarly ? { settledEarly: true as const } : {}),
    ...(outcome.notStarted ? { notStarted: true as const } : {}),
  };
}

/** A check an interrupt stopped under way (not one it kept from starting). */
export function stoppedByInterrupt(row: ExperimentRow): boolean {
  return row.notStarted !== true && row.status === 'incomplete' && row.incompleteReason === 'interrupted';
}

/** Whether an interrupt cut the run short: a check it stopped, or one it never started (a Ctrl-C after the last check is none). */
export function interrupted(rows: readonly ExperimentRow[]): boolean {
  return rows.some((row) => row.notStarted === true || stoppedByInterrupt(row));
}
