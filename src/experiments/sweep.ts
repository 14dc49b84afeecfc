/**
 * `synod sweep`: check every point of a parameter grid (optionally each with and without
 * symmetry reduction), a bounded number at a time, each in its own thread.
 */
import { resolve } from 'node:path';
import type { AnySpec } from '../model.ts';
import type { PointRequest } from './check-worker.ts';
import { fileHash, machine, synodVersion } from './environment.ts';
import type { GridAxis, RefusedPoint } from './grid.ts';
import { experimentRow, interrupted, type ExperimentRecord } from './record.ts';
import { runPoints, type PointsProgress } from './run-points.ts';

/** Limits applied to every check of an experiment. */
export interface CheckLimits {
  readonly maxSeconds?: number;
  readonly maxStates?: number;
  readonly maxMemoryBytes?: number;
  /** Explorer threads per check (default 1). */
  readonly checkWorkers?: number;
}

export interface SweepOptions extends CheckLimits {
  readonly spec: AnySpec;
  readonly specPath: string;
  /** The grid as written, for the record. */
  readonly gridText: string;
  /** The swept parameters: the columns of the table. */
  readonly axes: readonly GridAxis[];
  /** Every point of the grid, resolved (`resolveGrid`), fixed parameters included. */
  readonly points: readonly Readonly<Record<string, string | number>>[];
  /** The grid's points the spec refuses (`resolveGrid`): recorded, not checked. */
  readonly refused?: readonly RefusedPoint[];
  /** `off`: no reduction; `on`: reduce by `symmetrySets`; `both`: each point twice. */
  readonly symmetry: 'off' | 'on' | 'both';
  readonly symmetrySets?: readonly string[];
  readonly properties?: readonly string[];
  readonly concurrency: number;
  readonly command: string;
  readonly signal?: AbortSignal;
  /** Aborted at a second interrupt: the points still running are ended at once. */
  readonly hurry?: AbortSignal;
  readonly onProgress?: (progress: PointsProgress) => void;
}

export async function runSweep(options: SweepOptions): Promise<ExperimentRecord> {
  const startedAt = new Date();
  const specPath = resolve(options.specPath);
  const reductions: (readonly string[])[] =
    options.symmetry === 'off' ? [[]] : options.symmetry === 'on' ? [options.symmetrySets ?? []] : [[], options.symmetrySets ?? []];
  const requests: PointRequest[] = options.points.flatMap((parameters) =>
    reductions.map((symmetry) => ({
      specPath,
      parameters,
      ...(symmetry.length > 0 ? { symmetry } : {}),
      ...(options.properties ? { properties: options.properties } : {}),
      ...checkSettings(options),
    })),
  );
  // At most one check a point at a time: a sweep of one point runs one check, whatever --workers says.
  const concurrency = Math.max(1, Math.min(options.concurrency, requests.length));
  const outcomes = await runPoints(requests, {
    concurrency,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.hurry ? { hurry: options.hurry } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const rows = requests.map((request, index) => experimentRow(options.spec.name, request, outcomes[index]!));
  return {
    kind: 'sweep',
    synod: synodVersion(),
    command: options.command,
    startedAt: startedAt.toISOString(),
    seconds: (Date.now() - startedAt.getTime()) / 1000,
    specs: [{ name: options.spec.name, path: options.specPath, sha256: fileHash(specPath) }],
    grid: options.gridText,
    swept: options.axes.map((axis) => axis.name),
    options: {
      symmetry: options.symmetry,
      ...(options.symmetry !== 'off' ? { symmetrySets: options.symmetrySets ?? [] } : {}),
      ...(options.properties ? { properties: options.properties } : {}),
      ...limitsOf(options),
      concurrency,
      checkWorkers: options.checkWorkers ?? 1,
      seed: null,
    },
    machine: machine(),
    rows,
    ...(options.refused?.length ? { refused: options.refused } : {}),
    ...(interrupted(rows) ? { interrupted: true as const } : {}),
  };
}

export function limitsOf(limits: CheckLimits): CheckLimits {
  return {
    ...(limits.maxSeconds !== undefined ? { maxSeconds: limits.maxSeconds } : {}),
    ...(limits.maxStates !== undefined ? { maxStates: limits.maxStates } : {}),
    ...(limits.maxMemoryBytes !== undefined ? { maxMemoryBytes: limits.maxMemoryBytes } : {}),
  };
}

/** A check's limits and explorer threads, as a request carries them. */
export function checkSettings(limits: CheckLimits): CheckLimits & { workers?: number } {
  return { ...limitsOf(limits), ...((limits.checkWorkers ?? 1) > 1 ? { workers: limits.checkWorkers } : {}) };
}
