/**
 * Differential tests on random state graphs (test/toys/random-graph.ts): self-loops, disabled
 * actions, repeated initial states, edges back to any level, and properties of every kind present
 * or not, under random depth and state limits. The sequential explorer, and on some graphs the
 * parallel one with a worker thread taking part from the first level, must give what the naive
 * explorer gives: the verdict, the counts (of the moment the run stopped, when it stopped early),
 * and the same counterexample, step by step.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import type { Property } from '../../src/model.ts';
import { checkModel, type CheckReport, checkModelWithTuning } from '../../src/check.ts';
import { WorkerPool } from '../../src/explore/worker-pool.ts';
import { randomGraph, randomGraphModel, randomProcessesModel } from '../toys/random-graph.ts';
import { countsOf, exploreNaively, type NaiveRun } from './naive-explorer.ts';

const SPEC_PATH = fileURLToPath(new URL('../toys/random-graph.ts', import.meta.url));
const GRAPHS = 1500;
/** Every this many graphs, the parallel explorer too. */
const PARALLEL_EVERY = 5;

// One worker thread beside the main one, kept for the file so that each run does not start it.
let pool: WorkerPool;
beforeAll(() => {
  pool = WorkerPool.start(1);
});
afterAll(async () => {
  await pool.close();
});

/** Only sometimes properties, each witnessed: the run stops at the last witness, before any limit. */
function settles<State>(naive: NaiveRun, properties: readonly Property<State>[]): boolean {
  return properties.length > 0 && properties.every((property) => property.kind === 'sometimes') && naive.witnessed.every(([, seen]) => seen);
}

/** What the engine must report, from the naive run. */
function expected<State>(naive: NaiveRun, properties: readonly Property<State>[]): { status: string; incompleteReason?: string } {
  if (naive.violation) return { status: 'violation' };
  if (settles(naive, properties)) return { status: 'ok' };
  if (naive.stoppedAtMaxStates) return { status: 'incomplete', incompleteReason: 'max-states' };
  if (naive.cutOff) return { status: 'incomplete', incompleteReason: 'max-depth' };
  // A sometimes property never witnessed fails the run.
  if (naive.witnessed.some(([, seen]) => !seen)) return { status: 'violation' };
  return { status: 'ok' };
}

/**
 * `reduced`: the engine's counterexample is a trace of the unreduced model, which the naive
 * explorer's path through representatives is not; its length is compared.
 */
function compare<State, Action>(report: CheckReport<State, Action>, naive: NaiveRun, label: string, reduced = false): void {
  const result = report.result;
  const properties = report.model.properties;
  expect({ label, status: result.status, incompleteReason: result.incompleteReason }).toEqual({ label, incompleteReason: undefined, ...expected(naive, properties) });
  const counts = { label, ...countsOf(report) };
  if (naive.violation) {
    expect(result.violation?.property).toBe(naive.violation.property);
    const path = report.counterexample!.path;
    if (reduced) expect({ label, steps: path.actions.length + 1 }).toEqual({ label, steps: naive.violation.path.length });
    else expect({ label, path: [path.initial, ...path.actions] }).toEqual({ label, path: naive.violation.path });
    // A run that stops at a state reports the counts of the moment that state was found.
    expect(counts).toEqual({ label, ...naive.violation.moment });
    return;
  }
  const witnessed = result.properties.filter((property) => property.kind === 'sometimes').map((property) => [property.name, property.witnessed]);
  expect({ label, witnessed }).toEqual({ label, witnessed: naive.witnessed });
  expect({ label, settledEarly: result.settledEarly ?? false }).toEqual({ label, settledEarly: settles(naive, properties) });
  // Stopped at the last witness, or at the state limit, the counts are of that moment.
  const stoppedAt = result.settledEarly ? naive.lastWitness! : naive.stoppedAtMaxStates;
  expect(counts).toEqual({ label, ...(stoppedAt ?? countsOf(naive)) });
}

describe('random state graphs: the explorers agree with the naive explorer', () => {
  it(`${GRAPHS} graphs of 1 to 400 states, with and without depth and state limits`, async () => {
    const outcomes = new Map<string, number>();
    let workerTookPart = 0;
    for (let seed = 1; seed <= GRAPHS; seed++) {
      const states = 1 + ((seed * 7919) % (seed % 2 === 0 ? 80 : 400));
      const maxActions = seed % 7;
      const graph = randomGraph(seed, states, maxActions);
      const full = exploreNaively(randomGraphModel(graph), graph.properties);
      // No depth limit, or one between the first level and one past the deepest the run reaches
      // (it may stop at a violation first); and on some graphs a state limit up to one past the
      // states it finds.
      const maxDepth = seed % 3 === 0 ? undefined : 1 + (seed % (full.depth + 1));
      const maxStates = seed % 4 === 1 ? 1 + ((seed >> 2) % (full.distinctStates + 1)) : undefined;
      const limit = { ...(maxDepth === undefined ? {} : { maxDepth }), ...(maxStates === undefined ? {} : { maxStates }) };
      const naive = exploreNaively(randomGraphModel(graph), graph.properties, limit);
      const limits = `${maxDepth === undefined ? '' : `, --max-depth ${maxDepth}`}${maxStates === undefined ? '' : `, --max-states ${maxStates}`}`;
      const label = `seed ${seed}, ${states} states, at most ${maxActions} actions${limits}`;
      const sequential = await checkModel(randomGraphModel(graph), limit);
      compare(sequential, naive, label);
      const status = sequential.result.incompleteReason ?? sequential.result.status;
      outcomes.set(status, (outcomes.get(status) ?? 0) + 1);
      if (seed % PARALLEL_EVERY === 0) {
        const parameters = { seed, states, maxActions };
        // Units of a few states, so that the worker thread takes part in graphs this small.
        const parallel = await checkModelWithTuning(
          randomGraphModel(graph),
          { ...limit, workers: 2, source: { specPath: SPEC_PATH, parameters } },
          { pool, waitForWorkers: true, maxUnitStates: 4 },
        );
        compare(parallel, naive, `${label}, two threads`);
        if ((parallel.result.statistics.workersUsed ?? 1) > 1) workerTookPart++;
      }
    }
    // The graphs reach every outcome, many times each.
    for (const status of ['ok', 'violation', 'max-depth', 'max-states']) expect(outcomes.get(status) ?? 0).toBeGreaterThan(50);
    // Most random graphs reach few states; the worker thread takes part in the larger ones.
    expect(workerTookPart).toBeGreaterThan(40);
  });
});

const SYSTEMS = 400;

describe('random symmetric systems: symmetry reduction agrees with the naive explorer', () => {
  it(`${SYSTEMS} systems of 2 or 3 copies of a random automaton, reduced and not, with and without limits`, async () => {
    const outcomes = new Map<string, number>();
    let reducedSomething = 0;
    for (let seed = 1; seed <= SYSTEMS; seed++) {
      const parameters = { seed, locals: 2 + (seed % 12), maxActions: 1 + (seed % 4), processes: 2 + (seed % 2) };
      const build = () => randomProcessesModel(parameters.seed, parameters.locals, parameters.maxActions, parameters.processes);
      const model = build();
      // The run as far as its properties let it go: the limits are picked within it.
      const full = exploreNaively(model, model.properties);
      const maxDepth = seed % 3 === 0 ? 1 + (seed % (full.depth + 1)) : undefined;
      const maxStates = seed % 5 === 0 ? 1 + ((seed >> 2) % (full.distinctStates + 1)) : undefined;
      const limit = { ...(maxDepth === undefined ? {} : { maxDepth }), ...(maxStates === undefined ? {} : { maxStates }) };
      const limits = `${maxDepth === undefined ? '' : `, --max-depth ${maxDepth}`}${maxStates === undefined ? '' : `, --max-states ${maxStates}`}`;
      const label = `seed ${seed}, ${parameters.processes} copies of ${parameters.locals} local states${limits}`;
      compare(await checkModel(build(), limit), exploreNaively(model, model.properties, limit), label);

      const orbit = { size: 0 };
      const naive = exploreNaively(model, model.properties, { ...limit, representative: (state) => model.symmetry!.representative(state, ['processes'], orbit) });
      const reduced = await checkModel(build(), { ...limit, symmetry: ['processes'] });
      compare(reduced, naive, `${label}, --symmetry`, true);
      const status = reduced.result.incompleteReason ?? reduced.result.status;
      outcomes.set(status, (outcomes.get(status) ?? 0) + 1);
      if (reduced.result.status === 'ok' && !reduced.result.settledEarly && maxDepth === undefined && maxStates === undefined) {
        // Complete: the orbit sizes of the representatives add up to the states of the unreduced model.
        const unreduced = exploreNaively(model, []);
        expect({ label, unreducedStates: reduced.result.symmetry?.unreducedStates }).toEqual({ label, unreducedStates: unreduced.distinctStates });
        if (reduced.result.statistics.distinctStates < unreduced.distinctStates) reducedSomething++;
      }
      if (seed % PARALLEL_EVERY === 0) {
        const source = { specPath: SPEC_PATH, exportName: 'randomProcesses', parameters };
        const parallel = await checkModelWithTuning(build(), { ...limit, symmetry: ['processes'], workers: 2, source }, { pool, waitForWorkers: true, maxUnitStates: 4 });
        compare(parallel, naive, `${label}, --symmetry, two threads`, true);
        expect({ label, symmetry: parallel.result.symmetry }).toEqual({ label, symmetry: reduced.result.symmetry && { ...reduced.result.symmetry, canonicalisingSeconds: parallel.result.symmetry?.canonicalisingSeconds } });
      }
      if (seed <= 60) {
        // The toy's own declaration: a state and its representative behave alike, and the model is a function of its arguments.
        const audited = await checkModel(build(), { ...limit, symmetry: ['processes'], audit: true, auditTwin: build() });
        expect({ label, status: audited.result.status, error: audited.result.error }).toEqual({ label, status: reduced.result.status, error: undefined });
      }
    }
    for (const status of ['ok', 'violation', 'max-depth', 'max-states']) expect(outcomes.get(status) ?? 0).toBeGreaterThan(10);
    expect(reducedSomething).toBeGreaterThan(20);
  });
});
