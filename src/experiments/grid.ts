/**
 * Parameter grids for experiments: `acceptors=3..5,proposers=1..2,network=bag|lossy` names the
 * values of each swept parameter (a range `a..b`, a list `x|y|z`, or one value), and the grid is
 * their cartesian product, in order: the first parameter varies slowest. Each point is checked
 * against the spec by `resolveSpecParameters`, the one place parameters are validated.
 */
import type { AnySpec, ParameterDeclarations } from '../model.ts';
import { ParameterError, RefuseFailed, RefusedCombination, kebabCase, resolveParameters, resolveSpecParameters } from '../parameters.ts';
import { formatCount } from '../report/numbers.ts';

/**
 * The most points a grid may have. Each point is a check with a thread of its own and a row of
 * the results, held in memory until the end: a grid of a million points runs out of memory (or
 * takes days) before it writes a line. Refused before the grid is expanded.
 */
export const MAX_GRID_POINTS = 10_000;

export type RawValue = string | number;

/** One swept parameter and its values, in the order given. */
export interface GridAxis {
  readonly name: string;
  readonly values: readonly RawValue[];
}

/** A grid that cannot be read; the message names the part. */
export class GridError extends Error {
  override readonly name = 'GridError';
}

/** `max-ballot` and `maxBallot` both name the parameter `maxBallot`. */
function parameterName(written: string, declarations: ParameterDeclarations, specs: number): string {
  const camel = written.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
  if (Object.hasOwn(declarations, camel)) return camel;
  const known = Object.keys(declarations).map(kebabCase).join(', ') || 'none';
  const whose = specs === 1 ? 'a parameter of this spec (it takes' : `a parameter of any of the ${specs} specs (they take`;
  throw new GridError(`the grid names '${written}', which is not ${whose}: ${known})`);
}

function axisValues(parameter: string, text: string): RawValue[] {
  // Named in errors as the flag that sets it.
  const name = kebabCase(parameter);
  const range = /^(-?\d+)\.\.(-?\d+)$/.exec(text);
  if (range) {
    const from = Number(range[1]);
    const to = Number(range[2]);
    if (to < from) throw new GridError(`the range ${name}=${text} is empty (write the smaller bound first)`);
    // Before the values are made: `a=1..1000000000` alone would fill the heap.
    if (to - from + 1 > MAX_GRID_POINTS) throw tooManyPoints(to - from + 1, `${name}=${text} alone`);
    return Array.from({ length: to - from + 1 }, (_, index) => from + index);
  }
  if (text.includes('..')) throw new GridError(`${name}=${text} is not a range: write both bounds as whole numbers, e.g. ${name}=1..3`);
  const values = text.split('|').map((value) => value.trim());
  if (values.some((value) => value === '')) throw new GridError(`${name}=${text} has an empty value`);
  const parsed = values.map((value) => (/^-?\d+$/.test(value) ? Number(value) : value));
  const twice = parsed.find((value, index) => parsed.indexOf(value) !== index);
  if (twice !== undefined) throw new GridError(`${name}=${text} lists ${twice} twice`);
  return parsed;
}

/**
 * Reads a grid such as `acceptors=3..5,proposers=1..2`; an empty text is a grid of one point.
 * `declarations` are those of the `specs` specs it is for (a matrix's, merged).
 */
export function parseGrid(text: string, declarations: ParameterDeclarations, specs = 1): GridAxis[] {
  const axes: GridAxis[] = [];
  const parts = text.trim() === '' ? [] : text.split(',').map((piece) => piece.trim());
  // `acceptors=3,,learners=0`: a slip of the keyboard, or a lost axis; either way, say so.
  if (parts.includes('')) throw new GridError(`'${text}' has an empty entry between commas`);
  for (const part of parts) {
    const equals = part.indexOf('=');
    if (equals <= 0 || equals === part.length - 1) {
      throw new GridError(`'${part}' is not NAME=VALUES (e.g. acceptors=3..5 or network=bag|lossy)`);
    }
    const name = parameterName(part.slice(0, equals).trim(), declarations, specs);
    if (axes.some((axis) => axis.name === name)) throw new GridError(`the grid names '${kebabCase(name)}' twice`);
    axes.push({ name, values: axisValues(name, part.slice(equals + 1).trim()) });
  }
  const points = axes.reduce((product, axis) => product * axis.values.length, 1);
  if (points > MAX_GRID_POINTS) throw tooManyPoints(points, axes.map((axis) => formatCount(axis.values.length)).join(' x '));
  return axes;
}

function tooManyPoints(points: number, how: string): GridError {
  return new GridError(
    `the grid has ${formatCount(points)} points (${how}), more than the ${formatCount(MAX_GRID_POINTS)} one run may check: sweep a part of it at a time`,
  );
}

/** Every combination of the axes' values (the first axis varies slowest), plus `fixed`. */
export function gridPoints(axes: readonly GridAxis[], fixed: Readonly<Record<string, RawValue>> = {}): Record<string, RawValue>[] {
  let points: Record<string, RawValue>[] = [{ ...fixed }];
  for (const axis of axes) {
    points = points.flatMap((point) => axis.values.map((value) => ({ ...point, [axis.name]: value })));
  }
  return points;
}

/** A grid point the spec's `refuse` turns down: not checked, shown n/a with the spec's reason. */
export interface RefusedPoint {
  readonly parameters: Readonly<Record<string, string | number>>;
  readonly reason: string;
}

/** A grid's points resolved: those to check, and those the spec refuses, each in grid order. */
export interface ResolvedGrid {
  readonly points: Record<string, string | number>[];
  readonly refused: RefusedPoint[];
}

/**
 * Resolves every point against the spec (defaults filled in): a value out of its declared range
 * refuses the grid, naming the first bad point (GridError); a combination the spec's `refuse`
 * turns down leaves that point out (a grid of quorum sizes holds some larger than the acceptors);
 * a `refuse` that fails throws RefuseFailed naming the point.
 */
export function resolveGrid(spec: AnySpec, points: readonly Record<string, RawValue>[]): ResolvedGrid {
  const resolved: ResolvedGrid = { points: [], refused: [] };
  for (const point of points) {
    try {
      resolved.points.push(resolveSpecParameters(spec, point));
    } catch (error) {
      if (error instanceof RefusedCombination) {
        resolved.refused.push({ parameters: resolveParameters(spec.parameters, point), reason: error.message });
        continue;
      }
      const where = Object.entries(point).map(([name, value]) => `${kebabCase(name)}=${value}`).join(' ');
      // The spec's own fault, not the grid's: named with the point it failed at.
      if (error instanceof RefuseFailed) throw new RefuseFailed(`at grid point (${where}): ${error.message}`);
      if (error instanceof ParameterError) throw new GridError(`grid point (${where}): ${error.message}`);
      throw error;
    }
  }
  return resolved;
}
