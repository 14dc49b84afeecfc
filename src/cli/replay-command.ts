/**
 * `synod replay <spec.ts> <trace.itf.json | token> [parameter flags]`: re-execute a counterexample
 * and say whether its violation reproduces. Exit 1 when an always property fails along the trace
 * (or a terminal one at its end, if that state is terminal), 0 when every property holds along it,
 * 2 when the trace does not fit the spec (naming the step) or the input is bad. The properties
 * judged are every always and terminal one, optional ones included, or those --property names.
 * --json prints the same report as one object (src/report/json.ts, replayJson).
 *
 * With an ITF file (from `synod check --trace-out`), the replay token and the parameters come from
 * its `#meta`; parameter flags on the command line override them. A replay that takes another
 * action than the file records at some step is another trace: it does not fit, unless the spec no
 * longer takes that step at all (a fixed bug: the replay ends before it, see goneStep). The replayed states
 * are compared with the file's, and a difference is noted (the spec changed since the file was
 * written, e.g. a bug fixed: the same actions then lead to other states).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AnyModel, AnySpec, Property } from '../model.ts';
import { UsageError } from '../report/errors.ts';
import { formatReplayReport, shownTrace, type ReplayReport } from '../report/console.ts';
import { replayJson } from '../report/json.ts';
import { descriptionReplacer } from '../trace/description.ts';
import { EXIT_OK, EXIT_VIOLATION } from '../report/run-report.ts';
import { parseReplayToken, type ReplayPath } from '../store/trace-store.ts';
import { ReplayError, replayPath, type Trace } from '../trace/replay.ts';
import { ACTION_TAKEN, ItfError, firstActionDifference, firstDifference, goneStep, readItf, type GoneStep, type ItfReplayInfo } from '../trace/itf.ts';
import { isTerminal } from '../trace/emit-test.ts';
import { REPLAY_FLAGS, parseArguments, refuseExtraPositionals } from './arguments.ts';
import { buildModel, counterexampleFiles, propertyNames, writeCounterexampleFiles, type CommandIO } from './check-command.ts';
import { validateModelOptions } from './experiment-flags.ts';
import { selectProperties } from '../explore/select-properties.ts';
import { historyPaths, trackHistory } from '../explore/history.ts';
import { loadSpec } from './load-spec.ts';
import { fileHash } from '../experiments/environment.ts';
import { ParameterError, RefuseFailed, RefusedCombination, kebabCase, resolveParameters, resolveSpecParameters } from '../parameters.ts';
import { initialStatesOf, notBoolean, reasonOf } from '../explore/visit.ts';
import { ContractBreach } from '../explore/contract-breach.ts';

/** A token or the path of an ITF file, read into a replay path (and the file's contents). */
function readTrace(argument: string): { path: ReplayPath; file?: ItfReplayInfo } {
  const token = parseReplayToken(argument);
  if (token) return { path: token };
  const shown = abbreviated(argument);
  // Something shaped like a path (a token is digits and slashes only): say the file is missing.
  if (!existsSync(argument) && /[^\d/:-]/.test(argument.replace(/^seed\d+-run\d+:/, ''))) {
    throw new UsageError('bad-trace', `no trace file ${shown}`, 'pass a file written by synod check --trace-out, or the replay token a counterexample prints (e.g. 0/3/1/4)');
  }
  if (existsSync(argument) && statSync(argument).isDirectory()) {
    throw new UsageError('bad-trace', `${argument} is a directory, not a trace file`, 'pass a file written by synod check --trace-out');
  }
  if (!existsSync(argument) || !statSync(argument).isFile()) {
    throw new UsageError(
      'bad-trace',
      `'${shown}' is neither a replay token nor a trace file`,
      'pass the replay token a counterexample prints (e.g. 0/3/1/4) or a file written by synod check --trace-out',
    );
  }
  let file: ItfReplayInfo;
  try {
    file = readItf(readFileSync(argument, 'utf8'));
  } catch (error) {
    if (error instanceof ItfError) throw new UsageError('bad-trace', `${argument}: ${error.message}`);
    throw error;
  }
  const path = parseReplayToken(file.replayToken);
  // As JSON: a line break in it would break the message's one line.
  if (!path) throw new UsageError('bad-trace', `${argument}: "#meta.replayToken" is not a replay token: ${abbreviated(JSON.stringify(file.replayToken))}`);
  return { path, file };
}

/** A long text shown by its start: it may be a whole token pasted with a stray character. */
function abbreviated(text: string): string {
  return text.length > 80 ? `${text.slice(0, 60)}... (${text.length} characters)` : text;
}

/**
 * Where a replay that stopped fitting at `failedAt` had already left the file's trace: a step
 * before it that took another action than the file records, which is where to look (the indices
 * after it point into another run). '' when the steps before agree.
 */
function departure(model: AnyModel, path: ReplayPath, failedAt: number, file: ItfReplayInfo): string {
  if (failedAt <= 1) return '';
  try {
    const prefix = replayPath(model, { initial: path.initial, actions: path.actions.slice(0, failedAt - 1) });
    const differs = firstActionDifference(model, prefix, file.states);
    return differs ? `; it left the file's trace at step ${differs.step}, taking '${differs.replayed}' where the file took '${differs.recorded}'` : '';
  } catch {
    return '';
  }
}

/** The first always property to fail along the trace, or a terminal one failing at its end. */
export function firstFailure<State, Action>(
  model: AnyModel,
  trace: Trace<State, Action>,
): { property: Property<State>; step: number } | undefined {
  const properties = model.properties as readonly Property<State>[];
  // As synod check judges a state: a property that throws, or returns something other than true or
  // false, is an error of the spec, named with the step, never a pass.
  const fails = (property: Property<State>, state: State, step: number): boolean => {
    let holds: unknown;
    try {
      holds = property.holds(state);
    } catch (thrown) {
      throw new UsageError('model-threw', `property '${property.name}' threw: ${reasonOf(thrown)} (at step ${step} of the trace)`);
    }
    if (holds !== true && holds !== false) throw new UsageError('model-threw', `${notBoolean(property, holds).message} (at step ${step} of the trace)`);
    return !holds;
  };
  const always = properties.filter((property) => property.kind === 'always');
  for (let step = 0; step < trace.steps.length; step++) {
    const state = trace.steps[step]!.state;
    const failing = always.find((property) => fails(property, state, step));
    if (failing) return { property: failing, step };
  }
  const terminal = properties.filter((property) => property.kind === 'terminal');
  const end = trace.steps.length - 1;
  const last = trace.steps[end]!.state;
  if (terminal.length > 0 && isTerminal(model, last)) {
    const failing = terminal.find((property) => fails(property, last, end));
    if (failing) return { property: failing, step: end };
  }
  return undefined;
}

/**
 * The model with the properties a replay judges: exactly those named with --property (an unknown
 * name refused as synod check refuses it), or without it every property, optional ones included,
 * so that a trace file found with --property (of decides, say) reproduces without naming it again.
 */
function judgedModel(model: AnyModel, names: readonly string[] | undefined): AnyModel {
  if (names === undefined) return model;
  validateModelOptions(model, [], names);
  const selected = selectProperties(model, names);
  // A sometimes property is witnessed somewhere in the state space, which one trace cannot refute.
  const sometimes = selected.properties.filter((property) => property.kind === 'sometimes').map((property) => property.name);
  if (sometimes.length > 0) {
    throw new UsageError(
      'bad-flag-value',
      `--property names ${sometimes.join(', ')}, a sometimes propert${sometimes.length === 1 ? 'y' : 'ies'}: replay judges always and terminal properties along the trace`,
      `synod check --property ${sometimes.join(',')} shows the shortest witness`,
    );
  }
  return selected;
}

/**
 * A parameter the trace file's #meta gives (and no flag overrides) that the spec refuses: the
 * file's fault, so named as the file's, not as a flag the user typed.
 */
function refuseBadFileParameters(spec: AnySpec, file: ItfReplayInfo, given: Readonly<Record<string, string | undefined>>, traceArgument: string): void {
  const fromFile = Object.fromEntries(Object.entries(file.params).filter(([name]) => !Object.hasOwn(given, name) || given[name] === undefined));
  // With no parameter flag, a combination the spec refuses is the file's too (with one, it may be the flag's).
  const flagGiven = Object.values(given).some((value) => value !== undefined);
  try {
    if (flagGiven) resolveParameters(spec.parameters, fromFile);
    else resolveSpecParameters(spec, fromFile);
  } catch (error) {
    if (error instanceof RefuseFailed) throw new UsageError('spec-build-failed', `the refuse of the spec ${spec.name} failed: ${error.message}`);
    if (!(error instanceof ParameterError)) throw error;
    const message = error instanceof RefusedCombination ? `the spec ${spec.name} refuses these parameters: ${error.message}` : error.message;
    throw new UsageError('bad-trace', `${abbreviated(traceArgument)}: #meta.params: ${message}`, 'was the file edited? A flag gives the parameter instead of the file');
  }
}

/** A model with no initial states is the model's error, as every explorer reports it, not a trace that does not fit. */
function refuseNoInitialStates(model: AnyModel): void {
  try {
    initialStatesOf(model);
  } catch (error) {
    // One that throws is left to the replay, which names where.
    if (error instanceof ContractBreach) throw new UsageError('model-contract', `the spec breaks its contract: ${error.message}`);
  }
}

export async function replayCommand(specPath: string, traceArgument: string | undefined, argv: readonly string[], io: CommandIO): Promise<number> {
  if (traceArgument === undefined && /\.json$/i.test(specPath)) {
    throw new UsageError('usage', `synod replay needs the spec before the trace: synod replay SPEC ${specPath}`);
  }
  const spec = await loadSpec(specPath);
  const { flags, parameters: given, positionals } = parseArguments(argv, spec.parameters, REPLAY_FLAGS);
  if (traceArgument === undefined) {
    throw new UsageError('usage', 'synod replay needs a trace: a replay token or an ITF file', `synod replay ${specPath} 0/3/1/4`);
  }
  refuseExtraPositionals(positionals, 2);
  const { path, file } = readTrace(traceArgument);
  const raw: Record<string, string | number | undefined> = { ...file?.params };
  for (const [name, value] of Object.entries(given)) if (value !== undefined) raw[name] = value;
  const otherSpec = file?.spec !== undefined && file.spec !== spec.name ? file.spec : undefined;
  if (otherSpec) {
    // The file's parameters are another spec's: name the spec, not only the parameter.
    const foreign = Object.keys(file!.params).filter((name) => !Object.hasOwn(spec.parameters, name) && given[name] === undefined);
    if (foreign.length > 0) {
      // Its token replays here with the parameters both specs have, given as flags.
      const shared = Object.entries(file!.params)
        .filter(([name]) => Object.hasOwn(spec.parameters, name))
        .map(([name, value]) => ` --${kebabCase(name)} ${value}`)
        .join('');
      throw new UsageError(
        'bad-trace',
        `the trace file was written for the spec ${otherSpec}, whose parameter${foreign.length === 1 ? '' : 's'} ${foreign.map((name) => `'${kebabCase(name)}'`).join(', ')} ${spec.name} does not have`,
        `replay it against ${otherSpec}'s spec file, or its token here, which fits as far as both specs offer the same actions in the same order: synod replay ${specPath} ${file!.replayToken}${shared}`,
      );
    }
  }
  if (file) refuseBadFileParameters(spec, file, given, traceArgument);
  const { parameters, model } = buildModel(spec, raw);
  // All: every property replay judges (a sometimes property is witnessed or not over the whole state space).
  const selected = propertyNames(flags, model.properties.filter((property: Property<unknown>) => property.kind !== 'sometimes'));
  const judged = judgedModel(model, selected);
  // A judged property that keeps a history needs the model that tracks it, as synod check tracks it.
  const tracked = judged.properties.some((property) => property.kind !== 'sometimes' && property.history) ? trackHistory(judged) : undefined;
  const replayed = tracked ?? model;
  const judging = tracked ?? judged;
  const files = counterexampleFiles(flags, specPath);

  // A trace file written for other contents of the spec file: its action indices may name other actions.
  const specChanged = !otherSpec && file?.specSha256 !== undefined && file.specSha256 !== fileHash(specPath);
  refuseNoInitialStates(model);
  // A step of the file's run the spec no longer takes (a fixed bug) ends the replay before it, when
  // the whole token does not replay as the file's run (a token that does is judged as it replays).
  // A file whose states do not match its token (cut or edited) never shows one.
  const recordedActions =
    file && file.states.length === path.actions.length + 1
      ? file.states.map((state) => (typeof state[ACTION_TAKEN] === 'string' ? state[ACTION_TAKEN] : undefined))
      : undefined;
  const stepGone = () => (recordedActions ? goneStep(replayed, path, recordedActions) : undefined);
  const before = (gone: GoneStep) => replayPath(replayed, gone.before);
  // The steps of the token that replay before step `step` break a property: it is judged as it replays.
  const breaksBefore = (step: number) => {
    try {
      return firstFailure(judging, replayPath(replayed, { initial: path.initial, actions: path.actions.slice(0, step - 1) })) !== undefined;
    } catch {
      return false;
    }
  };
  let gone: GoneStep | undefined;
  let trace: Trace<unknown, unknown>;
  try {
    trace = replayPath(replayed, path);
  } catch (error) {
    if (error instanceof ReplayError && error.threw) {
      throw new UsageError('model-threw', `the spec failed at step ${error.step} of the trace (${error.threw.where}): ${reasonOf(error.threw.thrown)}`);
    }
    if (!(error instanceof ReplayError)) throw error;
    gone = breaksBefore(error.step) ? undefined : stepGone();
    if (!gone) {
      throw new UsageError(
        'bad-trace',
        `the trace does not fit ${spec.name}: ${error.message}${file ? departure(replayed, path, error.step, file) : ''}`,
        otherSpec
          ? `the file was written for the spec ${otherSpec}`
          : specChanged
            ? 'the spec file changed since the trace was written (its sha256 differs from the one the file records)'
            : 'was it found with other parameters, or another spec?',
      );
    }
    trace = before(gone);
  }
  let failure = firstFailure(judging, trace);
  let actionDiffers = file ? firstActionDifference(replayed, trace, file.states) : undefined;
  if (!gone && !failure && actionDiffers?.otherStepAt !== undefined) {
    // The whole token replays, but as another run, where nothing fails: a step gone explains it.
    gone = stepGone();
    if (gone) {
      trace = before(gone);
      failure = firstFailure(judging, trace);
      actionDiffers = firstActionDifference(replayed, trace, file!.states);
    }
  }
  // What one run's histories show and the other's not is no difference (each tracks those of the properties it judges).
  const recordedStates = file && gone ? file.states.slice(0, gone.step) : file?.states;
  const differsFrom = file ? firstDifference(replayed, trace, recordedStates!, historyPaths(model, model.initialStates()[path.initial])) : undefined;
  const overridden = file
    ? Object.entries(parameters).filter(([name, value]) => Object.hasOwn(file.params, name) && String(file.params[name]) !== String(value))
    : [];
  // The file's action is enabled here at another index: the indices mean other actions (other
  // parameters, another enumeration), and this replay is another trace. Where it is not enabled,
  // the spec changed what the step does (a fixed bug): a note says so.
  if (actionDiffers?.recordedAt !== undefined) {
    const where = overridden.length > 0 ? `${spec.name} with these parameters` : spec.name;
    throw new UsageError(
      'bad-trace',
      `the trace does not fit ${where}: at step ${actionDiffers.step} the file took '${actionDiffers.recorded}' (action ${actionDiffers.recordedAt} here), where its action index now names '${actionDiffers.replayed}'`,
      'replay it with the parameters it was found with (its #meta holds them), or against the spec it was found with',
    );
  }
  const sameSource = !otherSpec && file?.specSha256 !== undefined && !specChanged && overridden.length === 0;
  const report: ReplayReport = {
    specPath,
    specName: spec.name,
    parameters,
    model: replayed,
    declared: model.properties.map((property: Property<unknown>) => property.name),
    trace,
    ...(selected ? { selected } : {}),
    ...(failure ? { failure } : {}),
    ...(file
      ? {
          file: {
            ...(file.spec !== undefined ? { spec: file.spec } : {}),
            ...(file.property !== undefined ? { property: file.property } : {}),
            ...(differsFrom !== undefined ? { differsFrom } : {}),
            ...(actionDiffers ? { actionDiffers } : {}),
            ...(gone ? { stepGone: { step: gone.step, recorded: gone.recorded } } : {}),
            ...(specChanged ? { specChanged } : {}),
            ...(specChanged && file.source !== undefined && resolve(file.source) !== resolve(specPath) ? { writtenFrom: file.source } : {}),
            ...(file.states.length !== path.actions.length + 1 ? { recordedSteps: file.states.length - 1 } : {}),
            ...(sameSource ? { sameSource } : {}),
            ...(overridden.length > 0 ? { overridden: overridden.map(([name, value]) => ({ name, value, recorded: file.params[name]! })) } : {}),
          },
        }
      : {}),
  };
  const mermaid = flags.mermaid === true;
  io.stdout(flags.json ? JSON.stringify(replayJson(report, { mermaid }), descriptionReplacer) : formatReplayReport(report, { mermaid }));
  const found = failure ? { trace: shownTrace(report), property: failure.property } : undefined;
  const source = { specPath, specName: spec.name, parameters, model: judging, command: 'synod replay', trace: traceArgument, ...(selected ? { properties: selected } : {}) };
  writeCounterexampleFiles(files, source, found, io, failure ? 'violation' : 'ok');
  return failure ? EXIT_VIOLATION : EXIT_OK;
}
