/**
 * `synod sweep <spec.ts> --grid 'acceptors=3..5,proposers=1..2' [--symmetry [SETS|both]]
 * [--workers N] [--out DIR] [--plot]`: check every point of a grid and write the results
 * (results.md, results.csv, results.json, and with --plot one SVG chart per numeric parameter).
 * Exit 0 once every point has a result (the verdicts are the data), 2 when the spec failed at a
 * point, 3 when interrupted.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { GridError, MAX_GRID_POINTS, gridPoints, parseGrid, resolveGrid } from '../experiments/grid.ts';
import { formatCount } from '../report/numbers.ts';
import { runSweep } from '../experiments/sweep.ts';
import { UsageError } from '../report/errors.ts';
import { experimentCsv, experimentJson, experimentMarkdown, experimentTable, refusedPointNotes } from '../report/experiment-table.ts';
import { PLOT_FILE, experimentPlots, plotFileNames } from '../report/experiment-plots.ts';
import { EXPERIMENT_FLAGS, parseArguments, refuseExtraPositionals } from './arguments.ts';
import { buildModel, loadSpecWithinTimeLimit, propertyNames, withinTimeLimit, type CommandIO } from './check-command.ts';
import { ParameterError, RefuseFailed, kebabCase, resolveParameters } from '../parameters.ts';
import {
  commandText,
  concurrencyFlag,
  experimentExitStatus,
  experimentSymmetry,
  formatPointsProgress,
  interruptSignals,
  limitFlags,
  outFlag,
  outputDirectory,
  validateModelOptions,
} from './experiment-flags.ts';

export async function sweepCommand(specPath: string, argv: readonly string[], io: CommandIO): Promise<number> {
  const spec = await loadSpecWithinTimeLimit(specPath, argv, io);
  const { flags, parameters: fixed, positionals } = parseArguments(argv, spec.parameters, EXPERIMENT_FLAGS);
  refuseExtraPositionals(positionals, 1);
  const out = outFlag(flags);
  const gridText = typeof flags.grid === 'string' ? flags.grid : '';
  let axes;
  try {
    axes = parseGrid(gridText, spec.parameters);
  } catch (error) {
    if (error instanceof GridError) throw new UsageError('bad-flag-value', `--grid: ${error.message}`);
    throw error;
  }
  for (const axis of axes) {
    if (fixed[axis.name] !== undefined) throw new UsageError('usage', `${kebabCase(axis.name)} is both swept by --grid and fixed by a flag (--${kebabCase(axis.name)})`);
  }
  const fixedValues = Object.fromEntries(Object.entries(fixed).filter((entry): entry is [string, string] => entry[1] !== undefined));
  try {
    // A fixed flag out of range is the flag's fault, named as such before any grid point.
    resolveParameters(spec.parameters, fixedValues);
  } catch (error) {
    if (error instanceof ParameterError) throw new UsageError('bad-parameter', error.message);
    throw error;
  }
  let grid;
  try {
    grid = withinTimeLimit(flags, io, () => resolveGrid(spec, gridPoints(axes, fixedValues)));
  } catch (error) {
    if (error instanceof GridError) throw new UsageError('bad-parameter', error.message);
    if (error instanceof RefuseFailed) throw new UsageError('spec-build-failed', `the refuse of the spec ${spec.name} failed ${error.message}`);
    throw error;
  }
  const { points, refused } = grid;
  if (axes.length > 0 && points.length === 0) {
    const first = refused[0]!;
    const where = axes.map((axis) => `${kebabCase(axis.name)}=${first.parameters[axis.name]}`).join(' ');
    throw new UsageError('bad-parameter', `the spec ${spec.name} refuses every point of the grid, the first (${where}): ${first.reason}`);
  }
  // The first point the spec takes (the flags alone without a grid): checks the spec's
  // properties, the flags, the symmetry sets and property names, before a missing grid.
  const { model } = withinTimeLimit(flags, io, () => buildModel(spec, points[0] ?? fixedValues));
  const properties = propertyNames(flags, model.properties);
  validateModelOptions(model, [], properties);
  const symmetry = experimentSymmetry(flags, model, properties);
  if (axes.length === 0) throw new UsageError('usage', 'synod sweep needs --grid with at least one parameter', "e.g. --grid 'acceptors=3..5'; synod check checks a single configuration");
  // The grid's cap is on checks (each a thread and a row): with both, a point is two of them.
  if (symmetry.mode === 'both' && points.length * 2 > MAX_GRID_POINTS) {
    const checked = refused.length > 0 ? ` the spec takes (of ${formatCount(points.length + refused.length)})` : '';
    throw new UsageError(
      'bad-flag-value',
      `--symmetry both checks each of the grid's ${formatCount(points.length)} points${checked} twice: ${formatCount(points.length * 2)} checks, more than the ${formatCount(MAX_GRID_POINTS)} one run may check`,
      'sweep a part of the grid at a time',
    );
  }
  const swept = axes.map((axis) => axis.name);
  const plotNames = flags.plot ? plotFileNames(swept, points) : [];
  if (flags.plot && plotNames.length === 0) {
    const taken = refused.length > 0 ? ' among the points the spec takes' : '';
    io.stderr(`synod: --plot draws distinct states against a numeric parameter with two values or more${taken}, and this grid sweeps none (${swept.join(', ')}): no chart`);
  }
  const output = outputDirectory(out, ['results.md', 'results.csv', 'results.json', ...plotNames]);
  const record = await runSweep({
    spec,
    specPath,
    gridText,
    axes,
    points,
    refused,
    symmetry: symmetry.mode,
    symmetrySets: symmetry.sets,
    ...(properties ? { properties } : {}),
    ...limitFlags(flags),
    concurrency: concurrencyFlag(flags),
    command: commandText('sweep', argv),
    ...interruptSignals(io),
    ...(flags.quiet ? {} : { onProgress: (progress) => io.stderr(formatPointsProgress('sweep', progress)) }),
  });
  const plots = flags.plot ? experimentPlots(record) : [];
  // Printed before the files are written: a file that fails then does not take the table with it.
  io.stdout(flags.json ? experimentJson(record).trimEnd() : [experimentTable(record), ...refusedPointNotes(record)].join('\n'));
  output.writeAll(
    [
      { name: 'results.md', text: experimentMarkdown(record, plots.map((plot) => plot.name)) },
      { name: 'results.csv', text: experimentCsv(record) },
      { name: 'results.json', text: experimentJson(record) },
      ...plots.map((plot) => ({ name: plot.name, text: plot.svg })),
    ],
    io,
    flags.quiet === true,
  );
  // Plots of an earlier sweep into the same directory would sit beside results they do not show.
  const stale = readdirSync(output.directory, { withFileTypes: true })
    .filter((entry) => entry.isFile() && PLOT_FILE.test(entry.name) && !plots.some((plot) => plot.name === entry.name))
    .map((entry) => join(output.directory, entry.name));
  const removed = stale.filter((path) => {
    try {
      rmSync(path);
      return true;
    } catch {
      io.stderr(`synod: could not remove ${path}, a plot of an earlier sweep`);
      return false;
    }
  });
  if (!flags.quiet && removed.length > 0) io.stderr(`synod: removed the plots of an earlier sweep: ${removed.join(', ')}`);
  return experimentExitStatus(record, io, io.signal?.aborted === true);
}
