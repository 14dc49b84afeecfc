/**
 * The engine against a naive explorer (naive-explorer.ts) on small configurations of every bundled
 * spec and bug: the same counts, depth and verdicts when every property holds, and the same
 * property and the same counterexample, step by step, when one fails. The golden tests pin counts
 * the engine found (and TLC's, for Paxos.tla); this checks them against code that shares nothing
 * with the engine but the spec. The sequential explorer is compared throughout, and the parallel
 * one, with a worker thread taking part from the first level, under every depth limit (elsewhere
 * it is compared with the sequential explorer on every bundled spec).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import type { AnyModel, AnySpec } from '../../src/model.ts';
import { resolveParameters } from '../../src/parameters.ts';
import { checkModel, checkModelWithTuning } from '../../src/check.ts';
import { WorkerPool } from '../../src/explore/worker-pool.ts';
import { countsOf, exploreNaively } from './naive-explorer.ts';
import paxos from '../../specs/paxos.ts';
import flexiblePaxos from '../../specs/flexible-paxos.ts';
import multiPaxos from '../../specs/multi-paxos.ts';
import paxosTla from '../../specs/paxos-tla.ts';
import ping from '../../specs/examples/ping.ts';
import amnesia from '../../specs/bugs/amnesia.ts';
import anyPromiseValue from '../../specs/bugs/any-promise-value.ts';
import minorityQuorum from '../../specs/bugs/minority-quorum.ts';
import multiPaxosNoAdopt from '../../specs/bugs/multi-paxos-no-adopt.ts';
import noPromiseCheck from '../../specs/bugs/no-promise-check.ts';
import paxosTlaAnyValue from '../../specs/bugs/paxos-tla-any-value.ts';
import sharedBallots from '../../specs/bugs/shared-ballots.ts';
import historyInvariant from '../e2e/fixtures/history-invariant.ts';

interface Case {
  readonly spec: AnySpec;
  readonly parameters: Record<string, string | number>;
  /** Properties to check by name (optional ones included); by default the spec's default ones. */
  readonly properties?: readonly string[];
  /** `unwitnessed`: every always and terminal property holds and some sometimes property is never witnessed. */
  readonly verdict: 'ok' | 'violation' | 'unwitnessed';
}

const CASES: readonly Case[] = [
  { spec: paxos, parameters: { proposers: 2, rounds: 1 }, verdict: 'ok' },
  { spec: paxos, parameters: { proposers: 2, rounds: 1, network: 'dup' }, verdict: 'ok' },
  { spec: paxos, parameters: { proposers: 1, rounds: 2, network: 'lossy', learners: 0 }, verdict: 'ok' },
  { spec: paxos, parameters: { proposers: 1, rounds: 1, crashes: 1 }, verdict: 'ok' },
  { spec: paxos, parameters: { proposers: 1, rounds: 1, ignored: 'consume', learners: 2 }, verdict: 'ok' },
  { spec: paxos, parameters: { acceptors: 2, proposers: 2, rounds: 1, learners: 0 }, verdict: 'ok' },
  { spec: paxos, parameters: { proposers: 2, rounds: 1, learners: 0 }, properties: ['decides'], verdict: 'ok' },
  { spec: paxos, parameters: { proposers: 1, rounds: 1, network: 'lossy', learners: 0 }, properties: ['decides'], verdict: 'violation' },
  // Properties that keep a history: the optional duel beside Agreement (not settled by its witness).
  { spec: paxos, parameters: { proposers: 2, rounds: 1, learners: 0 }, properties: ['Agreement', 'duel'], verdict: 'unwitnessed' },
  { spec: paxos, parameters: { proposers: 2, rounds: 2, learners: 0, acceptors: 2 }, properties: ['Agreement', 'duel'], verdict: 'ok' },
  { spec: historyInvariant, parameters: {}, verdict: 'violation' },
  { spec: historyInvariant, parameters: {}, properties: ['all'], verdict: 'violation' },
  { spec: flexiblePaxos, parameters: { proposers: 2, learners: 0 }, verdict: 'ok' },
  { spec: flexiblePaxos, parameters: { proposers: 2, learners: 0, q1: 2, q2: 1 }, verdict: 'violation' },
  { spec: multiPaxos, parameters: { proposers: 2, slots: 1 }, verdict: 'ok' },
  { spec: multiPaxos, parameters: { acceptors: 2, proposers: 1, rounds: 2, slots: 2 }, verdict: 'ok' },
  { spec: multiPaxos, parameters: { acceptors: 2, proposers: 2, slots: 1, learners: 1, network: 'lossy' }, verdict: 'ok' },
  { spec: multiPaxos, parameters: { acceptors: 3, proposers: 1, slots: 2, crashes: 1, ignored: 'consume' }, verdict: 'ok' },
  { spec: flexiblePaxos, parameters: { proposers: 1, rounds: 2, crashes: 1, network: 'dup' }, verdict: 'ok' },
  { spec: paxos, parameters: { proposers: 1, rounds: 2 }, verdict: 'ok' },
  { spec: paxos, parameters: { acceptors: 2, proposers: 2, rounds: 1, network: 'dup', ignored: 'consume' }, verdict: 'ok' },
  { spec: paxosTla, parameters: { maxBallot: 0 }, verdict: 'ok' },
  { spec: paxosTla, parameters: { maxBallot: 1, values: 1 }, verdict: 'ok' },
  { spec: ping, parameters: {}, verdict: 'ok' },
  { spec: ping, parameters: { network: 'lossy', pings: 3 }, verdict: 'ok' },
  { spec: amnesia, parameters: { proposers: 2, learners: 0 }, verdict: 'violation' },
  { spec: anyPromiseValue, parameters: { proposers: 3, learners: 0 }, verdict: 'violation' },
  { spec: minorityQuorum, parameters: { learners: 0 }, verdict: 'violation' },
  { spec: multiPaxosNoAdopt, parameters: {}, verdict: 'violation' },
  { spec: noPromiseCheck, parameters: { learners: 0 }, verdict: 'violation' },
  { spec: paxosTlaAnyValue, parameters: {}, verdict: 'violation' },
  { spec: sharedBallots, parameters: { learners: 0 }, verdict: 'violation' },
];

/**
 * The oracle's model, built apart from the engine's, and the properties the engine checked, taken
 * from it by name: the engine's own are wrapped to read the histories it tracks, which the oracle
 * tracks itself.
 */
function oracleModel(spec: AnySpec, parameters: ReturnType<typeof resolveParameters>, checked: AnyModel): [AnyModel, AnyModel['properties']] {
  const model = spec.build(parameters);
  const names = checked.properties.map((property) => property.name);
  return [model, names.map((name) => model.properties.find((property) => property.name === name)!)];
}

function labelOf({ spec, parameters, properties }: Omit<Case, 'verdict'>): string {
  return `${spec.name} ${JSON.stringify(parameters)}${properties ? ` --property ${properties.join(',')}` : ''}`;
}

describe('the engine agrees with a naive explorer', () => {
  for (const { spec, parameters, properties, verdict } of CASES) {
    it(`${labelOf({ spec, parameters, ...(properties ? { properties } : {}) })}: ${verdict}`, async () => {
      const resolved = resolveParameters(spec.parameters, parameters);
      const report = await checkModel(spec.build(resolved), properties ? { properties } : {});
      const naive = exploreNaively(...oracleModel(spec, resolved, report.model));
      const result = report.result;
      expect(result.status).toBe(verdict === 'unwitnessed' ? 'violation' : verdict);
      if (verdict !== 'violation') {
        expect(naive.violation).toBeUndefined();
        expect(countsOf(report)).toEqual(countsOf(naive));
        const witnessed = result.properties.filter((property) => property.kind === 'sometimes').map((property) => [property.name, property.witnessed]);
        expect(witnessed).toEqual(naive.witnessed);
        expect(naive.witnessed.every(([, seen]) => seen)).toBe(verdict === 'ok');
        return;
      }
      expect(naive.violation).toBeDefined();
      expect(result.violation?.property).toBe(naive.violation!.property);
      const path = report.counterexample!.path;
      expect([path.initial, ...path.actions]).toEqual(naive.violation!.path);
      expect(report.counterexample!.steps.length).toBe(naive.violation!.path.length);
      // The counts of the moment the run stopped.
      expect(countsOf(report)).toEqual(naive.violation!.moment);
    });
  }
});

/**
 * Every depth limit from 1 to one past the full depth: the limit's level is judged (terminal
 * properties included) and probed, and the run is incomplete only when the limit cut something off.
 */
const DEPTH_CASES: readonly (Omit<Case, 'verdict'> & { readonly file: string })[] = [
  { spec: paxos, file: 'specs/paxos.ts', parameters: { proposers: 1, rounds: 1, network: 'lossy', learners: 0 }, properties: ['decides'] },
  { spec: paxos, file: 'specs/paxos.ts', parameters: { proposers: 2, rounds: 1, learners: 0, acceptors: 2 }, properties: ['decides', 'Agreement'] },
  { spec: ping, file: 'specs/examples/ping.ts', parameters: { network: 'lossy' } },
  { spec: noPromiseCheck, file: 'specs/bugs/no-promise-check.ts', parameters: { learners: 0 } },
];

describe('the engine agrees with a naive explorer under every depth limit', () => {
  // One worker thread beside the main one, kept for the file so that each run does not start it.
  let pool: WorkerPool;
  beforeAll(() => {
    pool = WorkerPool.start(1);
  });
  afterAll(async () => {
    await pool.close();
  });

  for (const { spec, file, parameters, properties } of DEPTH_CASES) {
    it(`${labelOf({ spec, parameters, ...(properties ? { properties } : {}) })}, sequential and with two threads`, async () => {
      const resolved = resolveParameters(spec.parameters, parameters);
      const selected = properties ? { properties } : {};
      const source = { specPath: fileURLToPath(new URL(`../../${file}`, import.meta.url)), parameters: resolved };
      const full = await checkModel(spec.build(resolved), selected);
      const statuses = new Set<string>();
      for (let maxDepth = 1; maxDepth <= full.result.statistics.depth + 1; maxDepth++) {
        const sequential = await checkModel(spec.build(resolved), { maxDepth, ...selected });
        const parallel = await checkModelWithTuning(spec.build(resolved), { maxDepth, ...selected, workers: 2, source }, { pool, waitForWorkers: true });
        const naive = exploreNaively(...oracleModel(spec, resolved, sequential.model), { maxDepth });
        const status = naive.violation ? 'violation' : naive.cutOff ? 'incomplete' : 'ok';
        statuses.add(status);
        for (const [explorer, report] of [['sequential', sequential], ['parallel', parallel]] as const) {
          expect({ explorer, maxDepth, status: report.result.status }).toEqual({ explorer, maxDepth, status });
          if (naive.violation) {
            expect(report.result.violation?.property).toBe(naive.violation.property);
            const path = report.counterexample!.path;
            expect([path.initial, ...path.actions]).toEqual(naive.violation.path);
            expect({ explorer, maxDepth, ...countsOf(report) }).toEqual({ explorer, maxDepth, ...naive.violation.moment });
          } else {
            expect({ explorer, maxDepth, ...countsOf(report) }).toEqual({ explorer, maxDepth, ...countsOf(naive) });
          }
        }
      }
      // Each case reaches at least two outcomes as the limit grows.
      expect(statuses.size).toBeGreaterThan(1);
    });
  }
});

/**
 * Symmetry reduction: the naive explorer replaces each state by the representative the spec gives
 * and explores from it, as the reduced model does; the engine's trace is of the unreduced model, so
 * its length is compared, not its actions.
 */
const SYMMETRY_CASES: readonly (Case & { readonly symmetry: readonly string[] })[] = [
  { spec: paxos, parameters: { proposers: 2, rounds: 1 }, symmetry: ['acceptors'], verdict: 'ok' },
  { spec: paxos, parameters: { proposers: 1, rounds: 1, learners: 2, network: 'dup' }, symmetry: ['acceptors', 'learners'], verdict: 'ok' },
  { spec: paxos, parameters: { acceptors: 4, proposers: 2, rounds: 1, learners: 0, crashes: 1 }, symmetry: ['acceptors'], verdict: 'ok' },
  { spec: flexiblePaxos, parameters: { acceptors: 4, proposers: 2, learners: 0, q1: 3, q2: 2 }, symmetry: ['acceptors'], verdict: 'ok' },
  { spec: flexiblePaxos, parameters: { acceptors: 4, proposers: 2, learners: 0, q1: 2, q2: 2 }, symmetry: ['acceptors'], verdict: 'violation' },
  { spec: multiPaxos, parameters: { proposers: 2, slots: 2 }, symmetry: ['acceptors'], verdict: 'ok' },
  { spec: paxosTla, parameters: { maxBallot: 2 }, symmetry: ['acceptors', 'values'], verdict: 'ok' },
  { spec: paxosTla, parameters: { acceptors: 5, maxBallot: 1 }, symmetry: ['acceptors', 'values'], verdict: 'ok' },
  { spec: paxosTlaAnyValue, parameters: {}, symmetry: ['acceptors', 'values'], verdict: 'violation' },
  { spec: anyPromiseValue, parameters: { proposers: 3, learners: 0 }, symmetry: ['acceptors'], verdict: 'violation' },
  { spec: noPromiseCheck, parameters: { learners: 0 }, symmetry: ['acceptors'], verdict: 'violation' },
];

describe('the engine agrees with a naive explorer under symmetry reduction', () => {
  for (const { spec, parameters, symmetry, verdict } of SYMMETRY_CASES) {
    it(`${labelOf({ spec, parameters })} --symmetry ${symmetry.join(',')}: ${verdict}`, async () => {
      const resolved = resolveParameters(spec.parameters, parameters);
      const report = await checkModel(spec.build(resolved), { symmetry });
      const [model, properties] = oracleModel(spec, resolved, report.model);
      const orbit = { size: 0 };
      const naive = exploreNaively(model, properties, { representative: (state) => model.symmetry!.representative(state, symmetry, orbit) });
      const result = report.result;
      expect(result.status).toBe(verdict);
      if (verdict === 'ok') {
        expect(naive.violation).toBeUndefined();
        expect(countsOf(report)).toEqual(countsOf(naive));
        return;
      }
      expect(result.violation?.property).toBe(naive.violation?.property);
      expect(report.counterexample!.steps.length).toBe(naive.violation!.path.length);
      expect(countsOf(report)).toEqual(naive.violation!.moment);
    });
  }
});
