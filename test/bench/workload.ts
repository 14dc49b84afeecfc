/**
 * One benchmark workload, run in its own process so that its peak RSS is its own:
 * `node --import tsx test/bench/workload.ts <spec.ts> '<params json>'` prints one JSON line.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AnySpec } from '../../src/model.ts';
import { resolveParameters } from '../../src/parameters.ts';
import { exploreBreadthFirst } from '../../src/explore/breadth-first.ts';
import { SymmetryReduction } from '../../src/explore/symmetry.ts';

const [specPath, parametersJson = '{}', maxSeconds = '600', symmetry = ''] = process.argv.slice(2);
if (!specPath) throw new Error('usage: workload.ts <spec.ts> [params json] [max seconds]');
const startup = performance.now();
const spec = ((await import(pathToFileURL(resolve(specPath)).href)) as { default: AnySpec }).default;
const parameters = resolveParameters(spec.parameters, JSON.parse(parametersJson) as Record<string, string | number>);
const base = spec.build(parameters);
const model = symmetry ? new SymmetryReduction(base, symmetry.split(',')) : base;
const startupSeconds = (performance.now() - startup) / 1000;
const { result } = await exploreBreadthFirst(model, { maxSeconds: Number(maxSeconds) });
const statistics = result.statistics;
const peakRssBytes = Math.max(statistics.peakMemoryBytes, process.resourceUsage().maxRSS * 1024);
console.log(
  JSON.stringify({
    spec: spec.name,
    params: parameters,
    semantics: model.semantics ?? {},
    workers: 1,
    ...(result.symmetry ? { symmetry: result.symmetry } : {}),
    status: result.status,
    distinctStates: statistics.distinctStates,
    transitions: statistics.transitions,
    depth: statistics.depth,
    seconds: Number(statistics.seconds.toFixed(3)),
    startupSeconds: Number(startupSeconds.toFixed(3)),
    statesPerSecond: Math.round(statistics.statesPerSecond),
    bytesPerState: Number((statistics.storeBytes / Math.max(1, statistics.distinctStates)).toFixed(2)),
    rssBytesPerState: Math.round(peakRssBytes / Math.max(1, statistics.distinctStates)),
    peakRssBytes,
  }),
);
