/**
 * The parallel explorer agrees exactly with the sequential one on every bundled spec: the same
 * distinct states, transitions and depth, the same verdict and violated property, and the same
 * shortest counterexample (the parallel explorer reproduces the sequential breadth-first order, so
 * even the path is the same, not just its length). With 1 thread (the parallel machinery on the
 * main thread), and with 2 and 3 (one and two worker threads, kept in a pool for the whole file so
 * that each run does not pay for starting threads; they take part from the first level).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { spawn, spawnSync } from 'node:child_process';
import type { AnySpec } from '../../src/model.ts';
import { resolveParameters } from '../../src/parameters.ts';
import { checkModel, type CheckReport, checkModelWithTuning } from '../../src/check.ts';
import { WorkerPool } from '../../src/explore/worker-pool.ts';
import type { CheckResult } from '../../src/explore/result.ts';

interface Case {
  readonly spec: string;
  readonly parameters: Record<string, string | number>;
  /** Expected verdict, and counterexample length for a violation (from the golden tests). */
  readonly status: 'ok' | 'violation';
  readonly steps?: number;
  /** Check these properties (`--property`); by default every property that is not optional. */
  readonly properties?: readonly string[];
}

const small = { proposers: 2, rounds: 1, learners: 0 };

const CASES: readonly Case[] = [
  { spec: 'specs/paxos.ts', parameters: { proposers: 2, rounds: 1 }, status: 'ok' },
  { spec: 'specs/paxos-tla.ts', parameters: {}, status: 'ok' },
  { spec: 'specs/examples/ping.ts', parameters: {}, status: 'ok' },
  { spec: 'specs/bugs/no-promise-check.ts', parameters: small, status: 'violation', steps: 14 },
  { spec: 'specs/bugs/shared-ballots.ts', parameters: small, status: 'violation', steps: 14 },
  { spec: 'specs/bugs/shared-ballots.ts', parameters: { ...small, change: 'same-ballots' }, status: 'ok' },
  { spec: 'specs/bugs/shared-ballots.ts', parameters: { ...small, change: 'promise-equal' }, status: 'ok' },
  { spec: 'specs/bugs/minority-quorum.ts', parameters: { proposers: 2, rounds: 1 }, status: 'violation', steps: 14 },
  { spec: 'specs/bugs/amnesia.ts', parameters: small, status: 'violation', steps: 16 },
  { spec: 'specs/bugs/any-promise-value.ts', parameters: { proposers: 3, rounds: 1, learners: 0 }, status: 'violation', steps: 20 },
  { spec: 'specs/bugs/paxos-tla-any-value.ts', parameters: {}, status: 'violation', steps: 12 },
  // A property with a history (tracked in the worker threads too), and a run that stops at its witness.
  { spec: 'specs/paxos.ts', parameters: { acceptors: 2, proposers: 2, rounds: 2, learners: 0 }, status: 'ok', properties: ['duel'] },
];

const root = fileURLToPath(new URL('../../', import.meta.url));

/** A result without the figures that depend on timing or threads. */
function comparable(result: CheckResult) {
  const { seconds: _s, statesPerSecond: _r, peakMemoryBytes: _m, storeBytes: _b, workers: _w, workersUsed: _u, soloReason: _why, ...statistics } =
    result.statistics;
  return { ...result, statistics };
}

function summary(report: CheckReport<unknown, unknown>) {
  return {
    status: report.result.status,
    ...comparable(report.result).statistics,
    property: report.result.violation?.property,
    steps: report.counterexample ? report.counterexample.steps.length - 1 : undefined,
    token: report.counterexample?.token,
  };
}

describe('parallel and sequential exploration agree on every bundled spec', () => {
  const pools = new Map<number, WorkerPool>();
  beforeAll(() => {
    pools.set(1, WorkerPool.start(0));
    pools.set(2, WorkerPool.start(1));
    pools.set(3, WorkerPool.start(2));
  });
  afterAll(async () => {
    await Promise.all([...pools.values()].map((pool) => pool.close()));
  });

  for (const { spec: specPath, parameters: raw, status, steps, properties } of CASES) {
    const named = properties ? ` --property ${properties.join(',')}` : '';
    it(`${specPath} ${JSON.stringify(raw)}${named}: ${status}${steps ? ` in ${steps} steps` : ''}, with 1, 2 and 3 threads, and 2 joining a run under way`, async () => {
      const spec = ((await import(`${root}${specPath}`)) as { default: AnySpec }).default;
      const parameters = resolveParameters(spec.parameters, raw);
      const source = { specPath: `${root}${specPath}`, parameters };
      const sequential = await checkModel(spec.build(parameters), properties ? { properties } : {});
      expect(sequential.result.status).toBe(status);
      if (steps !== undefined) expect(sequential.counterexample!.steps.length - 1).toBe(steps);
      // One thread: the parallel explorer alone (a pool of no threads); two threads: also joining
      // the run after 150 states.
      const runs: readonly { threads: number; startWorkersAtState?: number; waitForWorkers?: boolean }[] = [
        { threads: 1 },
        { threads: 2 },
        { threads: 3 },
        { threads: 2, startWorkersAtState: 150, waitForWorkers: true },
      ];
      for (const { threads, ...joining } of runs) {
        const pool = pools.get(threads)!;
        const parallel = await checkModelWithTuning(spec.build(parameters), { ...(properties ? { properties } : {}), workers: threads, source }, { pool, ...joining });
        expect({ threads, ...summary(parallel) }).toEqual({ threads, ...summary(sequential) });
        expect(comparable(parallel.result)).toEqual(comparable(sequential.result));
        // The worker threads took part (on a spec of any size: the main thread may take back
        // the units of a tiny one before a worker starts them).
        if (threads === 1) expect(parallel.result.statistics.workersUsed).toBe(1);
        else if (sequential.result.statistics.distinctStates > 10_000) expect(parallel.result.statistics.workersUsed).toBeGreaterThan(1);
      }
    });
  }
});

describe('parallel exploration with a depth limit', () => {
  const pools = new Map<number, WorkerPool>();
  beforeAll(() => {
    pools.set(1, WorkerPool.start(0));
    pools.set(2, WorkerPool.start(1));
  });
  afterAll(async () => {
    await Promise.all([...pools.values()].map((pool) => pool.close()));
  });

  it('paxos-tla with --max-depth 17 is the full run (ok), with 16 incomplete, with 1 and 2 threads, and 2 joining a run under way', async () => {
    const specPath = 'specs/paxos-tla.ts';
    const spec = ((await import(`${root}${specPath}`)) as { default: AnySpec }).default;
    const parameters = resolveParameters(spec.parameters, {});
    const source = { specPath: `${root}${specPath}`, parameters };
    const expected = new Map([
      [17, { status: 'ok', incompleteReason: undefined, distinctStates: 3921, transitions: 9442, depth: 17 }],
      [16, { status: 'incomplete', incompleteReason: 'max-depth', distinctStates: 3919, transitions: 9436, depth: 16 }],
    ]);
    const runs: readonly { threads: number; startWorkersAtState?: number }[] = [{ threads: 1 }, { threads: 2 }, { threads: 2, startWorkersAtState: 150 }];
    for (const [maxDepth, figures] of expected) {
      const sequential = await checkModel(spec.build(parameters), { maxDepth });
      for (const { threads, startWorkersAtState } of runs) {
        const { result } = await checkModelWithTuning(
          spec.build(parameters),
          { maxDepth, workers: threads, source },
          { pool: pools.get(threads)!, waitForWorkers: true, ...(startWorkersAtState === undefined ? {} : { startWorkersAtState }) },
        );
        const { distinctStates, transitions, depth } = result.statistics;
        expect({ maxDepth, threads, status: result.status, incompleteReason: result.incompleteReason, distinctStates, transitions, depth }).toEqual({
          maxDepth,
          threads,
          ...figures,
        });
        expect(comparable(result)).toEqual(comparable(sequential.result));
      }
    }
  });
});

describe('synod check --workers', () => {
  const synod = (...args: string[]) =>
    spawnSync(process.execPath, ['src/cli/synod.mjs', ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });

  it('refuses a number of workers outside 1..64 with one line and exit status 2', () => {
    for (const value of ['0', '65', 'two', '1.5']) {
      const run = synod('check', 'specs/paxos-tla.ts', '--workers', value, '--quiet');
      expect(run.status).toBe(2);
      expect(run.stderr.trim().split('\n')).toEqual([`synod: error [bad-flag-value]: --workers must be a whole number from 1 to 64, got '${value}'`]);
    }
  });

  it('reports the workers in JSON and text, with the same counts as one worker', () => {
    const args = ['check', 'specs/paxos-tla.ts', '--quiet'];
    const one = JSON.parse(synod(...args, '--workers', '1', '--json').stdout);
    const two = JSON.parse(synod(...args, '--workers', '2', '--json').stdout);
    expect(one).toMatchObject({ status: 'ok', distinctStates: 3921, depth: 17, workers: 1, workersUsed: 1 });
    expect(two).toMatchObject({ status: 'ok', distinctStates: 3921, depth: 17, transitions: one.transitions, workers: 2 });
    // 3,921 states take well under the time it takes to start a thread: the run stays on one.
    expect(two).toMatchObject({ workersUsed: 1, soloReason: 'short' });
    expect(one.soloReason).toBeUndefined();
    const text = synod(...args, '--workers', '2').stdout;
    expect(text).toMatch(/^time {9}.*, 1 of 2 workers: the run ended before more threads paid off$/m);
    expect(synod(...args, '--workers', '1').stdout).toMatch(/^time {9}.*, 1 worker$/m);
  });

  it('stops cleanly on Ctrl-C with worker threads running, with the statistics so far', async () => {
    const child = spawn(
      process.execPath,
      ['src/cli/synod.mjs', 'check', 'specs/paxos.ts', '--rounds', '2', '--workers', '2', '--json'],
      { cwd: root },
    );
    let stdout = '';
    let stderr = '';
    let progressLines = 0;
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      // Interrupt at the fourth progress line: the worker thread has long started by then.
      progressLines = (stderr.match(/^progress:/gm) ?? []).length;
      if (progressLines === 4) child.kill('SIGINT');
    });
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(status).toBe(3);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ status: 'incomplete', incompleteReason: 'interrupted', workers: 2, workersUsed: 2 });
    expect(result.distinctStates).toBeGreaterThan(1000);
  }, 60_000);
});
