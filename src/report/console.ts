/** Human-readable results: the verdict first, then statistics, then the counterexample. */
import type { Property } from '../model.ts';
import { formatTraceText } from '../trace/text.ts';
import { formatBytes, formatCount, formatProbability, formatSeconds } from './numbers.ts';
import type { RunReport } from './run-report.ts';

const INCOMPLETE_REASONS = {
  'max-states': 'the --max-states limit was reached',
  'max-seconds': 'the --max-seconds limit was reached',
  'max-memory': 'the --max-memory limit was reached',
  'max-depth': 'the --max-depth limit was reached',
  interrupted: 'interrupted',
} as const;

export function formatParameters(parameters: Readonly<Record<string, string | number>>): string {
  return Object.entries(parameters)
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
}

export function verdictLine(run: RunReport): string {
  const { result } = run.report;
  switch (result.status) {
    case 'ok': {
      const witnessed = result.properties.filter((property) => property.kind === 'sometimes').map((property) => property.name);
      return `OK: all properties hold${witnessed.length ? `; witnessed ${witnessed.join(', ')}` : ''}`;
    }
    case 'violation': {
      const violation = result.violation!;
      if (violation.kind === 'sometimes') return `VIOLATION: ${violation.property} (sometimes) was never witnessed`;
      const steps = violation.path?.actions.length ?? 0;
      return `VIOLATION: ${violation.property} (${violation.kind}) fails after ${steps} step${steps === 1 ? '' : 's'}`;
    }
    case 'incomplete':
      return `INCOMPLETE: stopped before a verdict: ${INCOMPLETE_REASONS[result.incompleteReason ?? 'interrupted']} (no property was found violated so far)`;
    case 'error':
      return `ERROR: the model threw: ${result.error?.message ?? 'unknown error'}`;
  }
}

export function formatConsoleReport(run: RunReport): string {
  const { result, counterexample } = run.report;
  const statistics = result.statistics;
  const extraSemantics = Object.fromEntries(
    Object.entries(run.model.semantics ?? {}).filter(([name, value]) => run.parameters[name] !== value),
  );
  const semantics = Object.keys(extraSemantics).length ? ` [${formatParameters(extraSemantics)}]` : '';
  const lines: string[] = [];
  lines.push(`synod check ${run.specPath} (${formatParameters(run.parameters)})${semantics}`);
  lines.push(verdictLine(run));
  lines.push('');
  lines.push(
    `states       ${formatCount(statistics.distinctStates)} distinct, ${formatCount(statistics.transitions)} transitions, depth ${statistics.depth}`,
  );
  lines.push(
    `time         ${formatSeconds(statistics.seconds)}, ${formatCount(statistics.statesPerSecond)} states/s, peak memory ${formatBytes(statistics.peakMemoryBytes)}`,
  );
  lines.push(
    `fingerprints ${formatBytes(statistics.storeBytes)} visited set and trace store; collision probability ${formatProbability(statistics.collisionProbability)}`,
  );
  lines.push('properties');
  for (const property of result.properties) {
    const mark = property.kind === 'sometimes' ? (property.witnessed ? 'witnessed' : 'not witnessed') : property.holds ? 'holds' : 'VIOLATED';
    const scope = result.status === 'incomplete' && property.kind !== 'sometimes' && property.holds ? ' so far' : '';
    lines.push(`  ${property.name.padEnd(20)} ${property.kind.padEnd(9)} ${mark}${scope}`);
  }
  if (counterexample) {
    const violated = run.model.properties.find((property: Property<unknown>) => property.name === result.violation?.property);
    lines.push('');
    lines.push(`counterexample (${counterexample.steps.length - 1} steps; replay token ${counterexample.token})`);
    lines.push(formatTraceText(run.model, counterexample, { property: violated }));
  }
  return lines.join('\n');
}
