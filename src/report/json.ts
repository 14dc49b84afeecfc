/**
 * The `--json` results: check's, one object with the run's inputs, statistics, properties,
 * counterexample and witnesses; replay's, its verdict, notes and trace in the same terms.
 */
import type { AnyModel, Property } from '../model.ts';
import { formatMermaid } from '../trace/mermaid.ts';
import type { RunReport } from './run-report.ts';
import { recordedProperty, replayNotes, replayVerdict, reproduces, shownTrace, type ReplayReport } from './console.ts';
import type { AuditStatistics } from '../explore/audit.ts';
import type { ModelError } from '../explore/result.ts';
import type { Trace } from '../trace/replay.ts';
import { describedValue, explanationOf } from '../trace/description.ts';

export interface JsonOptions {
  /** Add the counterexample and witnesses as Mermaid sequence diagrams (`counterexample.mermaid`, `witnesses[i].mermaid`). */
  readonly mermaid?: boolean;
}

export function jsonReport(run: RunReport, options: JsonOptions = {}): Record<string, unknown> {
  const { result, counterexample } = run.report;
  const statistics = result.statistics;
  const model = run.model;
  const describe = (state: unknown) => describedValue(model, state);
  return {
    status: result.status,
    spec: run.specName,
    specPath: run.specPath,
    params: run.parameters,
    semantics: model.semantics ?? {},
    distinctStates: statistics.distinctStates,
    transitions: statistics.transitions,
    depth: statistics.depth,
    seconds: statistics.seconds,
    statesPerSecond: statistics.statesPerSecond,
    peakMemoryBytes: statistics.peakMemoryBytes,
    storeBytes: statistics.storeBytes,
    collisionProbability: statistics.collisionProbability,
    workers: statistics.workers ?? 1,
    workersUsed: statistics.workersUsed ?? 1,
    ...(statistics.soloReason ? { soloReason: statistics.soloReason } : {}),
    ...(statistics.audit ? { audit: auditJson(statistics.audit, describe) } : {}),
    ...(result.symmetry ? { symmetry: result.symmetry } : {}),
    properties: result.properties.map((property) => ({
      name: property.name,
      kind: property.kind,
      holds: property.holds,
      witnessed: property.witnessed,
    })),
    ...(result.violation ? { violation: { property: result.violation.property, kind: result.violation.kind } } : {}),
    ...(result.incompleteReason ? { incompleteReason: result.incompleteReason } : {}),
    ...(result.error ? { error: errorJson(result.error) } : {}),
    ...(result.settledEarly ? { settledEarly: true } : {}),
    ...(counterexample ? { counterexample: traceJson(model, counterexample, { ...options, property: result.violation!.property }) } : {}),
    ...(run.report.witnesses
      ? { witnesses: run.report.witnesses.map((witness) => traceJson(model, witness.trace, { ...options, property: witness.property })) }
      : {}),
    ...(run.report.errorTrace ? { errorTrace: traceJson(model, run.report.errorTrace, options) } : {}),
  };
}

/**
 * `synod replay --json`: what the text report says, as fields. `verdict` and `notes` are its
 * sentences; `violation`, `file` and `trace` the facts behind them, `trace` cut at the failing step
 * as the text shows it (and --trace-out writes it), in the form of check's `counterexample`.
 */
export function replayJson(replay: ReplayReport, options: JsonOptions = {}): Record<string, unknown> {
  const { model, trace, failure, file } = replay;
  const reproduced = reproduces(replay);
  const judged = model.properties.filter((property) => property.kind !== 'sometimes' && (replay.selected?.includes(property.name) ?? true));
  return {
    command: 'replay',
    status: failure ? 'violation' : 'ok',
    verdict: replayVerdict(replay),
    spec: replay.specName,
    specPath: replay.specPath,
    params: replay.parameters,
    semantics: model.semantics ?? {},
    properties: judged.map((property) => ({ name: property.name, kind: property.kind })),
    replayToken: trace.token,
    length: trace.steps.length - 1,
    ...(failure
      ? { violation: { property: failure.property.name, kind: failure.property.kind, step: failure.step, ...(reproduced !== undefined ? { reproduces: reproduced } : {}) } }
      : {}),
    notes: replayNotes(replay),
    ...(file ? { file: replayFileJson(replay) } : {}),
    trace: traceJson(model, shownTrace(replay), { ...options, ...(failure ? { property: failure.property.name } : {}) }),
  };
}

/** What the trace file records and how the replay differs from it: the facts behind the notes. */
function replayFileJson(replay: ReplayReport): Record<string, unknown> {
  const file = replay.file!;
  const recorded = recordedProperty(replay);
  return {
    ...(file.spec !== undefined ? { spec: file.spec } : {}),
    // Judged: the spec has it and --property does not leave it out; only then can it reproduce.
    ...(recorded ? { property: recorded.name, propertyJudged: recorded.judged } : {}),
    specChanged: file.specChanged === true,
    ...(file.writtenFrom !== undefined ? { writtenFrom: file.writtenFrom } : {}),
    sameSource: file.sameSource === true,
    ...(file.overridden ? { overridden: file.overridden } : {}),
    ...(file.recordedSteps !== undefined ? { recordedSteps: file.recordedSteps } : {}),
    ...(file.differsFrom ? { statesDiffer: file.differsFrom } : {}),
    ...(file.actionDiffers ? { actionsDiffer: file.actionDiffers } : {}),
    ...(file.stepGone ? { stepGone: file.stepGone } : {}),
  };
}

/**
 * A run's error as the JSON reports give it: without `statePath`, which `errorTrace` (check) gives
 * as a trace, with its replay token.
 */
export function errorJson({ statePath: _statePath, ...error }: ModelError): Omit<ModelError, 'statePath'> {
  return error;
}

/**
 * A trace as the JSON reports give it (check's counterexample and witnesses, replay's trace):
 * `property` (the one it fails or witnesses, if any), `length` (steps), `replayToken`, `explanation`
 * (the property's, in the last state, when it can say), `steps`, and `mermaid` when asked.
 */
export function traceJson(model: AnyModel, trace: Trace<unknown, unknown>, options: JsonOptions & { readonly property?: string }): Record<string, unknown> {
  const name = options.property;
  const property = model.properties.find((candidate: Property<unknown>) => candidate.name === name);
  // Why the property fails (or, for a witness, how it is witnessed) in the last state, as the text trace says.
  const explanation = property && explanationOf(property, trace.steps[trace.steps.length - 1]!.state);
  return {
    ...(name !== undefined ? { property: name } : {}),
    length: trace.steps.length - 1,
    replayToken: trace.token,
    ...(explanation !== undefined ? { explanation } : {}),
    steps: stepsJson(model, trace),
    ...(options.mermaid ? { mermaid: formatMermaid(model, trace, { property }) } : {}),
  };
}

/** Each step's action as text (`initial state` for the first) and its state as the model describes it. */
export function stepsJson(model: AnyModel, trace: Trace<unknown, unknown>): { action: string; state: unknown }[] {
  return trace.steps.map((step) => ({ action: step.actionText ?? 'initial state', state: describedValue(model, step.state) }));
}

/** The `--audit` figures, with the first collision's states as the model describes them. */
function auditJson(audit: AuditStatistics, describe: (state: unknown) => unknown): Record<string, unknown> {
  const { firstCollision, ...figures } = audit;
  return {
    ...figures,
    ...(firstCollision
      ? { firstCollision: { fingerprint: firstCollision.fingerprint, stored: describe(firstCollision.stored), met: describe(firstCollision.met) } }
      : {}),
  };
}
