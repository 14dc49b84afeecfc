/**
 * Experiment results as files a paper can use: a Markdown table (with what is needed to
 * reproduce it), CSV, and JSON. Columns: the swept parameters, symmetry when the run varied or
 * used it, verdict, distinct states, transitions, depth, seconds, states/s and the shortest
 * counterexample's length.
 */
import { kebabCase } from '../parameters.ts';
import { stoppedByInterrupt, type ExperimentRecord, type ExperimentRow } from '../experiments/record.ts';
import { formatBytes, formatCount, plural } from './numbers.ts';

/** A point the run was interrupted before it began. */
export function notStarted(row: ExperimentRow): boolean {
  return row.notStarted === true;
}

/** A check whose thread was terminated because its spec code had not returned (see ExperimentRow.specCodeDidNotReturn). */
export function specCodeDidNotReturn(row: ExperimentRow): boolean {
  return row.specCodeDidNotReturn === true;
}

/** Why a check stopped before its verdict, as the tables say it: `max-seconds`, `interrupted; spec code did not return`. */
export function incompleteText(row: ExperimentRow, separator = '; '): string {
  const reason = row.incompleteReason ?? 'interrupted';
  return specCodeDidNotReturn(row) ? `${reason}${separator}spec code did not return` : reason;
}

/**
 * Whether a row's counts measure a search. A point never started, a check that failed before its
 * first state, and one whose spec code did not return before its first progress report (a report
 * comes after states are explored, never at 0) have none: the record holds zeros, which the
 * table and the CSV show as empty cells rather than as a measurement.
 */
function hasCounts(row: ExperimentRow): boolean {
  if (notStarted(row)) return false;
  return (row.status !== 'error' && !specCodeDidNotReturn(row)) || row.distinctStates > 0;
}

/** `ok`, `violation: Agreement`, `never witnessed: ValueChosen`, `incomplete (max-seconds)`, `error: why`; a check that stopped at its last witness says so. */
export function verdictText(row: ExperimentRow): string {
  switch (row.status) {
    case 'ok':
      return row.settledEarly ? 'ok (stopped at the last witness)' : 'ok';
    case 'violation':
      return row.propertyKind === 'sometimes' ? `never witnessed: ${row.property}` : `violation: ${row.property}`;
    case 'incomplete':
      return notStarted(row) ? 'not started (interrupted)' : `incomplete (${incompleteText(row)})`;
    case 'error':
      return row.error ? `error: ${row.error}` : 'error';
  }
}

interface Column {
  readonly title: string;
  readonly align: 'left' | 'right';
  readonly text: (row: ExperimentRow) => string;
  /** The CSV cell: plain numbers, no thousands separators. */
  readonly raw: (row: ExperimentRow) => string | number;
}

function symmetryText(row: ExperimentRow): string {
  return row.symmetry.length > 0 ? row.symmetry.join('+') : 'none';
}

function columns(record: ExperimentRecord, withSpec: boolean): Column[] {
  // The main thread timed a check it stopped from outside, counts or none.
  const timed = (row: ExperimentRow) => hasCounts(row) || specCodeDidNotReturn(row);
  // The CSV keeps more digits than the table shows (`rawDigits`): a point of a few milliseconds
  // would read 0 s there, and its states/s could not be worked out again.
  const number = (title: string, value: (row: ExperimentRow) => number, digits = 0, shown = hasCounts, rawDigits = digits): Column => ({
    title,
    align: 'right',
    text: (row) => (!shown(row) ? '' : digits > 0 ? value(row).toFixed(digits) : formatCount(value(row))),
    raw: (row) => (!shown(row) ? '' : Number(value(row).toFixed(rawDigits))),
  });
  return [
    ...(withSpec ? [{ title: 'spec', align: 'left', text: (row: ExperimentRow) => row.spec, raw: (row: ExperimentRow) => row.spec } as Column] : []),
    ...record.swept.map(
      (name): Column => ({
        // Named as the flag that sets it, as synod check's header names it.
        title: kebabCase(name),
        // Numbers to the right, choices (network=bag|dup) to the left.
        align: record.rows.every((row) => typeof row.parameters[name] === 'number') ? 'right' : 'left',
        text: (row) => String(row.parameters[name]),
        raw: (row) => row.parameters[name] ?? '',
      }),
    ),
    ...(record.options.symmetry !== 'off' ? [{ title: 'symmetry', align: 'left', text: symmetryText, raw: symmetryText } as Column] : []),
    { title: 'verdict', align: 'left', text: verdictText, raw: verdictText },
    number('distinct states', (row) => row.distinctStates),
    number('transitions', (row) => row.transitions),
    number('depth', (row) => row.depth),
    number('seconds', (row) => row.seconds, 2, timed, 4),
    number('states/s', (row) => row.statesPerSecond),
    {
      title: 'counterexample',
      align: 'right',
      // A check of sometimes properties alone has no counterexample: it shows the run that witnesses them.
      text: (row) =>
        row.counterexampleLength !== undefined
          ? plural(row.counterexampleLength, 'step')
          : (row.witnesses ?? []).map((witness) => `${plural(witness.length, 'step')} (witness of ${witness.property})`).join(', '),
      raw: (row) => row.counterexampleLength ?? '',
    },
  ];
}

/** A Markdown table, its columns padded so that it reads as plain text too. */
export function markdownTable(headers: readonly string[], cellRows: readonly (readonly string[])[], align: readonly ('left' | 'right')[]): string {
  // A cell is one line, and a bar in it (an error's message may hold one) is not a column's end.
  const rows = cellRows.map((row) => row.map((cell) => cell.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|')));
  const widths = headers.map((header, index) => Math.max(3, header.length, ...rows.map((row) => row[index]!.length)));
  const pad = (text: string, index: number) => (align[index] === 'right' ? text.padStart(widths[index]!) : text.padEnd(widths[index]!));
  const line = (cells: readonly string[]) => `| ${cells.map(pad).join(' | ')} |`;
  const rule = `| ${widths.map((width, index) => (align[index] === 'right' ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width))).join(' | ')} |`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

/** The results table alone (what `synod sweep` prints). */
export function experimentTable(record: ExperimentRecord): string {
  const withSpec = new Set(record.rows.map((row) => row.spec)).size > 1;
  const chosen = columns(record, withSpec);
  return markdownTable(
    chosen.map((column) => column.title),
    record.rows.map((row) => chosen.map((column) => column.text(row))),
    chosen.map((column) => column.align),
  );
}

/** The grid points the spec refused, as Markdown list items under the table: `- n/a q2=4: q2 = 4 is larger than the 3 acceptors`. */
export function refusedPointNotes(record: ExperimentRecord): string[] {
  return (record.refused ?? []).map(({ parameters, reason }) => {
    const point = record.swept.map((name) => `${kebabCase(name)}=${parameters[name]}`).join(' ');
    return `- n/a ${point}: ${reason}`;
  });
}

/** How the results were produced, as Markdown list items. */
export function provenance(record: ExperimentRecord): string[] {
  const { machine, options } = record;
  const limits = [
    options.maxSeconds !== undefined ? `--max-seconds ${options.maxSeconds}` : '',
    options.maxStates !== undefined ? `--max-states ${options.maxStates}` : '',
    options.maxMemoryBytes !== undefined ? `--max-memory ${formatBytes(options.maxMemoryBytes)}` : '',
  ].filter((limit) => limit !== '');
  return [
    `- command: \`${record.command}\``,
    `- synod ${record.synod}; ${record.specs.map((spec) => `${spec.path} sha256 ${spec.sha256.slice(0, 16)}`).join(', ')}`,
    `- grid: ${record.grid || '(each spec\'s defaults)'}; symmetry: ${options.symmetry}${options.symmetrySets?.length ? ` (${options.symmetrySets.join(', ')})` : ''}; ` +
      `limits per check: ${limits.join(' ') || 'none'}; ${options.properties ? `properties: ${options.properties.join(', ')}; ` : ''}seed: ${options.seed ?? 'none (exhaustive)'}`,
    `- ${plural(options.concurrency, 'check')} at a time, each in its own thread with ${plural(options.checkWorkers, 'explorer thread')}; ` +
      `${machine.cores} cores (${machine.cpu}), ${formatBytes(machine.memoryBytes)}, Node ${machine.node} on ${machine.platform}/${machine.arch}`,
    `- started ${record.startedAt}, took ${record.seconds.toFixed(1)} s${record.interrupted ? `; ${interruptedText(record.rows)}` : ''}`,
  ];
}

/** What an interrupt left of a run: `interrupted: 1 check stopped, 7 not started`. */
function interruptedText(rows: readonly ExperimentRow[]): string {
  const stopped = rows.filter(stoppedByInterrupt).length;
  const unstarted = rows.filter(notStarted).length;
  return `interrupted: ${plural(stopped, 'check')} stopped, ${formatCount(unstarted)} not started`;
}

/** results.md: a title, the table, and how it was produced. */
export function experimentMarkdown(record: ExperimentRecord, plots: readonly string[] = []): string {
  const title = record.kind === 'sweep' ? `Sweep of ${record.specs[0]!.name}` : 'Variant matrix';
  const refused = refusedPointNotes(record);
  const lines = [`# ${title}`, '', experimentTable(record), '', ...(refused.length > 0 ? [...refused, ''] : []), ...provenance(record)];
  if (plots.length > 0) lines.push('', ...plots.map((plot) => `![${plot}](${plot})`));
  return `${lines.join('\n')}\n`;
}

function csvCell(value: string | number): string {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * results.csv (matrix.csv): one line per check with (a matrix's preset and) every parameter, not
 * only the swept ones, the states of the unreduced model under symmetry, the properties checked
 * when not the spec's defaults, then the provenance columns, so that a file alone says how it was
 * made. A matrix cell that is n/a ran no check, so it has no line (matrix.json's cells list it).
 */
export function experimentCsv(record: ExperimentRecord): string {
  const parameterNames = [...new Set(record.rows.flatMap((row) => Object.keys(row.parameters)))];
  const swept = record.swept.map(kebabCase);
  const chosen = columns(record, true).filter((column) => !swept.includes(column.title));
  const matrix = record.kind === 'matrix';
  const headers = [
    ...chosen.slice(0, 1).map((column) => column.title),
    ...(matrix ? ['preset'] : []),
    ...parameterNames.map(kebabCase),
    ...(record.options.symmetry === 'off' ? ['symmetry'] : []),
    ...chosen.slice(1).map((column) => column.title),
    'unreduced states',
    'peak memory bytes',
    'store bytes',
    'threads used',
    'status',
    'properties checked',
    'property',
    'incomplete reason',
    'spec code did not return',
    'replay token',
    'synod',
    'spec sha256',
    'concurrency',
    'cores',
    'memory bytes',
    'node',
    'witnesses',
  ];
  const lines = record.rows.map((row) => {
    const spec = record.specs.find((candidate) => candidate.name === row.spec);
    return [
      ...chosen.slice(0, 1).map((column) => column.raw(row)),
      ...(matrix ? [row.preset ?? ''] : []),
      ...parameterNames.map((name) => row.parameters[name] ?? ''),
      ...(record.options.symmetry === 'off' ? [symmetryText(row)] : []),
      ...chosen.slice(1).map((column) => column.raw(row)),
      row.unreducedStates ?? '',
      row.peakMemoryBytes ?? '',
      row.storeBytes ?? '',
      row.workersUsed ?? '',
      row.status,
      row.properties?.join(' ') ?? '',
      row.property ?? '',
      row.incompleteReason ?? '',
      specCodeDidNotReturn(row) ? 'yes' : '',
      row.replayToken ?? '',
      record.synod,
      spec?.sha256 ?? '',
      record.options.concurrency,
      record.machine.cores,
      record.machine.memoryBytes,
      record.machine.node,
      // Last, after the columns scripts may read by position: the table's witnesses (of the sometimes
      // properties named), as JSON, since a property's name may hold any character.
      row.witnesses ? JSON.stringify(row.witnesses) : '',
    ]
      .map(csvCell)
      .join(',');
  });
  return `${[headers.map(csvCell).join(','), ...lines].join('\n')}\n`;
}

/** results.json: the whole record. */
export function experimentJson(record: ExperimentRecord): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}
