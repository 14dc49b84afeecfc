/**
 * What every explorer returns, and the options every explorer takes. Outcomes are values: a run
 * that hits a limit is `incomplete` (never `ok`), a model that throws is `error`.
 */
import type { ReplayPath } from '../store/trace-store.ts';
import type { AuditStatistics } from './audit.ts';

export type CheckStatus = 'ok' | 'violation' | 'incomplete' | 'error';

/** `simulation`: random walks ended without a violation (they see only part of the state space). */
export type IncompleteReason = 'max-states' | 'max-seconds' | 'max-memory' | 'max-depth' | 'interrupted' | 'simulation';

export interface ExploreOptions {
  /** Stop (incomplete) once this many distinct states are known. */
  readonly maxStates?: number;
  /** Stop (incomplete) after this many seconds. */
  readonly maxSeconds?: number;
  /** Stop (incomplete) once the resident set exceeds this many bytes. */
  readonly maxMemoryBytes?: number;
  /** Do not expand states at this depth (states on the path, the initial state is depth 1). */
  readonly maxDepth?: number;
  /** Called about once a second with the statistics so far. */
  readonly onProgress?: (progress: Progress) => void;
  /** Aborting stops the run (incomplete, reason `interrupted`) with the statistics so far. */
  readonly signal?: AbortSignal;
  /**
   * Keep every state's encoding and compare states in full on every fingerprint hit, counting
   * fingerprint collisions (src/explore/audit.ts). Slow and memory-hungry by design; sequential
   * explorer only (checkModel explores an audited run on one thread).
   */
  readonly audit?: boolean;
}

export interface Progress {
  readonly distinctStates: number;
  readonly transitions: number;
  readonly depth: number;
  readonly frontier: number;
  readonly seconds: number;
  readonly statesPerSecond: number;
}

export interface Statistics {
  readonly distinctStates: number;
  /** Successors computed, including those already seen (self-loops too). */
  readonly transitions: number;
  /** States on the longest shortest path from an initial state; the initial state is depth 1, as in TLC. */
  readonly depth: number;
  readonly seconds: number;
  readonly statesPerSecond: number;
  readonly peakMemoryBytes: number;
  /** Bytes held by the visited set and the trace store. */
  readonly storeBytes: number;
  readonly collisionProbability: number;
  /** Threads the run was allowed (`--workers`); absent for the sequential explorer (one). */
  readonly workers?: number;
  /**
   * Threads that expanded states, up to `workers`: 1 when worker threads would not have paid off
   * (see `soloReason`).
   */
  readonly workersUsed?: number;
  /** Why a run allowed more than one thread used one (see {@link SoloReason}). */
  readonly soloReason?: SoloReason;
  /** What the exact audit found, in a run with `audit`. */
  readonly audit?: AuditStatistics;
}

/**
 * Why a run allowed several threads explored on one: `short`, it ended before threads would pay
 * (or before they were ready); `narrow`, its levels were too narrow to share; `memory`, moving its
 * visited set into the shared one would have passed --max-memory; `no threads`, worker threads
 * could not be started, or could not build the model checked (from the run's `source`).
 */
export type SoloReason = 'short' | 'narrow' | 'memory' | 'no threads';

export interface PropertyOutcome {
  readonly name: string;
  readonly kind: 'always' | 'sometimes' | 'terminal';
  /** For always and terminal: no violating state was found (among the states explored). */
  readonly holds: boolean;
  /** For sometimes: a satisfying state was found. Always and terminal: equal to holds. */
  readonly witnessed: boolean;
  /** For a witnessed sometimes property, the path to the first witness. */
  readonly witness?: ReplayPath;
}

export interface Violation {
  readonly property: string;
  readonly kind: 'always' | 'sometimes' | 'terminal';
  /** The path to the violating state; absent for a sometimes property never witnessed. */
  readonly path?: ReplayPath;
}

export interface ModelError {
  /**
   * `model-contract`: the model broke its contract, found by the audit (see
   * src/explore/contract-check.ts), or by a trace the search found that does not replay.
   */
  readonly code: 'model-threw' | 'model-contract';
  readonly message: string;
  /** Depth of the state being expanded (initial state = 1), when known. */
  readonly depth?: number;
  readonly action?: string;
  /** The path to the state being expanded (or, when a property threw, to the state the checked one was reached from). */
  readonly path?: ReplayPath;
  /**
   * The path to the state the error arose at: the state being expanded (as `path`), or, when a
   * property threw, the state it was checking (one step past `path`, or an initial state). The
   * check rebuilds it into the report's `errorTrace`.
   */
  readonly statePath?: ReplayPath;
}

/** What symmetry reduction did in a run. */
export interface SymmetryStatistics {
  readonly sets: readonly string[];
  /**
   * Distinct states the unreduced model has: the sum of the orbit sizes of the representatives
   * found (exact when the model reports orbit sizes, as the actors layer does for one set).
   */
  readonly unreducedStates?: number;
  /** unreducedStates / distinct states explored. */
  readonly reductionFactor?: number;
  readonly canonicalisingSeconds: number;
}

export interface CheckResult {
  readonly status: CheckStatus;
  readonly statistics: Statistics;
  readonly properties: readonly PropertyOutcome[];
  readonly violation?: Violation;
  readonly incompleteReason?: IncompleteReason;
  readonly error?: ModelError;
  readonly symmetry?: SymmetryStatistics;
  /**
   * The search stopped before exploring every state because the verdict was settled: every
   * property checked is a sometimes property and each was witnessed (e.g. `--property duel`).
   * The statistics then count the states explored up to the last witness.
   */
  readonly settledEarly?: true;
}
