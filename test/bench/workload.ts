/**
 * One benchmark workload, run in its own process so that its peak RSS is its own:
 * `node --import tsx test/bench/workload.ts <spec.ts> '<params json>' [max seconds] [symmetry sets] [workers]`
 * prints one JSON line. It checks the model the way `synod check` does (checkModel): with one
 * worker the sequential explorer, with more the parallel one.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AnySpec } from '../../src/model.ts';
import { resolveParameters } from '../../src/parameters.ts';
import { checkModel } from '../../src/check.ts';

const [specPath, parametersJson = '{}', maxSeconds = '600', symmetry = '', workersText = '1'] = process.argv.slice(2);
if (!specPath) throw new Error('usage: workload.ts <spec.ts> [params json] [max seconds] [symmetry sets] [workers]');
const workers = Number(workersText);
const startup = performance.now();
const absolutePath = resolve(specPath);
const spec = ((await import(pathToFileURL(absolutePath).href)) as { default: AnySpec }).default;
const parameters = resolveParameters(spec.parameters, JSON.parse(parametersJson) as Record<string, string | number>);
const model = spec.build(parameters);
const startupSeconds = (performance.now() - startup) / 1000;
const { result } = await checkModel(model, {
  maxSeconds: Number(maxSeconds),
  workers,
  ...(workers > 1 ? { source: { specPath: absolutePath, parameters } } : {}),
  ...(symmetry ? { symmetry: symmetry.split(',') } : {}),
});
const statistics = result.statistics;
const peakRssBytes = Math.max(statistics.peakMemoryBytes, process.resourceUsage().maxRSS * 1024);
const perState = (bytes: number) => bytes / Math.max(1, statistics.distinctStates);
console.log(
  JSON.stringify({
    spec: spec.name,
    params: parameters,
    semantics: model.semantics ?? {},
    workers,
    workersUsed: statistics.workersUsed ?? 1,
    ...(result.symmetry ? { symmetry: result.symmetry } : {}),
    status: result.status,
    distinctStates: statistics.distinctStates,
    transitions: statistics.transitions,
    depth: statistics.depth,
    seconds: Number(statistics.seconds.toFixed(3)),
    startupSeconds: Number(startupSeconds.toFixed(3)),
    statesPerSecond: Math.round(statistics.statesPerSecond),
    // From the typed arrays' sizes: the visited set and the trace store.
    bytesPerState: Number(perState(statistics.storeBytes).toFixed(2)),
    // From the process's peak resident set: everything, the frontier and the heap included.
    rssBytesPerState: Math.round(perState(peakRssBytes)),
    storeBytes: statistics.storeBytes,
    peakRssBytes,
  }),
);
