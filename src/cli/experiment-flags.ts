/**
 * What `synod sweep`, `synod matrix` and `synod simulate` share: the limits and concurrency they
 * read from their flags (the flag tables are in arguments.ts, beside the others), the output
 * directory, the progress line, and the exit status.
 */
import { setMaxListeners } from 'node:events';
import { rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import type { AnyModel } from '../model.ts';
import { SymmetryError, SymmetryReduction } from '../explore/symmetry.ts';
import { PropertySelectionError, selectProperties } from '../explore/select-properties.ts';
import type { CheckLimits } from '../experiments/sweep.ts';
import type { PointsProgress } from '../experiments/run-points.ts';
import { RETURN_GRACE_SECONDS } from '../experiments/point-runner.ts';
import { UsageError, formatUsageError } from '../report/errors.ts';
import { plural } from '../report/numbers.ts';
import { EXIT_INCOMPLETE, EXIT_OK, EXIT_USAGE } from '../report/run-report.ts';
import type { ExperimentRecord } from '../experiments/record.ts';
import { formatParameters } from '../report/console.ts';
import { MAX_SECONDS, bytesFlag, numberFlag, pathFlag, shellWord, workersFlag, type FlagValues } from './arguments.ts';
import { MAX_WORKERS } from '../explore/parallel.ts';
import { symmetrySets, type CommandIO } from './check-command.ts';
import { createDirectory, ensureWritable, writeOutputFile } from './output-files.ts';

export function limitFlags(flags: FlagValues): CheckLimits {
  const maxSeconds = numberFlag(flags, 'max-seconds', false, MAX_SECONDS);
  const maxStates = numberFlag(flags, 'max-states', true);
  const maxMemoryBytes = bytesFlag(flags, 'max-memory');
  const checkWorkers = flags['check-workers'] === undefined ? undefined : workersFlag(flags, 1, 'check-workers');
  return {
    ...(checkWorkers !== undefined ? { checkWorkers } : {}),
    ...(maxSeconds !== undefined ? { maxSeconds } : {}),
    ...(maxStates !== undefined ? { maxStates } : {}),
    ...(maxMemoryBytes !== undefined ? { maxMemoryBytes } : {}),
  };
}

/** `--workers N`: checks at once, each in its own thread; default the number of cores. */
export function concurrencyFlag(flags: FlagValues): number {
  return workersFlag(flags, availableParallelism());
}

/**
 * `--symmetry` for experiments: absent (off), a list of sets or all (on), or `both`; refused, as
 * synod check refuses it, when one of the properties checked (`properties`, or the spec's
 * defaults) tells the members of a set apart.
 */
export function experimentSymmetry(flags: FlagValues, model: AnyModel, properties: readonly string[] | undefined): { mode: 'off' | 'on' | 'both'; sets: string[] } {
  if (flags.symmetry === undefined) return { mode: 'off', sets: [] };
  const both = flags.symmetry === 'both';
  const sets = symmetrySets(both ? 'all' : flags.symmetry, model);
  validateModelOptions(model, sets, properties);
  return { mode: both ? 'both' : 'on', sets };
}

/** Refuses symmetry sets or property names the model does not have, before any thread starts (replay's --property too). */
export function validateModelOptions(model: AnyModel, sets: readonly string[], properties: readonly string[] | undefined): void {
  try {
    const selected = selectProperties(model, properties);
    if (sets.length > 0) new SymmetryReduction(selected, sets);
  } catch (error) {
    if (error instanceof SymmetryError || error instanceof PropertySelectionError) throw new UsageError('bad-flag-value', error.message);
    throw error;
  }
}

/** A file of an experiment's results: its name in the output directory and its text. */
export interface ResultFile {
  readonly name: string;
  readonly text: string;
}

/** `--out DIR`: where sweep and matrix write their results (default `results`). */
export function outFlag(flags: FlagValues): string {
  return pathFlag(flags, 'out', 'directory') ?? 'results';
}

/**
 * Creates `directory` (from {@link outFlag}) and returns a function that writes files in it. Called
 * before the first check: a directory that cannot be made, or a file (`files`: the results, and
 * the plots) that cannot be written there, fails now (exit 2) rather than after the whole run,
 * which would lose its results.
 */
export function outputDirectory(
  directory: string,
  files: readonly string[],
): { directory: string; writeAll: (files: readonly ResultFile[], io: CommandIO, quiet: boolean) => void; discard: () => void } {
  const created = createDirectory(directory);
  // The directories made here, if still empty: a command refused after all leaves nothing behind.
  const discard = () => {
    for (const path of [...created].reverse()) {
      try {
        rmdirSync(path);
      } catch {
        return;
      }
    }
  };
  try {
    // Creating a directory that exists does nothing, whatever it is (a regular file, /dev/full).
    for (const name of files) ensureWritable(join(directory, name));
  } catch (error) {
    discard();
    throw error;
  }
  return {
    directory,
    discard,
    // Called once the results are printed. A file that fails only as it is written (a full disk)
    // passed the check above; the files after it are still written, and the line says the
    // printed results stand.
    writeAll: (results, io, quiet) => {
      const written: string[] = [];
      const failures: UsageError[] = [];
      for (const { name, text } of results) {
        const path = join(directory, name);
        try {
          writeOutputFile(path, text);
          written.push(path);
        } catch (error) {
          if (!(error instanceof UsageError)) throw error;
          failures.push(error);
        }
      }
      if (!quiet && written.length > 0) io.stderr(`synod: wrote ${written.join(', ')}`);
      const [first, ...others] = failures;
      if (first) {
        const more = others.length > 0 ? `, and ${plural(others.length, 'other file')} could not be written either` : '';
        throw new UsageError('cannot-write', `${first.message}${more} (the results printed above stand)`);
      }
    },
  };
}

/**
 * The signals a sweep or matrix passes its points, saying on stderr what an interrupt does: the
 * points running are given RETURN_GRACE_SECONDS to stop, and a second Ctrl-C stops them at once,
 * the results written all the same (without it, a second Ctrl-C ended the process with no word
 * and none of the points already checked).
 */
export function interruptSignals(io: CommandIO): { signal?: AbortSignal; hurry?: AbortSignal } {
  const hurry = io.secondInterrupt?.();
  // Each check running listens to both (up to 64 at once): no warning of a leak.
  for (const signal of [io.signal, hurry]) if (signal) setMaxListeners(4 * MAX_WORKERS, signal);
  io.signal?.addEventListener(
    'abort',
    () => io.stderr(`synod: interrupted: the checks running stop at their next step, or are ended in ${RETURN_GRACE_SECONDS} s; interrupt again to end them now (the results are written either way)`),
    { once: true },
  );
  hurry?.addEventListener('abort', () => io.stderr('synod: interrupted again: any check still running is ended now'), { once: true });
  return { ...(io.signal ? { signal: io.signal } : {}), ...(hurry ? { hurry } : {}) };
}

export function formatPointsProgress(what: string, progress: PointsProgress): string {
  const interrupted = progress.notStarted > 0 ? `, ${progress.notStarted} not started (interrupted)` : '';
  return `${what}: ${progress.done} done, ${progress.running} running, ${progress.left} left${interrupted}, ${progress.seconds.toFixed(0)} s`;
}

/**
 * A sweep's or matrix's exit status once its results are out: 2 when the spec failed at some
 * point (threw, or its thread died: that point has no verdict, and a script reading the results
 * must not take them as complete), whether or not the run was also interrupted; else 3 when
 * interrupted; else 0: the verdicts are the data. The failed points are named on stderr, in one line.
 */
export function experimentExitStatus(record: ExperimentRecord, io: CommandIO, aborted: boolean): number {
  const failed = record.rows.filter((row) => row.status === 'error');
  if (failed.length > 0) {
    const first = failed[0]!;
    const specs = [...new Set(failed.map((row) => row.spec))];
    // The swept parameters this point has (a matrix's spec may declare only some of them).
    const swept = formatParameters(Object.fromEntries(record.swept.filter((name) => first.parameters[name] !== undefined).map((name) => [name, first.parameters[name]!])));
    const where = [first.preset ? `the ${first.preset} preset` : '', swept].filter((part) => part !== '').join(' ') || 'its defaults';
    const hint = aborted
      ? 'the run was also interrupted: other points are incomplete or not started'
      : failed.length < record.rows.length
        ? 'the results above stand for the other points'
        : undefined;
    const error = new UsageError(
      'points-failed',
      `${specs.join(', ')} failed at ${failed.length} of ${plural(record.rows.length, record.options.symmetry === 'both' ? 'check' : 'point')}, first ${specs.length > 1 ? `${first.spec} ` : ''}at ${where}: ${first.error ?? 'no reason given'}`,
      hint,
    );
    io.stderr(formatUsageError(error));
    return EXIT_USAGE;
  }
  return aborted ? EXIT_INCOMPLETE : EXIT_OK;
}

/** The command line as typed, for the record. */
export function commandText(command: string, argv: readonly string[]): string {
  return ['synod', command, ...argv.map(shellWord)].join(' ');
}
