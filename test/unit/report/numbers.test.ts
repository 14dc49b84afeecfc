import { describe, expect, it } from 'vitest';
import { plural } from '../../../src/report/numbers.ts';
import { checkCellText } from '../../../src/report/matrix-table.ts';
import type { ExperimentRow } from '../../../src/experiments/record.ts';

describe('plural', () => {
  it('groups thousands and says one without an s', () => {
    expect(plural(1, 'state')).toBe('1 state');
    expect(plural(0, 'step')).toBe('0 steps');
    expect(plural(1584, 'run')).toBe('1,584 runs');
  });

  it('reads right in a matrix cell stopped after one state', () => {
    const row = { status: 'incomplete', distinctStates: 1, incompleteReason: 'max-states' } as unknown as ExperimentRow;
    expect(checkCellText(row)).toBe('no violation in 1 state (max-states)');
  });
});

describe('a matrix cell of a check that failed', () => {
  it('says why', () => {
    const row = { status: 'error', error: 'q1 = 3 is larger than the 2 acceptors' } as unknown as ExperimentRow;
    expect(checkCellText(row)).toBe('error: q1 = 3 is larger than the 2 acceptors');
  });
});

describe('markdownTable', () => {
  it('keeps a cell on one line and its bars inside it', async () => {
    const { markdownTable } = await import('../../../src/report/experiment-table.ts');
    expect(markdownTable(['verdict'], [['error: a | b\nc']], ['left'])).toBe(['| verdict         |', '| --------------- |', '| error: a \\| b c |'].join('\n'));
  });
});

describe('a sweep row never started', () => {
  it('says so, with empty counts rather than zeros', async () => {
    const { experimentTable } = await import('../../../src/report/experiment-table.ts');
    const { experimentRow } = await import('../../../src/experiments/record.ts');
    const empty = { distinctStates: 0, transitions: 0, depth: 0, seconds: 0, statesPerSecond: 0, peakMemoryBytes: 0, storeBytes: 0, collisionProbability: 0 };
    const interrupted = { status: 'incomplete', incompleteReason: 'interrupted', properties: [] } as const;
    const rows = [
      experimentRow('ping', { specPath: 'ping.ts', parameters: { pings: 2 } }, { result: { ...interrupted, statistics: { ...empty, distinctStates: 7, depth: 3, seconds: 0.5 } } }),
      experimentRow('ping', { specPath: 'ping.ts', parameters: { pings: 3 } }, { result: { ...interrupted, statistics: empty }, notStarted: true }),
    ];
    expect(rows.map((row) => row.notStarted)).toEqual([undefined, true]);
    const record = { rows, swept: ['pings'], options: { symmetry: 'off' } } as never;
    expect(experimentTable(record).split('\n').slice(2)).toEqual([
      '|     2 | incomplete (interrupted)  |               7 |           0 |     3 |    0.50 |        0 |                |',
      '|     3 | not started (interrupted) |                 |             |       |         |          |                |',
    ]);
  });

  it('leaves the counts of a check that failed before its first state empty, and puts choices on the left', async () => {
    const { experimentTable } = await import('../../../src/report/experiment-table.ts');
    const { experimentRow } = await import('../../../src/experiments/record.ts');
    const empty = { distinctStates: 0, transitions: 0, depth: 0, seconds: 0, statesPerSecond: 0, peakMemoryBytes: 0, storeBytes: 0, collisionProbability: 0 };
    const row = experimentRow('ping', { specPath: 'ping.ts', parameters: { network: 'dup' } }, {
      result: { status: 'error', statistics: empty, properties: [], error: { code: 'model-threw', message: 'boom' } },
    });
    const record = { rows: [row], swept: ['network'], options: { symmetry: 'off' } } as never;
    expect(experimentTable(record).split('\n').slice(1)).toEqual([
      '| ------- | ----------- | --------------: | ----------: | ----: | ------: | -------: | -------------: |',
      '| dup     | error: boom |                 |             |       |         |          |                |',
    ]);
  });
});

describe('a sweep point whose spec code did not return', () => {
  it('has empty counts in the table and the CSV when it was stopped before its first progress report, and its time', async () => {
    const { experimentCsv, experimentTable } = await import('../../../src/report/experiment-table.ts');
    const { experimentRow } = await import('../../../src/experiments/record.ts');
    const { notReturned } = await import('../../../src/experiments/point-outcomes.ts');
    const lastReport = { distinctStates: 5000, transitions: 9000, depth: 12, seconds: 1, statesPerSecond: 5000 } as never;
    const rows = [
      experimentRow('loops', { specPath: 'loops.ts', parameters: { loopsAt: 1 }, maxSeconds: 1 }, notReturned('max-seconds', 6.02, undefined)),
      experimentRow('loops', { specPath: 'loops.ts', parameters: { loopsAt: 2 }, maxSeconds: 1 }, notReturned('max-seconds', 6.03456, lastReport)),
    ];
    const record = { rows, swept: ['loopsAt'], specs: [{ name: 'loops', sha256: '' }], options: { symmetry: 'off', concurrency: 1 }, machine: {} } as never;
    expect(experimentTable(record).split('\n').slice(2)).toEqual([
      '|        1 | incomplete (max-seconds; spec code did not return) |                 |             |       |    6.02 |          |                |',
      '|        2 | incomplete (max-seconds; spec code did not return) |           5,000 |       9,000 |    12 |    6.03 |    5,000 |                |',
    ]);
    const csv = experimentCsv(record).split('\n');
    expect(csv[0]).toMatch(/,verdict,distinct states,transitions,depth,seconds,states\/s,/);
    expect(csv[1]).toContain(',incomplete (max-seconds; spec code did not return),,,,6.02,,');
    // To the tenth of a millisecond in the CSV, where the table shows hundredths of a second.
    expect(csv[2]).toContain(',incomplete (max-seconds; spec code did not return),5000,9000,12,6.0346,5000,');
    expect(csv.slice(1, 3).map((line) => line.split(',').slice(csv[0]!.split(',').indexOf('incomplete reason')).slice(0, 2))).toEqual([
      ['max-seconds', 'yes'],
      ['max-seconds', 'yes'],
    ]);
    // Its memory and threads were never measured by the check: empty, not 0 and 1.
    const columns = csv[0]!.split(',');
    for (const line of csv.slice(1, 3)) {
      expect(['peak memory bytes', 'store bytes', 'threads used'].map((name) => line.split(',')[columns.indexOf(name)])).toEqual(['', '', '']);
    }
    expect(rows.map((row) => [row.peakMemoryBytes, row.storeBytes, row.workersUsed])).toEqual([[undefined, undefined, undefined], [undefined, undefined, undefined]]);
  });
});

describe('matrixTable', () => {
  it('tells two spec files of one name apart by their paths', async () => {
    const { matrixTable } = await import('../../../src/report/matrix-table.ts');
    const cell = (specPath: string) => ({ spec: 'skip-paxos', specPath, point: {}, preset: 'bag', applicable: false, note: 'n' });
    const record = { presets: [{ name: 'bag' }], swept: [], perProperty: false, cells: [cell('a/skip.ts'), cell('b/skip.ts')] } as never;
    const lines = matrixTable(record).split('\n');
    expect(lines[2]).toMatch(/^\| skip-paxos \(a\/skip\.ts\) \|/);
    expect(lines[3]).toMatch(/^\| skip-paxos \(b\/skip\.ts\) \|/);
    const one = { presets: [{ name: 'bag' }], swept: [], perProperty: false, cells: [cell('a/skip.ts')] } as never;
    expect(matrixTable(one).split('\n')[2]).toMatch(/^\| skip-paxos \|/);
  });

  it('right-aligns a grid column of numbers, as a sweep does, and leaves a column of words left', async () => {
    const { matrixTable } = await import('../../../src/report/matrix-table.ts');
    const cell = (point: Record<string, string | number>) => ({ spec: 'ping', specPath: 'ping.ts', point, preset: 'bag', applicable: false, note: 'n' });
    const record = { presets: [{ name: 'bag' }], swept: ['pings', 'network'], perProperty: false, cells: [cell({ pings: 1, network: 'bag' }), cell({ pings: 10, network: 'dup' })] } as never;
    expect(matrixTable(record).split('\n').slice(0, 4)).toEqual([
      '| spec | pings | network | bag |',
      '| ---- | ----: | ------- | --- |',
      '| ping |     1 | bag     | n/a |',
      '| ping |    10 | dup     | n/a |',
    ]);
  });
});
