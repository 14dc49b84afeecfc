/**
 * `synod matrix`: every spec under every network and fault preset, one table. Two forms:
 * - verdicts: one check per cell (the spec's default properties, or those named), giving the
 *   first property to fail and its shortest counterexample's length;
 * - per property: each property's own verdict in each cell. A check stops at its first
 *   violation, so a cell whose check fails property p is checked again without p, until a check
 *   ends without a failing always/terminal property; every property then has a verdict.
 * A preset applies to a spec that declares the parameters it requires; other cells are `n/a`.
 */
import { resolve } from 'node:path';
import type { AnySpec } from '../model.ts';
import { ParameterError, RefuseFailed, RefusedCombination, resolveParameters, resolveSpecParameters } from '../parameters.ts';
import { failed } from './point-outcomes.ts';
import type { PointOutcome, PointRequest } from './check-worker.ts';
import { fileHash, machine, synodVersion } from './environment.ts';
import { GridError, MAX_GRID_POINTS, gridPoints, type GridAxis, type RawValue } from './grid.ts';
import { formatCount, plural } from '../report/numbers.ts';
import { notApplicableText } from '../report/matrix-table.ts';
import { experimentRow, interrupted, type ExperimentRecord, type ExperimentRow } from './record.ts';
import { PointQueue, type PointsProgress } from './run-points.ts';
import { checkSettings, limitsOf, type CheckLimits } from './sweep.ts';

export interface Preset {
  readonly name: string;
  readonly description: string;
  /** Set where the spec declares them; the others are the spec's concern (e.g. no crashes under `bag`). */
  readonly parameters: Readonly<Record<string, RawValue>>;
  /** Those of `parameters` without which the preset means nothing: a spec lacking one gets `n/a`. */
  readonly requires: readonly string[];
}

/** The network and fault presets of the actors layer's specs (see src/actors/system.ts). */
export const PRESETS: readonly Preset[] = [
  {
    name: 'bag',
    description: 'reliable network: each message delivered at most once, in any order',
    parameters: { network: 'bag', crashes: 0 },
    requires: ['network'],
  },
  {
    name: 'dup',
    description: 'a delivered message stays in flight and may be delivered again',
    parameters: { network: 'dup', crashes: 0 },
    requires: ['network'],
  },
  { name: 'lossy', description: 'any message in flight may also be lost', parameters: { network: 'lossy', crashes: 0 }, requires: ['network'] },
  {
    name: 'crash',
    description: "reliable network; one acceptor may crash and restart, keeping what the spec's restart keeps (its durable state; nothing under restart=amnesia, noted)",
    parameters: { network: 'bag', crashes: 1 },
    requires: ['crashes'],
  },
];

/** A parameter the preset requires and the spec does not declare, if any: then the preset does not apply. */
export function missingPresetParameter(spec: AnySpec, preset: Preset): string | undefined {
  return preset.requires.find((name) => !Object.hasOwn(spec.parameters, name));
}

export type PropertyVerdictKind =
  | 'holds'
  | 'fails'
  | 'witnessed'
  | 'never witnessed'
  | 'holds so far'
  | 'not witnessed so far'
  | 'error'
  | 'not declared';

export interface PropertyVerdict {
  readonly property: string;
  readonly kind?: 'always' | 'sometimes' | 'terminal';
  readonly verdict: PropertyVerdictKind;
  /** For `fails`: the shortest counterexample's steps and its replay token. */
  readonly length?: number;
  readonly replayToken?: string;
}

export interface MatrixCell {
  readonly spec: string;
  readonly specPath: string;
  /** The grid point (the swept parameters) of the cell's row. */
  readonly point: Readonly<Record<string, RawValue>>;
  readonly preset: string;
  /** False when the spec does not declare the preset's parameters. */
  readonly applicable: boolean;
  /** The parameters checked, resolved. */
  readonly parameters?: Readonly<Record<string, string | number>>;
  /** Why a preset parameter was changed for this spec, or why the preset does not apply. */
  readonly note?: string;
  /** Not applicable because the spec's refuse turns down the cell's parameters together (the note is its reason). */
  readonly refused?: true;
  /** Verdict form: the cell's one check. Per-property form: its last check. */
  readonly check?: ExperimentRow;
  /** Per-property form: every property's verdict, in the spec's order. */
  readonly properties?: readonly PropertyVerdict[];
}

export interface MatrixRecord extends ExperimentRecord {
  readonly presets: readonly Preset[];
  readonly perProperty: boolean;
  readonly cells: readonly MatrixCell[];
}

export interface MatrixOptions extends CheckLimits {
  readonly specs: readonly { readonly spec: AnySpec; readonly path: string }[];
  readonly gridText: string;
  /** Applied to each spec where it declares the parameter; others ignore the axis. */
  readonly axes: readonly GridAxis[];
  readonly presets: readonly Preset[];
  readonly perProperty: boolean;
  /** `all`: every property, optional ones included; names: those (where declared); absent: the defaults. */
  readonly properties?: 'all' | readonly string[];
  readonly concurrency: number;
  readonly command: string;
  readonly signal?: AbortSignal;
  /** Aborted at a second interrupt: the checks still running are ended at once. */
  readonly hurry?: AbortSignal;
  readonly onProgress?: (progress: PointsProgress) => void;
  /**
   * Called once every cell is planned (each cell's parameters put to its spec's refuse, and its
   * spec built where a note needs it, all on this thread) and its checks queued.
   */
  readonly onPlanned?: () => void;
}

/** The preset's parameters for a spec, with integers moved into the spec's range (noted). */
function presetParameters(spec: AnySpec, preset: Preset): { parameters?: Record<string, RawValue>; note?: string } {
  const parameters: Record<string, RawValue> = {};
  const notes: string[] = [];
  const missing = missingPresetParameter(spec, preset);
  if (missing !== undefined) return { note: `${spec.name} has no parameter ${missing}` };
  for (const [name, value] of Object.entries(preset.parameters)) {
    const declaration = spec.parameters[name];
    if (!declaration) continue;
    if (declaration.type === 'integer' && typeof value === 'number' && (value < declaration.min || value > declaration.max)) {
      const moved = Math.min(declaration.max, Math.max(declaration.min, value));
      notes.push(`${name}=${moved} (the spec's ${value < declaration.min ? 'least' : 'greatest'})`);
      parameters[name] = moved;
    } else {
      parameters[name] = value;
    }
  }
  return { parameters, ...(notes.length ? { note: notes.join(', ') } : {}) };
}

function crashes(parameters: Readonly<Record<string, string | number>>): boolean {
  return typeof parameters.crashes === 'number' && parameters.crashes > 0;
}

/**
 * A restart that forgets the actor's state (the model's semantics say `restart=amnesia`): the
 * crash preset's legend speaks of durable state, which such a spec does not keep.
 */
function restartNote(spec: AnySpec, parameters: Readonly<Record<string, string | number>>): string | undefined {
  let restart: string | undefined;
  try {
    restart = spec.build(parameters as never).semantics?.restart;
  } catch {
    // The cell's check reports a spec that throws.
  }
  return restart === 'amnesia' ? 'a restart forgets the state (restart=amnesia)' : undefined;
}

/** The properties a spec's cells check: names and kinds, in the spec's order. */
function propertiesOf(spec: AnySpec, selection: MatrixOptions['properties']): { names: string[]; all: { name: string; kind: PropertyVerdict['kind'] }[]; missing: string[] } {
  const model = spec.build(resolveParameters(spec.parameters, {}) as never);
  const all = model.properties.map((property) => ({ name: property.name, kind: property.kind, optional: property.optional === true }));
  if (selection === 'all') return { names: all.map((property) => property.name), all, missing: [] };
  if (selection === undefined) return { names: all.filter((property) => !property.optional).map((property) => property.name), all, missing: [] };
  return {
    names: all.filter((property) => selection.includes(property.name)).map((property) => property.name),
    all,
    missing: selection.filter((name) => !all.some((property) => property.name === name)),
  };
}

/** Each property's verdict from a check that ran `checked`, and those its violation leaves unknown. */
function verdictsOf(outcome: PointOutcome, checked: readonly string[]): { verdicts: PropertyVerdict[]; failed?: string } {
  const { result, counterexample } = outcome;
  if (result.status === 'error') return { verdicts: checked.map((property) => ({ property, verdict: 'error' })) };
  const violation = result.violation;
  if (result.status === 'violation' && violation && violation.kind !== 'sometimes') {
    return {
      verdicts: [
        {
          property: violation.property,
          kind: violation.kind,
          verdict: 'fails',
          ...(counterexample ? { length: counterexample.length, replayToken: counterexample.token } : {}),
        },
      ],
      failed: violation.property,
    };
  }
  const complete = result.status !== 'incomplete';
  const verdicts = result.properties.map((property): PropertyVerdict => {
    if (property.kind === 'sometimes') {
      const verdict = property.witnessed ? 'witnessed' : complete ? 'never witnessed' : 'not witnessed so far';
      return { property: property.name, kind: property.kind, verdict };
    }
    return { property: property.name, kind: property.kind, verdict: complete ? 'holds' : 'holds so far' };
  });
  return { verdicts };
}

/**
 * Refuses a grid value out of range for a spec that declares its parameter, as synod sweep does:
 * such a cell would only say n/a, and a whole matrix of n/a reads as a result. (An axis a spec
 * does not declare is not its concern; a preset value it cannot take leaves the cell n/a.)
 */
export function refuseGridValuesOutOfRange(specs: MatrixOptions['specs'], axes: readonly GridAxis[]): void {
  for (const { spec, path } of specs) {
    for (const axis of axes.filter((candidate) => Object.hasOwn(spec.parameters, candidate.name))) {
      for (const value of axis.values) {
        try {
          resolveParameters(spec.parameters, { [axis.name]: value });
        } catch (error) {
          if (error instanceof ParameterError) throw new GridError(`grid value ${axis.name}=${value} for ${path}: ${error.message}`);
          throw error;
        }
      }
    }
  }
}

/**
 * Refuses a matrix of more cells than one run may check (the cap a sweep's grid has): each spec's
 * grid points, over the axes it declares, under each preset. A grid within the cap can still make
 * a matrix far past it, one check per spec and preset.
 */
export function refuseTooManyCells(specs: MatrixOptions['specs'], axes: readonly GridAxis[], presets: number): void {
  const pointsOf = (spec: AnySpec) => axes.filter((axis) => Object.hasOwn(spec.parameters, axis.name)).reduce((product, axis) => product * axis.values.length, 1);
  const cells = specs.reduce((total, { spec }) => total + pointsOf(spec) * presets, 0);
  if (cells > MAX_GRID_POINTS) {
    throw new GridError(
      `the matrix has ${formatCount(cells)} cells (${plural(specs.length, 'spec')}, ${plural(presets, 'preset')}, and the grid's points each spec takes), more than the ${formatCount(MAX_GRID_POINTS)} one run may check: run a part of it at a time`,
    );
  }
}

export async function runMatrix(options: MatrixOptions): Promise<MatrixRecord> {
  refuseGridValuesOutOfRange(options.specs, options.axes);
  refuseTooManyCells(options.specs, options.axes, options.presets.length);
  const startedAt = new Date();
  const queue = new PointQueue({
    concurrency: options.concurrency,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.hurry ? { hurry: options.hurry } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  // Two presets can give a spec the same parameters (a spec whose crashes are fixed): one check serves both.
  const checksRun = new Map<string, Promise<PointOutcome>>();
  const checkOnce = (request: PointRequest): Promise<PointOutcome> => {
    const key = JSON.stringify(request);
    let outcome = checksRun.get(key);
    if (!outcome) checksRun.set(key, (outcome = queue.check(request)));
    return outcome;
  };
  /** Each cell with the checks it ran, in the order of the table (not the order they finished). */
  const cellRuns: Promise<{ cell: MatrixCell; checks: ExperimentRow[] }>[] = [];
  const skipped: MatrixCell[] = [];
  const skip = (cell: MatrixCell) => {
    skipped.push(cell);
    cellRuns.push(Promise.resolve({ cell, checks: [] }));
  };
  for (const { spec, path } of options.specs) {
    const specPath = resolve(path);
    const axes = options.axes.filter((axis) => Object.hasOwn(spec.parameters, axis.name));
    const selection = propertiesOf(spec, options.properties);
    for (const point of gridPoints(axes)) {
      for (const preset of options.presets) {
        const { parameters: presetValues, note } = presetParameters(spec, preset);
        const base = { spec: spec.name, specPath: path, point, preset: preset.name };
        if (options.properties !== undefined && selection.names.length === 0) {
          // A check of no property would say ok about nothing.
          skip({ ...base, applicable: false, note: `${spec.name} declares none of the properties named` });
          continue;
        }
        if (!presetValues) {
          skip({ ...base, applicable: false, ...(note ? { note } : {}) });
          continue;
        }
        let parameters: Record<string, string | number>;
        try {
          parameters = resolveSpecParameters(spec, { ...point, ...presetValues });
        } catch (error) {
          if (error instanceof RefuseFailed) {
            // The spec's code failed, as a check fails when its build throws: an error cell, exit 2.
            const request = { specPath, parameters: resolveParameters(spec.parameters, { ...point, ...presetValues }), ...checkSettings(options) };
            const check = { ...experimentRow(spec.name, request, failed(`the refuse of the spec ${spec.name} failed: ${error.message}`)), preset: preset.name };
            const properties = options.perProperty ? selection.names.map((property): PropertyVerdict => ({ property, verdict: 'error' })) : undefined;
            cellRuns.push(Promise.resolve({ cell: { ...base, applicable: true, parameters: request.parameters, check, ...(properties ? { properties } : {}) }, checks: [check] }));
            continue;
          }
          // A value out of the spec's range, or a combination its refuse turns down: no check.
          if (!(error instanceof ParameterError)) throw error;
          const refused = error instanceof RefusedCombination ? { refused: true as const } : {};
          skip({ ...base, applicable: false, note: error.message, ...refused });
          continue;
        }
        const request = (properties: readonly string[] | undefined): PointRequest => ({
          specPath,
          parameters,
          ...(properties ? { properties } : {}),
          ...checkSettings(options),
        });
        const checks: ExperimentRow[] = [];
        const run = async (properties: readonly string[] | undefined): Promise<ExperimentRow & { outcome: PointOutcome }> => {
          const checked = request(properties);
          const outcome = await checkOnce(checked);
          const row = { ...experimentRow(spec.name, checked, outcome), preset: preset.name };
          checks.push(row);
          return { ...row, outcome };
        };
        const notes = [note, crashes(parameters) ? restartNote(spec, parameters) : undefined].filter((text) => text !== undefined);
        const cell = { ...base, applicable: true, parameters, ...(notes.length > 0 ? { note: notes.join('; ') } : {}) };
        if (!options.perProperty) {
          const explicit = options.properties === undefined ? undefined : selection.names;
          cellRuns.push(run(explicit).then(({ outcome: _outcome, ...check }) => ({ cell: { ...cell, check }, checks })));
          continue;
        }
        cellRuns.push(
          (async () => {
            const verdicts = new Map<string, PropertyVerdict>();
            let remaining = [...selection.names];
            let last: ExperimentRow | undefined;
            while (remaining.length > 0) {
              const { outcome, ...row } = await run(remaining);
              last = row;
              const { verdicts: found, failed } = verdictsOf(outcome, remaining);
              for (const verdict of found) verdicts.set(verdict.property, verdict);
              if (!failed) break;
              remaining = remaining.filter((name) => name !== failed);
            }
            const properties = [
              ...selection.all
                .filter((property) => selection.names.includes(property.name))
                .map((property) => verdicts.get(property.name) ?? { property: property.name, kind: property.kind, verdict: 'error' as const }),
              ...selection.missing.map((property): PropertyVerdict => ({ property, verdict: 'not declared' })),
            ];
            return { cell: { ...cell, ...(last ? { check: last } : {}), properties }, checks };
          })(),
        );
      }
    }
  }
  // A table of n/a cells would say nothing and exit 0, as if every check had passed.
  if (cellRuns.length > 0 && skipped.length === cellRuns.length) {
    // Every distinct reason, so that fixing one does not only reveal the next.
    const reasons = [...new Set(skipped.map(notApplicableText))];
    const shown = reasons.slice(0, 3).join('; ');
    const more = reasons.length > 3 ? `; and ${plural(reasons.length - 3, 'other reason')}` : '';
    throw new GridError(`every cell of the matrix is n/a, so nothing would be checked: ${shown}${more}`);
  }
  options.onPlanned?.();
  const finished = await Promise.all(cellRuns);
  const cells = finished.map(({ cell }) => cell);
  const rows = finished.flatMap(({ checks }) => checks);
  return {
    kind: 'matrix',
    synod: synodVersion(),
    command: options.command,
    startedAt: startedAt.toISOString(),
    seconds: (Date.now() - startedAt.getTime()) / 1000,
    specs: options.specs.map(({ spec, path }) => ({ name: spec.name, path, sha256: fileHash(resolve(path)) })),
    grid: options.gridText,
    swept: options.axes.filter((axis) => axis.values.length > 1).map((axis) => axis.name),
    options: {
      symmetry: 'off',
      ...(options.properties ? { properties: options.properties === 'all' ? ['all'] : options.properties } : {}),
      ...limitsOf(options),
      // No more checks ran at once than there were checks (cells of the same parameters share one).
      concurrency: Math.max(1, Math.min(options.concurrency, checksRun.size)),
      checkWorkers: options.checkWorkers ?? 1,
      seed: null,
    },
    machine: machine(),
    rows,
    presets: options.presets,
    perProperty: options.perProperty,
    cells,
    ...(interrupted(rows) ? { interrupted: true as const } : {}),
  };
}
