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
 * `npm run bench -- --rounds 5` measures each compared workload's pair (and copies) 5 times, one
 * round after another, the first of each pair alternating, and the comparison gives the median
 * of the rounds' ratios with all of them: on a shared machine one pair can mislead by 30% or more.
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
const USAGE = 'usage: npm run bench -- [--large] [--two-copies] [--rounds N] [spec-name-filter ...]';
if (args.includes('--help') || args.includes('-h')) {
  console.log(USAGE);
  process.exit(0);
}
// The word after --rounds is its value, even one that starts with '-' (refused below as a count).
const unknownFlag = args.find((arg, index) => arg.startsWith('-') && !['--large', '--two-copies', '--rounds'].includes(arg) && args[index - 1] !== '--rounds');
if (unknownFlag !== undefined) {
  console.error(`bench: unknown flag ${unknownFlag} (${USAGE})`);
  process.exit(2);
}
const includeLarge = args.includes('--large');
const twoCopies = args.includes('--two-copies');
const roundsAt = args.indexOf('--rounds');
const rounds = roundsAt >= 0 ? Number(args[roundsAt + 1]) : 1;
if (!Number.isInteger(rounds) || rounds < 1 || rounds > 99) {
  console.error(`bench: --rounds must be a whole number from 1 to 99, got '${args[roundsAt + 1] ?? ''}'`);
  process.exit(2);
}
const filters = args.filter((arg, index) => !arg.startsWith('--') && !(roundsAt >= 0 && index === roundsAt + 1));
const unmatched = filters.find((filter) => !WORKLOADS.some((workload) => workload.spec.includes(filter)));
if (unmatched !== undefined) {
  console.error(`bench: no workload's spec matches '${unmatched}' (the specs: ${[...new Set(WORKLOADS.map((workload) => workload.spec))].join(', ')})`);
  process.exit(2);
}
const maxSeconds = process.env.SYNOD_BENCH_MAX_SECONDS ?? (includeLarge ? '3600' : '300');

/** Runs the workload in a process of its own; prints and returns its line (undefined when it failed). */
async function measure(workload: Workload, workers: number, copy?: number, round?: number): Promise<Measurement | undefined> {
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
  const tag = { ...(copy === undefined ? {} : { copy }), ...(round === undefined ? {} : { round }) };
  if (status !== 0 || !line) {
    console.log(JSON.stringify({ spec: workload.spec, params: workload.params, workers, ...tag, error: `exit status ${status}` }));
    return undefined;
  }
  const measurement = JSON.parse(line) as Measurement;
  console.log(JSON.stringify({ ...measurement, ...tag }));
  return measurement;
}

/** Two one-worker copies of the workload at once; undefined when either failed. */
async function measureTwoCopies(workload: Workload, round?: number): Promise<readonly [Measurement, Measurement] | undefined> {
  const [first, second] = await Promise.all([measure(workload, 1, 1, round), measure(workload, 1, 2, round)]);
  return first && second ? [first, second] : undefined;
}

/** One round of a comparison: one worker and two, back to back, and the two copies if asked for. */
interface Round {
  readonly one: Measurement;
  readonly two: Measurement;
  readonly copies?: readonly [Measurement, Measurement];
}

const ratio = (two: number, one: number) => Number((two / one).toFixed(3));

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Workers 2 / workers 1 in one round: above 1, the second worker paid. */
const speedupOf = ({ one, two }: Round) => ratio(two.statesPerSecond, one.statesPerSecond);
/** Two one-worker copies at once against one alone: the work both did, in units of one alone. */
const twoCopiesOf = ({ one, copies }: Round) => (copies ? ratio(one.seconds / copies[0].seconds + one.seconds / copies[1].seconds, 1) : undefined);

const compared: { workload: Workload; rounds: Round[] }[] = [];
for (const workload of WORKLOADS) {
  if (workload.large && !includeLarge) continue;
  if (filters.length > 0 && !filters.some((filter) => workload.spec.includes(filter))) continue;
  if (!workload.compare) {
    await measure(workload, 1);
    continue;
  }
  const done: Round[] = [];
  for (let round = 1; round <= rounds; round++) {
    const tag = rounds > 1 ? round : undefined;
    // The two runs of a comparison go back to back, so that both see much the same machine; over
    // several rounds each goes first in turn.
    const twoFirst = round % 2 === 0;
    const early = await measure(workload, twoFirst ? 2 : 1, undefined, tag);
    const late = await measure(workload, twoFirst ? 1 : 2, undefined, tag);
    const [one, two] = twoFirst ? [late, early] : [early, late];
    const copies = twoCopies ? await measureTwoCopies(workload, tag) : undefined;
    if (one && two) done.push({ one, two, ...(copies ? { copies } : {}) });
  }
  if (done.length > 0) compared.push({ workload, rounds: done });
}

if (compared.length > 0) {
  const workloads = compared.map(({ workload, rounds: measured }) => {
    const first = measured[0]!;
    const speedups = measured.map(speedupOf);
    const copies = measured.map(twoCopiesOf).filter((value): value is number => value !== undefined);
    const seconds = (key: 'one' | 'two') => Number(median(measured.map((round) => round[key].seconds)).toFixed(3));
    return {
      spec: first.one.spec,
      params: first.one.params,
      ...(workload.symmetry ? { symmetry: workload.symmetry } : {}),
      statesPerSecond: {
        workers1: Math.round(median(measured.map((round) => round.one.statesPerSecond))),
        workers2: Math.round(median(measured.map((round) => round.two.statesPerSecond))),
      },
      seconds: { workers1: seconds('one'), workers2: seconds('two') },
      // The median of the rounds' ratios (each round's pair measured back to back).
      speedup: ratio(median(speedups), 1),
      ...(measured.length > 1 ? { speedups } : {}),
      ...(copies.length > 0 ? { twoCopiesSpeedup: ratio(median(copies), 1) } : {}),
      ...(copies.length > 1 ? { twoCopiesSpeedups: copies } : {}),
      // The same search every time: a difference here is a bug, not noise.
      sameCounts: measured.every(
        ({ one, two }) =>
          one.status === first.one.status &&
          two.status === first.one.status &&
          one.distinctStates === first.one.distinctStates &&
          two.distinctStates === first.one.distinctStates &&
          one.transitions === first.one.transitions &&
          two.transitions === first.one.transitions,
      ),
    };
  });
  const geometricMean = Math.exp(workloads.reduce((sum, { speedup }) => sum + Math.log(speedup), 0) / workloads.length);
  const total = (key: 'workers1' | 'workers2') => workloads.reduce((sum, workload) => sum + workload.seconds[key], 0);
  console.log(
    JSON.stringify({
      comparison: `workers 2 vs workers 1, states/s, measured back to back in this run${rounds > 1 ? `: medians of ${rounds} rounds` : ''}`,
      workloads,
      overall: {
        // The geometric mean of the workloads' speedups, and the ratio of their total times.
        speedup: Number(geometricMean.toFixed(3)),
        totalSeconds: { workers1: Number(total('workers1').toFixed(3)), workers2: Number(total('workers2').toFixed(3)) },
        totalTimeRatio: ratio(total('workers1'), total('workers2')),
      },
    }),
  );
}
