/**
 * `synod matrix [spec.ts ...] [--presets bag,dup,lossy,crash] [--per-property] [--grid G]`:
 * every spec (by default every bundled spec with network parameters, broken variants included)
 * under every network and fault preset, one table. Writes matrix.md, matrix.csv and matrix.json
 * to --out (default `results`). Exit 0 once every cell has a result, 2 when the spec failed in a
 * cell or every cell is n/a, 3 when interrupted.
 */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AnySpec, ParameterDeclarations } from '../model.ts';
import { GridError, parseGrid, type GridAxis } from '../experiments/grid.ts';
import { PRESETS, missingPresetParameter, refuseGridValuesOutOfRange, refuseTooManyCells, runMatrix, type Preset } from '../experiments/matrix.ts';
import { UsageError } from '../report/errors.ts';
import { experimentCsv, experimentJson } from '../report/experiment-table.ts';
import { matrixMarkdown, matrixNotes, matrixTable } from '../report/matrix-table.ts';
import { MATRIX_FLAGS, parseArguments } from './arguments.ts';
import { armStuckRunDeadline, buildModel, loadSpecWithinTimeLimit, propertyNames, withinTimeLimit, type CommandIO } from './check-command.ts';
import { commandText, concurrencyFlag, experimentExitStatus, formatPointsProgress, interruptSignals, limitFlags, outFlag, outputDirectory } from './experiment-flags.ts';
import { shownPath } from '../shown-path.ts';

/** The bundled specs, the correct ones first, then specs/bugs/, as {@link shownPath} shows them. */
export function bundledSpecPaths(): string[] {
  const root = fileURLToPath(new URL('../../specs/', import.meta.url));
  const list = (directory: string) =>
    readdirSync(directory)
      .filter((name) => name.endsWith('.ts'))
      .sort()
      .map((name) => shownPath(join(directory, name)));
  return [...list(root), ...list(join(root, 'bugs'))];
}

function choosePresets(flag: string | boolean | undefined): Preset[] {
  if (typeof flag !== 'string') return [...PRESETS];
  const names = flag.split(',').map((name) => name.trim());
  return names.map((name, index) => {
    const preset = PRESETS.find((candidate) => candidate.name === name);
    if (!preset) throw new UsageError('bad-flag-value', `--presets: no preset '${name}' (there are: ${PRESETS.map((candidate) => candidate.name).join(', ')})`);
    if (names.indexOf(name) !== index) throw new UsageError('bad-flag-value', `--presets names ${name} twice`);
    return preset;
  });
}

/** A property name no spec of the matrix declares is a typo, as it is for synod check. */
function refuseUndeclaredProperties(names: readonly string[], declared: ReadonlySet<string>): void {
  const unknown = names.filter((name) => !declared.has(name));
  if (unknown.length > 0) {
    throw new UsageError('bad-flag-value', `--property: no spec in the matrix declares ${unknown.join(', ')}`, `they declare ${[...declared].join(', ')}`);
  }
  if (names.length === 0) throw new UsageError('bad-flag-value', '--property needs at least one property name');
}

/** The matrix's flags; a flag it does not know, not a slip of one of its own, is likely a parameter meant for --grid. */
function matrixArguments(argv: readonly string[]): ReturnType<typeof parseArguments> {
  try {
    return parseArguments(argv, {}, MATRIX_FLAGS);
  } catch (error) {
    const flag = error instanceof UsageError && error.code === 'unknown-flag' && !error.hint?.startsWith('did you mean') ? /^unknown flag --([\w-]+)$/.exec(error.message)?.[1] : undefined;
    const at = flag === undefined ? -1 : argv.findIndex((arg) => arg === `--${flag}` || arg.startsWith(`--${flag}=`));
    if (at < 0) throw error;
    const message = (error as UsageError).message;
    // The presets' own parameters are the matrix's columns: --grid refuses them too.
    if (PRESETS.some((preset) => Object.hasOwn(preset.parameters, flag!))) {
      throw new UsageError('unknown-flag', message, `the presets set ${flag} (the matrix's columns): choose them with --presets ${PRESETS.map((preset) => preset.name).join(',')}`);
    }
    const value = argv[at]!.includes('=') ? argv[at]!.slice(flag!.length + 3) : argv[at + 1] !== undefined && !argv[at + 1]!.startsWith('-') ? argv[at + 1]! : 'VALUE';
    throw new UsageError('unknown-flag', message, `a matrix takes the specs' parameters in --grid, for the specs that declare them: --grid '${flag}=${value}'`);
  }
}

export async function matrixCommand(argv: readonly string[], io: CommandIO): Promise<number> {
  const { flags, positionals } = matrixArguments(argv);
  // Read before the specs load, whose notes on stderr would precede its error.
  const out = outFlag(flags);
  const presets = choosePresets(flags.presets);
  const named = positionals.length > 0;
  const specs: { spec: AnySpec; path: string }[] = [];
  const declared = new Set<string>();
  // One file named twice (specs/paxos.ts, ./specs/paxos.ts) is one spec: its first spelling.
  const byFile = new Map<string, string>();
  for (const path of named ? positionals : bundledSpecPaths()) if (!byFile.has(resolve(path))) byFile.set(resolve(path), path);
  const paths = [...byFile.values()];
  // Said once the flags are known to be good: a bad one is refused in one line.
  const leftOut: string[] = [];
  for (const path of paths) {
    const spec = await loadSpecWithinTimeLimit(path, argv, io);
    // Its cells are checked in threads, where a spec that fails to build is only an `error` cell: say why here, once.
    const { model } = withinTimeLimit(flags, io, () => buildModel(spec, {}));
    const applies = presets.some((preset) => missingPresetParameter(spec, preset) === undefined);
    if (applies || named) {
      specs.push({ spec, path });
      for (const property of model.properties) declared.add(property.name);
    }
    else if (!flags.quiet) {
      const required = [...new Set(presets.flatMap((preset) => preset.requires))];
      leftOut.push(`synod: matrix leaves out ${path}: it declares none of the presets' parameters (${required.join(', ')})`);
    }
  }
  const gridText = typeof flags.grid === 'string' ? flags.grid : '';
  // An axis may name a parameter of any of the specs; each spec takes the axes it declares.
  const declarations = Object.assign({}, ...specs.map(({ spec }) => spec.parameters)) as ParameterDeclarations;
  let axes: GridAxis[];
  try {
    axes = parseGrid(gridText, declarations, specs.length);
  } catch (error) {
    if (error instanceof GridError) throw new UsageError('bad-flag-value', `--grid: ${error.message}`);
    throw error;
  }
  // The presets are the columns: an axis over a parameter they set would be overridden in every cell.
  const presetParameters = new Set(presets.flatMap((preset) => Object.keys(preset.parameters)));
  const clash = axes.find((axis) => presetParameters.has(axis.name));
  if (clash) {
    throw new UsageError(
      'bad-flag-value',
      `--grid: ${clash.name} is set by the presets (${presets.map((preset) => preset.name).join(', ')}), which are the matrix's columns`,
      'choose the columns with --presets, or sweep it with synod sweep',
    );
  }
  try {
    refuseGridValuesOutOfRange(specs, axes);
  } catch (error) {
    if (error instanceof GridError) throw new UsageError('bad-parameter', error.message);
    throw error;
  }
  try {
    refuseTooManyCells(specs, axes, presets.length);
  } catch (error) {
    if (error instanceof GridError) throw new UsageError('bad-flag-value', `--grid: ${error.message}`);
    throw error;
  }
  // All: every property of each spec, as each declares them.
  const properties = typeof flags.property === 'string' && flags.property.trim() === 'all' ? 'all' : propertyNames(flags, []);
  if (properties !== undefined && properties !== 'all') refuseUndeclaredProperties(properties, declared);
  const output = outputDirectory(out, ['matrix.md', 'matrix.csv', 'matrix.json']);
  for (const note of leftOut) io.stderr(note);
  // Planning the cells runs the specs' refuse and build here: under --max-seconds, as check's build is.
  const maxSeconds = limitFlags(flags).maxSeconds;
  let disarm: (() => void) | undefined = armStuckRunDeadline(io, maxSeconds);
  const planned = () => {
    disarm?.();
    disarm = undefined;
  };
  const matrix = runMatrix({
    onPlanned: planned,
    specs,
    gridText,
    axes,
    presets,
    perProperty: flags['per-property'] === true,
    ...(properties ? { properties } : {}),
    ...limitFlags(flags),
    concurrency: concurrencyFlag(flags),
    command: commandText('matrix', argv),
    ...interruptSignals(io),
    ...(flags.quiet ? {} : { onProgress: (progress) => io.stderr(formatPointsProgress('matrix', progress)) }),
  }).finally(planned);
  let record: Awaited<typeof matrix>;
  try {
    record = await matrix;
  } catch (error) {
    if (error instanceof GridError) {
      output.discard();
      throw new UsageError('bad-parameter', error.message);
    }
    throw error;
  }
  // Printed before the files are written: a file that fails then does not take the table with it.
  io.stdout(flags.json ? experimentJson(record).trimEnd() : [matrixTable(record), '', ...matrixNotes(record)].join('\n'));
  output.writeAll(
    [
      { name: 'matrix.md', text: matrixMarkdown(record) },
      { name: 'matrix.csv', text: experimentCsv(record) },
      { name: 'matrix.json', text: experimentJson(record) },
    ],
    io,
    flags.quiet === true,
  );
  return experimentExitStatus(record, io, io.signal?.aborted === true);
}
