/**
 * The variant matrix as a table: one row per spec (and grid point), one column per preset. The
 * verdict form shows the first property to fail and its shortest counterexample's length; the
 * per-property form has a row per property.
 */
import { kebabCase } from '../parameters.ts';
import type { MatrixCell, MatrixRecord, PropertyVerdict } from '../experiments/matrix.ts';
import type { ExperimentRow } from '../experiments/record.ts';
import { incompleteText, markdownTable, notStarted, provenance, specCodeDidNotReturn } from './experiment-table.ts';
import { plural } from './numbers.ts';

function steps(length: number | undefined): string {
  return length === undefined ? '' : ` (${plural(length, 'step')})`;
}

/** The verdict of one check, as a cell. */
export function checkCellText(check: ExperimentRow): string {
  switch (check.status) {
    case 'ok':
      return check.settledEarly ? 'ok (stopped at the last witness)' : 'ok';
    case 'violation':
      return check.propertyKind === 'sometimes' ? `${check.property} never witnessed` : `${check.property} fails${steps(check.counterexampleLength)}`;
    case 'incomplete':
      if (notStarted(check)) return 'not started (interrupted)';
      // Its counts are those of its last progress report, if it made one: no measure of a search.
      if (specCodeDidNotReturn(check)) return `stopped: ${incompleteText(check, ', ')}`;
      return `no violation in ${plural(check.distinctStates, 'state')} (${check.incompleteReason ?? 'interrupted'})`;
    case 'error':
      return check.error ? `error: ${check.error}` : 'error';
  }
}

export function propertyCellText(verdict: PropertyVerdict): string {
  return verdict.verdict === 'fails' ? `fails${steps(verdict.length)}` : verdict.verdict === 'not declared' ? '-' : verdict.verdict;
}

function cellText(cell: MatrixCell | undefined, property?: string): string {
  if (!cell || !cell.applicable) return 'n/a';
  const marker = cell.note ? ' *' : '';
  if (property === undefined) return cell.check ? `${checkCellText(cell.check)}${marker}` : 'n/a';
  const verdict = cell.properties?.find((candidate) => candidate.property === property);
  return verdict ? `${propertyCellText(verdict)}${marker}` : 'n/a';
}

function pointKey(point: Readonly<Record<string, unknown>>): string {
  return JSON.stringify(point);
}

export function matrixTable(record: MatrixRecord): string {
  const presets = record.presets.map((preset) => preset.name);
  const rows: string[][] = [];
  const groups = new Map<string, MatrixCell[]>();
  for (const cell of record.cells) {
    const key = `${cell.specPath}\u0000${pointKey(cell.point)}`;
    groups.set(key, [...(groups.get(key) ?? []), cell]);
  }
  // Two spec files of one name (a copied variant keeps its original's) are told apart by path.
  const paths = new Map<string, Set<string>>();
  for (const cell of record.cells) paths.set(cell.spec, (paths.get(cell.spec) ?? new Set()).add(cell.specPath));
  const label = (cell: MatrixCell) => (paths.get(cell.spec)!.size > 1 ? `${cell.spec} (${cell.specPath})` : cell.spec);
  for (const cells of groups.values()) {
    const first = cells[0]!;
    const byPreset = (preset: string) => cells.find((cell) => cell.preset === preset);
    const point = record.swept.map((name) => String(first.point[name] ?? ''));
    if (!record.perProperty) {
      rows.push([label(first), ...point, ...presets.map((preset) => cellText(byPreset(preset)))]);
      continue;
    }
    const names = [...new Set(cells.flatMap((cell) => (cell.properties ?? []).map((verdict) => verdict.property)))];
    for (const name of names) {
      rows.push([label(first), ...point, name, ...presets.map((preset) => cellText(byPreset(preset), name))]);
    }
  }
  const headers = ['spec', ...record.swept.map(kebabCase), ...(record.perProperty ? ['property'] : []), ...presets];
  // A grid parameter every cell gives a number is a numeric column, right-aligned as a sweep's.
  const numeric = new Set(record.swept.filter((name) => record.cells.every((cell) => cell.point[name] === undefined || typeof cell.point[name] === 'number')).map(kebabCase));
  return markdownTable(headers, rows, headers.map((header, index) => (index > 0 && index <= record.swept.length && numeric.has(header) ? 'right' : 'left')));
}

/**
 * Why a cell is n/a, named as the notes under the table name it: a combination the spec refuses
 * with the cell's grid values (those the spec declares), as a sweep names a refused point.
 */
export function notApplicableText(cell: MatrixCell): string {
  const point = pointText(cell);
  const where = cell.refused && point !== '' ? ` at ${point}` : '';
  return `${cell.spec}${where}: ${cell.note ?? 'not applicable'}`;
}

/** A cell's grid values (those its spec declares) as the notes name them: `q1=4 q2=3`. */
function pointText(cell: MatrixCell): string {
  return Object.entries(cell.point).map(([name, value]) => `${kebabCase(name)}=${value}`).join(' ');
}

/** The notes under the table: what each preset is, and cells whose preset was adjusted. */
export function matrixNotes(record: MatrixRecord): string[] {
  const lines = record.presets.map(
    (preset) =>
      `- \`${preset.name}\`: ${preset.description} (${Object.entries(preset.parameters)
        .map(([name, value]) => `${name}=${value}`)
        .join(', ')})`,
  );
  // One line a spec: its cells' notes may share parts (amnesia: crashes=1 under the presets without
  // a crash, its restart under every preset), each part naming its presets where not all starred.
  const notes = new Map<string, { presets: Set<string>; parts: Map<string, Set<string>> }>();
  for (const cell of record.cells) {
    if (!cell.note || !cell.applicable) continue;
    const spec = notes.get(cell.spec) ?? { presets: new Set<string>(), parts: new Map<string, Set<string>>() };
    spec.presets.add(cell.preset);
    for (const part of cell.note.split('; ')) spec.parts.set(part, (spec.parts.get(part) ?? new Set<string>()).add(cell.preset));
    notes.set(cell.spec, spec);
  }
  for (const [name, { presets, parts }] of notes) {
    const described = [...parts].map(([part, under]) => (under.size === presets.size ? part : `${part} under ${[...under].join(', ')}`));
    lines.push(`- \\* ${name}: ${described.join('; ')}`);
  }
  const skipped = [...new Set(record.cells.filter((cell) => !cell.applicable).map(notApplicableText))];
  for (const note of skipped) lines.push(`- n/a ${note}`);
  // The per-property form's cells say "holds so far" of a check that stopped early: why it stopped.
  if (record.perProperty) {
    for (const cell of record.cells) {
      // A check never started (interrupted) has its own verdict in the cells, and the line above says how many.
      if (!cell.applicable || cell.check?.status !== 'incomplete' || notStarted(cell.check)) continue;
      const point = pointText(cell);
      lines.push(`- stopped early: ${cell.spec}${point === '' ? '' : ` at ${point}`} under ${cell.preset}: ${checkCellText(cell.check)}`);
    }
  }
  return lines;
}

export function matrixMarkdown(record: MatrixRecord): string {
  const title = record.perProperty ? 'Properties under each network and fault preset' : 'Verdicts under each network and fault preset';
  return `${[`# ${title}`, '', matrixTable(record), '', ...matrixNotes(record), '', ...provenance(record)].join('\n')}\n`;
}
