/** Human-readable results: the verdict first, then statistics, then the counterexample. */
import type { AnyModel, Property } from '../model.ts';
import { formatTraceText } from '../trace/text.ts';
import { kebabCase } from '../parameters.ts';
import type { ActionDifference, GoneStep, StateDifference } from '../trace/itf.ts';
import { formatMermaid } from '../trace/mermaid.ts';
import type { Trace } from '../trace/replay.ts';
import { formatReplayToken } from '../store/trace-store.ts';
import { formatBytes, formatCount, formatProbability, formatSeconds, plural } from './numbers.ts';
import type { RunReport } from './run-report.ts';
import type { AuditStatistics } from '../explore/audit.ts';
import type { CheckResult, PropertyOutcome, SoloReason } from '../explore/result.ts';
import { describedValue, descriptionReplacer } from '../trace/description.ts';

const INCOMPLETE_REASONS = {
  'max-states': 'the --max-states limit was reached',
  'max-seconds': 'the --max-seconds limit was reached',
  'max-memory': 'the --max-memory limit was reached',
  'max-depth': 'the --max-depth limit was reached',
  interrupted: 'interrupted',
  simulation: 'random simulation found no violation, and it cannot show that none exists',
} as const;

/** `max-ballot=2 network=bag`: named as their flags are (`--max-ballot`). */
export function formatParameters(parameters: Readonly<Record<string, string | number>>): string {
  return Object.entries(parameters)
    .map(([name, value]) => `${kebabCase(name)}=${value}`)
    .join(' ');
}

/** The model's semantics that no parameter shows, ` [restart=amnesia]`, or nothing. */
function headerSemantics(model: AnyModel, parameters: Readonly<Record<string, string | number>>): string {
  const extra = Object.fromEntries(Object.entries(model.semantics ?? {}).filter(([name, value]) => String(parameters[name]) !== value));
  return Object.keys(extra).length > 0 ? ` [${formatParameters(extra)}]` : '';
}

/** The parameters in a header, ` (acceptors=3 ...)`, or nothing for a spec that has none. */
export function headerParameters(parameters: Readonly<Record<string, string | number>>): string {
  return Object.keys(parameters).length > 0 ? ` (${formatParameters(parameters)})` : '';
}

/** A run that checked no property: the spec's optional ones, declared but left out by default, are named (the user may think them checked). */
function noPropertyChecked(optional: readonly string[]): string {
  return optional.length > 0
    ? `no property checked: the spec's properties are optional (${optional.join(', ')}), checked only when --property names them`
    : 'the spec has no properties to check';
}

export function verdictLine(run: RunReport): string {
  const { result } = run.report;
  switch (result.status) {
    case 'ok': {
      // A spec may have none (to count states); "all properties hold" would then claim a check.
      if (result.properties.length === 0) return `OK: every state explored; ${noPropertyChecked(run.optionalNotChecked ?? [])}`;
      const witnessed = result.properties.filter((property) => property.kind === 'sometimes').map((property) => property.name);
      return `OK: all properties hold${witnessed.length ? `; witnessed ${witnessed.join(', ')}` : ''}`;
    }
    case 'violation': {
      const violation = result.violation!;
      if (violation.kind === 'sometimes') return `VIOLATION: ${violation.property} (sometimes) was never witnessed`;
      const steps = violation.path?.actions.length ?? 0;
      return `VIOLATION: ${violation.property} (${violation.kind}) fails after ${plural(steps, 'step')}`;
    }
    case 'incomplete': {
      const unwitnessed = result.properties.filter((property) => property.kind === 'sometimes' && !property.witnessed).map((property) => property.name);
      if (result.incompleteReason === 'simulation' && unwitnessed.length > 0) {
        // Asked for a sometimes property, a user needs to hear that it was not seen, not only that nothing failed.
        const names = unwitnessed.join(', ');
        return `INCOMPLETE: stopped before a verdict: random simulation did not witness ${names}, and it cannot show that ${unwitnessed.length === 1 ? 'it never happens' : 'they never happen'} (no property was found violated so far)`;
      }
      const none = result.properties.length === 0 ? noPropertyChecked(run.optionalNotChecked ?? []) : 'no property was found violated so far';
      return `INCOMPLETE: stopped before a verdict: ${INCOMPLETE_REASONS[result.incompleteReason ?? 'interrupted']} (${none})`;
    }
    case 'error':
      return result.error?.code === 'model-contract'
        ? `ERROR: the model breaks its contract${result.statistics.audit ? ' (found by --audit)' : ''}: ${result.error.message}`
        : `ERROR: the model threw: ${result.error?.message ?? 'unknown error'}`;
  }
}

/** Why a run's properties were checked only in part of the state space, if they were. */
function stoppedEarly(result: CheckResult): string | undefined {
  if (result.status === 'error') return 'the run stopped at an error';
  // A sometimes property is found never witnessed only once every state was explored.
  if (result.status === 'violation' && result.violation?.kind !== 'sometimes') return `the run stopped at the violation of ${result.violation?.property}`;
  return undefined;
}

/**
 * A property's line in the report. A run that stopped early saw only part of the state space, so
 * "holds" means "held in the states explored" (as `holds: true` does in the JSON, beside its status).
 */
export function propertyMark(result: CheckResult, property: PropertyOutcome): string {
  const stopped = stoppedEarly(result);
  const notFully = stopped ? `, not fully checked (${stopped})` : '';
  if (property.kind === 'sometimes') {
    if (property.witnessed) return 'witnessed';
    return stopped ? `not witnessed so far${notFully}` : 'not witnessed';
  }
  if (!property.holds) return 'VIOLATED';
  if (result.status === 'incomplete') return 'holds so far';
  return stopped ? `holds so far${notFully}` : 'holds';
}

export interface ConsoleOptions {
  /** Print the counterexample (and each witness) as a Mermaid sequence diagram too, after the text trace. */
  readonly mermaid?: boolean;
}

/** A Mermaid sequence diagram in a fenced block, ready to paste into Markdown. */
export function mermaidBlock(model: AnyModel, trace: Trace<unknown, unknown>, property: Property<unknown> | undefined): string[] {
  return ['', 'sequence diagram (Mermaid):', '```mermaid', formatMermaid(model, trace, { property }), '```'];
}

const SOLO_REASONS: Record<SoloReason, string> = {
  short: 'the run ended before more threads paid off',
  narrow: 'its levels were too narrow to share between threads',
  memory: 'moving its visited set into a shared one would have passed --max-memory',
  'no threads': 'worker threads could not be started, or could not build the model checked',
};

/** `1 worker`, `2 workers`, or `1 of 2 workers: why` when a run's threads did not take part. */
export function formatWorkers(statistics: { readonly workers?: number; readonly workersUsed?: number; readonly soloReason?: SoloReason }): string {
  const workers = statistics.workers ?? 1;
  const used = statistics.workersUsed ?? workers;
  if (used >= workers) return plural(workers, 'worker');
  const why = used === 1 ? `: ${SOLO_REASONS[statistics.soloReason ?? 'short']}` : '';
  return `${used} of ${workers} workers${why}`;
}

/** A search of many states in which every step found a new state: a tree, as a non-canonical encoding makes it. */
function neverMetTwice(statistics: { readonly distinctStates: number; readonly transitions: number; readonly depth: number }): boolean {
  // Wide too (100 states a level on average): a deep chain of counters meets no state twice either.
  return (
    statistics.distinctStates >= 10_000 &&
    statistics.distinctStates >= 100 * statistics.depth &&
    statistics.transitions >= statistics.distinctStates / 2 &&
    statistics.transitions <= statistics.distinctStates
  );
}

export function formatConsoleReport(run: RunReport, options: ConsoleOptions = {}): string {
  const { result, counterexample } = run.report;
  const statistics = result.statistics;
  const lines: string[] = [];
  lines.push(`synod check ${run.specPath}${headerParameters(run.parameters)}${headerSemantics(run.model, run.parameters)}`);
  lines.push(verdictLine(run));
  lines.push('');
  lines.push(
    `states       ${formatCount(statistics.distinctStates)} distinct, ${formatCount(statistics.transitions)} transitions, depth ${statistics.depth}`,
  );
  lines.push(
    `time         ${formatSeconds(statistics.seconds)}, ${formatCount(statistics.statesPerSecond)} states/s, peak memory ${formatBytes(statistics.peakMemoryBytes)}, ${formatWorkers(statistics)}`,
  );
  lines.push(
    `fingerprints ${formatBytes(statistics.storeBytes)} visited set and trace store; collision probability ${formatProbability(statistics.collisionProbability)}`,
  );
  if (statistics.audit) lines.push(...auditLines(run.model, statistics.audit));
  const symmetry = result.symmetry;
  if (symmetry) {
    const saved =
      symmetry.unreducedStates !== undefined
        ? `${formatCount(statistics.distinctStates)} representatives of ${formatCount(symmetry.unreducedStates)} states (${symmetry.reductionFactor!.toFixed(1)}x fewer)`
        : `${formatCount(statistics.distinctStates)} representatives`;
    lines.push(`symmetry     ${symmetry.sets.join(',')}: ${saved}; ${formatSeconds(symmetry.canonicalisingSeconds)} canonicalising`);
  }
  if (result.settledEarly) {
    lines.push('search       stopped at the last witness: only sometimes properties were checked, so no further state could change the verdict');
  }
  if (neverMetTwice(statistics)) {
    // Interleavings of independent steps meet again in any real protocol; a search that never
    // meets a state twice has usually encoded one state many ways.
    lines.push(
      'note         no state was reached twice: if the states hold sets or multisets (messages, votes), does encode write them in one order (sorted)?',
    );
  }
  lines.push('properties');
  for (const property of result.properties) {
    lines.push(`  ${property.name.padEnd(20)} ${property.kind.padEnd(9)} ${propertyMark(result, property)}`);
  }
  if (counterexample) {
    const violated = run.model.properties.find((property: Property<unknown>) => property.name === result.violation?.property);
    lines.push('');
    lines.push(`counterexample (${plural(counterexample.steps.length - 1, 'step')}; replay token ${counterexample.token})`);
    lines.push(formatTraceText(run.model, counterexample, { property: violated }));
    if (options.mermaid) lines.push(...mermaidBlock(run.model, counterexample, violated));
  }
  for (const witness of run.report.witnesses ?? []) {
    const property = run.model.properties.find((candidate: Property<unknown>) => candidate.name === witness.property);
    lines.push('');
    lines.push(`witness of ${witness.property} (${plural(witness.trace.steps.length - 1, 'step')}; replay token ${witness.trace.token})`);
    lines.push(formatTraceText(run.model, witness.trace, { property }));
    if (options.mermaid) lines.push(...mermaidBlock(run.model, witness.trace, property));
  }
  const errorTrace = run.report.errorTrace;
  if (errorTrace) {
    const where = result.error?.code === 'model-contract' ? 'where the model breaks its contract' : "where the spec's code threw";
    lines.push('');
    lines.push(`trace to the state ${where} (${plural(errorTrace.steps.length - 1, 'step')}; replay token ${errorTrace.token})`);
    lines.push(formatTraceText(run.model, errorTrace));
    if (options.mermaid) lines.push(...mermaidBlock(run.model, errorTrace, undefined));
  }
  return lines.join('\n');
}

/** The `--audit` line, and the first collision if there was one. */
export function auditLines(model: AnyModel, audit: AuditStatistics): string[] {
  const compared = `${formatCount(audit.statesCompared)} fingerprint hits compared in full with the stored state`;
  const kept = `${formatBytes(audit.storedBytes)} of kept encodings`;
  const collision = audit.firstCollision;
  if (audit.collisions === 0 || !collision) return [`audit        ${compared}: 0 collisions; ${kept}`];
  const count = `${formatCount(audit.collisions)} COLLISION${audit.collisions === 1 ? '' : 'S'}`;
  return [
    `audit        ${compared}: ${count}; ${kept}`,
    `             distinct states shared a fingerprint, so states may have been missed and the verdict may be wrong`,
    `             first: fingerprint ${collision.fingerprint}, stored ${stateJson(model, collision.stored)}`,
    `             and met ${stateJson(model, collision.met)}`,
  ];
}

/** A state on one line: the model's description of it, or the state itself, as JSON. */
export function stateJson(model: AnyModel, state: unknown): string {
  const described = describedValue(model, state);
  return JSON.stringify(described, descriptionReplacer);
}

/** What `synod replay` found: the trace replayed, and the first property that fails along it. */
export interface ReplayReport {
  readonly specPath: string;
  readonly specName: string;
  readonly parameters: Readonly<Record<string, string | number>>;
  readonly model: AnyModel;
  readonly trace: Trace<unknown, unknown>;
  /** Every property the spec declares (the model above has only those judged, when it tracks their histories). */
  readonly declared: readonly string[];
  /** The properties named with --property, the only ones judged; absent: every always and terminal property (optional ones included). */
  readonly selected?: readonly string[];
  /** The first always property to fail along the trace, or a terminal one failing at its end. */
  readonly failure?: { readonly property: Property<unknown>; readonly step: number };
  /** From the trace file, when one was given. */
  readonly file?: {
    readonly spec?: string;
    readonly property?: string;
    /** The first step whose state differs from the file's, if any. */
    readonly differsFrom?: StateDifference;
    /** The steps of the file's states, where its replay token takes another number of steps. */
    readonly recordedSteps?: number;
    /**
     * The spec file's sha256 is the one the file records, and the parameters are the file's: the
     * replay must then reproduce the file, unless the file was edited or a module the spec
     * imports changed.
     */
    readonly sameSource?: boolean;
    /** The first step at which the replay takes another action than the file (after the states differ). */
    readonly actionDiffers?: ActionDifference;
    /** A step of the file's run that the spec no longer takes: the replay ends just before it. */
    readonly stepGone?: Pick<GoneStep, 'step' | 'recorded'>;
    /** Parameters given on the command line that differ from those the file was found with. */
    readonly overridden?: readonly { readonly name: string; readonly value: string | number; readonly recorded: string | number }[];
    /** The spec file's sha256 differs from the one the trace file records. */
    readonly specChanged?: boolean;
    /** With specChanged, where the trace file says it was written from, when that is another path. */
    readonly writtenFrom?: string;
  };
}

/** Why a replay with the spec file and parameters a trace file was found with differs from the file. */
const EDITED = 'the file was edited, or a module the spec imports changed';

export function formatReplayReport(replay: ReplayReport, options: ConsoleOptions = {}): string {
  const lines: string[] = [];
  lines.push(`synod replay ${replay.specPath}${headerParameters(replay.parameters)}${headerSemantics(replay.model, replay.parameters)}`);
  lines.push(replayVerdict(replay));
  lines.push(...replayNotes(replay).map((note) => `note: ${note}`));
  const shown = shownTrace(replay);
  const property = replay.failure?.property;
  lines.push('');
  lines.push(`trace (${plural(shown.steps.length - 1, 'step')}; replay token ${shown.token})`);
  lines.push(formatTraceText(replay.model, shown, { property }));
  if (options.mermaid) lines.push(...mermaidBlock(replay.model, shown, property));
  return lines.join('\n');
}

/**
 * The property the trace file recorded, whether the spec has it, and whether this replay judges it
 * (--property may leave it out): only a judged one can be said to reproduce or no longer happen.
 */
export function recordedProperty(replay: ReplayReport): { name: string; known: boolean; judged: boolean } | undefined {
  const name = replay.file?.property;
  if (name === undefined) return undefined;
  const known = replay.declared.includes(name);
  return { name, known, judged: known && (replay.selected === undefined || replay.selected.includes(name)) };
}

/** Whether the failing property is the violation the trace file recorded; undefined with no failure, or where the replay cannot tell (no property recorded, or one it does not judge). */
export function reproduces(replay: ReplayReport): boolean | undefined {
  const recorded = recordedProperty(replay);
  return replay.failure && recorded?.judged ? replay.failure.property.name === recorded.name : undefined;
}

/** The verdict line of a replay: which property fails where, or that every property holds, and what that says of the file's violation. */
export function replayVerdict(replay: ReplayReport): string {
  const { trace, failure, file } = replay;
  const length = trace.steps.length - 1;
  const recorded = recordedProperty(replay);
  if (failure) {
    const { property, step } = failure;
    const where = step === length ? `at step ${step}, the end of the trace` : `at step ${step} of ${length}`;
    return `VIOLATION: ${property.name} (${property.kind}) fails ${where}${reproductionClause(replay)}`;
  }
  // Where the replay takes other steps than the file, it is another run: the violation not
  // happening on it says nothing of the file's run, only of the steps up to there.
  const otherStepAt = file?.actionDiffers?.otherStepAt;
  const gone = file?.stepGone;
  const why =
    gone !== undefined
      ? `, whose run the spec no longer follows past step ${gone.step - 1}`
      : otherStepAt !== undefined
      ? `, but the replay takes other steps than the file (at step ${otherStepAt}), so this does not show it fixed`
      : file?.recordedSteps !== undefined && file.recordedSteps > length
        ? `, but its replay token takes ${plural(length, 'step')} of the ${file.recordedSteps} it holds, so this does not show it fixed`
        : file?.sameSource
          ? ', which does not happen here though the spec file and parameters are the ones it was found with: a module the spec imports changed (a fix there?), or the trace file was cut or edited'
          : ', which no longer happens';
  const clause = recorded?.judged ? `; the trace file recorded a violation of ${recorded.name}${why}` : '';
  return `OK: ${judgedProperties(replay)} along the trace (${plural(length, 'step')})${clause}`;
}

/** What a failure says of the file's violation: `: the violation reproduces`, or another property failing first; nothing where the replay cannot tell. */
function reproductionClause(replay: ReplayReport): string {
  const reproduced = reproduces(replay);
  if (reproduced === false) return `: not the violation the trace file recorded, of ${replay.file!.property}`;
  // A token records no property: given as a counterexample, it is one of the properties judged by
  // default, but not necessarily of those --property names. A recorded property the spec lacks or
  // --property leaves out has a note instead.
  if (reproduced === true || (tokenOfDefaults(replay) && replay.failure?.property.optional !== true)) return ': the violation reproduces';
  return '';
}

/** A token replayed without --property: its violation was found among the properties checked by default. */
function tokenOfDefaults(replay: ReplayReport): boolean {
  return replay.file?.property === undefined && replay.selected === undefined;
}

/** `every always and terminal property holds`, or the properties --property named. */
function judgedProperties(replay: ReplayReport): string {
  const names = replay.selected;
  if (names === undefined) return 'every always and terminal property holds';
  return `${names.join(', ')} ${names.length === 1 ? 'holds' : 'hold'}`;
}

/** What a replay notes besides its verdict, one sentence each: how the trace file and the replay differ. */
export function replayNotes(replay: ReplayReport): string[] {
  const { file } = replay;
  const notes: string[] = [];
  const recorded = recordedProperty(replay);
  if (recorded && !recorded.known) notes.push(`${replay.specName} has no property ${recorded.name}, whose violation the trace file recorded`);
  const failing = replay.failure?.property;
  if (failing?.optional && tokenOfDefaults(replay)) {
    // Replay judges optional properties too; check, sweep and simulate only when named.
    notes.push(`${failing.name} is optional, judged by check and simulate only when --property names it: the token may have been found for another property`);
  }
  if (recorded?.known && !recorded.judged) {
    notes.push(`the trace file recorded a violation of ${recorded.name}, which --property ${replay.selected!.join(',')} leaves out: this replay does not judge it`);
  }
  if (file?.spec !== undefined && file.spec !== replay.specName) {
    notes.push(`the trace file was written for the spec ${file.spec}, replayed here against ${replay.specName}`);
  }
  if (file?.specChanged) {
    // Another path may be another file (a copy of the spec), not a change to this one.
    notes.push(
      file.writtenFrom !== undefined
        ? `the trace file was written from ${file.writtenFrom}, and ${replay.specPath} has other contents (its sha256 differs from the one the file records)`
        : 'the spec file changed since the trace file was written (its sha256 differs from the one the file records)',
    );
  }
  // The parameters given where the file's differ, and the file's: what the trace was found with.
  const overrides = file?.overridden?.map(({ name, value }) => `${name}=${value}`).join(', ');
  const recordedParameters = file?.overridden?.map(({ name, recorded }) => `${name}=${recorded}`).join(', ');
  if (overrides !== undefined) notes.push(`replayed with ${overrides}, where the trace was found with ${recordedParameters}`);
  const length = replay.trace.steps.length - 1;
  if (file?.recordedSteps !== undefined) {
    const holds = file.recordedSteps < 0 ? 'holds no states' : `holds the states of ${plural(file.recordedSteps, 'step')}`;
    notes.push(`the trace file ${holds}, but its replay token takes ${plural(length, 'step')}: the file was cut or edited`);
  }
  // Where only the number of states differs, the note above says so.
  if (file?.differsFrom !== undefined && (file.differsFrom.variable !== undefined || file.recordedSteps === undefined)) {
    const { step, variable } = file.differsFrom;
    const cause = file.sameSource
      ? EDITED
      : file.spec !== undefined && file.spec !== replay.specName
        ? 'the file was written for another spec'
        : file.specChanged
          ? 'the spec file changed since it was written'
          : file.overridden
            ? 'the parameters are not the ones it was found with'
            : 'the spec or its parameters changed since it was written';
    notes.push(`from step ${step} on, the replayed states differ from those in the trace file (${variable !== undefined ? `first in ${variable}; ` : ''}${cause})`);
  }
  if (file?.stepGone) {
    const { step, recorded } = file.stepGone;
    // With other parameters than the file's, they may be why (another network drops no message), not a fix.
    const why = overrides !== undefined ? `with ${overrides}, not the file's ${recordedParameters}` : 'a fixed bug?';
    notes.push(`the spec no longer takes step ${step} of the trace file, '${recorded}' (${why}): the replay ends at step ${step - 1}`);
  }
  if (file?.actionDiffers) {
    const { step, recorded, replayed } = file.actionDiffers;
    notes.push(`from step ${step} on, the replay also takes other actions than the trace file ('${replayed}' where the file took '${recorded}')`);
  }
  return notes;
}

/** The replayed trace as a replay shows it (and writes it with --trace-out): up to the failing step, as synod check shows a counterexample. */
export function shownTrace(replay: Pick<ReplayReport, 'trace' | 'failure'>): Trace<unknown, unknown> {
  const { trace, failure } = replay;
  return failure && failure.step < trace.steps.length - 1 ? truncate(trace, failure.step) : trace;
}

/** The first `steps` steps of a trace, with its token. */
function truncate<State, Action>(trace: Trace<State, Action>, steps: number): Trace<State, Action> {
  const path = { initial: trace.path.initial, actions: trace.path.actions.slice(0, steps) };
  return { path, token: formatReplayToken(path), steps: trace.steps.slice(0, steps + 1) };
}
