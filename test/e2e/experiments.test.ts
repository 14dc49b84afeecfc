import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeOf } from '../places.ts';
import { expectWellFormedSvg } from '../unit/report/well-formed-xml.ts';
import { checkModel } from '../../src/check.ts';
import { buildModel } from '../../src/cli/check-command.ts';
import { loadSpec } from '../../src/cli/load-spec.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const underDup = placeOf('test/e2e/fixtures/throws-under-dup.ts', "new Error('no step from 2 under dup')");
const scratch = mkdtempSync(join(tmpdir(), 'synod-experiments-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function synod(...args: string[]) {
  const run = spawnSync(process.execPath, ['src/cli/synod.mjs', ...args], { cwd: root, encoding: 'utf8', timeout: 170_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('synod sweep', () => {
  const out = join(scratch, 'sweep');
  const spec = 'specs/bugs/no-promise-check.ts';
  let sweep: ReturnType<typeof synod>;
  beforeAll(() => {
    sweep = synod('sweep', spec, '--grid', 'proposers=1..2,learners=0..1', '--workers', '2', '--out', out, '--plot');
  });

  it('checks every point and writes the table, CSV, JSON and one plot per numeric parameter', () => {
    expect(sweep.stderr).toMatch(/sweep: 4 done, 0 running, 0 left/);
    expect(sweep.status).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['results.csv', 'results.json', 'results.md', 'states-by-learners.svg', 'states-by-proposers.svg']);
    const lines = sweep.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^\| proposers \| learners \| verdict +\| distinct states \| transitions \| depth \| seconds \| states\/s \| counterexample \|$/);
    expect(lines).toHaveLength(6);
    expect(readFileSync(join(out, 'results.md'), 'utf8')).toContain(lines[2]!);
    const csv = readFileSync(join(out, 'results.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(5);
    expect(csv[0]).toMatch(/^spec,acceptors,proposers,rounds,learners,network,crashes,ignored,symmetry,verdict,/);
  });

  it('gives exactly what synod check gives at each point', async () => {
    const record = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(record.rows).toHaveLength(4);
    const points = [
      [1, 0],
      [1, 1],
      [2, 0],
      [2, 1],
    ];
    // What synod check computes, in this process (the same library calls as the command).
    const loaded = await loadSpec(join(root, spec));
    for (const [index, [proposers, learners]] of points.entries()) {
      const { parameters, model } = buildModel(loaded, { proposers, learners });
      const check = await checkModel(model);
      const row = record.rows[index];
      expect(row.parameters).toEqual(parameters);
      expect({
        status: row.status,
        property: row.property,
        distinctStates: row.distinctStates,
        transitions: row.transitions,
        depth: row.depth,
        counterexampleLength: row.counterexampleLength,
        replayToken: row.replayToken,
        storeBytes: row.storeBytes,
        workersUsed: row.workersUsed,
      }).toEqual({
        status: check.result.status,
        property: check.result.violation?.property,
        distinctStates: check.result.statistics.distinctStates,
        transitions: check.result.statistics.transitions,
        depth: check.result.statistics.depth,
        counterexampleLength: check.counterexample ? check.counterexample.steps.length - 1 : undefined,
        replayToken: check.counterexample?.token,
        storeBytes: check.result.statistics.storeBytes,
        workersUsed: 1,
      });
      expect(row.peakMemoryBytes).toBeGreaterThan(10_000_000);
    }
    const [header, ...lines] = readFileSync(join(out, 'results.csv'), 'utf8').trim().split('\n');
    const column = (name: string) => lines.map((line) => line.split(',')[header!.split(',').indexOf(name)]);
    expect(column('store bytes')).toEqual(record.rows.map((row: { storeBytes: number }) => String(row.storeBytes)));
    expect(column('threads used')).toEqual(['1', '1', '1', '1']);
    expect(column('peak memory bytes').every((bytes) => Number(bytes) > 10_000_000)).toBe(true);
    expect(record.rows.map((row: { status: string }) => row.status)).toEqual(['ok', 'ok', 'violation', 'violation']);
  });

  it('records what is needed to reproduce it', () => {
    const record = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
    expect(record.synod).toBe(version);
    expect(record.specs).toEqual([{ name: 'no-promise-check', path: spec, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    expect(record.grid).toBe('proposers=1..2,learners=0..1');
    expect(record.options).toMatchObject({ symmetry: 'off', concurrency: 2, checkWorkers: 1, seed: null });
    expect(record.machine).toMatchObject({ cores: expect.any(Number), memoryBytes: expect.any(Number), node: process.version });
    expect(readFileSync(join(out, 'results.md'), 'utf8')).toContain(`- synod ${version}; ${spec} sha256 ${record.specs[0].sha256.slice(0, 16)}`);
  });

  it('plots one point per grid entry in each chart, as valid SVG', () => {
    for (const name of ['states-by-proposers.svg', 'states-by-learners.svg']) {
      const svg = readFileSync(join(out, name), 'utf8');
      expectWellFormedSvg(svg);
      expect(svg.match(/<circle /g)).toHaveLength(4);
    }
  });

  it('records points stopped by a limit as incomplete, and runs each point with and without symmetry', () => {
    const limited = join(scratch, 'limited');
    const run = synod('sweep', 'specs/paxos.ts', '--grid', 'proposers=1..2', '--max-states', '1000', '--symmetry', 'both', '--out', limited, '--quiet', '--json');
    expect(run.status).toBe(0);
    const rows = JSON.parse(run.stdout).rows;
    expect(rows.map((row: { status: string; symmetry: string[]; distinctStates: number }) => [row.status, row.symmetry.length > 0, row.distinctStates])).toEqual([
      ['ok', false, 183],
      ['ok', true, 44],
      ['incomplete', false, 1000],
      ['incomplete', true, 1000],
    ]);
    expect(rows[2].incompleteReason).toBe('max-states');
    // One learner has no renaming to reduce by: the rows say what was reduced.
    expect(rows[1].symmetry).toEqual(['acceptors']);
    const [header, ...lines] = readFileSync(join(limited, 'results.csv'), 'utf8').trim().split('\n');
    const column = header!.split(',').indexOf('unreduced states');
    expect(column).toBeGreaterThan(0);
    expect(lines.map((line) => line.split(',')[column])).toEqual(['', '183', '', '5250']);
  });

  it('names a camelCase parameter as its flag (max-ballot) in the table, the CSV, the plot and its errors; JSON keeps the key', () => {
    const out = join(scratch, 'kebab');
    const run = synod('sweep', 'specs/paxos-tla.ts', '--grid', 'maxBallot=0..1', '--plot', '--out', out, '--quiet');
    expect(run.status).toBe(0);
    expect(run.stdout.split('\n')[0]).toMatch(/^\| max-ballot \| verdict /);
    expect(readFileSync(join(out, 'results.csv'), 'utf8').split('\n')[0]).toMatch(/^spec,acceptors,values,max-ballot,symmetry,verdict,/);
    expect(readdirSync(out).filter((name) => name.endsWith('.svg'))).toEqual(['states-by-max-ballot.svg']);
    const svg = readFileSync(join(out, 'states-by-max-ballot.svg'), 'utf8');
    expect(svg).toContain('distinct states by max-ballot');
    expect(svg).not.toContain('maxBallot');
    expect(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')).rows[0].parameters.maxBallot).toBe(0);
    const both = synod('sweep', 'specs/paxos-tla.ts', '--grid', 'max-ballot=0..1', '--max-ballot', '1');
    expect(both.status).toBe(2);
    expect(both.stderr).toBe('synod: error [usage]: max-ballot is both swept by --grid and fixed by a flag (--max-ballot)\n');
  });

  it('says when --plot has no numeric parameter to draw', () => {
    const run = synod('sweep', 'specs/examples/ping.ts', '--grid', 'network=bag|dup', '--plot', '--quiet', '--out', join(scratch, 'no-chart'));
    expect(run.status).toBe(0);
    expect(run.stderr.trim()).toBe('synod: --plot draws distinct states against a numeric parameter with two values or more, and this grid sweeps none (network): no chart');
    expect(readdirSync(join(scratch, 'no-chart')).sort()).toEqual(['results.csv', 'results.json', 'results.md']);
    // A numeric parameter with one value has no line either.
    const one = synod('sweep', 'specs/examples/ping.ts', '--grid', 'network=bag|dup,pings=1..2', '--plot', '--quiet', '--out', join(scratch, 'one-value'));
    expect(one.status).toBe(0);
    expect(readdirSync(join(scratch, 'one-value')).filter((name) => name.endsWith('.svg'))).toEqual(['states-by-pings.svg']);
    const single = synod('sweep', 'specs/examples/ping.ts', '--grid', 'pings=2', '--plot', '--quiet', '--out', join(scratch, 'one-value'));
    expect(single.stderr.trim()).toBe('synod: --plot draws distinct states against a numeric parameter with two values or more, and this grid sweeps none (pings): no chart');
  });

  it('keeps stdout JSON when a point\'s spec prints, and reports a point whose spec calls process.exit as an error (exit 2)', () => {
    const run = synod('sweep', 'test/e2e/fixtures/misbehaving-spec.ts', '--grid', 'fault=print|exit-in-step', '--json', '--quiet', '--out', join(scratch, 'misbehaving'));
    const exitPlace = placeOf('test/e2e/fixtures/misbehaving-spec.ts', 'process.exit(0)', 'exit(0)');
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(
      `synod: error [points-failed]: misbehaving failed at 1 of 2 points, first at fault=exit-in-step: the spec called process.exit(0), which synod does not let it do at ${exitPlace} (in action "Increment", expanding a state at depth 3) (hint: the results above stand for the other points)\n`,
    );
    const rows = JSON.parse(run.stdout).rows as { status: string; error?: string }[];
    expect(rows.map((row) => row.status)).toEqual(['violation', 'error']);
    expect(rows[1]!.error).toBe(`the spec called process.exit(0), which synod does not let it do at ${exitPlace} (in action "Increment", expanding a state at depth 3)`);
    // (What the points' threads print reaches stderr through their streams, which a thread that ends
    // at once may not flush: only the main thread's line is certain.)
    expect(run.stderr).toContain('the spec prints while it builds its model');
  });

  it('takes a valueless flag of its own (--plot) before the spec file, as it takes --quiet', () => {
    const run = synod('sweep', '--plot', 'specs/examples/ping.ts', '--grid', 'pings=1..2', '--quiet', '--out', join(scratch, 'plot-first'));
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(readdirSync(join(scratch, 'plot-first')).sort()).toEqual(['results.csv', 'results.json', 'results.md', 'states-by-pings.svg']);
  });

  it('says in results.md how many checks ran at once (one for one point) and which properties were checked', () => {
    const one = join(scratch, 'one-point');
    const run = synod('sweep', 'specs/examples/ping.ts', '--grid', 'pings=2', '--workers', '2', '--property', 'NoExtraAnswers', '--out', one, '--quiet', '--json');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).options).toMatchObject({ concurrency: 1, properties: ['NoExtraAnswers'] });
    const markdown = readFileSync(join(one, 'results.md'), 'utf8');
    expect(markdown).toContain('limits per check: none; properties: NoExtraAnswers; seed: none (exhaustive)');
    expect(markdown).toContain('- 1 check at a time, each in its own thread');
  });

  it('gives each check explorer threads of its own with --check-workers, with the same counts', () => {
    const run = synod('sweep', 'specs/paxos.ts', '--grid', 'proposers=1..2', '--check-workers', '2', '--workers', '1', '--out', join(scratch, 'threads'), '--quiet', '--json');
    expect(run.status).toBe(0);
    const record = JSON.parse(run.stdout);
    expect(record.options).toMatchObject({ concurrency: 1, checkWorkers: 2 });
    expect(record.rows.map((row: { distinctStates: number; transitions: number; depth: number }) => [row.distinctStates, row.transitions, row.depth])).toEqual([
      [183, 400, 13],
      [33_489, 111_255, 25],
    ]);
  });

  it('checks every property of the spec with --property all, as check, simulate and replay do', () => {
    const every = ['Agreement', 'LearnerAgreement', 'Validity', 'ValueChosen', 'decides', 'duel'];
    const sweep = JSON.parse(synod('sweep', 'specs/paxos.ts', '--grid', 'proposers=1', '--property', 'all', '--quiet', '--json', '--out', join(scratch, 'all')).stdout);
    expect(sweep.rows[0].properties).toEqual(every);
    const check = JSON.parse(synod('check', 'specs/paxos.ts', '--proposers', '1', '--property', 'all', '--quiet', '--json').stdout);
    expect(check.properties.map((property: { name: string }) => property.name)).toEqual(every);
    expect(check.status).toBe(sweep.rows[0].status);
    const simulated = JSON.parse(synod('simulate', 'specs/paxos.ts', '--proposers', '1', '--property', 'all', '--runs', '5', '--seed', '1', '--quiet', '--json').stdout);
    expect(simulated.properties.map((property: { name: string }) => property.name)).toEqual(every);
    // Replay judges always and terminal properties: all is every one of those.
    expect(synod('replay', 'specs/paxos.ts', '0/0', '--property', 'all').stdout.split('\n')[1]).toBe('OK: Agreement, LearnerAgreement, Validity, decides hold along the trace (1 step)');
  });

  it('says which points stopped at their last witness, whose counts do not cover the state space', () => {
    const run = synod('sweep', 'specs/paxos.ts', '--grid', 'rounds=1..2', '--property', 'duel', '--workers', '1', '--quiet', '--out', join(scratch, 'duel'));
    // The verdicts are the data: every point has one.
    expect(run.status).toBe(0);
    const rows = run.stdout.trimEnd().split('\n').slice(2);
    expect(rows[0]).toMatch(/^\| +1 \| never witnessed: duel +\| +33,489 \|/);
    expect(rows[1]).toMatch(/^\| +2 \| ok \(stopped at the last witness\) \| +174,152 \| .* \| 13 steps \(witness of duel\) \|$/);
    const json = JSON.parse(readFileSync(join(scratch, 'duel', 'results.json'), 'utf8'));
    expect(json.rows.map((row: { settledEarly?: boolean }) => row.settledEarly)).toEqual([undefined, true]);
    // The witness that synod check --property duel shows, and that its token replays.
    const check = JSON.parse(synod('check', 'specs/paxos.ts', '--rounds', '2', '--property', 'duel', '--json', '--quiet').stdout);
    expect(json.rows[0].witnesses).toBeUndefined();
    expect(json.rows[1].witnesses).toEqual([{ property: 'duel', length: 13, replayToken: check.witnesses[0].replayToken }]);
    // The CSV keeps what the table shows: the witness, its steps and its token.
    const [header, ...lines] = readFileSync(join(scratch, 'duel', 'results.csv'), 'utf8').trim().split('\n');
    expect(header!.split(',').at(-1)).toBe('witnesses');
    expect(lines[0]!.endsWith(',')).toBe(true);
    // The last cell, quoted as CSV quotes a cell with commas and quotes in it.
    const cell = lines[1]!.slice(lines[1]!.indexOf(',"[{') + 1);
    expect(JSON.parse(cell.slice(1, -1).replace(/""/g, '"'))).toEqual([{ property: 'duel', length: 13, replayToken: check.witnesses[0].replayToken }]);
    const matrix = synod('matrix', 'specs/paxos.ts', '--presets', 'bag', '--grid', 'rounds=2', '--property', 'duel', '--quiet', '--out', join(scratch, 'duel-matrix'));
    expect(matrix.stdout.split('\n')[2]).toMatch(/^\| paxos \| ok \(stopped at the last witness\) \|$/);
  });

  it('runs the spec in its threads as strictly as check does: a write to a frozen state throws there too', () => {
    const check = synod('check', 'test/e2e/fixtures/writes-frozen-state.ts', '--quiet');
    expect(check.status).toBe(2);
    const run = synod('sweep', 'test/e2e/fixtures/writes-frozen-state.ts', '--grid', 'limit=1..2', '--json', '--quiet', '--out', join(scratch, 'frozen'));
    expect(run.status).toBe(2);
    const rows = JSON.parse(run.stdout).rows as { status: string; error?: string }[];
    expect(rows.map((row) => row.status)).toEqual(['error', 'error']);
    expect(rows[0]!.error).toMatch(/^Cannot assign to read only property 'n' of object/);
    expect(run.stderr).toMatch(/^synod: error \[points-failed\]: writes-frozen-state failed at 2 of 2 points, first at limit=1: Cannot assign to read only property 'n' .*depth 1\)\n$/);
    // A .cts spec is CommonJS, sloppy, on the main thread: its threads run it so too (the write dropped, the same ok).
    const common = join(scratch, 'writes-frozen-state.cts');
    writeFileSync(
      common,
      readFileSync(join(root, 'test/e2e/fixtures/writes-frozen-state.ts'), 'utf8')
        .replace(/^import .*$/m, '')
        .replace('defineSpec({', '({')
        .replace(/\(next as \{ n: number \}\)/, '(next as any)'),
    );
    expect(synod('check', common, '--quiet').stdout.split('\n')[1]).toBe('OK: all properties hold');
    const commonSweep = synod('sweep', common, '--grid', 'limit=1..2', '--json', '--quiet', '--out', join(scratch, 'frozen-cts'));
    expect(commonSweep.status).toBe(0);
    expect(JSON.parse(commonSweep.stdout).rows.map((row: { status: string }) => row.status)).toEqual(['ok', 'ok']);
  });

  it('names in the table why a point could not be checked', () => {
    const run = synod('sweep', 'test/e2e/fixtures/throws-under-dup.ts', '--grid', 'network=dup|bag', '--quiet', '--out', join(scratch, 'errors'));
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      `synod: error [points-failed]: throws-under-dup failed at 1 of 2 points, first at network=dup: no step from 2 under dup at ${underDup} (in action "Increment", expanding a state at depth 3) (hint: the results above stand for the other points)\n`,
    );
    const rows = run.stdout.trimEnd().split('\n').slice(2).map((line) => line.split('|')[2]!.trim());
    expect(rows).toEqual([`error: no step from 2 under dup at ${underDup} (in action "Increment", expanding a state at depth 3)`, 'ok']);
  });

  it('removes the plots of an earlier sweep into the same directory, which the new results do not show', () => {
    const again = join(scratch, 'again');
    expect(synod('sweep', spec, '--grid', 'proposers=1..2', '--workers', '2', '--out', again, '--plot', '--quiet').status).toBe(0);
    expect(readdirSync(again).filter((name) => name.endsWith('.svg'))).toEqual(['states-by-proposers.svg']);
    // A directory named like a plot is not one: it stays.
    mkdirSync(join(again, 'states-by-rounds.svg'));
    const run = synod('sweep', spec, '--grid', 'learners=0..1', '--workers', '2', '--out', again, '--plot');
    expect(readdirSync(again).filter((name) => name.endsWith('.svg'))).toEqual(['states-by-learners.svg', 'states-by-rounds.svg']);
    expect(run.status).toBe(0);
    expect(run.stderr).toContain(`synod: removed the plots of an earlier sweep: ${join(again, 'states-by-proposers.svg')}`);
  });

  it('refuses a bad grid in one line, exit 2', () => {
    const run = synod('sweep', 'specs/paxos.ts', '--grid', 'acceptors=3..12', '--out', join(scratch, 'bad'));
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe("synod: error [bad-parameter]: grid point (acceptors=10): parameter 'acceptors' must be between 1 and 9, got 10");
    const unknown = synod('sweep', 'specs/paxos.ts', '--grid', 'slots=1..2', '--out', join(scratch, 'bad'));
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^synod: error \[bad-flag-value\]: --grid: the grid names 'slots', which is not a parameter/);
  });

  it('refuses a grid of more than 10,000 points, or a matrix of more than 10,000 cells, in one line, exit 2, before expanding it', () => {
    for (const [grid, how] of [
      ['acceptors=1..1000000000', 'acceptors=1..1000000000 alone'],
      ['acceptors=1..1000,proposers=1..1000,rounds=1..1000', '1,000 x 1,000 x 1,000'],
    ]) {
      const run = synod('sweep', 'specs/paxos.ts', '--grid', grid!, '--json', '--out', join(scratch, 'huge'));
      expect(run.status).toBe(2);
      expect(run.stderr).toBe(
        `synod: error [bad-flag-value]: --grid: the grid has 1,000,000,000 points (${how}), more than the 10,000 one run may check: sweep a part of it at a time\n`,
      );
    }
    const matrix = synod('matrix', 'specs/paxos.ts', '--grid', 'acceptors=1..1000000000', '--out', join(scratch, 'huge'));
    expect(matrix.status).toBe(2);
    expect(matrix.stderr).toMatch(/^synod: error \[bad-flag-value\]: --grid: the grid has 1,000,000,000 points/);
    // A grid within the cap, under four presets: 3,645 points make 14,580 cells, refused before any is checked.
    const cells = synod('matrix', 'specs/flexible-paxos.ts', '--grid', 'acceptors=1..9,q1=1..9,q2=1..9,proposers=1..5', '--out', join(scratch, 'huge'));
    expect(cells.status).toBe(2);
    expect(cells.stderr).toBe(
      "synod: error [bad-flag-value]: --grid: the matrix has 14,580 cells (1 spec, 4 presets, and the grid's points each spec takes), more than the 10,000 one run may check: run a part of it at a time\n",
    );
  });
  it('counts the checks of --symmetry both against the cap: each point is two', () => {
    // 8,640 points, within the cap; twice that is past it, refused before any point is checked.
    const grid = 'acceptors=1..9,proposers=1..5,rounds=1..4,learners=0..3,crashes=0..3,network=bag|dup|lossy';
    const run = synod('sweep', 'specs/paxos.ts', '--grid', grid, '--symmetry', 'both', '--out', join(scratch, 'huge'));
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      "synod: error [bad-flag-value]: --symmetry both checks each of the grid's 8,640 points twice: 17,280 checks, more than the 10,000 one run may check (hint: sweep a part of the grid at a time)\n",
    );
    // Points the spec refuses are not checked, so not counted: 5,100 of 8,100 are checked, twice.
    const quorums = synod('sweep', 'specs/flexible-paxos.ts', '--grid', 'acceptors=5..9,q1=1..9,q2=1..9,proposers=1..5,rounds=1..4', '--symmetry', 'both', '--out', join(scratch, 'huge'));
    expect(quorums.status).toBe(2);
    expect(quorums.stderr).toBe(
      "synod: error [bad-flag-value]: --symmetry both checks each of the grid's 5,100 points the spec takes (of 8,100) twice: 10,200 checks, more than the 10,000 one run may check (hint: sweep a part of the grid at a time)\n",
    );
  });

  it("marks n/a the points whose combination the spec refuses, with its reason, and checks the rest (exit 0)", () => {
    const out = join(scratch, 'refused');
    const run = synod('sweep', 'specs/flexible-paxos.ts', '--grid', 'q1=2..4,q2=3..4', '--acceptors', '3', '--out', out, '--quiet');
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines.slice(2, 4).map((line) => line.split('|').slice(1, 5).map((cell) => cell.trim()))).toEqual([
      ['2', '3', 'ok', '33,489'],
      ['3', '3', 'ok', '2,916'],
    ]);
    const notes = [
      '- n/a q1=2 q2=4: q2 = 4 is larger than the 3 acceptors',
      '- n/a q1=3 q2=4: q2 = 4 is larger than the 3 acceptors',
      '- n/a q1=4 q2=3: q1 = 4 is larger than the 3 acceptors',
      '- n/a q1=4 q2=4: q1 = 4 is larger than the 3 acceptors',
    ];
    expect(lines.slice(4)).toEqual(notes);
    expect(readFileSync(join(out, 'results.md'), 'utf8')).toContain(`${lines[3]}\n\n${notes.join('\n')}\n\n- command: `);
    // The CSV has a line per check; the JSON record keeps the refused points apart from its rows.
    expect(readFileSync(join(out, 'results.csv'), 'utf8').trim().split('\n')).toHaveLength(3);
    const record = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(record.rows).toHaveLength(2);
    expect(record.refused.map((point: { parameters: Record<string, number>; reason: string }) => [point.parameters.q1, point.parameters.q2, point.parameters.acceptors, point.reason])).toEqual([
      [2, 4, 3, 'q2 = 4 is larger than the 3 acceptors'],
      [3, 4, 3, 'q2 = 4 is larger than the 3 acceptors'],
      [4, 3, 3, 'q1 = 4 is larger than the 3 acceptors'],
      [4, 4, 3, 'q1 = 4 is larger than the 3 acceptors'],
    ]);
    // The spec's defaults (q1 = 3) are refused with 2 acceptors: the grid's own points decide.
    const small = synod('sweep', 'specs/flexible-paxos.ts', '--grid', 'q1=1..2', '--acceptors', '2', '--out', join(scratch, 'refused-small'), '--quiet');
    expect(small.status).toBe(0);
    expect(small.stdout.trimEnd().split('\n')).toHaveLength(4);
    expect(JSON.parse(readFileSync(join(scratch, 'refused-small', 'results.json'), 'utf8'))).not.toHaveProperty('refused');
    // Two values of q2, one of them refused: no chart, and the warning says why.
    const plotted = synod('sweep', 'specs/flexible-paxos.ts', '--grid', 'q2=3..4', '--plot', '--out', join(scratch, 'refused-plot'), '--quiet');
    expect(plotted.status).toBe(0);
    expect(plotted.stderr).toBe(
      'synod: --plot draws distinct states against a numeric parameter with two values or more among the points the spec takes, and this grid sweeps none (q2): no chart\n',
    );
    // A fixed flag out of range is named as the flag's, not as a grid point's.
    const fixed = synod('sweep', 'specs/flexible-paxos.ts', '--grid', 'q2=1..2', '--acceptors', '12', '--out', join(scratch, 'refused-fixed'));
    expect(fixed.status).toBe(2);
    expect(fixed.stderr).toBe("synod: error [bad-parameter]: parameter 'acceptors' must be between 1 and 9, got 12\n");
  });

  it('reduces by a set when only properties that treat its members alike are checked, as check does', () => {
    const spec = 'test/e2e/fixtures/undeclared-asymmetry.ts';
    const out = join(scratch, 'symmetry-selected');
    const selected = synod('sweep', spec, '--grid', 'size=2..3', '--declared', 'yes', '--symmetry', '--property', 'Bounded', '--out', out, '--quiet');
    expect(selected.status).toBe(0);
    expect(selected.stdout.trimEnd().split('\n').slice(2).map((line) => line.split('|').slice(1, 5).map((cell) => cell.trim()))).toEqual([
      ['2', 'counters', 'ok', '6'],
      ['3', 'counters', 'ok', '10'],
    ]);
    const all = synod('sweep', spec, '--grid', 'size=2..3', '--declared', 'yes', '--symmetry', '--out', out);
    expect(all.status).toBe(2);
    expect(all.stderr).toBe('synod: error [bad-flag-value]: symmetry over counters would be unsound: property FirstBelowSize tells their members apart\n');
    // Undeclared, the reduced check stops at it: with --symmetry both a point is two checks.
    const both = synod('sweep', spec, '--grid', 'size=2', '--symmetry', 'both', '--out', out, '--quiet');
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/^synod: error \[points-failed\]: undeclared-asymmetry failed at 1 of 2 checks, first at size=2: the property FirstBelowSize tells the counters apart: /);
  });

  it('refuses a grid every point of which the spec refuses, and check refuses such a combination, in one line, exit 2', () => {
    const sweep = synod('sweep', 'specs/flexible-paxos.ts', '--grid', 'q2=4..5', '--out', join(scratch, 'refused-all'));
    expect(sweep.status).toBe(2);
    expect(sweep.stderr).toBe('synod: error [bad-parameter]: the spec flexible-paxos refuses every point of the grid, the first (q2=4): q2 = 4 is larger than the 3 acceptors\n');
    const check = synod('check', 'specs/flexible-paxos.ts', '--q2', '4');
    expect(check.status).toBe(2);
    expect(check.stderr).toBe('synod: error [bad-parameter]: the spec flexible-paxos refuses these parameters: q2 = 4 is larger than the 3 acceptors\n');
  });
});

describe('synod matrix', () => {
  it('finds every broken variant broken, with its shortest counterexample', () => {
    const bugs = ['amnesia', 'any-promise-value', 'minority-quorum', 'multi-paxos-no-adopt', 'no-promise-check', 'shared-ballots'];
    const run = synod('matrix', ...bugs.map((bug) => `specs/bugs/${bug}.ts`), '--presets', 'bag', '--grid', 'learners=0', '--out', join(scratch, 'matrix'), '--quiet');
    expect(run.status).toBe(0);
    expect(run.stdout.split('\n').slice(0, 8)).toEqual([
      '| spec                 | bag                            |',
      '| -------------------- | ------------------------------ |',
      '| amnesia              | Agreement fails (16 steps) *   |',
      '| any-promise-value    | Agreement fails (20 steps)     |',
      '| minority-quorum      | Agreement fails (14 steps)     |',
      '| multi-paxos-no-adopt | SlotAgreement fails (14 steps) |',
      '| no-promise-check     | Agreement fails (14 steps)     |',
      '| shared-ballots       | Agreement fails (14 steps)     |',
    ]);
    expect(run.stdout).toContain("- \\* amnesia: crashes=1 (the spec's least); a restart forgets the state (restart=amnesia)\n");
  });

  it('gives every cell and exits 2 when the spec fails in some (naming the first), as a sweep does', () => {
    const run = synod('matrix', 'test/e2e/fixtures/throws-under-dup.ts', '--presets', 'bag,dup,lossy', '--out', join(scratch, 'matrix-fails'), '--quiet');
    expect(run.status).toBe(2);
    expect(run.stdout.split('\n')[2]).toBe(`| throws-under-dup | ok  | error: no step from 2 under dup at ${underDup} (in action "Increment", expanding a state at depth 3) | ok    |`);
    expect(run.stderr).toBe(
      `synod: error [points-failed]: throws-under-dup failed at 1 of 3 points, first at the dup preset: no step from 2 under dup at ${underDup} (in action "Increment", expanding a state at depth 3) (hint: the results above stand for the other points)\n`,
    );
    expect(JSON.parse(readFileSync(join(scratch, 'matrix-fails', 'matrix.json'), 'utf8')).rows.map((row: { status: string }) => row.status)).toEqual(['ok', 'error', 'ok']);
  });

  it('marks n/a a cell whose parameters the spec refuses together, and checks the others (exit 0)', () => {
    const run = synod('matrix', 'specs/flexible-paxos.ts', '--grid', 'acceptors=2..3', '--presets', 'bag,crash', '--out', join(scratch, 'matrix-refused'), '--quiet');
    expect(run.status).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines.slice(2, 4)).toEqual(['| flexible-paxos |         2 | n/a | n/a   |', '| flexible-paxos |         3 | ok  | ok    |']);
    expect(lines.at(-1)).toBe('- n/a flexible-paxos at acceptors=2: q1 = 3 is larger than the 2 acceptors');
  });

  it("fails a cell whose spec's refuse throws, as a cell whose build throws, where sweep refuses the grid", () => {
    const spec = 'test/e2e/fixtures/refuses-under-lossy.ts';
    const matrix = synod('matrix', spec, '--presets', 'bag,dup,lossy', '--out', join(scratch, 'matrix-refuse-throws'), '--quiet');
    expect(matrix.status).toBe(2);
    const refusePlace = placeOf(spec, "new Error('refuse cannot judge dup')");
    expect(matrix.stdout.split('\n')[2]).toBe(`| refuses-under-lossy | ok  | error: the refuse of the spec refuses-under-lossy failed: it threw: refuse cannot judge dup at ${refusePlace} | n/a   |`);
    expect(matrix.stdout.trimEnd().split('\n').at(-1)).toBe('- n/a refuses-under-lossy: a counter cannot lose its steps');
    expect(matrix.stderr).toBe(
      `synod: error [points-failed]: refuses-under-lossy failed at 1 of 2 points, first at the dup preset: the refuse of the spec refuses-under-lossy failed: it threw: refuse cannot judge dup at ${refusePlace} (hint: the results above stand for the other points)\n`,
    );
    const sweep = synod('sweep', spec, '--grid', 'network=bag|dup|lossy', '--out', join(scratch, 'sweep-refuse-throws'));
    expect(sweep.status).toBe(2);
    expect(sweep.stderr).toBe(`synod: error [spec-build-failed]: the refuse of the spec refuses-under-lossy failed at grid point (network=dup): it threw: refuse cannot judge dup at ${refusePlace}\n`);
    const refused = synod('sweep', spec, '--grid', 'network=bag|lossy', '--out', join(scratch, 'sweep-refused'), '--quiet');
    expect(refused.status).toBe(0);
    expect(refused.stdout.trimEnd().split('\n').slice(2)).toEqual([
      expect.stringMatching(/^\| bag +\| ok +\| +4 \| +3 \| +4 \|/),
      '- n/a network=lossy: a counter cannot lose its steps',
    ]);
  });

  it('checks a spec file named twice, in two spellings, once', () => {
    const run = synod('matrix', 'specs/examples/ping.ts', './specs/examples/ping.ts', '--presets', 'bag', '--quiet', '--out', join(scratch, 'matrix-twice'));
    expect(run.status).toBe(0);
    expect(run.stdout.split('\n').slice(0, 4)).toEqual(['| spec | bag |', '| ---- | --- |', '| ping | ok  |', '']);
  });

  it('notes a spec whose restart forgets, where the crash preset speaks of durable state', () => {
    const run = synod('matrix', 'specs/paxos.ts', 'specs/bugs/amnesia.ts', '--presets', 'crash,bag', '--grid', 'learners=0', '--out', join(scratch, 'matrix-restart'), '--quiet');
    expect(run.status).toBe(0);
    expect(run.stdout.split('\n').slice(2, 4)).toEqual([
      '| paxos   | ok                           | ok                           |',
      '| amnesia | Agreement fails (16 steps) * | Agreement fails (16 steps) * |',
    ]);
    // One note a spec, its cells' notes merged, each part naming its presets where not all starred.
    expect(run.stdout.split('\n').slice(5)).toEqual([
      "- `crash`: reliable network; one acceptor may crash and restart, keeping what the spec's restart keeps (its durable state; nothing under restart=amnesia, noted) (network=bag, crashes=1)",
      '- `bag`: reliable network: each message delivered at most once, in any order (network=bag, crashes=0)',
      "- \\* amnesia: a restart forgets the state (restart=amnesia); crashes=1 (the spec's least) under bag",
      '',
    ]);
  });

  it('names each CSV line\'s preset and the properties it checked, and checks two cells of the same parameters once', () => {
    // amnesia always has a crash: its bag and crash cells are one configuration.
    const out = join(scratch, 'matrix-csv');
    const run = synod('matrix', 'specs/examples/ping.ts', 'specs/bugs/amnesia.ts', '--presets', 'bag,crash,dup', '--grid', 'learners=0,proposers=1', '--per-property', '--out', out, '--json', '--quiet');
    expect(run.status).toBe(0);
    const [header, ...lines] = readFileSync(join(out, 'matrix.csv'), 'utf8').trim().split('\n');
    const columns = header!.split(',');
    const cell = (line: string, name: string) => line.split(',')[columns.indexOf(name)];
    expect(columns.slice(0, 2)).toEqual(['spec', 'preset']);
    // ping has no crashes parameter: its crash cell is n/a and has no line; under dup it fails
    // NoExtraAnswers and is checked again for the rest.
    expect(lines.map((line) => `${cell(line, 'spec')} ${cell(line, 'preset')} ${cell(line, 'properties checked')} ${cell(line, 'status')}`)).toEqual([
      'ping bag NoExtraAnswers AllAnswered ok',
      'ping dup NoExtraAnswers AllAnswered violation',
      'ping dup AllAnswered ok',
      'amnesia bag Agreement LearnerAgreement Validity ValueChosen ok',
      'amnesia crash Agreement LearnerAgreement Validity ValueChosen ok',
      'amnesia dup Agreement LearnerAgreement Validity ValueChosen ok',
    ]);
    const rows = JSON.parse(run.stdout).rows as { preset: string; seconds: number; spec: string }[];
    const amnesia = (preset: string) => rows.find((row) => row.spec === 'amnesia' && row.preset === preset)!;
    expect(amnesia('crash').seconds).toBe(amnesia('bag').seconds);
    expect(amnesia('dup').seconds).not.toBe(amnesia('bag').seconds);
  });

  it('names the bundled specs from the working directory when they lie below it, and in full when not', () => {
    const args = ['--presets', 'crash', '--grid', 'learners=0,proposers=1', '--max-states', '10', '--json'];
    const here = synod('matrix', ...args, '--out', join(scratch, 'paths-here'));
    expect(here.stderr).toContain("synod: matrix leaves out specs/paxos-tla.ts: it declares none of the presets' parameters (crashes)\n");
    expect(JSON.parse(here.stdout).cells[0].specPath).toBe('specs/flexible-paxos.ts');
    const away = spawnSync(process.execPath, [join(root, 'src/cli/synod.mjs'), 'matrix', ...args, '--out', join(scratch, 'paths-away')], { cwd: scratch, encoding: 'utf8', timeout: 170_000 });
    expect(away.stderr).toContain(`synod: matrix leaves out ${join(root, 'specs/paxos-tla.ts')}: it declares`);
    expect(JSON.parse(away.stdout).cells[0].specPath).toBe(join(root, 'specs/flexible-paxos.ts'));
  });

  it('points a parameter given as a flag to --grid, with its value, and a slip of its own flags to the flag', () => {
    const hint = (value: string) => `synod: error [unknown-flag]: unknown flag --acceptors (hint: a matrix takes the specs' parameters in --grid, for the specs that declare them: --grid 'acceptors=${value}')\n`;
    for (const [args, value] of [[['--acceptors', '4'], '4'], [['--acceptors=5'], '5'], [['--acceptors', '--quiet'], 'VALUE']] as const) {
      const run = synod('matrix', 'specs/paxos.ts', ...args);
      expect(run.status).toBe(2);
      expect(run.stderr).toBe(hint(value));
    }
    expect(synod('matrix', '--presest', 'bag').stderr).toBe('synod: error [unknown-flag]: unknown flag --presest (hint: did you mean --presets? synod --help lists the flags)\n');
    // The presets' parameters are the columns, which --grid refuses too; a flag no parameter could be, as any.
    expect(synod('matrix', 'specs/paxos.ts', '--network', 'dup').stderr).toBe(
      "synod: error [unknown-flag]: unknown flag --network (hint: the presets set network (the matrix's columns): choose them with --presets bag,dup,lossy,crash)\n",
    );
    expect(synod('matrix', 'specs/paxos.ts', '--acceptors:4').stderr).toBe('synod: error [unknown-flag]: unknown flag --acceptors:4 (hint: synod --help lists the flags)\n');
  });

  it('refuses a property no spec of the matrix declares, and the sweep-only --symmetry and --plot', () => {
    const typo = synod('matrix', 'specs/bugs/no-promise-check.ts', '--property', 'Agreemnt', '--presets', 'bag', '--quiet', '--out', join(scratch, 'typo'));
    expect(typo.status).toBe(2);
    expect(typo.stderr.trim()).toBe(
      'synod: error [bad-flag-value]: --property: no spec in the matrix declares Agreemnt (hint: they declare Agreement, LearnerAgreement, Validity, ValueChosen, decides, duel)',
    );
    for (const flag of ['--symmetry', '--plot']) {
      const run = synod('matrix', 'specs/paxos.ts', flag, '--presets', 'bag', '--quiet', '--out', join(scratch, 'sweep-only'));
      expect(run.status).toBe(2);
      expect(run.stderr.trim()).toBe(`synod: error [unknown-flag]: ${flag} is not a flag of this command (hint: synod --help says which commands take it)`);
    }
  });

  it('refuses a grid value out of range for a spec that declares the parameter, as sweep does', () => {
    const run = synod('matrix', 'specs/paxos.ts', '--grid', 'acceptors=0', '--presets', 'bag', '--json', '--out', join(scratch, 'out-of-range'));
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe("synod: error [bad-parameter]: grid value acceptors=0 for specs/paxos.ts: parameter 'acceptors' must be between 1 and 9, got 0\n");
  });

  it('refuses a matrix whose every cell is n/a in one line, with no table, no files and no directory', () => {
    const out = join(scratch, 'all-n-a');
    const run = synod('matrix', 'specs/flexible-paxos.ts', '--grid', 'acceptors=3,q1=4', '--presets', 'bag,dup', '--out', out);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'synod: error [bad-parameter]: every cell of the matrix is n/a, so nothing would be checked: flexible-paxos at acceptors=3 q1=4: q1 = 4 is larger than the 3 acceptors\n',
    );
    // Not even the directory --out named: the command created it, and removes it as it refuses.
    expect(existsSync(out)).toBe(false);
    const nested = join(scratch, 'all-n-a-parent', 'results');
    expect(synod('matrix', 'specs/flexible-paxos.ts', '--grid', 'acceptors=3,q1=4', '--presets', 'bag', '--out', nested).status).toBe(2);
    expect(existsSync(join(scratch, 'all-n-a-parent'))).toBe(false);
  });

  it('checks nothing in the cells of a spec that declares none of the properties named', () => {
    const run = synod('matrix', 'specs/paxos.ts', 'specs/multi-paxos.ts', '--property', 'SlotAgreement', '--presets', 'bag', '--grid', 'learners=0,slots=1', '--json', '--quiet', '--out', join(scratch, 'none-named'));
    expect(run.status).toBe(0);
    const record = JSON.parse(run.stdout);
    expect(record.cells.map((cell: { spec: string; applicable: boolean; note?: string }) => [cell.spec, cell.applicable, cell.note])).toEqual([
      ['paxos', false, 'paxos declares none of the properties named'],
      ['multi-paxos', true, undefined],
    ]);
  });

  it('gives each property a verdict under each preset: the table in the README', () => {
    const run = synod(
      'matrix',
      'specs/paxos.ts',
      'specs/multi-paxos.ts',
      'specs/flexible-paxos.ts',
      '--per-property',
      '--property',
      'all',
      '--grid',
      'learners=0,slots=1',
      '--out',
      join(scratch, 'presets'),
      '--quiet',
    );
    expect(run.status).toBe(0);
    const table = run.stdout.split('\n\n')[0]!;
    const cells = table
      .split('\n')
      .slice(2)
      .map((line) => line.split('|').slice(1, -1).map((cell) => cell.trim()));
    expect(cells).toEqual([
      ['paxos', 'Agreement', 'holds', 'holds', 'holds', 'holds'],
      ['paxos', 'LearnerAgreement', 'holds', 'holds', 'holds', 'holds'],
      ['paxos', 'Validity', 'holds', 'holds', 'holds', 'holds'],
      ['paxos', 'ValueChosen', 'witnessed', 'witnessed', 'witnessed', 'witnessed'],
      ['paxos', 'decides', 'holds', 'holds', 'fails (8 steps)', 'holds'],
      ['paxos', 'duel', 'never witnessed', 'never witnessed', 'never witnessed', 'never witnessed'],
      ['multi-paxos', 'SlotAgreement', 'holds', 'holds', 'holds', 'holds'],
      ['multi-paxos', 'LogAgreement', 'holds', 'holds', 'holds', 'holds'],
      ['multi-paxos', 'AllSlotsChosen', 'witnessed', 'witnessed', 'witnessed', 'witnessed'],
      ['multi-paxos', 'duel', 'never witnessed', 'never witnessed', 'never witnessed', 'never witnessed'],
      ['flexible-paxos', 'Agreement', 'holds', 'holds', 'holds', 'holds'],
      ['flexible-paxos', 'LearnerAgreement', 'holds', 'holds', 'holds', 'holds'],
      ['flexible-paxos', 'Validity', 'holds', 'holds', 'holds', 'holds'],
      ['flexible-paxos', 'ValueChosen', 'witnessed', 'witnessed', 'witnessed', 'witnessed'],
      ['flexible-paxos', 'decides', 'holds', 'holds', 'fails (8 steps)', 'holds'],
      ['flexible-paxos', 'duel', 'never witnessed', 'never witnessed', 'never witnessed', 'never witnessed'],
    ]);
    // The README shows this table as synod printed it.
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain(table);
  });

  it('says under a per-property table why a check whose cells read "so far" stopped', () => {
    const out = join(scratch, 'per-property-stopped');
    const run = synod('matrix', 'specs/paxos.ts', '--per-property', '--presets', 'bag,dup', '--grid', 'learners=0', '--max-states', '2000', '--out', out, '--quiet');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('| paxos | Agreement        | holds so far | holds so far |');
    const notes = ['- stopped early: paxos at learners=0 under bag: no violation in 2,000 states (max-states)', '- stopped early: paxos at learners=0 under dup: no violation in 2,000 states (max-states)'];
    expect(run.stdout.trimEnd().split('\n').slice(-2)).toEqual(notes);
    expect(readFileSync(join(out, 'matrix.md'), 'utf8')).toContain(`${notes.join('\n')}\n`);
  });
});

describe('an --out where the results cannot be written', () => {
  it('is refused in one line, exit 2, before the first point is checked', () => {
    const file = join(scratch, 'a-file');
    writeFileSync(file, 'not a directory');
    const taken = join(scratch, 'taken');
    mkdirSync(join(taken, 'results.json'), { recursive: true });
    mkdirSync(join(taken, 'matrix.json'), { recursive: true });
    const cases = [
      [file, 'results.md', `${file} is not a directory`],
      ['/dev/full', 'results.md', '/dev/full is not a directory'],
      [taken, 'results.json', 'it is a directory'],
    ];
    for (const [out, name, reason] of cases) {
      const run = synod('sweep', 'specs/paxos.ts', '--grid', 'proposers=1..2', '--out', out!);
      expect(run.status).toBe(2);
      // No progress line: no point was started.
      expect(run.stderr).toBe(`synod: error [cannot-write]: cannot write ${join(out!, name!)}: ${reason}\n`);
    }
    // A plot's name is known from the grid: a plot that cannot be written is refused as early.
    const plotTaken = join(scratch, 'plot-taken');
    mkdirSync(join(plotTaken, 'states-by-proposers.svg'), { recursive: true });
    const plot = synod('sweep', 'specs/paxos.ts', '--grid', 'proposers=1..2', '--plot', '--out', plotTaken);
    expect(plot.status).toBe(2);
    expect(plot.stderr).toBe(`synod: error [cannot-write]: cannot write ${join(plotTaken, 'states-by-proposers.svg')}: it is a directory\n`);
    expect(readdirSync(plotTaken)).toEqual(['states-by-proposers.svg']);
    const matrix = synod('matrix', 'specs/paxos.ts', '--presets', 'bag', '--out', taken);
    expect(matrix.status).toBe(2);
    expect(matrix.stderr).toBe(`synod: error [cannot-write]: cannot write ${join(taken, 'matrix.json')}: it is a directory\n`);
    expect(readFileSync(file, 'utf8')).toBe('not a directory');
  });

  it('is refused in one line when empty, a matrix\'s too (before the notes on the specs it leaves out)', () => {
    for (const args of [['sweep', 'specs/examples/ping.ts', '--grid', 'pings=1', '--out', ''], ['matrix', '--out', ''], ['matrix', '--out= ']]) {
      const run = synod(...args);
      expect(run.status).toBe(2);
      expect(run.stderr).toBe('synod: error [bad-flag-value]: --out needs a directory name, got an empty value\n');
    }
  });
});

describe('results that fail only as they are written (a full disk)', () => {
  it('leave the table printed and the other files written, exit 2, for sweep and matrix', () => {
    for (const [command, failing, others] of [
      ['sweep', 'results.md', ['results.csv', 'results.json']],
      ['matrix', 'matrix.md', ['matrix.csv', 'matrix.json']],
    ] as const) {
      const out = join(scratch, `full-disk-${command}`);
      mkdirSync(out);
      // Opens for writing, as the check before the run does; every write fails with ENOSPC.
      symlinkSync('/dev/full', join(out, failing));
      const args = command === 'sweep' ? ['--grid', 'pings=1..2'] : ['--presets', 'bag,dup'];
      const run = synod(command, 'specs/examples/ping.ts', ...args, '--out', out);
      expect(run.status).toBe(2);
      expect(run.stdout.split('\n')[0]).toMatch(command === 'sweep' ? /^\| pings \| verdict / : /^\| spec +\| bag +\| dup +\|$/);
      const lines = run.stderr.trimEnd().split('\n');
      expect(lines.at(-2)).toBe(`synod: wrote ${others.map((name) => join(out, name)).join(', ')}`);
      expect(lines.at(-1)).toBe(
        `synod: error [cannot-write]: cannot write ${join(out, failing)}: ENOSPC: no space left on device (the results printed above stand)`,
      );
      expect(readdirSync(out).sort()).toEqual([...others, failing].sort());
    }
  });
});

describe('experiment points whose spec code never returns', () => {
  const fixture = 'test/e2e/fixtures/loops-forever-at.ts';
  const verdicts = (stdout: string) => stdout.trimEnd().split('\n').slice(2).map((line) => line.split('|')[2]!.trim());

  it('stops such a point 5 s after its --max-seconds and records it, with the points that finished', () => {
    const started = performance.now();
    const run = synod('sweep', fixture, '--grid', 'loops-at=0..2', '--max-seconds', '1', '--workers', '2', '--out', join(scratch, 'stuck'), '--quiet');
    expect(run.status).toBe(0);
    expect(verdicts(run.stdout)).toEqual(['ok', 'incomplete (max-seconds; spec code did not return)', 'incomplete (max-seconds; spec code did not return)']);
    expect((performance.now() - started) / 1000).toBeLessThan(30);
    // Stuck at once, before a first progress report: no counts (not zeros), and the time it had.
    const [, stuck] = run.stdout.trimEnd().split('\n').slice(2);
    expect(stuck).toMatch(/^\| +1 \| incomplete \(max-seconds; spec code did not return\) \| +\| +\| +\| +\d+\.\d\d \| +\| +\|$/);
    const json = JSON.parse(readFileSync(join(scratch, 'stuck', 'results.json'), 'utf8'));
    // The reason is one of check's, so that a filter on it finds these rows; a flag says the rest.
    expect(json.rows[1]).toMatchObject({ status: 'incomplete', incompleteReason: 'max-seconds', specCodeDidNotReturn: true, distinctStates: 0 });
    expect(json.rows[0].specCodeDidNotReturn).toBeUndefined();
    expect(json.interrupted).toBeUndefined();
  });

  it('stops such a matrix cell the same way', () => {
    const run = synod('matrix', fixture, '--presets', 'bag,dup', '--grid', 'loops-at=3', '--max-seconds', '1', '--workers', '2', '--out', join(scratch, 'stuck-matrix'), '--quiet', '--json');
    expect(run.status).toBe(0);
    const record = JSON.parse(run.stdout);
    expect(record.rows.map((row: { incompleteReason?: string; specCodeDidNotReturn?: boolean }) => [row.incompleteReason, row.specCodeDidNotReturn])).toEqual([
      ['max-seconds', true],
      ['max-seconds', true],
    ]);
    // Its counts are of its last progress report, if any: not "no violation in 0 states".
    const table = readFileSync(join(scratch, 'stuck-matrix', 'matrix.md'), 'utf8');
    expect(table).toContain('| stopped: max-seconds, spec code did not return | stopped: max-seconds, spec code did not return |');
  });

  /**
   * Sweeps the fixture over `grid` on one thread, and once stderr shows `when` (a progress line),
   * sends SIGINT after each of `delays` ms; resolves with the output and the seconds from the first.
   */
  async function interruptedSweep(out: string, grid: string, when: string, delays: number[]) {
    const child = spawn(process.execPath, ['src/cli/synod.mjs', 'sweep', fixture, '--grid', grid, '--workers', '1', '--out', out], { cwd: root });
    let stdout = '';
    let stderr = '';
    let firstAt: number | undefined;
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      if (firstAt === undefined && stderr.includes(when)) {
        firstAt = performance.now() + delays[0]!;
        for (const delay of delays) setTimeout(() => child.kill('SIGINT'), delay);
      }
    });
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    return { status, stdout, stderr, seconds: (performance.now() - firstAt!) / 1000 };
  }

  it('stops such a point 5 s after Ctrl-C and writes the results so far (exit 3)', async () => {
    const out = join(scratch, 'stuck-interrupted');
    // Once the stuck point runs: a second later, well inside its loop.
    const { status, stdout, stderr, seconds } = await interruptedSweep(out, 'loops-at=1|0', '1 running', [1000]);
    expect(status).toBe(3);
    expect(seconds).toBeGreaterThan(4.5);
    expect(seconds).toBeLessThan(15);
    expect(verdicts(stdout)).toEqual(['incomplete (interrupted; spec code did not return)', 'not started (interrupted)']);
    expect(stderr).toMatch(/sweep: 1 done, 0 running, 0 left, 1 not started \(interrupted\), \d+ s\n/);
    expect(readdirSync(out).sort()).toEqual(['results.csv', 'results.json', 'results.md']);
    // The files say the run as a whole was cut short, not only their rows.
    expect(readFileSync(join(out, 'results.md'), 'utf8')).toMatch(/^- started \S+, took [\d.]+ s; interrupted: 1 check stopped, 1 not started$/m);
    expect(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')).interrupted).toBe(true);
  }, 60_000);

  it('ends such a point at a second Ctrl-C, before its 5 s, and still writes the points that finished, saying so', async () => {
    const out = join(scratch, 'stuck-interrupted-twice');
    // Once the first point is done and the stuck one runs: two interrupts a second apart.
    const { status, stdout, stderr, seconds } = await interruptedSweep(out, 'loops-at=0|1', '1 done, 1 running', [500, 1500]);
    expect(status).toBe(3);
    expect(seconds).toBeGreaterThan(0.9);
    expect(seconds).toBeLessThan(4.5);
    expect(verdicts(stdout)).toEqual(['ok', 'incomplete (interrupted; spec code did not return)']);
    const lines = stderr.split('\n');
    const first = lines.indexOf('synod: interrupted: the checks running stop at their next step, or are ended in 5 s; interrupt again to end them now (the results are written either way)');
    expect(first).toBeGreaterThan(0);
    expect(lines.indexOf('synod: interrupted again: any check still running is ended now')).toBeGreaterThan(first);
    expect(readdirSync(out).sort()).toEqual(['results.csv', 'results.json', 'results.md']);
    expect(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')).rows.map((row: { status: string }) => row.status)).toEqual(['ok', 'incomplete']);
  }, 60_000);
});

describe('synod simulate', () => {
  const args = ['simulate', 'specs/bugs/no-promise-check.ts', '--runs', '300', '--depth', '40', '--seed', '7', '--json', '--quiet'];
  const timing = new Set(['seconds', 'runsPerSecond', 'peakMemoryBytes', 'firstSeconds']);
  const withoutTimings = (text: string) => JSON.parse(text, (key, value) => (timing.has(key) ? undefined : value));

  it('gives the same result for the same seed', () => {
    const first = synod(...args);
    const second = synod(...args);
    expect(first.status).toBe(1);
    expect(withoutTimings(second.stdout)).toEqual(withoutTimings(first.stdout));
    const result = JSON.parse(first.stdout);
    expect(result).toMatchObject({ status: 'violation', seed: 7, runs: 300, runsTaken: 300, depth: 40, workers: 1 });
    expect(result.endedTerminal + result.endedAtDepth + result.endedViolating).toBe(300);
    expect(result).toMatchObject({ endedAtLastWitness: 0, endedAtError: 0, violation: { property: 'Agreement', kind: 'always' } });
    expect(result.violations[0]).toMatchObject({ property: 'Agreement' });
    expect(result.counterexample.replayToken).toMatch(/^seed7-run\d+:0(\/\d+)+$/);
    expect(result.counterexample.length).toBe(result.violations[0].shortestLength);
    // As the text trace ends: the property and why it fails, over every step's state.
    expect(result.counterexample.explanation).toMatch(/^v\d chosen at ballot \d by \{a\d(,a\d)*\}; v\d chosen at ballot \d by \{a\d(,a\d)*\}$/);
    expect(result.counterexample.steps).toHaveLength(result.counterexample.length + 1);
    // In steps, as the text report says it: never past the depth bound.
    const text = synod(...args.filter((arg) => arg !== '--json'));
    expect(text.stdout).toContain(`longest run ${result.longestRun} steps`);
    expect(result.longestRun).toBeLessThanOrEqual(40);
    const other = JSON.parse(synod(...args.map((arg) => (arg === '7' ? '8' : arg))).stdout);
    expect(other.violations).not.toEqual(result.violations);
  });

  it('prints a replay token that synod replay reproduces', () => {
    const result = JSON.parse(synod(...args).stdout);
    const replay = synod('replay', 'specs/bugs/no-promise-check.ts', result.counterexample.replayToken);
    expect(replay.status).toBe(1);
    expect(replay.stdout.split('\n')[1]).toBe(
      `VIOLATION: Agreement (always) fails at step ${result.counterexample.length}, the end of the trace: the violation reproduces`,
    );
  });

  it('stops, ok, at the walk that witnesses the sometimes properties asked for, and shows it', () => {
    const run = synod('simulate', 'specs/paxos.ts', '--rounds', '2', '--property', 'duel', '--runs', '1000', '--seed', '1', '--quiet');
    expect(run.status).toBe(0);
    expect(run.stdout.split('\n')[1]).toBe('OK: all properties hold; witnessed duel');
    const witness = /witness of duel \((\d+) steps; run (\d+); replay token (seed1-run\d+:[\d/]+)\)/.exec(run.stdout);
    expect(witness).not.toBeNull();
    expect(run.stdout).toMatch(new RegExp(`runs         ${Number(witness![2]) + 1} \\(\\d+ runs/s\\): (\\d+) ended at a terminal state, (\\d+) at the depth bound, 0 at a violation, 1 at the last witness needed\n`));
    // The runs' ends add up to the runs taken.
    const ends = /: (\d+) ended at a terminal state, (\d+) at the depth bound/.exec(run.stdout)!;
    expect(Number(ends[1]) + Number(ends[2]) + 1).toBe(Number(witness![2]) + 1);
    const json = JSON.parse(synod('simulate', 'specs/paxos.ts', '--rounds', '2', '--property', 'duel', '--runs', '1000', '--seed', '1', '--quiet', '--json').stdout);
    expect(json.endedTerminal + json.endedAtDepth + json.endedViolating + json.endedAtLastWitness).toBe(json.runsTaken);
    expect(json.witnesses).toHaveLength(1);
    expect(json.witnesses[0]).toMatchObject({ property: 'duel', length: Number(witness![1]), replayToken: witness![3], run: Number(witness![2]) });
    expect(json.witnesses[0].steps).toHaveLength(Number(witness![1]) + 1);
    const replay = synod('replay', 'specs/paxos.ts', witness![3]!, '--rounds', '2');
    expect(replay.status).toBe(0);
    expect(replay.stdout).toContain(`(${witness![1]} steps)`);
  });

  it('counts the run the spec threw in among how the runs ended, and says in words how many (one run, one step)', () => {
    const run = synod('simulate', 'test/e2e/fixtures/throws-while-exploring.ts', '--runs', '1', '--depth', '1', '--seed', '1', '--quiet');
    expect(run.stdout.split('\n')[0]).toBe('synod simulate test/e2e/fixtures/throws-while-exploring.ts seed 1: 1 run (numbered from 0) of up to 1 step');
    const threw = synod('simulate', 'test/e2e/fixtures/throws-while-exploring.ts', '--runs', '3', '--seed', '1', '--quiet');
    expect(threw.status).toBe(2);
    expect(threw.stdout).toMatch(/\nruns {9}1 \([\d,]+ runs\/s\): 0 ended at a terminal state, 0 at the depth bound, 0 at a violation, 1 where the spec threw\n/);
    expect(threw.stdout).toContain('states       4 distinct seen, 3 steps taken, longest run 3 steps\n');
    // The run, up to the state where the spec threw, with the token that replays it.
    expect(threw.stdout.trimEnd().split('\n').slice(-9)).toEqual([
      "run 0 up to where the spec's code threw (3 steps; replay token seed1-run0:0/0/0/0)",
      '  0. initial state',
      '       state: 0',
      '  1. Increment from 0',
      '       state: 0 -> 1',
      '  2. Increment from 1',
      '       state: 1 -> 2',
      '  3. Increment from 2',
      '       state: 2 -> 3',
    ]);
    const json = JSON.parse(synod('simulate', 'test/e2e/fixtures/throws-while-exploring.ts', '--runs', '3', '--seed', '1', '--quiet', '--json').stdout);
    expect(json.error).toEqual({ code: 'model-threw', message: `counter overflow at ${placeOf('test/e2e/fixtures/throws-while-exploring.ts', "new Error('counter overflow')")} (in run 0 after 3 steps)`, path: { initial: 0, actions: [0, 0, 0] } });
    expect(json.errorTrace).toMatchObject({ length: 3, replayToken: 'seed1-run0:0/0/0/0', run: 0 });
    expect(json.errorTrace.steps.map((step: { state: unknown }) => step.state)).toEqual([0, 1, 2, 3]);
    expect(synod('replay', 'test/e2e/fixtures/throws-while-exploring.ts', 'seed1-run0:0/0/0/0').stdout).toContain('(3 steps)');
  });

  it('refuses a negative --depth given as its own argument in one line, exit 2', () => {
    const run = synod('simulate', 'specs/paxos.ts', '--depth', '-1');
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe("synod: error [bad-flag-value]: --depth must be a positive whole number, got '-1'");
  });

  it('is incomplete (exit 3), never ok, when no walk finds a violation', () => {
    const run = synod('simulate', 'specs/paxos.ts', '--proposers', '1', '--runs', '50', '--seed', '1', '--quiet');
    expect(run.status).toBe(3);
    // Numbered from 0, as the replay tokens (seed1-run0) number them.
    expect(run.stdout.split('\n')[0]).toMatch(/\) seed 1: 50 runs \(numbered from 0\) of up to 100 steps$/);
    expect(run.stdout.split('\n')[1]).toBe(
      'INCOMPLETE: stopped before a verdict: random simulation found no violation, and it cannot show that none exists (no property was found violated so far)',
    );
    // Steps, as in "runs of up to 100 steps" (13 states: synod check's depth of this model).
    expect(run.stdout).toContain('144 distinct seen, 589 steps taken, longest run 12 steps');
  });

  it('says that a sometimes property asked for was not witnessed, not only that nothing failed', () => {
    const run = synod('simulate', 'specs/paxos.ts', '--property', 'duel', '--runs', '5', '--seed', '1', '--quiet');
    expect(run.status).toBe(3);
    expect(run.stdout.split('\n')[1]).toBe(
      'INCOMPLETE: stopped before a verdict: random simulation did not witness duel, and it cannot show that it never happens (no property was found violated so far)',
    );
  });
});
