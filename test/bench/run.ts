/**
 * `npm run bench`: runs each workload in a fresh process and prints one JSON line per workload
 * (spec, params, workers, distinct states, transitions, seconds, states/s, bytes per state from
 * the typed arrays and from the peak RSS, peak RSS), then one line comparing 2 workers with 1.
 * Never part of `npm test`: timings on shared machines are noisy, so compare figures from one run
 * only; that is why the comparison is measured here, each pair of runs back to back.
 *
 * `npm run bench -- paxos` runs only the workloads whose spec name contains "paxos";
 * `npm run bench -- --large` adds the long-running workloads (minutes each);
 * `npm run bench -- --two-copies` also runs two one-worker copies of each compared workload at
 * once, in two processes that share nothing: how much work this machine does on two cores at once
 * for that workload, the most any two workers can reach (memory, caches and the host's scheduling
 * are shared even when the code shares nothing).
 */
import { spawn } from 'node:child_process';
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
const twoCopies = args.includes('--two-copies');
const filters = args.filter((arg) => !arg.startsWith('--'));
const maxSeconds = process.env.SYNOD_BENCH_MAX_SECONDS ?? (includeLarge ? '3600' : '300');

/** Runs the workload in a process of its own; prints and returns its line (undefined when it failed). */
async function measure(workload: Workload, workers: number, copy?: number): Promise<Measurement | undefined> {
  const child = spawn(
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
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (text: string) => (output += text));
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const line = output.trim().split('\n').pop();
  const tag = copy === undefined ? {} : { copy };
  if (status !== 0 || !line) {
    console.log(JSON.stringify({ spec: workload.spec, params: workload.params, workers, ...tag, error: `exit status ${status}` }));
    return undefined;
  }
  const measurement = JSON.parse(line) as Measurement;
  console.log(JSON.stringify({ ...measurement, ...tag }));
  return measurement;
}

/** Two one-worker copies of the workload at once; undefined when either failed. */
async function measureTwoCopies(workload: Workload): Promise<readonly [Measurement, Measurement] | undefined> {
  const [first, second] = await Promise.all([measure(workload, 1, 1), measure(workload, 1, 2)]);
  return first && second ? [first, second] : undefined;
}

const pairs: { workload: Workload; one: Measurement; two: Measurement; copies?: readonly [Measurement, Measurement] }[] = [];
for (const workload of WORKLOADS) {
  if (workload.large && !includeLarge) continue;
  if (filters.length > 0 && !filters.some((filter) => workload.spec.includes(filter))) continue;
  // The two runs of a comparison go back to back, so that both see much the same machine.
  const one = await measure(workload, 1);
  const two = workload.compare ? await measure(workload, 2) : undefined;
  const copies = workload.compare && twoCopies ? await measureTwoCopies(workload) : undefined;
  if (one && two) pairs.push({ workload, one, two, ...(copies ? { copies } : {}) });
}

if (pairs.length > 0) {
  const ratio = (two: number, one: number) => Number((two / one).toFixed(3));
  const workloads = pairs.map(({ workload, one, two, copies }) => ({
    spec: one.spec,
    params: one.params,
    ...(workload.symmetry ? { symmetry: workload.symmetry } : {}),
    statesPerSecond: { workers1: one.statesPerSecond, workers2: two.statesPerSecond },
    seconds: { workers1: one.seconds, workers2: two.seconds },
    // workers 2 / workers 1: above 1, the second worker paid.
    speedup: ratio(two.statesPerSecond, one.statesPerSecond),
    // Two one-worker copies at once against one alone: the work both did, in units of one alone.
    ...(copies ? { twoCopiesSpeedup: ratio(one.seconds / copies[0].seconds + one.seconds / copies[1].seconds, 1) } : {}),
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
