/**
 * `npm run bench`: runs each workload in a fresh process and prints one JSON line per workload
 * (distinct states, transitions, seconds, states/s, bytes per state, peak RSS). Never part of
 * `npm test`: timings on shared machines are noisy, so compare figures from one run only.
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
}

const WORKLOADS: readonly Workload[] = [
  { spec: 'specs/paxos-tla.ts', params: { acceptors: 3, values: 2, maxBallot: 1 } },
  { spec: 'specs/paxos-tla.ts', params: { acceptors: 3, values: 2, maxBallot: 2 } },
  { spec: 'specs/paxos-tla.ts', params: { acceptors: 3, values: 3, maxBallot: 1 } },
  { spec: 'specs/paxos-tla.ts', params: { acceptors: 3, values: 3, maxBallot: 2 } },
  { spec: 'specs/paxos-tla.ts', params: { acceptors: 5, values: 2, maxBallot: 1 } },
  { spec: 'specs/paxos-tla.ts', params: { acceptors: 3, values: 2, maxBallot: 2 }, symmetry: 'acceptors,values' },
  { spec: 'specs/paxos-tla.ts', params: { acceptors: 5, values: 2, maxBallot: 1 }, symmetry: 'acceptors,values' },
  { spec: 'specs/paxos.ts', params: { acceptors: 3, proposers: 2, rounds: 1 } },
  { spec: 'specs/paxos.ts', params: { acceptors: 3, proposers: 2, rounds: 1, network: 'dup' } },
  { spec: 'specs/paxos.ts', params: { acceptors: 3, proposers: 1, rounds: 2 } },
  { spec: 'specs/paxos.ts', params: { acceptors: 3, proposers: 2, rounds: 1 }, symmetry: 'acceptors' },
  { spec: 'specs/paxos.ts', params: { acceptors: 5, proposers: 2, rounds: 1, learners: 0 } },
  { spec: 'specs/paxos.ts', params: { acceptors: 5, proposers: 2, rounds: 1, learners: 0 }, symmetry: 'acceptors' },
  { spec: 'specs/paxos.ts', params: { acceptors: 3, proposers: 2, rounds: 1, crashes: 2 } },
  { spec: 'specs/paxos.ts', params: { acceptors: 3, proposers: 2, rounds: 2 }, large: true },
  { spec: 'specs/paxos.ts', params: { acceptors: 3, proposers: 2, rounds: 2, network: 'dup' }, large: true },
  { spec: 'specs/paxos.ts', params: { acceptors: 5, proposers: 2, rounds: 2 }, large: true },
  { spec: 'specs/paxos-tla.ts', params: { acceptors: 3, values: 2, maxBallot: 3 }, large: true },
];

const root = fileURLToPath(new URL('../../', import.meta.url));
const args = process.argv.slice(2);
const includeLarge = args.includes('--large');
const filters = args.filter((arg) => !arg.startsWith('--'));
const maxSeconds = process.env.SYNOD_BENCH_MAX_SECONDS ?? (includeLarge ? '3600' : '300');

for (const workload of WORKLOADS) {
  if (workload.large && !includeLarge) continue;
  if (filters.length > 0 && !filters.some((filter) => workload.spec.includes(filter))) continue;
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
    ],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const line = run.stdout.trim().split('\n').pop();
  if (run.status !== 0 || !line) {
    console.log(JSON.stringify({ spec: workload.spec, params: workload.params, error: `exit status ${run.status}` }));
  } else {
    console.log(line);
  }
}
