/** The per-property summary of a simulation's violating runs. */
import { formatWalkProgress } from '../../../src/cli/simulate-command.ts';
import { describe, expect, it } from 'vitest';
import { violationSummary } from '../../../src/report/simulation.ts';
import type { WalkViolation } from '../../../src/explore/random-walk.ts';

function walk(property: string, run: number, steps: number): WalkViolation {
  return { property, kind: 'always', run, seconds: run / 1000, path: { initial: 0, actions: Array.from({ length: steps }, () => 0) } };
}

describe('violationSummary', () => {
  it('counts the runs of each property, in the order first met, with its first and shortest walk (the earlier of equals)', () => {
    const walks = [walk('Agreement', 2, 9), walk('Validity', 3, 4), walk('Agreement', 5, 7), walk('Agreement', 8, 7), walk('Validity', 9, 6)];
    expect(violationSummary(walks)).toEqual([
      { property: 'Agreement', runs: 3, first: walks[0], shortest: walks[2] },
      { property: 'Validity', runs: 2, first: walks[1], shortest: walks[1] },
    ]);
  });

  it('summarises 50,000 violating walks, as a buggy spec under simulate gives', () => {
    const walks = Array.from({ length: 50_000 }, (_, run) => walk('Agreement', run, 20 - (run % 13)));
    const [summary] = violationSummary(walks);
    expect(summary).toMatchObject({ property: 'Agreement', runs: 50_000, first: walks[0], shortest: walks[12] });
  });
});

describe('simulate progress', () => {
  it('counts the states seen and the longest run in steps: a walk has no frontier', () => {
    expect(formatWalkProgress({ distinctStates: 125_444, transitions: 0, depth: 45, frontier: 0, seconds: 2.2, statesPerSecond: 55_122.4 })).toBe(
      'progress: 125,444 distinct states seen, 55,122 states/s, longest run 44 steps, 2 s',
    );
  });
});
