/** `synod check <spec.ts> [flags]`: explore every reachable state and report the verdict. */
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import type { AnySpec, AnyModel, Property } from '../model.ts';
import { ParameterError, RefuseFailed, RefusedCombination, kebabCase, resolveSpecParameters } from '../parameters.ts';
import { checkModel, type CheckOptions } from '../check.ts';
import { SymmetryError } from '../explore/symmetry.ts';
import { PropertyDeclarationError, PropertySelectionError, validateProperties } from '../explore/select-properties.ts';
import { defaultWorkers } from '../explore/parallel.ts';
import type { ModelError, Progress } from '../explore/result.ts';
import { UsageError, formatUsageError } from '../report/errors.ts';
import { formatConsoleReport } from '../report/console.ts';
import { jsonReport } from '../report/json.ts';
import { exitStatus, type RunReport } from '../report/run-report.ts';
import { formatCount } from '../report/numbers.ts';
import type { Trace } from '../trace/replay.ts';
import { formatItf, traceToItf } from '../trace/itf.ts';
import { fileHash, synodVersion } from '../experiments/environment.ts';
import { emitVitestTest } from '../trace/emit-test.ts';
import { MAX_SECONDS, bytesFlag, maxSecondsBeforeParsing, numberFlag, parseArguments, refuseExtraPositionals, pathFlag, shellWord, type FlagValues, workersFlag } from './arguments.ts';
import { loadSpec } from './load-spec.ts';
import { ensureWritable, sameFile, writeOutputFile } from './output-files.ts';
import { descriptionReplacer } from '../trace/description.ts';
import { thrownWithPlace } from '../thrown.ts';

export interface CommandIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Aborted on Ctrl-C. */
  readonly signal?: AbortSignal;
  /** For a command that takes a second Ctrl-C itself instead of being ended by it: the signal aborted at it. */
  readonly secondInterrupt?: () => AbortSignal;
  /**
   * Ends the process if the run has not returned a few seconds past `maxSeconds` from now (spec
   * code that never returns holds the thread that would stop it); returns what disarms it.
   */
  readonly endStuckRunAfter?: (maxSeconds: number) => () => void;
}

/** What a value returned by a spec's `build` lacks of a model, if anything: the functions the explorers call, and initial states in an array. */
function missingModelMember(model: unknown): string | undefined {
  if (typeof model !== 'object' || model === null) return `build returned ${String(model)}`;
  const members = model as Record<string, unknown>;
  if (typeof members.then === 'function') return 'build returned a promise (an async build?): it must return the model itself';
  for (const name of ['initialStates', 'actions', 'nextState', 'encode', 'decode']) {
    if (typeof members[name] !== 'function') return `its model has no ${name} function`;
  }
  let initial: unknown;
  try {
    initial = (members.initialStates as () => unknown).call(model);
  } catch {
    // The explorers report it, naming the initial states, as they report any error of the model.
    return undefined;
  }
  // Anything else is read as no initial states, and the run would say OK having explored nothing.
  if (!Array.isArray(initial)) return `its initialStates returned ${typeof initial === 'object' ? 'an object' : String(initial)}, not an array`;
  // actions fills the array it is given; one that returns its actions instead offers none, and
  // the run would say OK after the initial states (TypeScript accepts it: void takes any return).
  if (initial.length === 0) return undefined;
  const offered: unknown[] = [];
  let returned: unknown;
  try {
    returned = (members.actions as (state: unknown, out: unknown[]) => unknown).call(model, initial[0], offered);
  } catch {
    return undefined;
  }
  // Only a non-empty array: `(s, out) => s < 3 && out.push('Inc')` returns false where it offers none.
  if (Array.isArray(returned) && returned.length > 0 && offered.length === 0) return 'its actions returned the actions instead of pushing them into its second argument (out)';
  return undefined;
}

/** The model of `spec` at `raw` parameters, its properties validated: every command builds through here. */
export function buildModel(spec: AnySpec, raw: Record<string, string | number | undefined>) {
  let parameters: Record<string, string | number>;
  try {
    parameters = resolveSpecParameters(spec, raw);
  } catch (error) {
    if (error instanceof RefusedCombination) throw new UsageError('bad-parameter', `the spec ${spec.name} refuses these parameters: ${error.message}`);
    if (error instanceof ParameterError) throw new UsageError('bad-parameter', error.message);
    if (error instanceof RefuseFailed) throw new UsageError('spec-build-failed', `the refuse of the spec ${spec.name} failed: ${error.message}`);
    throw error;
  }
  let model: AnyModel;
  try {
    model = spec.build(parameters as never);
  } catch (error) {
    throw new UsageError('spec-build-failed', `the spec ${spec.name} failed to build its model: ${thrownWithPlace(error)}`);
  }
  const missing = missingModelMember(model);
  if (missing) {
    // An actor spec's build returns system.model; the ActorSystem itself is not a model.
    const inner = (model as { model?: unknown } | null)?.model;
    const hint = inner !== undefined && missingModelMember(inner as AnyModel) === undefined ? 'return its .model (system.model), not what holds it' : undefined;
    throw new UsageError('spec-build-failed', `the spec ${spec.name} built no model: ${missing}`, hint);
  }
  try {
    validateProperties(model);
  } catch (error) {
    if (error instanceof PropertyDeclarationError) throw new UsageError('bad-property', `the spec ${spec.name} declares a bad property: ${error.message}`);
    throw error;
  }
  return { parameters, model };
}

/**
 * Has synod's relay thread end the process if the command has not returned some seconds past
 * `maxSeconds` from now (see endStuckRunAfter), when there is a limit; returns what disarms it.
 */
export function armStuckRunDeadline(io: CommandIO, maxSeconds: number | undefined): () => void {
  return (maxSeconds !== undefined ? io.endStuckRunAfter?.(maxSeconds) : undefined) ?? (() => {});
}

/**
 * Runs `prepare` (building models: the spec's refuse and build, on this thread) under the
 * command's --max-seconds, as the run itself is: spec code that never returns there must not hold
 * the command past its limit (see endStuckRunAfter). The run's own limit starts afresh after it.
 */
export function withinTimeLimit<T>(flags: FlagValues, io: CommandIO, prepare: () => T): T {
  const disarm = armStuckRunDeadline(io, numberFlag(flags, 'max-seconds', false, MAX_SECONDS));
  try {
    return prepare();
  } finally {
    disarm();
  }
}

/**
 * Loads the spec under the command's --max-seconds (read before the flags are parsed), as
 * {@link withinTimeLimit} builds it: its top-level code, and its refuse of its defaults, run here
 * and must not hold the command past its limit either.
 */
export async function loadSpecWithinTimeLimit(specPath: string, argv: readonly string[], io: CommandIO): Promise<AnySpec> {
  const disarm = armStuckRunDeadline(io, maxSecondsBeforeParsing(argv));
  try {
    return await loadSpec(specPath);
  } finally {
    disarm();
  }
}

export async function checkCommand(specPath: string, argv: readonly string[], io: CommandIO): Promise<number> {
  const spec = await loadSpecWithinTimeLimit(specPath, argv, io);
  const { flags, parameters: raw, positionals } = parseArguments(argv, spec.parameters);
  refuseExtraPositionals(positionals, 1);
  const { parameters, model } = withinTimeLimit(flags, io, () => buildModel(spec, raw));
  const files = counterexampleFiles(flags, specPath);
  const showProgress = !flags.quiet;
  const maxStates = numberFlag(flags, 'max-states', true);
  const maxSeconds = numberFlag(flags, 'max-seconds', false, MAX_SECONDS);
  const maxMemoryBytes = bytesFlag(flags, 'max-memory');
  const maxDepth = numberFlag(flags, 'max-depth', true);
  const symmetry = symmetrySets(flags.symmetry, model);
  const audit = flags.audit === true;
  const properties = propertyNames(flags, model.properties);
  const requestedWorkers = workersFlag(flags, defaultWorkers());
  // The audit is a layer over the sequential explorer: an audited run explores on one thread.
  const workers = audit ? 1 : requestedWorkers;
  if (audit && flags.workers !== undefined && requestedWorkers > 1) {
    io.stderr(`synod: --audit explores on one thread; --workers ${requestedWorkers} is ignored`);
  }
  if (audit && symmetry.length > 0 && model.symmetry?.exact !== true) {
    // Only an exact representative can be checked: one per orbit, which a sound one need not be.
    io.stderr(`synod: --audit checks a symmetry only when its representative is marked exact; ${spec.name}'s is not, so the reduction over ${symmetry.join(', ')} goes unchecked`);
  }
  const options: CheckOptions = {
    // Worker threads build their own model from the spec file and the resolved parameters.
    workers,
    ...(workers > 1 ? { source: { specPath: resolve(specPath), parameters } } : {}),
    // A second instance, for the audit to find a model that is not a function of its arguments.
    ...(audit ? { audit, auditTwin: withinTimeLimit(flags, io, () => buildModel(spec, raw).model) } : {}),
    ...(symmetry.length > 0 ? { symmetry } : {}),
    ...(properties ? { properties } : {}),
    ...(maxStates !== undefined ? { maxStates } : {}),
    ...(maxSeconds !== undefined ? { maxSeconds } : {}),
    ...(maxMemoryBytes !== undefined ? { maxMemoryBytes } : {}),
    ...(maxDepth !== undefined ? { maxDepth } : {}),
    ...(io.signal ? { signal: io.signal } : {}),
    ...(showProgress ? { onProgress: (progress: Progress) => io.stderr(formatProgress(progress)) } : {}),
  };
  let report;
  const disarm = armStuckRunDeadline(io, maxSeconds);
  try {
    report = await checkModel(model, options);
  } catch (error) {
    if (error instanceof SymmetryError || error instanceof PropertySelectionError) {
      throw new UsageError('bad-flag-value', error.message);
    }
    throw error;
  } finally {
    disarm();
  }
  // The model as checked (selected properties, their history tracked) renders the traces.
  const checked: AnyModel = report.model;
  const run: RunReport = { specPath, specName: spec.name, parameters, model: checked, report, ...optionalNotChecked(model, checked) };
  const mermaid = flags.mermaid === true;
  if (flags.json) io.stdout(JSON.stringify(jsonReport(run, { mermaid }), descriptionReplacer));
  else io.stdout(formatConsoleReport(run, { mermaid }));
  sayModelError(report.result.error, io);
  const violated = checked.properties.find((property: Property<unknown>) => property.name === report.result.violation?.property);
  const found = report.counterexample && violated ? { trace: report.counterexample, property: violated } : undefined;
  const source: TraceSource = {
    specPath,
    specName: spec.name,
    parameters,
    model: checked,
    command: 'synod check',
    ...(options.properties ? { properties: options.properties } : {}),
  };
  writeCounterexampleFiles(files, source, found, io, report.result.status);
  return exitStatus(report);
}

/**
 * `--property NAMES` as every command reads it, or undefined: the names given, or with `all` every
 * one of `declared` (a spec's property named all is itself). An empty name is refused
 * (`--property Agreement,` is a slip, not a request).
 */
export function propertyNames(flags: FlagValues, declared: readonly Property<unknown>[]): string[] | undefined {
  if (typeof flags.property !== 'string') return undefined;
  if (flags.property.trim() === 'all' && !declared.some((property) => property.name === 'all')) {
    // An empty list would read as no --property at all: the defaults.
    if (declared.length === 0) throw new UsageError('bad-flag-value', '--property all names no property: the spec declares none that this command judges');
    return declared.map((property) => property.name);
  }
  const names = flags.property.split(',').map((name) => name.trim());
  if (names.includes('')) {
    throw new UsageError('bad-flag-value', `--property '${flags.property}' has an empty name`, 'name the properties with commas between them, e.g. --property Agreement,Validity, or --property all');
  }
  return names;
}

/** The one line on stderr for a run that ended at the model's error (its report on stdout says more). */
export function sayModelError(error: ModelError | undefined, io: CommandIO): void {
  if (error?.code === 'model-contract') io.stderr(formatUsageError(new UsageError('model-contract', `the spec breaks its contract: ${error.message}`)));
  else if (error) io.stderr(formatUsageError(new UsageError('model-threw', `the spec failed: ${error.message}`)));
}

/** The files a counterexample is written to: `--trace-out` (ITF) and `--emit-test` (vitest). */
export interface CounterexampleFiles {
  readonly traceOut?: string;
  readonly emitTest?: string;
}

/**
 * Reads `--trace-out` and `--emit-test`, refusing before any work paths that cannot be written,
 * the spec file itself (a slip of the command line would replace it), and one path for both.
 */
export function counterexampleFiles(flags: FlagValues, specPath: string): CounterexampleFiles {
  const traceOut = pathFlag(flags, 'trace-out', 'file');
  const emitTest = pathFlag(flags, 'emit-test', 'file');
  for (const [flag, path] of [['trace-out', traceOut], ['emit-test', emitTest]] as const) {
    if (path === undefined) continue;
    if (sameFile(path, specPath)) throw new UsageError('cannot-write', `--${flag} ${path} is the spec file: it would be overwritten`);
    ensureWritable(path);
  }
  if (traceOut !== undefined && emitTest !== undefined && sameFile(traceOut, emitTest)) {
    throw new UsageError('cannot-write', `--trace-out and --emit-test name the same file, ${traceOut}`);
  }
  return { ...(traceOut !== undefined ? { traceOut } : {}), ...(emitTest !== undefined ? { emitTest } : {}) };
}

/** Where a trace came from, for the files' metadata. */
export interface TraceSource {
  readonly specPath: string;
  readonly specName: string;
  readonly parameters: Readonly<Record<string, string | number>>;
  readonly model: AnyModel;
  /** `synod check` or `synod replay`. */
  readonly command: string;
  /** The trace argument of `synod replay`. */
  readonly trace?: string;
  /** The properties named with --property: an optional one is checked only when named. */
  readonly properties?: readonly string[];
}

/** The command line that reproduces a run: the spec, every parameter and the properties named. */
export function commandLine(source: TraceSource): string {
  const flags = Object.entries(source.parameters).flatMap(([name, value]) => [`--${kebabCase(name)}`, String(value)]);
  if (source.properties !== undefined) flags.push('--property', source.properties.join(','));
  return [source.command, ...[source.specPath, ...(source.trace !== undefined ? [source.trace] : []), ...flags].map(shellWord)].join(' ');
}

/**
 * Writes the requested files for a counterexample (a trace whose last state violates `property`),
 * saying on stderr where; with no counterexample it writes nothing and says so.
 */
export function writeCounterexampleFiles(
  files: CounterexampleFiles,
  source: TraceSource,
  found: { readonly trace: Trace<unknown, unknown>; readonly property: Property<unknown> } | undefined,
  io: CommandIO,
  /** The verdict printed before the files are written, which a file that fails to write leaves standing. */
  printedStatus: string,
): void {
  try {
    writeFiles(files, source, found, io);
  } catch (error) {
    // A device that fails only when written to (a full disk) passes the check made before the run.
    if (error instanceof UsageError && error.code === 'cannot-write') {
      throw new UsageError('cannot-write', `${error.message} (the result printed above stands: ${printedStatus})`);
    }
    throw error;
  }
}

function writeFiles(
  files: CounterexampleFiles,
  source: TraceSource,
  found: { readonly trace: Trace<unknown, unknown>; readonly property: Property<unknown> } | undefined,
  io: CommandIO,
): void {
  for (const [flag, path] of [['--trace-out', files.traceOut], ['--emit-test', files.emitTest]] as const) {
    if (path !== undefined && !found) io.stderr(`synod: no counterexample, so ${flag} wrote nothing to ${path}`);
  }
  if (!found) return;
  if (files.traceOut !== undefined) {
    const itf = traceToItf(source.model, found.trace, {
      source: source.specPath,
      spec: source.specName,
      parameters: source.parameters,
      property: found.property,
      generator: source.command,
      provenance: { synod: synodVersion(), specSha256: fileHash(source.specPath) },
    });
    writeOutputFile(files.traceOut, formatItf(itf));
    io.stderr(`synod: wrote the counterexample (ITF, ${found.trace.steps.length} states) to ${files.traceOut}`);
  }
  if (files.emitTest !== undefined) {
    const text = emitVitestTest({
      testFile: files.emitTest,
      specPath: source.specPath,
      specName: source.specName,
      parameters: source.parameters,
      model: source.model,
      trace: found.trace,
      property: found.property,
      command: commandLine(source),
    });
    writeOutputFile(files.emitTest, text);
    // vitest collects only files named *.test.* or *.spec.* by default (a project's config may
    // narrow that further: synod's own takes test/**/*.test.ts).
    const howToRun = /\.(test|spec)\.[cm]?[jt]sx?$/.test(files.emitTest)
      ? `run it: npx vitest run ${files.emitTest}`
      : 'vitest runs only files named *.test.ts or *.spec.ts: rename it, then npx vitest run FILE';
    io.stderr(`synod: wrote a vitest test that replays the counterexample to ${files.emitTest} (${howToRun})`);
    if (!resolvesSynod(files.emitTest)) {
      io.stderr(`synod: note: the test imports synod as 'synod', which does not resolve from ${dirname(resolve(files.emitTest))}: install synod in that project (or npm link it) before running it`);
    }
  }
}

/** Whether `import 'synod'` resolves from the directory of `file` (the package, or this repository itself). */
function resolvesSynod(file: string): boolean {
  try {
    createRequire(resolve(file)).resolve('synod');
    return true;
  } catch {
    return false;
  }
}

export function formatProgress(progress: Progress): string {
  return (
    `progress: ${formatCount(progress.distinctStates)} states, ${formatCount(progress.statesPerSecond)} states/s, ` +
    `depth ${progress.depth}, frontier ${formatCount(progress.frontier)}, ${progress.seconds.toFixed(0)} s`
  );
}

/** The spec's optional properties the run left out (`model` as built, `checked` as checked), for {@link RunReport}. */
export function optionalNotChecked(model: AnyModel, checked: AnyModel): { optionalNotChecked?: string[] } {
  const names = model.properties
    .filter((property: Property<unknown>) => property.optional && !checked.properties.some((kept: Property<unknown>) => kept.name === property.name))
    .map((property: Property<unknown>) => property.name);
  return names.length > 0 ? { optionalNotChecked: names } : {};
}

/** The sets named by --symmetry ('all': every set the model declares). */
export function symmetrySets(flag: string | boolean | undefined, model: AnyModel): string[] {
  if (flag === undefined || flag === false) return [];
  const declared = model.symmetry?.sets ?? [];
  if (declared.length === 0) {
    throw new UsageError('bad-flag-value', `--symmetry: the spec ${model.name} declares no symmetric sets`);
  }
  if (flag === 'all' || flag === true) return [...declared];
  const sets = String(flag)
    .split(',')
    .map((set) => set.trim())
    .filter((set) => set.length > 0);
  if (sets.length === 0) {
    throw new UsageError('bad-flag-value', `--symmetry needs set names, got an empty value (the spec's sets are ${declared.join(', ')}; --symmetry alone reduces by all)`);
  }
  if (sets.includes('both') && !declared.includes('both')) {
    throw new UsageError(
      'bad-flag-value',
      `--symmetry both stands alone, and only in synod sweep (each point with and without reduction); to reduce by sets, name them (${declared.join(', ')}), or give --symmetry alone for all of them`,
    );
  }
  return sets;
}
