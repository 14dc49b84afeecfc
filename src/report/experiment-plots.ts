/**
 * The plots of a sweep: for each numeric swept parameter, distinct states against it on a log
 * scale, one line per setting of the other swept parameters (and per symmetry setting, dashed
 * when reduced). Every check of the sweep is one point of every chart; a check that stopped before
 * it explored every state (a limit, an interrupt, a violation, an error, its last witness) is drawn hollow (its
 * count is a lower bound); a check that explored nothing is left out.
 */
import { kebabCase } from '../parameters.ts';
import type { ExperimentRecord, ExperimentRow } from '../experiments/record.ts';
import { logChartSvg, type PlotSeries } from './svg-plot.ts';
import { verdictText } from './experiment-table.ts';

export interface PlotFile {
  readonly name: string;
  readonly svg: string;
}

/** The file a sweep's plot of a parameter is written to. */
function plotFileName(parameter: string): string {
  return `states-by-${kebabCase(parameter)}.svg`;
}

/** The names of the files {@link experimentPlots} writes. */
export const PLOT_FILE = /^states-by-[A-Za-z][\w-]*\.svg$/;

type PointParameters = Readonly<Record<string, string | number>>;

/** The swept parameters that are numbers with two values or more: a chart over one value has no line to draw. */
function plottedParameters(swept: readonly string[], points: readonly PointParameters[]): string[] {
  return swept.filter((name) => points.every((point) => typeof point[name] === 'number') && new Set(points.map((point) => point[name])).size >= 2);
}

/**
 * The files {@link experimentPlots} writes for a sweep of these (resolved) points: known before
 * the sweep runs, so that a name that cannot be written is refused before the first point.
 */
export function plotFileNames(swept: readonly string[], points: readonly PointParameters[]): string[] {
  return plottedParameters(swept, points).map(plotFileName);
}

export function experimentPlots(record: ExperimentRecord): PlotFile[] {
  const numeric = plottedParameters(record.swept, record.rows.map((row) => row.parameters));
  return numeric.map((parameter) => ({ name: plotFileName(parameter), svg: logChartSvg(chartFor(record, parameter)) }));
}

function chartFor(record: ExperimentRecord, parameter: string) {
  const others = record.swept.filter((name) => name !== parameter);
  const bySeries = new Map<string, ExperimentRow[]>();
  for (const row of record.rows) {
    const key = seriesName(row, others, record.options.symmetry !== 'off');
    bySeries.set(key, [...(bySeries.get(key) ?? []), row]);
  }
  const groups = [...new Set(record.rows.map((row) => seriesName(row, others, false)))];
  const series: PlotSeries[] = [...bySeries].map(([name, rows]) => ({
    name,
    dashed: rows[0]!.symmetry.length > 0,
    colour: groups.indexOf(seriesName(rows[0]!, others, false)),
    points: rows.map((row) => ({
      x: row.parameters[parameter] as number,
      y: row.distinctStates,
      hollow: !exploredAll(row),
      label: `${record.swept.map((name) => `${kebabCase(name)}=${row.parameters[name]}`).join(' ')}: ${row.distinctStates.toLocaleString('en-US')} states, ${verdictText(row)}`,
    })),
  }));
  const hasHollow = record.rows.some((row) => !exploredAll(row) && row.distinctStates > 0);
  // The sets the checks reduced by, not those requested: a set of fewer than two members is not.
  // A check that never got to its first state (not started, stopped at once) has only the request.
  const reducedBy = [...new Set(record.rows.filter((row) => row.distinctStates > 0).flatMap((row) => row.symmetry))];
  return {
    title: `${record.specs.map((spec) => spec.name).join(', ')}: distinct states by ${kebabCase(parameter)}`,
    xLabel: kebabCase(parameter),
    yLabel: 'distinct states (log scale)',
    series,
    note: [
      reducedBy.length > 0 ? `dashed: symmetry over ${reducedBy.join(', ')}` : '',
      hasHollow ? 'hollow: stopped early, at a limit, an interrupt, a violation, an error or the last witness (a lower bound)' : '',
    ]
      .filter((part) => part !== '')
      .join('; '),
  };
}

/** Whether a check's count is its whole state space: it ran to the end (a never-witnessed property too). */
function exploredAll(row: ExperimentRow): boolean {
  return (row.status === 'ok' && !row.settledEarly) || (row.status === 'violation' && row.propertyKind === 'sometimes');
}

function seriesName(row: ExperimentRow, others: readonly string[], withSymmetry: boolean): string {
  const parts = others.map((name) => `${kebabCase(name)}=${row.parameters[name]}`);
  if (withSymmetry && row.symmetry.length > 0) parts.push('symmetry');
  return parts.join(', ') || (withSymmetry ? 'no symmetry' : 'distinct states');
}
