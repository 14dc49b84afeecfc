import { describe, expect, it } from 'vitest';
import { experimentExitStatus } from '../../../src/cli/experiment-flags.ts';
import type { ExperimentRecord, ExperimentRow } from '../../../src/experiments/record.ts';

const row = (spec: string, parameters: Record<string, string | number>, status: ExperimentRow['status'], extra: Partial<ExperimentRow> = {}): ExperimentRow => ({
  spec,
  specPath: `${spec}.ts`,
  parameters,
  symmetry: [],
  status,
  distinctStates: 0,
  transitions: 0,
  depth: 0,
  seconds: 0,
  statesPerSecond: 0,
  ...(status === 'error' ? { error: `${spec} broke` } : {}),
  ...extra,
});
const record = (rows: ExperimentRow[], swept: string[], symmetry: 'off' | 'both') => ({ rows, swept, options: { symmetry } }) as unknown as ExperimentRecord;

function exit(rows: ExperimentRow[], swept: string[], aborted = false, symmetry: 'off' | 'both' = 'off'): { status: number; stderr: string[] } {
  const stderr: string[] = [];
  const status = experimentExitStatus(record(rows, swept, symmetry), { stdout: () => {}, stderr: (text) => stderr.push(text) }, aborted);
  return { status, stderr };
}

describe("a sweep's or matrix's exit status", () => {
  it('is 0 when every point has a result, and 3 when interrupted, with nothing on stderr', () => {
    const rows = [row('ping', { pings: 1 }, 'ok'), row('ping', { pings: 2 }, 'violation'), row('ping', { pings: 3 }, 'incomplete')];
    expect(exit(rows, ['pings'])).toEqual({ status: 0, stderr: [] });
    expect(exit(rows, ['pings'], true)).toEqual({ status: 3, stderr: [] });
  });

  it('is 2 when the spec failed at a point, naming the first, and says whether the rest stand or the run was interrupted', () => {
    const rows = [row('ping', { pings: 1 }, 'ok'), row('ping', { pings: 2 }, 'error'), row('ping', { pings: 3 }, 'error')];
    expect(exit(rows, ['pings'])).toEqual({
      status: 2,
      stderr: ['synod: error [points-failed]: ping failed at 2 of 3 points, first at pings=2: ping broke (hint: the results above stand for the other points)'],
    });
    // A failure wins over the interrupt, which the hint reports.
    expect(exit(rows, ['pings'], true)).toEqual({
      status: 2,
      stderr: ['synod: error [points-failed]: ping failed at 2 of 3 points, first at pings=2: ping broke (hint: the run was also interrupted: other points are incomplete or not started)'],
    });
    expect(exit([row('ping', {}, 'error')], [])).toEqual({ status: 2, stderr: ['synod: error [points-failed]: ping failed at 1 of 1 point, first at its defaults: ping broke'] });
    // With --symmetry both, each point is two checks: counted as such.
    expect(exit(rows.slice(0, 2), ['pings'], false, 'both').stderr).toEqual([
      'synod: error [points-failed]: ping failed at 1 of 2 checks, first at pings=2: ping broke (hint: the results above stand for the other points)',
    ]);
  });

  it("names a matrix cell by its preset and the grid parameters its spec has, and every spec that failed", () => {
    const rows = [
      row('ping', { pings: 1, network: 'bag' }, 'ok', { preset: 'bag' }),
      row('counter', { network: 'dup' }, 'error', { preset: 'dup' }),
      row('ping', { pings: 1, network: 'dup' }, 'error', { preset: 'dup' }),
    ];
    expect(exit(rows, ['pings']).stderr).toEqual([
      'synod: error [points-failed]: counter, ping failed at 2 of 3 points, first counter at the dup preset: counter broke (hint: the results above stand for the other points)',
    ]);
  });
});
