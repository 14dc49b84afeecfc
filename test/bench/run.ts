/**
 * `npm run bench`: runs each workload in a fresh process and prints one JSON line per workload
 * (spec, params, workers, distinct states, transitions, seconds, states/s, bytes per state from
 * the typed arrays and from the peak RSS, peak RSS), then one line comparing 2 workers with 1.
 * Never part of `npm test`: timings on shared machines are noisy, so compare figures from one run
 * only; that is why the comparison is measured here, each pair of runs back to back.
 *
 * `npm run bench -- paxos` runs only the workloads whose spec name contains "paxos";
 * `npm run bench -- --large` adds the long-running workloads (minutes each).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

interface Workload {
  readonly spec: string;
  readonly params: Record<string, string | number>;
  readonly large?: boolean;
  /** Symmetric sets to reduce by (a reduced row beside the unreduced one). */
  readonly symmetry?: string;
  /** Run it with 1 and with 2 workers, for the comparison line. */
  readonly compare?: boolean;
}

const WORKLOADS: readonly Workload[] = [
  { spec: 'specs/paxos-tla.ts', params: { acceptors: 3, values: 2, maxBallot: 1 } },
  { spec: 'specs/paxos-tla.ts', params: { acceptors: 3, values: 2, maxBallot: 2 } },
  { spec: 'specs/paxos-tla.ts', params: { acceptors: 3, values: 3, maxBallot: 1 } },
  { spec: 'specs/paxos-tla.ts', params: { acceptors: 3, values: 3, maxBallot: 2 }, compare: true },
  { spec: 'specs/paxos-tla.ts', params: { acceptors: 5, values: 2, maxBallot: 1 }, compare: true },
  { spec: 'specs/paxos-tla.ts', params: { acceptors: 3, values: 2, maxBallot: 2 }, symmetry: 'acceptors,values' },
  { spec: 'specs/paxos-tla.ts', params: { acceptors: 5, values: 2, maxBallot: 1 }, symmetry: 'acceptors,values' },
  { spec: 'specs/paxos.ts', params: { acceptors: 3, proposers: 2, rounds: 1 } },
  { spec: 'specs/paxos.ts', params: { acceptors: 3, proposers: 2, rounds: 1, network: 'dup' } },
  { spec: 'specs/paxos.ts', params: { acceptors: 3, proposers: 1, rounds: 2 } },
  { spec: 'specs/paxos.ts', params: { acceptors: 3, proposers: 2, rounds: 1 }, symmetry: 'acceptors' },
  { spec: 'specs/paxos.ts', params: { acceptors: 5, proposers: 2, rounds: 1, learners: 0 }, compare: true },
  { spec: 'specs/paxos.ts', params: { acceptors: 5, proposers: 2, rounds: 1, learners: 0 }, symmetry: 'acceptors' },
  { spec: 'specs/paxos.ts', params: { acceptors: 3, proposers: 2, rounds: 1, crashes: 2 }, compare: true },
  // The largest classic Paxos configuration one worker finishes in about a minute (issue #5's
  // states/s target), and the issue #2 figures for 2 proposers with 2 rounds, without learners.
  { spec: 'specs/paxos.ts', params: { acceptors: 3, proposers: 2, rounds: 2, learners: 0 }, compare: true },
  { spec: 'specs/paxos.ts', params: { acceptors: 3, proposers: 2, rounds: 2, learners: 0, network: 'dup' } },
  { spec: 'specs/paxos.ts', params: { acceptors: 5, proposers: 2, rounds: 2, learners: 0 }, large: true },
  { spec: 'specs/paxos.ts', params: { acceptors: 3, proposers: 2, rounds: 2 }, large: true },
  { spec: 'specs/paxos-tla.ts', params: { acceptors: 3, values: 2, maxBallot: 3 }, large: true, compare: true },
];

/** What a workload process prints (the fields the comparison reads). */
interface Measurement {
  readonly spec: string;
  readonly params: Record<string, string | number>;
  readonly workers: number;
  readonly status: string;
  readonly distinctStates: number;
  readonly transitions: number;
  readonly seconds: number;
  readonly statesPerSecond: number;
}

const root = fileURLToPath(new URL('../../', import.meta.url));
const args = process.argv.slice(2);
const includeLarge = args.includes('--large');
const filters = args.filter((arg) => !arg.startsWith('--'));
const maxSeconds = process.env.SYNOD_BENCH_MAX_SECONDS ?? (includeLarge ? '3600' : '300');

function measure(workload: Workload, workers: number): Measurement | undefined {
  const run = spawnSync(
    process.execPath,
    [
      '--max-old-space-size=20000',
      '--import',
      'tsx',
      'test/bench/workload.ts',
      workload.spec,
      JSON.stringify(workload.params),
      maxSeconds,
      workload.symmetry ?? '',
      String(workers),
    ],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const line = run.stdout.trim().split('\n').pop();
  if (run.status !== 0 || !line) {
    console.log(JSON.stringify({ spec: workload.spec, params: workload.params, workers, error: `exit status ${run.status}` }));
    return undefined;
  }
  console.log(line);
  return JSON.parse(line) as Measurement;
}

const pairs: { workload: Workload; one: Measurement; two: Measurement }[] = [];
for (const workload of WORKLOADS) {
  if (workload.large && !includeLarge) continue;
  if (filters.length > 0 && !filters.some((filter) => workload.spec.includes(filter))) continue;
  // The two runs of a comparison go back to back, so that both see much the same machine.
  const one = measure(workload, 1);
  const two = workload.compare ? measure(workload, 2) : undefined;
  if (one && two) pairs.push({ workload, one, two });
}

if (pairs.length > 0) {
  const ratio = (two: number, one: number) => Number((two / one).toFixed(3));
  const workloads = pairs.map(({ workload, one, two }) => ({
    spec: one.spec,
    params: one.params,
    ...(workload.symmetry ? { symmetry: workload.symmetry } : {}),
    statesPerSecond: { workers1: one.statesPerSecond, workers2: two.statesPerSecond },
    seconds: { workers1: one.seconds, workers2: two.seconds },
    // workers 2 / workers 1: above 1, the second worker paid.
    speedup: ratio(two.statesPerSecond, one.statesPerSecond),
    // The same search both times: a difference here is a bug, not noise.
    sameCounts: one.status === two.status && one.distinctStates === two.distinctStates && one.transitions === two.transitions,
  }));
  const geometricMean = Math.exp(workloads.reduce((sum, { speedup }) => sum + Math.log(speedup), 0) / workloads.length);
  const total = (key: 'one' | 'two') => pairs.reduce((sum, pair) => sum + pair[key].seconds, 0);
  console.log(
    JSON.stringify({
      comparison: 'workers 2 vs workers 1, states/s, measured back to back in this run',
      workloads,
      overall: {
        // The geometric mean of the workloads' speedups, and the ratio of their total times.
        speedup: Number(geometricMean.toFixed(3)),
        totalSeconds: { workers1: Number(total('one').toFixed(3)), workers2: Number(total('two').toFixed(3)) },
        totalTimeRatio: ratio(total('one'), total('two')),
      },
    }),
  );
}
