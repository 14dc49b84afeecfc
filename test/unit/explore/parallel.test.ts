/**
 * The parallel explorer: the explorer contract (on the main thread, where the contract's
 * in-process toy models can go), and exact agreement with the sequential explorer with worker
 * threads, on the toy models as spec files (test/toys/parallel-specs.ts), since worker threads
 * build their models from a spec file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import type { AnySpec, Model } from '../../../src/model.ts';
import { resolveParameters } from '../../../src/parameters.ts';
import { exploreBreadthFirst } from '../../../src/explore/breadth-first.ts';
import { exploreParallel, type ParallelOptions } from '../../../src/explore/parallel.ts';
import { WorkerPool } from '../../../src/explore/worker-pool.ts';
import { modelSignature } from '../../../src/explore/parallel-worker.ts';
import { SymmetryReduction } from '../../../src/explore/symmetry.ts';
import { checkModel, checkModelWithTuning } from '../../../src/check.ts';
import type { CheckResult, ExploreOptions } from '../../../src/explore/result.ts';
import { explorerContract } from './explorer-contract.ts';
import * as toys from '../../toys/parallel-specs.ts';
import { countersModel } from '../../toys/counters.ts';
import { SharedFingerprintSet, moveEntries, movingPhase } from '../../../src/store/shared-fingerprint-set.ts';

explorerContract('exploreParallel, main thread only', (model, options) => exploreParallel(model, { ...options, workers: 1 }));

// Small units, expanded later-first: claims are made out of order and lowered, as under threads.
explorerContract('exploreParallel, main thread, scrambled small units', (model, options) =>
  exploreParallel(model, { ...options, workers: 1, scrambleUnits: true, maxUnitStates: 3 }),
);


/** A result without the figures that depend on timing or on the number of threads. */
function comparable(result: CheckResult) {
  const { seconds: _s, statesPerSecond: _r, peakMemoryBytes: _m, storeBytes: _b, workers: _w, workersUsed: _u, soloReason: _why, ...statistics } =
    result.statistics;
  return { ...result, statistics };
}

const TOYS = fileURLToPath(new URL('../../toys/parallel-specs.ts', import.meta.url));

type ToyName = 'counters' | 'stopping' | 'cycle' | 'fan';

async function bothWays(
  name: ToyName,
  raw: Record<string, string | number>,
  pool: WorkerPool,
  options: ExploreOptions & Partial<ParallelOptions> = {},
) {
  const spec = toys[name] as unknown as AnySpec;
  const parameters = resolveParameters(spec.parameters, raw);
  const sequential = await exploreBreadthFirst(spec.build(parameters), options);
  const parallel = await exploreParallel(spec.build(parameters), {
    maxUnitStates: 4,
    ...options,
    pool,
    source: { specPath: TOYS, exportName: name, parameters },
  });
  return { sequential: sequential.result, parallel: parallel.result };
}

function joinLabel(startWorkersAtState: number | undefined): string {
  return startWorkersAtState === undefined ? '' : `, threads joining after ${startWorkersAtState} states`;
}

const CASES: readonly { name: ToyName; parameters: Record<string, string | number>; options?: ExploreOptions }[] = [
  { name: 'counters', parameters: { maxX: 0, maxY: 0 } },
  { name: 'counters', parameters: { maxX: 3, maxY: 5 } },
  { name: 'counters', parameters: { maxX: 20, maxY: 30, properties: 'in-range' } },
  { name: 'counters', parameters: { maxX: 200, maxY: 150, properties: 'in-range' } },
  { name: 'counters', parameters: { maxX: 2, maxY: 2, selfLoop: 'yes' } },
  { name: 'counters', parameters: { maxX: 3, maxY: 3, initial: 'none' } },
  { name: 'counters', parameters: { maxX: 2, maxY: 2, initial: 'duplicates' } },
  { name: 'counters', parameters: { maxX: 3, maxY: 3, initial: 'corner-too', properties: 'not-corner' } },
  { name: 'counters', parameters: { maxX: 30, maxY: 30, properties: 'not-two-three' } },
  { name: 'counters', parameters: { maxX: 30, maxY: 30, properties: 'two-bad-diagonals' } },
  { name: 'counters', parameters: { maxX: 30, maxY: 30, properties: 'sometimes' } },
  { name: 'counters', parameters: { maxX: 5, maxY: 5, properties: 'never-sometimes' } },
  { name: 'counters', parameters: { maxX: 20, maxY: 20, selfLoop: 'yes', properties: 'terminal-corner' } },
  { name: 'counters', parameters: { maxX: 20, maxY: 20, selfLoop: 'yes', properties: 'terminal-never' } },
  { name: 'stopping', parameters: { property: 'done' } },
  { name: 'stopping', parameters: { property: 'moved' } },
  { name: 'cycle', parameters: { size: 7 } },
  { name: 'counters', parameters: { maxX: 10, maxY: 10, properties: 'fragile' } },
  { name: 'counters', parameters: { maxX: 10, maxY: 10, fault: 'next-throws' } },
  { name: 'counters', parameters: { maxX: 10, maxY: 10, fault: 'decode-throws' } },
  { name: 'counters', parameters: { maxX: 10, maxY: 10, fault: 'actions-throw' } },
  { name: 'counters', parameters: { maxX: 10, maxY: 10, fault: 'encode-throws' } },
  { name: 'counters', parameters: { maxX: 40, maxY: 40 }, options: { maxStates: 10 } },
  { name: 'counters', parameters: { maxX: 4, maxY: 4 }, options: { maxStates: 24 } },
  { name: 'counters', parameters: { maxX: 4, maxY: 4 }, options: { maxStates: 25 } },
  { name: 'counters', parameters: { maxX: 40, maxY: 40, properties: 'sometimes' }, options: { maxStates: 333 } },
  { name: 'counters', parameters: { maxX: 30, maxY: 30, properties: 'not-two-three' }, options: { maxStates: 12 } },
  { name: 'counters', parameters: { maxX: 30, maxY: 30, properties: 'not-two-three' }, options: { maxStates: 13 } },
  { name: 'counters', parameters: { maxX: 20, maxY: 20, selfLoop: 'yes', properties: 'terminal-never' }, options: { maxStates: 440 } },
  { name: 'counters', parameters: { maxX: 3, maxY: 3 }, options: { maxDepth: 3 } },
  { name: 'counters', parameters: { maxX: 3, maxY: 3 }, options: { maxDepth: 7 } },
  // A state that cannot be decoded in the level at the depth limit: the run's error, as when the
  // sequential explorer decodes it to check it.
  { name: 'counters', parameters: { maxX: 6, maxY: 6, fault: 'decode-throws' }, options: { maxDepth: 4 } },
  // Depth limits that cut nothing off (the full run's result), or only a terminal state that fails.
  { name: 'counters', parameters: { maxX: 3, maxY: 3, selfLoop: 'yes' }, options: { maxDepth: 7 } },
  { name: 'counters', parameters: { maxX: 3, maxY: 3, selfLoop: 'yes', properties: 'terminal-never' }, options: { maxDepth: 7 } },
  { name: 'counters', parameters: { maxX: 3, maxY: 3, selfLoop: 'yes', properties: 'terminal-never' }, options: { maxDepth: 6 } },
  { name: 'counters', parameters: { maxX: 5, maxY: 5, properties: 'never-sometimes' }, options: { maxDepth: 11 } },
  { name: 'stopping', parameters: { property: 'done' }, options: { maxDepth: 4 } },
  { name: 'stopping', parameters: { property: 'done' }, options: { maxDepth: 3 } },
  { name: 'cycle', parameters: { size: 7 }, options: { maxDepth: 7 } },
  // The model throws at the one state at the limit, as it probes it.
  { name: 'counters', parameters: { maxX: 2, maxY: 1, fault: 'next-throws' }, options: { maxDepth: 4 } },
];

describe('exploreParallel with a worker thread joining after every number of states from 1 to 40 agrees exactly with the sequential explorer', () => {
  let pool: WorkerPool;
  beforeAll(() => {
    pool = WorkerPool.start(1);
  });
  afterAll(async () => {
    await pool.close();
  });

  const sweep: readonly { name: ToyName; parameters: Record<string, string | number>; options?: ExploreOptions }[] = [
    { name: 'counters', parameters: { maxX: 6, maxY: 6 } },
    { name: 'counters', parameters: { maxX: 6, maxY: 6, properties: 'not-two-three' } },
    { name: 'counters', parameters: { maxX: 6, maxY: 6, properties: 'sometimes' } },
    { name: 'counters', parameters: { maxX: 5, maxY: 5, selfLoop: 'yes', properties: 'terminal-never' } },
    { name: 'counters', parameters: { maxX: 6, maxY: 6, fault: 'next-throws' } },
    { name: 'counters', parameters: { maxX: 6, maxY: 6, fault: 'decode-throws' } },
    { name: 'counters', parameters: { maxX: 6, maxY: 6 }, options: { maxStates: 30 } },
    { name: 'counters', parameters: { maxX: 6, maxY: 6 }, options: { maxDepth: 6 } },
    { name: 'counters', parameters: { maxX: 6, maxY: 6 }, options: { maxDepth: 13 } },
    { name: 'counters', parameters: { maxX: 5, maxY: 5, selfLoop: 'yes', properties: 'terminal-never' }, options: { maxDepth: 11 } },
    // A level 50 times wider than the one before: the visited set fills within a level.
    { name: 'fan', parameters: { roots: 3, width: 4, fanout: 50 } },
  ];
  for (const { name, parameters, options } of sweep) {
    it(`${name} ${JSON.stringify(parameters)}${options ? ` ${JSON.stringify(options)}` : ''}`, async () => {
      const spec = toys[name] as unknown as AnySpec;
      const resolved = resolveParameters(spec.parameters, parameters);
      const { result: sequential } = await exploreBreadthFirst(spec.build(resolved), options);
      const source = { specPath: TOYS, exportName: name, parameters: resolved };
      const differing: number[] = [];
      for (let startWorkersAtState = 1; startWorkersAtState <= 40; startWorkersAtState++) {
        const { result } = await exploreParallel(spec.build(resolved), { ...options, pool, source, startWorkersAtState, waitForWorkers: true, maxUnitStates: 3 });
        if (JSON.stringify(comparable(result)) !== JSON.stringify(comparable(sequential))) differing.push(startWorkersAtState);
      }
      expect(differing).toEqual([]);
    });
  }
});

for (const threads of [2, 3]) {
  describe(`exploreParallel with ${threads - 1} worker thread${threads > 2 ? 's' : ''} agrees exactly with the sequential explorer`, () => {
    let pool: WorkerPool;
    beforeAll(() => {
      pool = WorkerPool.start(threads - 1);
    });
    afterAll(async () => {
      await pool.close();
    });

    for (const { name, parameters, options } of CASES) {
      // From the first level, or joining a run under way: at a level's end or within a level.
      for (const startWorkersAtState of [undefined, 1, 5, 23]) {
        const label = `${name} ${JSON.stringify(parameters)}${options ? ` ${JSON.stringify(options)}` : ''}${joinLabel(startWorkersAtState)}`;
        it(label, async () => {
          const joining = startWorkersAtState === undefined ? {} : { startWorkersAtState, waitForWorkers: true };
          const { sequential, parallel } = await bothWays(name, parameters, pool, { ...options, ...joining });
          expect(comparable(parallel)).toEqual(comparable(sequential));
          expect(parallel.statistics.workers).toBe(threads);
        });
      }
    }

    it('a depth limit makes the run incomplete only when it cut something off, and checks terminal states at the limit', async () => {
      const withThreads = { waitForWorkers: true, startWorkersAtState: 1 } as ExploreOptions;
      const statusOf = async (name: ToyName, parameters: Record<string, string | number>, maxDepth: number) => {
        const { sequential, parallel } = await bothWays(name, parameters, pool, { ...withThreads, maxDepth });
        expect(comparable(parallel)).toEqual(comparable(sequential));
        return [parallel.status, parallel.incompleteReason, parallel.violation?.property];
      };
      const terminalNever = { maxX: 3, maxY: 3, selfLoop: 'yes', properties: 'terminal-never' };
      expect(await statusOf('counters', terminalNever, 7)).toEqual(['violation', undefined, 'Never']);
      expect(await statusOf('counters', terminalNever, 6)).toEqual(['incomplete', 'max-depth', undefined]);
      expect(await statusOf('counters', { maxX: 3, maxY: 3 }, 7)).toEqual(['ok', undefined, undefined]);
      expect(await statusOf('stopping', { property: 'done' }, 4)).toEqual(['violation', undefined, 'TerminalIsDone']);
      // A terminal state at the limit, after one whose successor the limit cut off, is still judged.
      expect(await statusOf('stopping', { property: 'unfinished' }, 3)).toEqual(['violation', undefined, 'NeverFinished']);
      expect(await statusOf('stopping', { property: 'unfinished' }, 2)).toEqual(['incomplete', 'max-depth', undefined]);
      // Behind a cut-off, a state whose other successors were all found before is still not terminal.
      expect(await statusOf('stopping', { property: 'unfinished', reset: 'yes' }, 3)).toEqual(['incomplete', 'max-depth', undefined]);
      expect(await statusOf('stopping', { property: 'unfinished', reset: 'yes' }, 4)).toEqual(['ok', undefined, undefined]);
    });

    it('the worker threads take part when they join a run under way', async () => {
      const { sequential, parallel } = await bothWays('counters', { maxX: 300, maxY: 300 }, pool, {
        maxUnitStates: 16,
        startWorkersAtState: 5000,
        waitForWorkers: true,
      } as ExploreOptions);
      expect(parallel.statistics.distinctStates).toBe(301 * 301);
      expect(comparable(parallel)).toEqual(comparable(sequential));
      expect(parallel.statistics.workersUsed).toBeGreaterThan(1);
    });

    it('the worker threads take part', async () => {
      const { parallel } = await bothWays('counters', { maxX: 300, maxY: 300 }, pool, { maxUnitStates: 16 } as ExploreOptions);
      expect(parallel.statistics.distinctStates).toBe(301 * 301);
      expect(parallel.statistics.workersUsed).toBeGreaterThan(1);
    });

    it('the worker threads help grow a large visited set, between levels and mid-level', async () => {
      // From 2^16 slots, the smallest the threads help with: counters grows it between levels as
      // its levels add up (wrapping around, its states lead back to states of early levels, which
      // an entry lost in a growth would count again); fan's third level (96,000 states after 48)
      // fills it mid-level.
      const options = { maxUnitStates: 64, initialCapacity: 1 << 16 } as ExploreOptions;
      const beforeCounters = pool.partsMoved;
      const counters = await bothWays('counters', { maxX: 400, maxY: 300, wrap: 'yes' }, pool, options);
      expect(counters.parallel.statistics.distinctStates).toBe(401 * 301);
      expect(counters.parallel.statistics.transitions).toBe(2 * 401 * 301);
      expect(comparable(counters.parallel)).toEqual(comparable(counters.sequential));
      expect(pool.partsMoved).toBeGreaterThanOrEqual(beforeCounters + threads - 1);
      const beforeFan = pool.partsMoved;
      const fan = await bothWays('fan', { width: 48, fanout: 2000 }, pool, options);
      expect(fan.parallel.statistics.distinctStates).toBe(1 + 48 + 96_000);
      expect(comparable(fan.parallel)).toEqual(comparable(fan.sequential));
      expect(pool.partsMoved).toBeGreaterThanOrEqual(beforeFan + threads - 1);
    });

    it('keeps a unit\'s candidates in several chunks, in order', async () => {
      // A unit of 8 children finds 64,000 leaves, 10 words each: 640,000 words, about ten chunks
      // of 65,536; units of 2 to 4 children, four or five.
      for (const maxUnitStates of [8, 4, 2]) {
        const { sequential, parallel } = await bothWays('fan', { width: 8, fanout: 8000 }, pool, { maxUnitStates } as ExploreOptions);
        expect(sequential.statistics.distinctStates).toBe(1 + 8 + 64_000);
        expect(comparable(parallel)).toEqual(comparable(sequential));
      }
    });

    it('grows the shared visited set mid-level after handing back buffers of the level, and runs the unfinished units again', async () => {
      // Level 2 (64 children of 8 roots) lies in 4 buffers, one per unit of level 1; level 3 (64,000
      // leaves) fills 65,536 slots after its first 10 or more units were committed and the first
      // buffer handed back: the units run again read only buffers still held.
      const options = { maxUnitStates: 2, initialCapacity: 1 << 16 } as ExploreOptions;
      const { sequential, parallel } = await bothWays('fan', { roots: 8, width: 8, fanout: 1000 }, pool, options);
      expect(sequential.statistics.distinctStates).toBe(8 + 64 + 64_000);
      expect(comparable(parallel)).toEqual(comparable(sequential));
    });

    it('makes a level\'s units no more than its claims tell apart (16 in 2^16 slots), and agrees exactly', async () => {
      // Levels of up to 151 states, one state a unit: the units past the 16th of a level take more.
      const options = { maxUnitStates: 1, initialCapacity: 1 << 16 } as ExploreOptions;
      for (const properties of ['in-range', 'sometimes']) {
        const { sequential, parallel } = await bothWays('counters', { maxX: 200, maxY: 150, properties }, pool, options);
        expect(sequential.statistics.distinctStates).toBe(201 * 151);
        expect(comparable(parallel)).toEqual(comparable(sequential));
      }
    });

    it('grows the shared visited set mid-level and runs the unfinished units again', async () => {
      // Level 3 holds 64,000 states, level 2 only 8: the set, sized from the levels before, fills
      // up during level 3 (at 85% of 65,536 slots); the finished units are kept, the rest run again.
      const options = { maxUnitStates: 1, initialCapacity: 1 << 16 } as ExploreOptions;
      const { sequential, parallel } = await bothWays('fan', { width: 8, fanout: 8000 }, pool, options);
      expect(sequential.statistics.distinctStates).toBe(1 + 8 + 64_000);
      expect(comparable(parallel)).toEqual(comparable(sequential));
    });

    it('moves the lone thread\'s visited set into the shared one mid-level, and keeps what it held through a growth that drops claims', async () => {
      // The children share 60,000 leaves: threads join after the first child, and most leaves found
      // before are found again after, by later children, once the set has filled and grown
      // mid-level, dropping the claims of the units not committed (not the entries moved in).
      for (const waitForWorkers of [true, false]) {
        const options = { maxUnitStates: 1, initialCapacity: 1 << 16, startWorkersAtState: 3, waitForWorkers } as ExploreOptions;
        const { sequential, parallel } = await bothWays('fan', { roots: 2, width: 8, fanout: 8000, leaves: 60_000 }, pool, options);
        expect(sequential.statistics.distinctStates).toBe(2 + 16 + 60_000);
        expect(comparable(parallel)).toEqual(comparable(sequential));
      }
    });
  });
}

describe('exploreParallel without worker threads', () => {
  it('grows the visited set mid-level on the main thread too', async () => {
    const spec = toys.fan as unknown as AnySpec;
    const parameters = resolveParameters(spec.parameters, { width: 8, fanout: 8000 });
    const sequential = await exploreBreadthFirst(spec.build(parameters));
    for (const scrambleUnits of [false, true]) {
      const parallel = await exploreParallel(spec.build(parameters), { workers: 1, maxUnitStates: 1, initialCapacity: 1 << 16, scrambleUnits });
      expect(comparable(parallel.result)).toEqual(comparable(sequential.result));
    }
  });

  it('with scrambled units of one state, makes a level\'s units no more than its claims tell apart, and agrees exactly', async () => {
    const spec = toys.counters as unknown as AnySpec;
    for (const properties of ['in-range', 'two-bad-diagonals']) {
      const parameters = resolveParameters(spec.parameters, { maxX: 200, maxY: 150, properties });
      const sequential = await exploreBreadthFirst(spec.build(parameters));
      const parallel = await exploreParallel(spec.build(parameters), { workers: 1, maxUnitStates: 1, initialCapacity: 1 << 16, scrambleUnits: true });
      expect(comparable(parallel.result)).toEqual(comparable(sequential.result));
    }
  });

  it('settles the claims of a level as it expands its states, and writes no slot it has no claim in', async () => {
    // With wrap-around at an odd size a state leads back to one of a level of the same parity as
    // the states it finds: unsettled, that state's claim would read as one of this level, and a
    // smaller unit would take it for new. Several initial states, added with no claim, are
    // expanded too.
    const spec = toys.counters as unknown as AnySpec;
    for (const initial of ['origin', 'corner-too']) {
      const parameters = resolveParameters(spec.parameters, { maxX: 201, maxY: 151, wrap: 'yes', initial });
      const sequential = await exploreBreadthFirst(spec.build(parameters));
      expect(sequential.result.statistics.distinctStates).toBe(202 * 152);
      const parallel = await exploreParallel(spec.build(parameters), { workers: 1, maxUnitStates: 4, initialCapacity: 1 << 18, scrambleUnits: true });
      expect(comparable(parallel.result)).toEqual(comparable(sequential.result));
      // A tag written where there was no entry (a stale or made-up slot) would be one more entry
      // to move: a growth counts the entries it moves.
      const visited = parallel.visited as SharedFingerprintSet;
      visited.rehash(visited.capacity * 2);
      expect(visited.size).toBe(202 * 152);
    }
  });

  it('grows the shared set for claims where a level needs more units than it tells apart, rather than make units long', async () => {
    // Before 16 states are expanded a unit is 64 states: 2,000 children make 32 units, 64 with
    // room for the level's small last units, more than the 16 a table of 2^16 slots tells apart.
    const spec = toys.fan as unknown as AnySpec;
    const parameters = resolveParameters(spec.parameters, { roots: 2, width: 1000, fanout: 1 });
    const sequential = await exploreBreadthFirst(spec.build(parameters));
    const parallel = await exploreParallel(spec.build(parameters), { workers: 1, initialCapacity: 1 << 16, scrambleUnits: true });
    expect(comparable(parallel.result)).toEqual(comparable(sequential.result));
    expect((parallel.visited as SharedFingerprintSet).capacity).toBe(1 << 18);
    expect((parallel.visited as SharedFingerprintSet).claimLimit).toBe(64);
  });

  it('agrees exactly on a layered graph with edges back to every level, whose widest level fills the set mid-level', async () => {
    // Units run again after the set grew mid-level: their states' claims were settled by the
    // growth, and their slots moved, so they must not settle them again.
    const layers = [1, 8, 64, 60_000, 5000, 30_000];
    const starts = layers.map((_, layer) => layers.slice(0, layer).reduce((sum, size) => sum + size, 0));
    const total = layers.reduce((sum, size) => sum + size, 0);
    const pick = (state: number, edge: number, range: number) => ((Math.imul(state + 1, 0x9e3779b1) ^ Math.imul(edge + 7, 0x85ebca6b)) >>> 0) % range;
    const layerOf = (state: number) => {
      let layer = 0;
      while (layer + 1 < layers.length && starts[layer + 1]! <= state) layer++;
      return layer;
    };
    const successorsOf = (state: number): number[] => {
      const layer = layerOf(state);
      const next: number[] = [];
      if (layer + 1 < layers.length) {
        for (let edge = 0; edge < 3; edge++) next.push(starts[layer + 1]! + pick(state, edge, layers[layer + 1]!));
        // Every state of the next layer has a parent here.
        for (let child = state - starts[layer]!; child < layers[layer + 1]!; child += layers[layer]!) next.push(starts[layer + 1]! + child);
      }
      next.push(pick(state, 99, total));
      return next;
    };
    const model: Model<number, number> = {
      name: 'layered',
      initialStates: () => [0],
      actions: (state, out) => {
        successorsOf(state).forEach((_, index) => out.push(index));
      },
      nextState: (state, action) => successorsOf(state)[action]!,
      encode: (state, out) => out.push(state),
      decode: (input) => input.next(),
      properties: [],
    };
    const sequential = await exploreBreadthFirst(model);
    for (const maxUnitStates of [1, 64]) {
      const parallel = await exploreParallel(model, { workers: 1, scrambleUnits: true, initialCapacity: 1 << 16, maxUnitStates });
      expect(comparable(parallel.result)).toEqual(comparable(sequential.result));
      let differ = 0;
      for (let record = 0; record < sequential.traces.size; record++) {
        if (sequential.traces.parentOf(record) !== parallel.traces.parentOf(record) || sequential.traces.actionIndexOf(record) !== parallel.traces.actionIndexOf(record)) differ++;
      }
      expect(differ).toBe(0);
      const visited = parallel.visited as SharedFingerprintSet;
      visited.rehash(visited.capacity * 2);
      expect(visited.size).toBe(sequential.result.statistics.distinctStates);
    }
  });

  it('keeps states whose encodings are longer than a chunk, encoded in place', async () => {
    // A model that fingerprints its states itself, so new successors are encoded straight into
    // the frontier: 70,000 words a state, more than a chunk of 65,536, so the first successor
    // outgrows its chunk while being written and moves to a buffer of its own. decode checks every
    // word, so a state damaged in the move throws.
    const WORDS = 70_000;
    const wordOf = (n: number, i: number) => Math.imul(n + 1, 0x9e3779b1) ^ i;
    const halves = (n: number, out: { high: number; low: number }) => {
      out.high = (n + 1) >>> 0;
      out.low = (Math.imul(n, 0x85ebca6b) | 1) >>> 0;
    };
    const model: Model<number, number> = {
      name: 'long states',
      initialStates: () => [0],
      actions: (n, out) => {
        if (n < 30) out.push(1, 2);
      },
      nextState: (n, step) => n + step,
      encode: (n, out) => {
        out.push(n);
        for (let i = 0; i < WORDS; i++) out.push(wordOf(n, i));
      },
      decode: (input) => {
        const n = input.next();
        for (let i = 0; i < WORDS; i++) if (input.next() !== wordOf(n, i)) throw new Error(`state ${n} damaged at word ${i}`);
        return n;
      },
      fingerprint: (n, out) => halves(n, out),
      fingerprintSuccessors: (n, steps, out) => {
        const successor = { high: 0, low: 0 };
        steps.forEach((step, index) => {
          halves(n + step, successor);
          out.high[index] = successor.high;
          out.low[index] = successor.low;
        });
      },
      properties: [{ name: 'Small', kind: 'always', holds: (n) => n <= 31 }],
    };
    const sequential = await exploreBreadthFirst(model);
    expect(sequential.result.status).toBe('ok');
    expect(sequential.result.statistics.distinctStates).toBe(32);
    const parallel = await exploreParallel(model, { workers: 1, maxUnitStates: 1 });
    expect(comparable(parallel.result)).toEqual(comparable(sequential.result));
  });

  it('with no source to build models from, runs on the main thread and says so', async () => {
    const { result } = await exploreParallel(countersModel({ maxX: 50, maxY: 50 }), { workers: 4, waitForWorkers: true });
    expect(result.statistics.distinctStates).toBe(51 * 51);
    expect(result.statistics.workers).toBe(4);
    expect(result.statistics.workersUsed).toBe(1);
  });

  it('a run that goes on starts threads itself, which join it, with the sequential explorer\'s exact result', async () => {
    const spec = toys.counters as unknown as AnySpec;
    const parameters = resolveParameters(spec.parameters, { maxX: 150, maxY: 120, properties: 'sometimes' });
    const { result: expected } = await exploreBreadthFirst(spec.build(parameters));
    const source = { specPath: TOYS, exportName: 'counters', parameters };
    // Past its start time from the first level on: the threads start at once, and join when ready.
    // (Levels of at most 270 states here: threads start on any width.)
    const { result: atOnce } = await exploreParallel(spec.build(parameters), { workers: 2, startWorkersAfterSeconds: 0, minimumLevelForThreads: 0, source });
    expect(comparable(atOnce)).toEqual(comparable(expected));
    expect(atOnce.statistics.workers).toBe(2);
    // Past it at a pause within a level (pauses come about every 50 ms, and this run of 1,400
    // levels lasts about 0.3 s): the threads start there and join when ready.
    const longer = resolveParameters(spec.parameters, { maxX: 800, maxY: 600, properties: 'sometimes' });
    const { result: longerExpected } = await exploreBreadthFirst(spec.build(longer));
    const { result: byTime } = await exploreParallel(spec.build(longer), {
      workers: 2,
      startWorkersAfterSeconds: 0.05,
      minimumLevelForThreads: 0,
      source: { ...source, parameters: longer },
    });
    expect(comparable(byTime)).toEqual(comparable(longerExpected));
    expect(byTime.statistics.seconds).toBeGreaterThan(0.15);
    // By default threads do not start on levels this narrow (of at most 601 states), where sharing
    // each level costs more than it saves.
    const { result: narrow } = await exploreParallel(spec.build(longer), { workers: 2, startWorkersAfterSeconds: 0.05, source: { ...source, parameters: longer } });
    expect(comparable(narrow)).toEqual(comparable(longerExpected));
    expect(narrow.statistics).toMatchObject({ workersUsed: 1, soloReason: 'narrow' });
    // Started after 2,000 states, then waiting for the threads, which take part.
    const { result: waited } = await exploreParallel(spec.build(parameters), {
      workers: 2,
      startWorkersAtState: 2000,
      waitForWorkers: true,
      maxUnitStates: 8,
      source,
    });
    expect(comparable(waited)).toEqual(comparable(expected));
    expect(waited.statistics.workersUsed).toBe(2);
    expect(waited.statistics.soloReason).toBeUndefined();
  });

  it('stops at Ctrl-C or its time limit while a worker thread\'s unit never comes back, with the statistics so far', async () => {
    // The threads loop at every state from level 21 on (x + y >= 20); the main thread does not.
    const spec = toys.counters as unknown as AnySpec;
    const parameters = resolveParameters(spec.parameters, { maxX: 40, maxY: 40, fault: 'loops-in-threads' });
    const source = { specPath: TOYS, exportName: 'counters', parameters };
    const common = { workers: 2, startWorkersAtState: 1, waitForWorkers: true, maxUnitStates: 2, source };
    const limited = await exploreParallel(spec.build(parameters), { ...common, maxSeconds: 1 });
    const interruption = new AbortController();
    setTimeout(() => interruption.abort(), 500);
    const interrupted = await exploreParallel(spec.build(parameters), { ...common, signal: interruption.signal });
    for (const [run, reason] of [[limited, 'max-seconds'], [interrupted, 'interrupted']] as const) {
      expect(run.result.status).toBe('incomplete');
      expect(run.result.incompleteReason).toBe(reason);
      expect(run.result.statistics.depth).toBeGreaterThanOrEqual(20);
      expect(run.result.statistics.distinctStates).toBeLessThan(41 * 41);
    }
  });

  it('sizes units by time, so that a model slow per state still stops near its --max-seconds', async () => {
    // One root, 5,000 children whose one step each takes half a millisecond: 2.5 s in one unit of
    // the usual size (8,192 states at most), which a time limit could not cut.
    const slowStep = (): void => {
      const until = performance.now() + 0.5;
      while (performance.now() < until);
    };
    const model: Model<number, number> = {
      name: 'slow-children',
      initialStates: () => [0],
      actions: (state, out) => {
        if (state === 0) for (let child = 1; child <= 5000; child++) out.push(child);
        else if (state <= 5000) out.push(state + 5000);
      },
      nextState: (state, action) => {
        if (state !== 0) slowStep();
        return action;
      },
      encode: (state, out) => out.push(state),
      decode: (input) => input.next(),
      properties: [],
    };
    const { result } = await exploreParallel(model, { workers: 2, maxSeconds: 0.5 });
    expect(result.status).toBe('incomplete');
    expect(result.incompleteReason).toBe('max-seconds');
    expect(result.statistics.distinctStates).toBeLessThan(10_001);
    expect(result.statistics.seconds).toBeLessThan(1.5);
  });

  it('a small run never starts its threads', async () => {
    const spec = toys.counters as unknown as AnySpec;
    const parameters = resolveParameters(spec.parameters, { maxX: 20, maxY: 20 });
    const { result } = await exploreParallel(spec.build(parameters), {
      workers: 2,
      source: { specPath: TOYS, exportName: 'counters', parameters },
    });
    expect(result.statistics.distinctStates).toBe(21 * 21);
    expect(result.statistics.workersUsed).toBe(1);
  });

  it('keeps the visited set of the sequential explorer until threads join, and the shared one after', async () => {
    const spec = toys.counters as unknown as AnySpec;
    const parameters = resolveParameters(spec.parameters, { maxX: 150, maxY: 120 });
    const { result: sequential, visited } = await exploreBreadthFirst(spec.build(parameters));
    const source = { specPath: TOYS, exportName: 'counters', parameters };
    const alone = await exploreParallel(spec.build(parameters), { workers: 2, source, startWorkersAfterSeconds: 1000 });
    expect(alone.result.statistics.workersUsed).toBe(1);
    expect(alone.visited.approximateBytes()).toBe(visited.approximateBytes());
    expect(alone.result.statistics.storeBytes).toBe(sequential.statistics.storeBytes);
    const joined = await exploreParallel(spec.build(parameters), { workers: 2, startWorkersAtState: 2000, waitForWorkers: true, source });
    expect(joined.result.statistics.workersUsed).toBe(2);
    expect(joined.visited).toBeInstanceOf(SharedFingerprintSet);
    expect(joined.visited.size).toBe(151 * 121);
    expect(comparable(joined.result)).toEqual(comparable(sequential));
  });

  it('does not start threads, nor move its visited set, once the unit that would start them has ended the run', async () => {
    // The run stops at record 18 (x = 2, y = 3), in the unit that reaches state 19, the one to
    // start threads at.
    const spec = toys.counters as unknown as AnySpec;
    const parameters = resolveParameters(spec.parameters, { maxX: 30, maxY: 30, properties: 'not-two-three' });
    const { result: sequential, visited } = await exploreBreadthFirst(spec.build(parameters));
    expect(sequential.status).toBe('violation');
    const source = { specPath: TOYS, exportName: 'counters', parameters };
    const run = await exploreParallel(spec.build(parameters), { workers: 2, source, maxUnitStates: 1, startWorkersAtState: 19 });
    expect(comparable(run.result)).toEqual(comparable(sequential));
    expect(run.result.statistics.workersUsed).toBe(1);
    expect(run.visited.approximateBytes()).toBe(visited.approximateBytes());
  });

  it('stays on one thread, with the lone thread\'s set, when moving it to the shared set would pass --max-memory', async () => {
    const spec = toys.counters as unknown as AnySpec;
    const parameters = resolveParameters(spec.parameters, { maxX: 150, maxY: 120 });
    const source = { specPath: TOYS, exportName: 'counters', parameters };
    // A shared set of 2^22 slots (48 MiB) would not fit in the 16 MiB left.
    const maxMemoryBytes = process.memoryUsage.rss() + 16 * 1024 * 1024;
    const run = await exploreParallel(spec.build(parameters), {
      workers: 2,
      source,
      startWorkersAtState: 100,
      waitForWorkers: true,
      initialCapacity: 1 << 22,
      maxMemoryBytes,
    });
    expect(run.result.statistics).toMatchObject({ workersUsed: 1, soloReason: 'memory' });
    expect(run.visited).not.toBeInstanceOf(SharedFingerprintSet);
    expect(run.result.status === 'ok' || run.result.incompleteReason === 'max-memory').toBe(true);
  });

  it('stops where the sequential explorer does when a property tells a state from its representative, in a worker thread too', async () => {
    const specPath = fileURLToPath(new URL('../../e2e/fixtures/undeclared-asymmetry.ts', import.meta.url));
    const spec = (await import(specPath)).default as AnySpec;
    const parameters = resolveParameters(spec.parameters, { size: 30 });
    const sequential = await checkModel(spec.build(parameters), { symmetry: ['counters'], workers: 1 });
    expect(sequential.result.status).toBe('error');
    expect(sequential.result.error).toMatchObject({
      code: 'model-contract',
      message: expect.stringMatching(/^the property FirstBelowSize tells the counters apart: it fails on a state and holds on its representative; /),
      depth: 59,
    });
    let workerTookPart = false;
    for (let round = 0; round < 4; round++) {
      // Units of two states: the worker thread expands about half of each level's.
      const parallel = await checkModelWithTuning(spec.build(parameters), { symmetry: ['counters'], workers: 2, source: { specPath, parameters } }, { waitForWorkers: true, maxUnitStates: 2 });
      const { symmetry: _one, ...reduced } = comparable(parallel.result);
      const { symmetry: _other, ...expected } = comparable(sequential.result);
      expect(reduced).toEqual(expected);
      workerTookPart ||= (parallel.result.statistics.workersUsed ?? 1) > 1;
    }
    expect(workerTookPart).toBe(true);
  });

  it('reports an error in a step or a property, and the trace to its state, as one worker does, in a worker thread too', async () => {
    const specPath = fileURLToPath(new URL('../../e2e/fixtures/throws-far-out.ts', import.meta.url));
    const spec = (await import(specPath)).default as AnySpec;
    for (const where of ['step', 'check']) {
      const parameters = resolveParameters(spec.parameters, { size: 30, where });
      const sequential = await checkModel(spec.build(parameters), { workers: 1 });
      expect(sequential.result.status).toBe('error');
      // (29,29) raises the first counter; the property throws on (30,29), one step past (29,29).
      const last = sequential.errorTrace!.steps.at(-1)!.state;
      expect(last).toEqual(where === 'step' ? [29, 29] : [30, 29]);
      expect(sequential.errorTrace!.steps).toHaveLength(where === 'step' ? 59 : 60);
      let workerTookPart = false;
      for (let round = 0; round < 3; round++) {
        // Units of two states: the worker thread expands about half of each level's.
        const parallel = await checkModelWithTuning(spec.build(parameters), { workers: 2, source: { specPath, parameters } }, { waitForWorkers: true, maxUnitStates: 2 });
        expect(comparable(parallel.result)).toEqual(comparable(sequential.result));
        expect(parallel.errorTrace?.token).toBe(sequential.errorTrace!.token);
        workerTookPart ||= (parallel.result.statistics.workersUsed ?? 1) > 1;
      }
      expect(workerTookPart).toBe(true);
    }
  });

  it("places an error a worker thread reports in the spec's file, through the bundle's source map", async () => {
    const specPath = fileURLToPath(new URL('../../e2e/fixtures/throws-far-out.ts', import.meta.url));
    const spec = (await import(specPath)).default as AnySpec;
    const parameters = resolveParameters(spec.parameters, { size: 30, where: 'thread' });
    // Only a thread throws there: the main thread alone explores the whole space.
    const sequential = await checkModel(spec.build(parameters), { workers: 1 });
    expect(sequential.result.status).toBe('ok');
    const lines = readFileSync(specPath, 'utf8').split('\n');
    const line = lines.findIndex((text) => text.includes("throw new Error('far out in a thread')"));
    const column = lines[line]!.indexOf("new Error('far out in a thread')") + 1;
    const { result } = await checkModelWithTuning(spec.build(parameters), { workers: 2, source: { specPath, parameters } }, { waitForWorkers: true, maxUnitStates: 2 });
    expect(result.status).toBe('error');
    expect(result.error!.message).toMatch(
      new RegExp(`^far out in a thread at test/e2e/fixtures/throws-far-out\\.ts:${line + 1}:${column} \\(in action increment counter \\d, expanding a state at depth \\d+\\)$`),
    );
  });

  it('leaves out threads whose model, built from the source, is not the one checked (other parameters), with the reason', async () => {
    const paxos = (await import('../../../specs/paxos.ts')).default as unknown as AnySpec;
    const checked = resolveParameters(paxos.parameters, { learners: 0 });
    const { result: expected } = await checkModel(paxos.build(checked), { workers: 1 });
    // One proposer, not two: the threads' model has other initial states.
    const source = { specPath: fileURLToPath(new URL('../../../specs/paxos.ts', import.meta.url)), parameters: { ...checked, proposers: 1 } };
    const { result } = await checkModelWithTuning(paxos.build(checked), { workers: 2, source }, { startWorkersAtState: 100, waitForWorkers: true });
    expect(comparable(result)).toEqual(comparable(expected));
    expect(result.statistics).toMatchObject({ distinctStates: 4761, workersUsed: 1, soloReason: 'no threads' });
    // Another network, or more rounds: the same initial states, other first steps.
    for (const other of [{ network: 'dup' }, { rounds: 2 }, { ignored: 'consume' }] as Record<string, string | number>[]) {
      const differing = { ...source, parameters: resolveParameters(paxos.parameters, { ...checked, ...other }) };
      expect(modelSignature(paxos.build(differing.parameters) as never).slice(0, 2)).toEqual(modelSignature(paxos.build(checked) as never).slice(0, 2));
      // Reduced, the base model is compared: canonicalising every successor could take seconds.
      expect(modelSignature(new SymmetryReduction(paxos.build(checked), ['acceptors']) as never)).toEqual(modelSignature(paxos.build(checked) as never));
      const { result: solo } = await checkModelWithTuning(paxos.build(checked), { workers: 2, source: differing }, { startWorkersAtState: 100, waitForWorkers: true });
      expect({ other, ...comparable(solo) }).toEqual({ other, ...comparable(expected) });
      expect(solo.statistics).toMatchObject({ distinctStates: 4761, workersUsed: 1, soloReason: 'no threads' });
    }
  });

  it("reduces in the threads by checkModel's symmetry, not by a symmetry the source names", async () => {
    const paxos = (await import('../../../specs/paxos.ts')).default as unknown as AnySpec;
    const parameters = resolveParameters(paxos.parameters, { learners: 0 });
    const source = { specPath: fileURLToPath(new URL('../../../specs/paxos.ts', import.meta.url)), parameters, symmetry: ['acceptors'] };
    const one = await checkModel(paxos.build(parameters), { workers: 1 });
    const two = await checkModelWithTuning(paxos.build(parameters), { workers: 2, source }, { startWorkersAtState: 100, waitForWorkers: true });
    expect(one.result.statistics.distinctStates).toBe(4761);
    expect(two.result.statistics).toMatchObject({ distinctStates: 4761, transitions: one.result.statistics.transitions, workersUsed: 2 });
  });

  it('with scrambled units keeps claims on one thread even when threads may join later', async () => {
    // Later units run first, so a state's first finder is not its smallest parent: without claims
    // the counterexample and the witnesses would go through other parents.
    const spec = toys.counters as unknown as AnySpec;
    for (const properties of ['not-two-three', 'sometimes']) {
      const parameters = resolveParameters(spec.parameters, { maxX: 30, maxY: 30, properties });
      const { result: sequential } = await exploreBreadthFirst(spec.build(parameters));
      const source = { specPath: TOYS, exportName: 'counters', parameters };
      const { result } = await exploreParallel(spec.build(parameters), {
        workers: 2,
        source,
        scrambleUnits: true,
        maxUnitStates: 1,
        startWorkersAfterSeconds: 1000,
      });
      expect(comparable(result)).toEqual(comparable(sequential));
    }
  });

  it('threads it starts itself load the model from a bundle of the spec, or through tsx when it cannot be bundled', async () => {
    const spec = toys.counters as unknown as AnySpec;
    const parameters = resolveParameters(spec.parameters, { maxX: 120, maxY: 100, properties: 'sometimes' });
    const { result: expected } = await exploreBreadthFirst(spec.build(parameters));
    const awaiting = fileURLToPath(new URL('../../toys/parallel-awaiting-spec.ts', import.meta.url));
    for (const source of [
      { specPath: TOYS, exportName: 'counters', parameters },
      { specPath: awaiting, parameters },
    ]) {
      const { result } = await exploreParallel(spec.build(parameters), { workers: 2, waitForWorkers: true, maxUnitStates: 8, source });
      expect(comparable(result)).toEqual(comparable(expected));
      expect(result.statistics.workersUsed).toBe(2);
    }
  });

  it('a spec that does not build in the threads leaves the run to the main thread', async () => {
    const spec = toys.counters as unknown as AnySpec;
    const parameters = resolveParameters(spec.parameters, { maxX: 60, maxY: 60 });
    const { result } = await exploreParallel(spec.build(parameters), {
      workers: 2,
      waitForWorkers: true,
      source: { specPath: TOYS, exportName: 'noSuchExport', parameters },
    });
    expect(result.status).toBe('ok');
    expect(result.statistics.distinctStates).toBe(61 * 61);
    expect(result.statistics.workersUsed).toBe(1);
  });
});

describe('WorkerPool', () => {
  it('moves parts of a growth of the visited set in its threads, and fails a growth it is closed during instead of hanging', async () => {
    const spec = toys.counters as unknown as AnySpec;
    const parameters = resolveParameters(spec.parameters, {});
    const source = { specPath: TOYS, exportName: 'counters', parameters };
    const pool = WorkerPool.start(2);
    try {
      const table = new SharedFingerprintSet(1 << 16);
      table.shared = true;
      for (let i = 1; i <= 40_000; i++) table.claim(i, Math.imul(i, 7919), i % 16);
      table.flush();
      pool.begin(source, table, [], modelSignature(spec.build(parameters) as never));
      await pool.settled();
      // In place: every part saves what the part below overwrites, then moves.
      const growth = table.beginGrowth(1 << 17, undefined, 3);
      expect(growth.phase).toBe('save');
      expect(await pool.moveParts(growth)).toHaveLength(2);
      moveEntries(growth, 0);
      const moving = movingPhase(growth);
      const theirs = await pool.moveParts(moving);
      expect(theirs).toHaveLength(2);
      table.finishGrowth(growth, [moveEntries(moving, 0), ...theirs]);
      expect(table.size).toBe(40_000);
      let missing = 0;
      for (let i = 1; i <= 40_000; i++) if (table.claimOf(i, Math.imul(i, 7919)) !== i % 16) missing++;
      expect(missing).toBe(0);
      const next = table.beginGrowth(1 << 18, undefined, 3);
      const failed = expect(pool.moveParts(next)).rejects.toThrow(/stopped/);
      await pool.close();
      await failed;
    } finally {
      await pool.close();
    }
    // A hang is the failure this guards against: fail in seconds, not at the suite's timeout.
  }, 20_000);
});
