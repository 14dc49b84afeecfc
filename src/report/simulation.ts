/**
 * What `synod simulate` prints: the verdict, how the runs ended, each violated property (how many
 * runs, the first, the shortest), the shortest violating walk as a trace whose replay token names
 * its seed and run, and what is needed to reproduce the simulation.
 */
import type { AnyModel, Property } from '../model.ts';
import type { Simulation, WalkViolation } from '../explore/random-walk.ts';
import { formatReplayToken } from '../store/trace-store.ts';
import type { Trace } from '../trace/replay.ts';
import { formatTraceText } from '../trace/text.ts';
import type { Machine } from '../experiments/environment.ts';
import { headerParameters, verdictLine } from './console.ts';
import { formatBytes, formatCount, formatSeconds, plural } from './numbers.ts';
import { errorJson, traceJson } from './json.ts';

export interface SimulationReport {
  readonly specPath: string;
  readonly specName: string;
  readonly specSha256: string;
  readonly synod: string;
  readonly machine: Machine;
  readonly parameters: Readonly<Record<string, string | number>>;
  readonly model: AnyModel;
  readonly runs: number;
  readonly depth: number;
  readonly simulation: Simulation;
  /** The shortest violating walk, replayed. */
  readonly counterexample?: Trace<unknown, unknown>;
  /** The walks that witnessed the sometimes properties named with --property, replayed. */
  readonly witnesses?: readonly { readonly property: string; readonly run: number; readonly trace: Trace<unknown, unknown> }[];
  /** The spec's optional properties left out, named when no property was checked. */
  readonly optionalNotChecked?: readonly string[];
  /** The run the spec's code threw in, replayed up to the state where it threw. */
  readonly errorTrace?: { readonly run: number; readonly trace: Trace<unknown, unknown> };
}

/** Per violated property: runs that failed it, the first such run and the shortest walk. */
export function violationSummary(violations: readonly WalkViolation[]): { property: string; runs: number; first: WalkViolation; shortest: WalkViolation }[] {
  // One pass: a run of a buggy spec can hold tens of thousands of violating walks.
  const byProperty = new Map<string, { property: string; runs: number; first: WalkViolation; shortest: WalkViolation }>();
  for (const violation of violations) {
    const summary = byProperty.get(violation.property);
    if (!summary) {
      byProperty.set(violation.property, { property: violation.property, runs: 1, first: violation, shortest: violation });
      continue;
    }
    summary.runs++;
    if (violation.path.actions.length < summary.shortest.path.actions.length) summary.shortest = violation;
  }
  return [...byProperty.values()];
}

function shortestViolation(report: SimulationReport): WalkViolation | undefined {
  const path = report.simulation.result.violation?.path;
  return report.simulation.simulation.violations.find((violation) => violation.path === path);
}

export function formatSimulationReport(report: SimulationReport): string {
  const { result, simulation } = report.simulation;
  const statistics = result.statistics;
  const lines: string[] = [];
  lines.push(
    `synod simulate ${report.specPath}${headerParameters(report.parameters)} seed ${simulation.seed}: ${plural(report.runs, 'run')} (numbered from 0) of up to ${plural(report.depth, 'step')}`,
  );
  lines.push(
    verdictLine({
      specPath: report.specPath,
      specName: report.specName,
      parameters: report.parameters,
      model: report.model,
      report: { result, model: report.model },
      ...(report.optionalNotChecked ? { optionalNotChecked: report.optionalNotChecked } : {}),
    }),
  );
  lines.push('');
  lines.push(
    `runs         ${formatCount(simulation.runs)} (${formatCount(simulation.runsPerSecond)} runs/s): ${formatCount(simulation.endedTerminal)} ended at a terminal state, ` +
      `${formatCount(simulation.endedAtDepth)} at the depth bound, ${formatCount(simulation.endedViolating)} at a violation` +
      (simulation.settled ? ', 1 at the last witness needed' : '') +
      (result.error && simulation.runs > 0 ? ', 1 where the spec threw' : ''),
  );
  lines.push(
    `states       ${formatCount(statistics.distinctStates)} distinct seen, ${plural(statistics.transitions, 'step')} taken, longest run ${plural(longestRunSteps(statistics.depth), 'step')}`,
  );
  lines.push(`time         ${formatSeconds(statistics.seconds)}, peak memory ${formatBytes(statistics.peakMemoryBytes)}, 1 thread`);
  for (const summary of violationSummary(simulation.violations)) {
    lines.push(
      `violation    ${summary.property}: ${plural(summary.runs, 'run')}; first in run ${formatCount(summary.first.run)} ` +
        `(${formatSeconds(summary.first.seconds)}, ${plural(summary.first.path.actions.length, 'step')}); shortest ${plural(summary.shortest.path.actions.length, 'step')} ` +
        `(replay token ${formatReplayToken(summary.shortest.path, { seed: simulation.seed, run: summary.shortest.run })})`,
    );
  }
  lines.push('properties');
  for (const property of result.properties) {
    const mark = property.kind === 'sometimes' ? (property.witnessed ? 'witnessed' : 'not witnessed') : property.holds ? 'no violation seen' : 'VIOLATED';
    lines.push(`  ${property.name.padEnd(20)} ${property.kind.padEnd(9)} ${mark}`);
  }
  const machine = report.machine;
  lines.push(
    `reproduce    synod ${report.synod}; ${report.specPath} sha256 ${report.specSha256.slice(0, 16)}; seed ${simulation.seed}; 1 thread; ` +
      `${machine.cores} cores, ${formatBytes(machine.memoryBytes)}, Node ${machine.node}`,
  );
  for (const witness of report.witnesses ?? []) {
    const property = report.model.properties.find((candidate: Property<unknown>) => candidate.name === witness.property);
    const token = formatReplayToken(witness.trace.path, { seed: simulation.seed, run: witness.run });
    lines.push('');
    lines.push(`witness of ${witness.property} (${plural(witness.trace.steps.length - 1, 'step')}; run ${formatCount(witness.run)}; replay token ${token})`);
    lines.push(formatTraceText(report.model, witness.trace, { property }));
  }
  const shortest = shortestViolation(report);
  if (report.counterexample && shortest) {
    const violated = report.model.properties.find((property: Property<unknown>) => property.name === shortest.property);
    const token = formatReplayToken(shortest.path, { seed: simulation.seed, run: shortest.run });
    lines.push('');
    lines.push(`counterexample (${plural(report.counterexample.steps.length - 1, 'step')}; run ${formatCount(shortest.run)}; replay token ${token})`);
    lines.push(formatTraceText(report.model, report.counterexample, { property: violated }));
  }
  const errorTrace = report.errorTrace;
  if (errorTrace) {
    const token = formatReplayToken(errorTrace.trace.path, { seed: simulation.seed, run: errorTrace.run });
    lines.push('');
    lines.push(`run ${formatCount(errorTrace.run)} up to where the spec's code threw (${plural(errorTrace.trace.steps.length - 1, 'step')}; replay token ${token})`);
    lines.push(formatTraceText(report.model, errorTrace.trace));
  }
  return lines.join('\n');
}

/** The `--json` object. */
export function simulationJson(report: SimulationReport): Record<string, unknown> {
  const { result, simulation } = report.simulation;
  const statistics = result.statistics;
  const shortest = shortestViolation(report);
  return {
    status: result.status,
    spec: report.specName,
    specPath: report.specPath,
    specSha256: report.specSha256,
    synod: report.synod,
    params: report.parameters,
    seed: simulation.seed,
    runs: report.runs,
    depth: report.depth,
    workers: 1,
    machine: report.machine,
    runsTaken: simulation.runs,
    runsPerSecond: simulation.runsPerSecond,
    endedTerminal: simulation.endedTerminal,
    endedAtDepth: simulation.endedAtDepth,
    endedViolating: simulation.endedViolating,
    endedAtLastWitness: simulation.settled ? 1 : 0,
    endedAtError: result.error && simulation.runs > 0 ? 1 : 0,
    distinctStates: statistics.distinctStates,
    steps: statistics.transitions,
    longestRun: longestRunSteps(statistics.depth),
    seconds: statistics.seconds,
    peakMemoryBytes: statistics.peakMemoryBytes,
    properties: result.properties.map((property) => ({ name: property.name, kind: property.kind, holds: property.holds, witnessed: property.witnessed })),
    ...(result.violation ? { violation: { property: result.violation.property, kind: result.violation.kind } } : {}),
    ...(result.incompleteReason ? { incompleteReason: result.incompleteReason } : {}),
    ...(result.error ? { error: errorJson(result.error) } : {}),
    // A witness replayed (a sometimes property named with --property) comes with its trace, as the text shows it.
    witnesses: simulation.witnesses.map((witness) => {
      const replayed = report.witnesses?.find((candidate) => candidate.property === witness.property && candidate.run === witness.run);
      return replayed
        ? walkTraceJson(report, replayed.trace, witness.run, witness.property)
        : { property: witness.property, length: witness.path.actions.length, replayToken: formatReplayToken(witness.path, { seed: simulation.seed, run: witness.run }), run: witness.run };
    }),
    violations: violationSummary(simulation.violations).map((summary) => ({
      property: summary.property,
      runs: summary.runs,
      firstRun: summary.first.run,
      firstSeconds: summary.first.seconds,
      shortestLength: summary.shortest.path.actions.length,
      replayToken: formatReplayToken(summary.shortest.path, { seed: simulation.seed, run: summary.shortest.run }),
    })),
    ...(report.counterexample && shortest ? { counterexample: walkTraceJson(report, report.counterexample, shortest.run, shortest.property) } : {}),
    ...(report.errorTrace ? { errorTrace: walkTraceJson(report, report.errorTrace.trace, report.errorTrace.run) } : {}),
  };
}

/** A walk's trace as `check --json` gives a trace, with the walk's run and the seeded token that replays it. */
function walkTraceJson(report: SimulationReport, trace: Trace<unknown, unknown>, run: number, property?: string): Record<string, unknown> {
  return {
    ...traceJson(report.model, trace, property !== undefined ? { property } : {}),
    replayToken: formatReplayToken(trace.path, { seed: report.simulation.simulation.seed, run }),
    run,
  };
}

/** Steps, as runs are bounded and shown: the explorers' depth counts states, the initial one included (as TLC counts). */
export function longestRunSteps(depth: number): number {
  return Math.max(0, depth - 1);
}
