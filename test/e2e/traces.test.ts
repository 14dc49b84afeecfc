/**
 * End to end: counterexamples written as ITF (--trace-out), drawn as Mermaid (--mermaid), replayed
 * (synod replay) and turned into regression tests (--emit-test), through the real command.
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mermaid from 'mermaid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
// Inside the repository (emitted tests import the spec by a relative path, and 'synod' resolves to
// src/index.ts by the package's self-reference); in .gitignore.
const scratch = `test/e2e/.tmp-traces-${process.pid}`;

function run(command: string, args: readonly string[], cwd = root) {
  // A nested vitest must not think it is a worker of this one.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST') && name !== 'TEST'));
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 120_000, killSignal: 'SIGKILL', env: { ...env, NO_COLOR: '1' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, output: result.stdout + result.stderr };
}

const synod = (...args: string[]) => run(process.execPath, ['src/cli/synod.mjs', ...args]);
/** `npx vitest ...`, the command synod prints for an emitted test: the project's own vitest, without npx's half second of start-up. */
const vitest = (...args: string[]) => run(`${root}node_modules/.bin/vitest`, args);

const BUG = ['specs/bugs/any-promise-value.ts', '--proposers', '3', '--rounds', '1', '--learners', '0'];
const PING = ['specs/examples/ping.ts', '--network', 'dup', '--pings', '3'];

/** The lines of the fenced Mermaid block in a text report. */
function mermaidBlock(stdout: string): string[] {
  const lines = stdout.split('\n');
  const start = lines.indexOf('```mermaid');
  const end = lines.indexOf('```', start + 1);
  expect(start).toBeGreaterThan(0);
  expect(end).toBeGreaterThan(start);
  return lines.slice(start + 1, end);
}

/** The counterexample of a broken spec, written to an ITF file and replayed against `against`. */
function foundThenReplayed(broken: string, against: string) {
  const file = `${scratch}/${broken.replace(/\W/g, '-')}.itf.json`;
  expect(synod('check', broken, '--quiet', '--trace-out', file).status).toBe(1);
  return synod('replay', against, file);
}

/** The replay token a text report prints with its counterexample. */
function tokenOf(stdout: string): string {
  const match = /replay token ([\d/]+)\)/.exec(stdout);
  expect(match).not.toBeNull();
  return match![1]!;
}

/** Trace files whose #meta.replayToken is a number, and a string across two lines. */
const numericToken = `${scratch}/numeric-token.itf.json`;
const twoLineToken = `${scratch}/two-line-token.itf.json`;

beforeAll(() => {
  mkdirSync(`${root}${scratch}`, { recursive: true });
  writeFileSync(`${root}${numericToken}`, JSON.stringify({ '#meta': { replayToken: 5 }, vars: [], states: [] }));
  writeFileSync(`${root}${twoLineToken}`, JSON.stringify({ '#meta': { replayToken: '0/1\n/2' }, vars: [], states: [] }));
});

afterAll(() => {
  rmSync(`${root}${scratch}`, { recursive: true, force: true });
});

describe('synod check on a broken spec, with every trace option (any-promise-value, 20 steps)', () => {
  const itfPath = `${scratch}/any-promise-value.itf.json`;
  const testPath = `${scratch}/any-promise-value.test.ts`;
  let check: ReturnType<typeof synod>;
  let token: string;

  beforeAll(() => {
    check = synod('check', ...BUG, '--quiet', '--mermaid', '--trace-out', itfPath, '--emit-test', testPath);
    token = tokenOf(check.stdout);
  });

  it('exits 1 and says on stderr, one line each, where it wrote the files', () => {
    expect(check.status).toBe(1);
    expect(check.stdout.split('\n')[1]).toBe('VIOLATION: Agreement (always) fails after 20 steps');
    expect(check.stderr.trim().split('\n')).toEqual([
      `synod: wrote the counterexample (ITF, 21 states) to ${itfPath}`,
      `synod: wrote a vitest test that replays the counterexample to ${testPath} (run it: npx vitest run ${testPath})`,
    ]);
  });

  it('says how to run the test only when vitest would collect the file by its name', () => {
    const unnamed = `${scratch}/any-promise-value-regression.ts`;
    const run = synod('check', ...BUG, '--quiet', '--emit-test', unnamed);
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe(
      `synod: wrote a vitest test that replays the counterexample to ${unnamed} (vitest runs only files named *.test.ts or *.spec.ts: rename it, then npx vitest run FILE)`,
    );
  });

  it("notes when the emitted test's import of 'synod' does not resolve where it is written", () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'synod-no-package-'));
    try {
      const emitted = join(elsewhere, 'cex.test.ts');
      const run = synod('check', ...BUG, '--quiet', '--emit-test', emitted);
      expect(run.status).toBe(1);
      expect(run.stderr.trim().split('\n')[1]).toBe(
        `synod: note: the test imports synod as 'synod', which does not resolve from ${elsewhere}: install synod in that project (or npm link it) before running it`,
      );
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it("quotes --property in the emitted test's command: an optional property is checked only when named", () => {
    const emitted = `${scratch}/decides.test.ts`;
    const run = synod('check', 'specs/paxos.ts', '--network', 'lossy', '--property', 'decides', '--quiet', '--emit-test', emitted);
    expect(run.status).toBe(1);
    const header = readFileSync(`${root}${emitted}`, 'utf8').split('\n')[2];
    expect(header).toBe(' *   synod check specs/paxos.ts --acceptors 3 --proposers 2 --rounds 1 --learners 1 --network lossy --crashes 0 --ignored prune --property decides');
  });

  it('writes an ITF trace: one state per step plus the initial one, with the replay token and parameters in #meta', () => {
    const itf = JSON.parse(readFileSync(`${root}${itfPath}`, 'utf8'));
    expect(itf['#meta']).toMatchObject({
      format: 'ITF',
      source: 'specs/bugs/any-promise-value.ts',
      spec: 'any-promise-value',
      params: { acceptors: 3, proposers: 3, rounds: 1, learners: 0, network: 'bag', ignored: 'prune' },
      status: 'violation',
      property: 'Agreement',
      kind: 'always',
      replayToken: token,
      synod: JSON.parse(readFileSync(`${root}package.json`, 'utf8')).version,
      specSha256: createHash('sha256').update(readFileSync(`${root}specs/bugs/any-promise-value.ts`)).digest('hex'),
    });
    expect(check.stdout).toContain(`>> Agreement fails at step 20: ${itf['#meta'].explanation}`);
    expect(itf.vars).toEqual(['p1', 'p2', 'p3', 'a1', 'a2', 'a3', 'network', 'mbt::actionTaken']);
    expect(itf.states).toHaveLength(21);
    itf.states.forEach((state: { '#meta': { index: number } }, index: number) => expect(state['#meta']).toEqual({ index }));
    // Step 15: a1 receives Prepare(b=3) and promises 3 (it had promised 1).
    expect(itf.states[14].a1.promised).toEqual({ '#bigint': '1' });
    expect(itf.states[15].a1.promised).toEqual({ '#bigint': '3' });
    expect(itf.states[15]['mbt::actionTaken']).toBe('a1 receives Prepare(b=3) from p3');
    expect(itf.states[0]['mbt::actionTaken']).toBe('init');
    const lastStep = check.stdout.split('\n').find((line) => line.startsWith('  20. '))!;
    expect(itf.states[20]['mbt::actionTaken']).toBe(lastStep.slice('  20. '.length));
    expect(itf.states[20].a2).toEqual({ promised: { '#bigint': '3' }, accepted: '(3,v1)', votes: ['(2,v2)', '(3,v1)'] });
  });

  it('prints a Mermaid sequence diagram after the text trace: the actors, one arrow per delivery, the property last', async () => {
    const diagram = mermaidBlock(check.stdout);
    const lines = check.stdout.split('\n');
    expect(lines.indexOf('```mermaid')).toBeGreaterThan(lines.findIndex((line) => line.startsWith('  >> Agreement fails')));
    expect(diagram[0]).toBe('sequenceDiagram');
    expect(diagram.slice(1, 7)).toEqual(['  participant p1', '  participant p2', '  participant p3', '  participant a1', '  participant a2', '  participant a3']);
    const deliveries = lines.filter((line) => /^ {2}\d+\. \S+ receives /.test(line));
    expect(deliveries).toHaveLength(17);
    expect(diagram.filter((line) => line.includes('->>'))).toHaveLength(deliveries.length);
    expect(diagram[diagram.length - 1]).toMatch(/^ {2}Note over p1,a3: Agreement fails at step 20: v\d chosen at ballot \d by \{a\d,a\d\}#59; v\d chosen/);
    await expect(mermaid.parse(diagram.join('\n'))).resolves.toEqual({ diagramType: 'sequence', config: {} });
  });

  it('replays the ITF file: the violation reproduces (exit 1), with the same trace', () => {
    const replay = synod('replay', 'specs/bugs/any-promise-value.ts', itfPath);
    expect(replay.status).toBe(1);
    const lines = replay.stdout.split('\n');
    expect(lines[0]).toBe(
      'synod replay specs/bugs/any-promise-value.ts (' + check.stdout.split('\n')[0]!.replace(/^synod check \S+ \(/, ''),
    );
    expect(lines[1]).toBe('VIOLATION: Agreement (always) fails at step 20, the end of the trace: the violation reproduces');
    expect(replay.stdout).toContain(`trace (20 steps; replay token ${token})`);
    const explanation = check.stdout.split('\n').find((line) => line.startsWith('  >> '));
    expect(lines).toContain(explanation);
    expect(replay.stderr).toBe('');
  });

  it('replays the token with the parameters as flags', () => {
    const replay = synod('replay', BUG[0]!, token, ...BUG.slice(1));
    expect(replay.status).toBe(1);
    expect(replay.stdout.split('\n')[1]).toBe('VIOLATION: Agreement (always) fails at step 20, the end of the trace: the violation reproduces');
  });

  it('replays the ITF file against fixed Paxos: every property holds (exit 0), and it says what differs', () => {
    const replay = synod('replay', 'specs/paxos.ts', itfPath);
    expect(replay.status).toBe(0);
    expect(replay.stdout.split('\n').slice(1, 5)).toEqual([
      'OK: every always and terminal property holds along the trace (20 steps); the trace file recorded a violation of Agreement, which no longer happens',
      'note: the trace file was written for the spec any-promise-value, replayed here against paxos',
      'note: from step 18 on, the replayed states differ from those in the trace file (first in p3; the file was written for another spec)',
      "note: from step 19 on, the replay also takes other actions than the trace file ('a1 receives Accept(b=3, v2) from p3' where the file took 'a1 receives Accept(b=3, v1) from p3')",
    ]);
    // The fixed proposer keeps the highest-numbered report, (2,v2), and sends v2.
    expect(replay.stdout).toContain('  20. a2 receives Accept(b=3, v2) from p3');
  });

  it('replays the ITF file against fixed Paxos as JSON: status ok, the notes as sentences and the file\'s facts as fields', () => {
    const text = synod('replay', 'specs/paxos.ts', itfPath);
    const replay = synod('replay', 'specs/paxos.ts', itfPath, '--json');
    expect(replay.status).toBe(0);
    expect(replay.stderr).toBe('');
    const json = JSON.parse(replay.stdout);
    expect(json).toMatchObject({ command: 'replay', status: 'ok', spec: 'paxos', replayToken: token, length: 20 });
    expect(json).not.toHaveProperty('violation');
    expect(json.verdict).toBe(text.stdout.split('\n')[1]);
    expect(json.notes).toEqual(text.stdout.split('\n').filter((line) => line.startsWith('note: ')).map((line) => line.slice('note: '.length)));
    expect(json.notes).toHaveLength(3);
    expect(json.file).toEqual({
      spec: 'any-promise-value',
      property: 'Agreement',
      propertyJudged: true,
      specChanged: false,
      sameSource: false,
      statesDiffer: { step: 18, variable: 'p3' },
      actionsDiffer: { step: 19, recorded: 'a1 receives Accept(b=3, v1) from p3', replayed: 'a1 receives Accept(b=3, v2) from p3' },
    });
    // No property fails: the trace is the whole replay, with no property and no explanation.
    expect(Object.keys(json.trace)).toEqual(['length', 'replayToken', 'steps']);
    expect(json.trace.length).toBe(20);
    expect(json.trace.steps).toHaveLength(21);
    expect(json.trace.steps[20].action).toBe('a2 receives Accept(b=3, v2) from p3');
  });

  it('refuses the file when its action is enabled at another index than the one replayed (exit 2): the indices mean other actions', () => {
    // Under ignored=consume, deliveries a handler ignores are actions too: the indices shift.
    const consume = synod('replay', 'specs/bugs/any-promise-value.ts', itfPath, '--ignored', 'consume');
    expect(consume.status).toBe(2);
    expect(consume.stderr).toBe(
      "synod: error [bad-trace]: the trace does not fit any-promise-value with these parameters: at step 9 the file took 'a3 receives Prepare(b=2) from p2' (action 4 here), where its action index now names 'a1 receives Prepare(b=2) from p2' (hint: replay it with the parameters it was found with (its #meta holds them), or against the spec it was found with)\n",
    );
    expect(consume.stdout).toBe('');
    // Under dup the states differ from step 2 (delivered messages stay in flight), and from step 7
    // the indices name other actions: a replay that said the violation no longer happens.
    const dup = synod('replay', 'specs/bugs/any-promise-value.ts', itfPath, '--network', 'dup');
    expect(dup.status).toBe(2);
    expect(dup.stderr).toMatch(/^synod: error \[bad-trace\]: the trace does not fit any-promise-value with these parameters: at step 7 the file took 'p2 starts round 1 with ballot 2' \(action \d+ here\)/);
  });

  it('replays the amnesia trace against fixed Paxos, whose restart step keeps the state: a note, not a refusal', () => {
    const replay = foundThenReplayed('specs/bugs/amnesia.ts', 'specs/paxos.ts');
    expect(replay.status).toBe(0);
    expect(replay.stdout.split('\n').slice(1, 5)).toEqual([
      'OK: every always and terminal property holds along the trace (16 steps); the trace file recorded a violation of Agreement, which no longer happens',
      'note: the trace file was written for the spec amnesia, replayed here against paxos',
      'note: from step 12 on, the replayed states differ from those in the trace file (first in a1; the file was written for another spec)',
      "note: from step 12 on, the replay also takes other actions than the trace file ('a1 restarts with its state' where the file took 'a1 restarts, forgetting its state')",
    ]);
  });

  it('heads a replay with the model\'s semantics that no parameter shows, as synod check does', () => {
    const replay = foundThenReplayed('specs/bugs/amnesia.ts', 'specs/bugs/amnesia.ts');
    expect(replay.status).toBe(1);
    expect(replay.stdout.split('\n')[0]).toMatch(/^synod replay specs\/bugs\/amnesia\.ts \(acceptors=3 .*\) \[restart=amnesia\]$/);
  });

  it('does not call a replay that left the file\'s run a fix: Paxos.tla\'s any-value trace against Paxos.tla', () => {
    const replay = foundThenReplayed('specs/bugs/paxos-tla-any-value.ts', 'specs/paxos-tla.ts');
    expect(replay.status).toBe(0);
    expect(replay.stdout.split('\n').slice(1, 5)).toEqual([
      'OK: every always and terminal property holds along the trace (12 steps); the trace file recorded a violation of Consistency, but the replay takes other steps than the file (at step 9), so this does not show it fixed',
      'note: the trace file was written for the spec paxos-tla-any-value, replayed here against paxos-tla',
      'note: from step 9 on, the replayed states differ from those in the trace file (first in maxBal; the file was written for another spec)',
      "note: from step 9 on, the replay also takes other actions than the trace file ('Phase1b(a3) on 1a(bal=0)' where the file took 'Phase2a(1, v2)')",
    ]);
  });

  it('refusing a file that stops fitting, says where the replay had left its run, and for which spec the file was written', () => {
    const replay = foundThenReplayed('specs/bugs/no-promise-check.ts', 'specs/multi-paxos.ts');
    expect(replay.status).toBe(2);
    expect(replay.stderr).toBe(
      "synod: error [bad-trace]: the trace does not fit multi-paxos: step 12 takes action 4, but the model offers only 4 actions there; it left the file's trace at step 4, " +
        "taking 'p1 receives Promise(b=1, accepted=[none | none]) from a1' where the file took 'p1 receives Promise(b=1, accepted=none) from a1' (hint: the file was written for the spec no-promise-check)\n",
    );
  });

  it('judges a whole token that still replays before looking for a step gone, and never a cut file', () => {
    const spec = 'test/e2e/fixtures/two-steps.ts';
    const file = `${scratch}/two-steps.itf.json`;
    expect(synod('check', spec, '--quiet', '--trace-out', file).status).toBe(1);
    // A wrong fix: p steps only after q, and the token (0/0/0) still reaches the violation.
    const wrong = synod('replay', spec, file, '--order', 'q-first');
    expect(wrong.status).toBe(1);
    expect(wrong.stdout.split('\n')[1]).toBe('VIOLATION: NotBoth (always) fails at step 2, the end of the trace: the violation reproduces');
    // Only the text of p's step changed (it names q too), the bug kept.
    const renamed = synod('replay', spec, file, '--label', 'named');
    expect(renamed.status).toBe(1);
    expect(renamed.stdout).not.toContain('no longer takes');
    // The fix: p never steps.
    const fixed = synod('replay', spec, file, '--order', 'never-p');
    expect(fixed.status).toBe(0);
    // The fix here is a parameter: the notes name it against the file's, and blame it rather than a fixed bug.
    expect(fixed.stdout.split('\n').slice(2, 4)).toEqual([
      'note: replayed with order=never-p, where the trace was found with order=any',
      "note: the spec no longer takes step 1 of the trace file, 'p steps' (with order=never-p, not the file's order=any): the replay ends at step 0",
    ]);
    // A file whose token takes fewer steps than it holds states was cut or edited: no step gone.
    const itf = JSON.parse(readFileSync(`${root}${file}`, 'utf8'));
    itf['#meta'].replayToken = '0/0';
    const cut = `${scratch}/two-steps-cut.itf.json`;
    writeFileSync(`${root}${cut}`, JSON.stringify(itf));
    const replay = synod('replay', spec, cut, '--order', 'never-p');
    expect(replay.status).toBe(0);
    expect(replay.stdout.split('\n')[1]).toBe(
      'OK: every always and terminal property holds along the trace (1 step); the trace file recorded a violation of NotBoth, but the replay takes other steps than the file (at step 1), so this does not show it fixed',
    );
    expect(replay.stdout).not.toContain('no longer takes');
  });

  it('ends the replay before a step the fixed spec no longer takes: the promise check makes a2 ignore the Accept', () => {
    // An ignored delivery is not offered, so the token's later indices name other actions: the
    // replay stops where the file's run leaves the spec, with every property holding up to there.
    const replay = foundThenReplayed('specs/bugs/no-promise-check.ts', 'specs/paxos.ts');
    expect(replay.status).toBe(0);
    expect(replay.stdout.split('\n').slice(1, 5)).toEqual([
      'OK: every always and terminal property holds along the trace (8 steps); the trace file recorded a violation of Agreement, whose run the spec no longer follows past step 8',
      'note: the trace file was written for the spec no-promise-check, replayed here against paxos',
      "note: the spec no longer takes step 9 of the trace file, 'a2 receives Accept(b=1, v1) from p1' (a fixed bug?): the replay ends at step 8",
      '',
    ]);
    const file = `${scratch}/specs-bugs-no-promise-check-ts.itf.json`;
    const json = JSON.parse(synod('replay', 'specs/paxos.ts', file, '--json').stdout);
    expect(json).toMatchObject({ status: 'ok', length: 8, file: { stepGone: { step: 9, recorded: 'a2 receives Accept(b=1, v1) from p1' } } });
    // Against the spec it was found with, the same file reproduces in full.
    const broken = synod('replay', 'specs/bugs/no-promise-check.ts', file);
    expect(broken.status).toBe(1);
    expect(broken.stdout).not.toContain('no longer takes');
  });

  it('notes a spec file that changed since the trace file was written (its sha256)', () => {
    const edited = `${scratch}/edited.itf.json`;
    const itf = JSON.parse(readFileSync(`${root}${itfPath}`, 'utf8'));
    itf['#meta'].specSha256 = '0'.repeat(64);
    writeFileSync(`${root}${edited}`, JSON.stringify(itf));
    const replay = synod('replay', BUG[0]!, edited);
    expect(replay.status).toBe(1);
    expect(replay.stdout.split('\n')[2]).toBe('note: the spec file changed since the trace file was written (its sha256 differs from the one the file records)');
    const unchanged = synod('replay', BUG[0]!, itfPath);
    expect(unchanged.stdout).not.toContain('the spec file changed');
    // Another file (a copy, edited) is not a change to the one the trace was written from. The
    // copy sits in a directory of its own beside specs/bugs (its imports resolve the same), where
    // the test files that list the bundled specs, running at the same time, do not see it.
    const copyDirectory = `specs/.tmp-traces-${process.pid}`;
    const copy = `${copyDirectory}/${basename(BUG[0]!)}`;
    mkdirSync(`${root}${copyDirectory}`, { recursive: true });
    writeFileSync(`${root}${copy}`, `${readFileSync(`${root}${BUG[0]!}`, 'utf8')}\n// edited\n`);
    try {
      const other = synod('replay', copy, itfPath);
      expect(other.stdout.split('\n')[2]).toBe(
        `note: the trace file was written from ${BUG[0]!}, and ${copy} has other contents (its sha256 differs from the one the file records)`,
      );
    } finally {
      rmSync(`${root}${copyDirectory}`, { recursive: true, force: true });
    }
  });

  /** The ITF file found for the broken spec, changed by `edit`, written beside it. */
  const editedFile = (name: string, edit: (itf: { '#meta': Record<string, unknown>; states: unknown[] }) => void): string => {
    const path = `${scratch}/${name}.itf.json`;
    const itf = JSON.parse(readFileSync(`${root}${itfPath}`, 'utf8'));
    edit(itf);
    writeFileSync(`${root}${path}`, JSON.stringify(itf));
    return path;
  };
  const cutToken = (steps: number) => (itf: { '#meta': Record<string, unknown> }) => {
    itf['#meta'].replayToken = String(itf['#meta'].replayToken).split('/').slice(0, steps + 1).join('/');
  };

  it('does not call a trace file cut short a fix when the spec file and parameters are those it was found with', () => {
    const both = synod('replay', BUG[0]!, editedFile('cut-both', (itf) => { cutToken(14)(itf); itf.states = itf.states.slice(0, 15); }));
    expect(both.status).toBe(0);
    expect(both.stdout.split('\n')[1]).toBe(
      'OK: every always and terminal property holds along the trace (14 steps); the trace file recorded a violation of Agreement, ' +
        'which does not happen here though the spec file and parameters are the ones it was found with: a module the spec imports changed (a fix there?), or the trace file was cut or edited',
    );
    expect(both.stdout).not.toContain('note:');
    const token = synod('replay', BUG[0]!, editedFile('cut-token', cutToken(14)));
    expect(token.stdout.split('\n')[2]).toBe('note: the trace file holds the states of 20 steps, but its replay token takes 14 steps: the file was cut or edited');
    expect(token.stdout).not.toContain('replayed states differ');
  });

  it('does not call a trace whose token was cut short a fix against another spec either', () => {
    const replay = synod('replay', 'specs/paxos.ts', editedFile('cut-token-fixed', cutToken(14)));
    expect(replay.status).toBe(0);
    expect(replay.stdout.split('\n')[1]).toBe(
      'OK: every always and terminal property holds along the trace (14 steps); the trace file recorded a violation of Agreement, ' +
        'but its replay token takes 14 steps of the 20 it holds, so this does not show it fixed',
    );
  });

  it('says what a hand-edited trace file changed, without blaming the spec', () => {
    const states = synod('replay', BUG[0]!, editedFile('cut-states', (itf) => { itf.states = itf.states.slice(0, 15); }));
    expect(states.status).toBe(1);
    expect(states.stdout.split('\n').slice(1, 3)).toEqual([
      'VIOLATION: Agreement (always) fails at step 20, the end of the trace: the violation reproduces',
      'note: the trace file holds the states of 14 steps, but its replay token takes 20 steps: the file was cut or edited',
    ]);
    const value = synod('replay', BUG[0]!, editedFile('value', (itf) => { (itf.states[5] as { a1: { promised: unknown } }).a1.promised = { '#bigint': '7' }; }));
    expect(value.stdout.split('\n')[2]).toBe('note: from step 5 on, the replayed states differ from those in the trace file (first in a1; the file was edited, or a module the spec imports changed)');
    const property = synod('replay', BUG[0]!, editedFile('property', (itf) => { itf['#meta'].property = 'Validity'; }));
    expect(property.stdout.split('\n').slice(1, 3)).toEqual([
      'VIOLATION: Agreement (always) fails at step 20, the end of the trace: not the violation the trace file recorded, of Validity',
      '',
    ]);
    const text = synod('replay', BUG[0]!, editedFile('string-parameter', (itf) => { (itf['#meta'].params as Record<string, unknown>).acceptors = '3'; }));
    expect(text.status).toBe(1);
    expect(text.stdout).not.toContain('note:');
    const unknown = synod('replay', BUG[0]!, editedFile('unknown-property', (itf) => { itf['#meta'].property = 'Nope'; }));
    // Not "the violation reproduces": the file's violation is of a property this spec lacks.
    expect(unknown.stdout.split('\n').slice(1, 3)).toEqual([
      'VIOLATION: Agreement (always) fails at step 20, the end of the trace',
      'note: any-promise-value has no property Nope, whose violation the trace file recorded',
    ]);
  });

  it('refuses a trace file of a spec with other parameters, naming that spec', () => {
    const replay = synod('replay', 'specs/examples/ping.ts', itfPath);
    expect(replay.status).toBe(2);
    expect(replay.stderr).toBe(
      "synod: error [bad-trace]: the trace file was written for the spec any-promise-value, whose parameters 'acceptors', 'proposers', 'rounds', 'learners', 'crashes', 'ignored' ping does not have " +
        `(hint: replay it against any-promise-value's spec file, or its token here, which fits as far as both specs offer the same actions in the same order: synod replay specs/examples/ping.ts ${token} --network bag)\n`,
    );
  });

  it("names the file's #meta when a parameter it gives is bad, and takes a flag instead of it", () => {
    const itf = JSON.parse(readFileSync(`${root}${itfPath}`, 'utf8'));
    itf['#meta'].params.proposers = 'x';
    const edited = `${scratch}/bad-parameter.itf.json`;
    writeFileSync(`${root}${edited}`, JSON.stringify(itf));
    const replay = synod('replay', 'specs/bugs/any-promise-value.ts', edited);
    expect(replay.status).toBe(2);
    expect(replay.stderr).toBe(
      `synod: error [bad-trace]: ${edited}: #meta.params: parameter 'proposers' must be a whole number, got 'x' (hint: was the file edited? A flag gives the parameter instead of the file)\n`,
    );
    expect(synod('replay', 'specs/bugs/any-promise-value.ts', edited, '--proposers', '3').status).toBe(1);
    // A name every object has is the file's unknown parameter too, not one a flag gave.
    delete itf['#meta'].params.proposers;
    itf['#meta'].params.toString = 1;
    writeFileSync(`${root}${edited}`, JSON.stringify(itf));
    expect(synod('replay', 'specs/bugs/any-promise-value.ts', edited).stderr).toMatch(
      new RegExp(`^synod: error \\[bad-trace\\]: ${edited}: #meta.params: unknown parameter 'toString' \\(this spec takes: .*\\) \\(hint: was the file edited\\?`),
    );
  });

  it("names the file's #meta when the spec refuses the parameters it gives together, and takes a flag instead", () => {
    const written = `${scratch}/flexible.itf.json`;
    expect(synod('check', 'specs/flexible-paxos.ts', '--q1', '2', '--q2', '1', '--quiet', '--trace-out', written).status).toBe(1);
    const itf = JSON.parse(readFileSync(`${root}${written}`, 'utf8'));
    itf['#meta'].params.q2 = 4;
    const edited = `${scratch}/refused-parameters.itf.json`;
    writeFileSync(`${root}${edited}`, JSON.stringify(itf));
    const replay = synod('replay', 'specs/flexible-paxos.ts', edited);
    expect(replay.status).toBe(2);
    expect(replay.stderr).toBe(
      `synod: error [bad-trace]: ${edited}: #meta.params: the spec flexible-paxos refuses these parameters: q2 = 4 is larger than the 3 acceptors (hint: was the file edited? A flag gives the parameter instead of the file)\n`,
    );
    expect(synod('replay', 'specs/flexible-paxos.ts', edited, '--q2', '1').status).toBe(1);
    // A flag that makes the combination refused is the flag's fault.
    expect(synod('replay', 'specs/flexible-paxos.ts', written, '--q1', '5').stderr).toBe(
      'synod: error [bad-parameter]: the spec flexible-paxos refuses these parameters: q1 = 5 is larger than the 3 acceptors\n',
    );
  });

  it('refuses the file when a parameter flag makes it not fit (exit 2, naming the step)', () => {
    const replay = synod('replay', 'specs/bugs/any-promise-value.ts', itfPath, '--proposers', '2');
    expect(replay.status).toBe(2);
    const lines = replay.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^synod: error \[bad-trace\]: the trace does not fit any-promise-value: step 14 takes action \d+, but the model offers only \d+ actions there/);
    expect(replay.stdout).toBe('');
  });

  it('emits a vitest test that imports the spec by a relative path and synod by its package name', () => {
    const text = readFileSync(`${root}${testPath}`, 'utf8');
    expect(text).toContain("import spec from '../../../specs/bugs/any-promise-value.ts';");
    expect(text).toContain("import { isTerminal, replayCounterexample, resolveSpecParameters } from 'synod';");
    expect(text).not.toMatch(/from '[^']*src\//);
    expect(text).toContain(`  token: '${token}',`);
    expect(text).toContain("const parameters = { acceptors: 3, proposers: 3, rounds: 1, learners: 0, network: 'bag', ");
  });

  it('the emitted test fails while the bug is there, with the property and why', () => {
    const result = vitest('run', testPath);
    expect(result.status).toBe(1);
    expect(result.output).toMatch(/AssertionError: Agreement fails at step 20: v2 chosen at ballot 2 by \{a2,a3\}; v1 chosen at ballot 3 by \{a1,a2\}/);
    expect(result.output).toMatch(/Tests\s+1 failed \(1\)/);
  });

  it('the emitted test passes against the fixed protocol, where the same steps choose v2 again', () => {
    const fixed = `${scratch}/fixed.test.ts`;
    const text = readFileSync(`${root}${testPath}`, 'utf8').replace("from '../../../specs/bugs/any-promise-value.ts'", "from '../../../specs/paxos.ts'");
    expect(text).toContain("import spec from '../../../specs/paxos.ts';");
    writeFileSync(`${root}${fixed}`, text);
    const result = vitest('run', fixed);
    expect(result.output).toMatch(/Tests\s+1 passed \(1\)/);
    expect(result.status).toBe(0);
  });

  it('the emitted test fails, saying why, when the counterexample no longer fits the spec (never passes vacuously)', () => {
    const misfit = `${scratch}/misfit.test.ts`;
    const text = readFileSync(`${root}${testPath}`, 'utf8').replace('const parameters = { acceptors: 3, proposers: 3,', 'const parameters = { acceptors: 3, proposers: 2,');
    expect(text).toContain('proposers: 2');
    writeFileSync(`${root}${misfit}`, text);
    const result = vitest('run', misfit);
    expect(result.status).toBe(1);
    expect(result.output).toMatch(
      /CounterexampleMismatch: the counterexample no longer replays on any-promise-value: step 14 .*, so this test cannot tell whether Agreement is fixed/,
    );
  });
});

describe('an emitted test judges a fixed spec as synod replay does', () => {
  /** The test emitted for `broken`'s counterexample, run against `against`. */
  function emittedAgainst(broken: string, against: string) {
    const emitted = `${scratch}/${broken.replace(/\W/g, '-')}.test.ts`;
    expect(synod('check', broken, '--quiet', '--emit-test', emitted).status).toBe(1);
    const text = readFileSync(`${root}${emitted}`, 'utf8');
    const pointed = text.replace(`from '../../../${broken}'`, `from '../../../${against}'`);
    expect(pointed).not.toBe(text);
    const changed = `${scratch}/${broken.replace(/\W/g, '-')}-against.test.ts`;
    writeFileSync(`${root}${changed}`, pointed);
    return { ...vitest('run', changed), text };
  }

  it('passes for the amnesia counterexample against Paxos, whose restart keeps the state (replay: no longer happens)', () => {
    const result = emittedAgainst('specs/bugs/amnesia.ts', 'specs/paxos.ts');
    expect(result.output).toMatch(/Tests\s+1 passed \(1\)/);
    expect(result.status).toBe(0);
  });

  it('passes for the no-promise-check counterexample against Paxos, whose acceptor ignores the Accept (replay: the run ends at step 8)', () => {
    const result = emittedAgainst('specs/bugs/no-promise-check.ts', 'specs/paxos.ts');
    expect(result.output).toMatch(/Tests\s+1 passed \(1\)/);
    expect(result.status).toBe(0);
  });

  it('compares the steps of a model without describeStep by kind and participants, not action numbers (Paxos.tla: step 9)', () => {
    const result = emittedAgainst('specs/bugs/paxos-tla-any-value.ts', 'specs/paxos-tla.ts');
    expect(result.text).toContain("    ['Phase2a(1, v2)', 'Phase2a'],");
    expect(result.status).toBe(1);
    expect(result.output).toMatch(/CounterexampleMismatch: the counterexample no longer replays on paxos-tla: at step 9 the replay takes "Phase1b\(a3\) on 1a\(bal=0\)" where the counterexample took "Phase2a\(1, v2\)"/);
  });
});

describe('--emit-test on a spec whose describeStep throws (misbehaving-spec, 3 steps)', () => {
  const spec = 'test/e2e/fixtures/misbehaving-spec.ts';
  const emitted = (command: string) => `${scratch}/step-throws-${command}.test.ts`;
  const runs: Record<string, ReturnType<typeof synod>> = {};

  beforeAll(() => {
    runs.check = synod('check', spec, '--quiet', '--fault', 'step-throws', '--emit-test', emitted('check'));
    runs.replay = synod('replay', spec, '0/0/0/0', '--fault', 'step-throws', '--emit-test', emitted('replay'));
  });

  it('writes the test from check and from replay, signing that step with what it threw', () => {
    for (const command of ['check', 'replay']) {
      const result = runs[command]!;
      expect(result.status).toBe(1);
      expect(result.stdout).toContain('BelowThree (always) fails');
      expect(result.stderr.trim()).toBe(`synod: wrote a vitest test that replays the counterexample to ${emitted(command)} (run it: npx vitest run ${emitted(command)})`);
      expect(readFileSync(`${root}${emitted(command)}`, 'utf8').split('\n')).toContain(
        "    ['\"Increment\"', '\"Increment\" (describeStep threw: no step for Increment [and 1 more line])'],",
      );
    }
  });

  it('the emitted test replays the counterexample and fails with the property, not the throw', () => {
    const result = vitest('run', emitted('check'));
    expect(result.status).toBe(1);
    expect(result.output).toMatch(/AssertionError: BelowThree fails at step 3: count is 3/);
  });
});

describe("--emit-test in a user's project, where synod is an installed package", () => {
  // Outside the repository, so that nothing resolves by accident to synod's sources: synod is only
  // reachable as node_modules/synod, as after `npm install /path/to/synod`.
  let project: string;

  beforeAll(() => {
    project = mkdtempSync(join(tmpdir(), 'synod-user-project-'));
    writeFileSync(join(project, 'package.json'), '{"type":"module"}\n');
    mkdirSync(join(project, 'node_modules'));
    symlinkSync(root, join(project, 'node_modules', 'synod'), 'dir');
    const bySynod = (text: string) => text.replace(/from '(?:\.\.\/)+src\/[^']+'/g, "from 'synod'");
    writeFileSync(join(project, 'paxos.ts'), bySynod(readFileSync(`${root}specs/paxos.ts`, 'utf8')));
    const spec = bySynod(readFileSync(`${root}specs/bugs/any-promise-value.ts`, 'utf8')).replace("from '../paxos.ts'", "from './paxos.ts'");
    expect(spec).not.toContain('src/');
    writeFileSync(join(project, 'spec.ts'), spec);
  });

  afterAll(() => {
    rmSync(project, { recursive: true, force: true });
  });

  it('writes a test that imports only the spec and the synod package, and it fails with the violation', () => {
    const [, ...parameters] = BUG;
    const check = run(process.execPath, [`${root}src/cli/synod.mjs`, 'check', 'spec.ts', ...parameters, '--quiet', '--emit-test', 'test/cex.test.ts'], project);
    expect(check.status).toBe(1);
    const text = readFileSync(join(project, 'test/cex.test.ts'), 'utf8');
    expect(text.split('\n').filter((line) => line.startsWith('import '))).toEqual([
      "import { expect, it } from 'vitest';",
      "import spec from '../spec.ts';",
      "import { isTerminal, replayCounterexample, resolveSpecParameters } from 'synod';",
    ]);
    const result = run(`${root}node_modules/.bin/vitest`, ['run', '--root', project, 'test/cex.test.ts'], project);
    expect(result.status).toBe(1);
    expect(result.output).toMatch(/AssertionError: Agreement fails at step 20: v2 chosen at ballot 2 by \{a2,a3\}; v1 chosen at ballot 3 by \{a1,a2\}/);
    expect(result.output).toMatch(/Tests\s+1 failed \(1\)/);
  });
});

describe('trace options on the README ping example (dup network, 4 steps)', () => {
  it('writes a 5-state ITF trace, a stateless actor as the unit value', () => {
    const path = `${scratch}/ping.itf.json`;
    const check = synod('check', ...PING, '--quiet', '--trace-out', path);
    expect(check.status).toBe(1);
    expect(check.stderr.trim()).toBe(`synod: wrote the counterexample (ITF, 5 states) to ${path}`);
    const itf = JSON.parse(readFileSync(`${root}${path}`, 'utf8'));
    expect(itf['#meta']).toMatchObject({ spec: 'ping', params: { pings: 3, network: 'dup' }, property: 'NoExtraAnswers', replayToken: '0/0/0/1/1' });
    expect(itf.states).toHaveLength(5);
    expect(itf.states[4].pinger1).toEqual({ sent: { '#bigint': '1' }, answers: { '#bigint': '2' } });
    expect(itf.states[4].ponger1).toEqual({ '#tup': [] });
    expect(itf.states[4].network).toEqual(['pinger1->ponger1: Ping', 'ponger1->pinger1: Pong']);
  });

  it('adds the diagram to the JSON output, keeping the replay token', async () => {
    const check = synod('check', ...PING, '--quiet', '--json', '--mermaid');
    expect(check.status).toBe(1);
    const result = JSON.parse(check.stdout);
    expect(result.counterexample.replayToken).toBe('0/0/0/1/1');
    const diagram: string = result.counterexample.mermaid;
    expect(diagram.split('\n')).toEqual([
      'sequenceDiagram',
      '  participant pinger1',
      '  participant ponger1',
      '  Note over pinger1: 1. Ping<br/>sent: 0 -> 1',
      '  pinger1->>ponger1: 2. Ping',
      '  ponger1->>pinger1: 3. Pong',
      '  Note over pinger1: answers: 0 -> 1',
      '  ponger1->>pinger1: 4. Pong',
      '  Note over pinger1: answers: 1 -> 2',
      '  Note over pinger1,ponger1: NoExtraAnswers fails at step 4',
    ]);
    await expect(mermaid.parse(diagram)).resolves.toEqual({ diagramType: 'sequence', config: {} });
  });

  it('writes nothing when there is no counterexample, and says so', () => {
    const path = `${scratch}/none.itf.json`;
    const check = synod('check', 'specs/examples/ping.ts', '--quiet', '--trace-out', path);
    expect(check.status).toBe(0);
    expect(existsSync(`${root}${path}`)).toBe(false);
    expect(check.stderr.trim()).toBe(`synod: no counterexample, so --trace-out wrote nothing to ${path}`);
  });

  it('creates the missing directories of --trace-out and --emit-test', () => {
    const itfPath = `${scratch}/new/traces/ping.itf.json`;
    const testPath = `${scratch}/new/regressions/ping.test.ts`;
    const check = synod('check', ...PING, '--quiet', '--trace-out', itfPath, '--emit-test', testPath);
    expect(check.status).toBe(1);
    expect(JSON.parse(readFileSync(`${root}${itfPath}`, 'utf8')).states).toHaveLength(5);
    expect(readFileSync(`${root}${testPath}`, 'utf8')).toContain("from '../../../../../specs/examples/ping.ts'");
  });

  it('refuses a --trace-out that is a hard link to the spec file', () => {
    const link = `${scratch}/ping-link.ts`;
    linkSync(`${root}specs/examples/ping.ts`, `${root}${link}`);
    const check = synod('check', ...PING, '--trace-out', link);
    expect(check.status).toBe(2);
    expect(check.stderr.trim()).toBe(`synod: error [cannot-write]: --trace-out ${link} is the spec file: it would be overwritten`);
  });

  it('creates no directory when there is no counterexample to write', () => {
    const check = synod('check', 'specs/examples/ping.ts', '--quiet', '--trace-out', `${scratch}/unused/t.itf.json`);
    expect(check.status).toBe(0);
    expect(existsSync(`${root}${scratch}/unused`)).toBe(false);
  });

  const unwritable: [string, string[], RegExp][] = [
    ['a --trace-out under a file', ['--trace-out', 'package.json/no/t.itf.json'], /cannot write package\.json\/no\/t\.itf\.json: package\.json is not a directory$/],
    ['an --emit-test that is a directory', ['--emit-test', scratch], /cannot write \S+: it is a directory$/],
    // As root, access(2) allows writing in /proc, where no file can be created.
    ['a --trace-out in /proc', ['--trace-out', '/proc/synod-test/t.itf.json'], /cannot write \/proc\/synod-test\/t\.itf\.json: (no file can be created in \/proc \(ENOENT|permission denied)/],
    ['an empty --trace-out', ['--trace-out='], /--trace-out needs a file name, got an empty value$/],
    ['a --trace-out that is the spec file', ['--trace-out', './specs/examples/../examples/ping.ts'], /--trace-out \S+ is the spec file: it would be overwritten$/],
    ['an --emit-test that is the spec file', ['--emit-test', `${root}specs/examples/ping.ts`], /--emit-test \S+ is the spec file: it would be overwritten$/],
    ['one file for both', ['--trace-out', `${scratch}/both.ts`, '--emit-test', `./${scratch}/both.ts`], /--trace-out and --emit-test name the same file, \S+$/],
  ];
  for (const [what, flags, message] of unwritable) {
    it(`exits 2 with one line, before exploring, for ${what}`, () => {
      const check = synod('check', ...PING, ...flags);
      expect(check.status).toBe(2);
      const lines = check.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(message);
      if (!flags[0]!.endsWith('=')) expect(lines[0]).toMatch(/^synod: error \[cannot-write\]: /);
      expect(check.stdout).toBe('');
    });
  }

  it('replays a token: exit 1 with the text trace and the diagram when the property fails at its end', () => {
    const replay = synod('replay', ...PING.slice(0, 1), '0/0/0/1/1', ...PING.slice(1), '--mermaid');
    expect(replay.status).toBe(1);
    expect(replay.stdout.split('\n')[1]).toBe('VIOLATION: NoExtraAnswers (always) fails at step 4, the end of the trace: the violation reproduces');
    expect(replay.stdout).toContain('  >> NoExtraAnswers fails at step 4');
    expect(mermaidBlock(replay.stdout).filter((line) => line.includes('->>'))).toHaveLength(3);
  });

  it('shows a trace that fails before its end up to the failing step', () => {
    const replay = synod('replay', PING[0]!, '0/0/0/1/1/1', ...PING.slice(1));
    expect(replay.status).toBe(1);
    expect(replay.stdout.split('\n')[1]).toBe('VIOLATION: NoExtraAnswers (always) fails at step 4 of 5: the violation reproduces');
    expect(replay.stdout).toContain('trace (4 steps; replay token 0/0/0/1/1)');
    expect(replay.stdout).not.toContain('  5. ');
  });

  it('tracks the history an always property keeps, as check does: its counterexample reproduces (replay and emitted test), and a shorter token holds', () => {
    const spec = 'test/e2e/fixtures/history-invariant.ts';
    const itf = `${scratch}/history.itf.json`;
    const emitted = `${scratch}/history.test.ts`;
    const check = synod('check', spec, '--quiet', '--trace-out', itf, '--emit-test', emitted);
    expect(check.status).toBe(1);
    // The emitted test judges it with its history too: it fails with the property, not a TypeError.
    const test = vitest('run', emitted);
    expect(test.status).toBe(1);
    expect(test.output).toMatch(/AssertionError: ResetsAtMostOnce fails at step 4/);
    expect(test.output).not.toMatch(/TypeError/);
    expect(check.stdout).toContain('counterexample (4 steps; replay token 0/0/1/0/1)');
    const replay = synod('replay', spec, itf);
    expect(replay.stderr).toBe('');
    expect(replay.status).toBe(1);
    // No note that the states differ: the optional property's history, which replay tracks and
    // check did not, is no difference between the runs.
    expect(replay.stdout.split('\n').slice(1, 3)).toEqual(['VIOLATION: ResetsAtMostOnce (always) fails at step 4, the end of the trace: the violation reproduces', '']);
    expect(replay.stdout).toContain('\n       incs: 0\n');
    // A file whose violation is of another property than --property names: that one left out, not unknown.
    const incs = `${scratch}/history-incs.itf.json`;
    expect(synod('check', spec, '--property', 'IncsAtMostFive', '--quiet', '--trace-out', incs).status).toBe(1);
    expect(synod('replay', spec, incs, '--property', 'ResetsAtMostOnce').stdout.split('\n').slice(1, 3)).toEqual([
      'VIOLATION: ResetsAtMostOnce (always) fails at step 6 of 8',
      'note: the trace file recorded a violation of IncsAtMostFive, which --property ResetsAtMostOnce leaves out: this replay does not judge it',
    ]);
    // A history merged into a participant's record (duel's, in p1 and p2) that check tracked and
    // replay does not: no note that the states differ.
    const duel = `${scratch}/duel-tracked.itf.json`;
    expect(synod('check', 'specs/bugs/no-promise-check.ts', '--property', 'Agreement,duel', '--workers', '1', '--quiet', '--trace-out', duel).status).toBe(1);
    expect(JSON.stringify(JSON.parse(readFileSync(`${root}${duel}`, 'utf8')).states[0].p1)).toContain('preempted');
    expect(synod('replay', 'specs/bugs/no-promise-check.ts', duel).stdout.split('\n').slice(1, 3)).toEqual([
      'VIOLATION: Agreement (always) fails at step 14, the end of the trace: the violation reproduces',
      '',
    ]);
    const once = synod('replay', spec, '0/0/1/0');
    expect(once.status).toBe(0);
    expect(once.stdout.split('\n')[1]).toBe('OK: every always and terminal property holds along the trace (3 steps)');
  });

  it('does not claim a token reproduces a violation of an optional property, which check finds only when named', () => {
    const args = ['specs/paxos.ts', '0/0/1/1/1/0/1/1/1', '--network', 'lossy'];
    const replay = synod('replay', ...args);
    expect(replay.status).toBe(1);
    expect(replay.stdout.split('\n').slice(1, 4)).toEqual([
      'VIOLATION: decides (terminal) fails at step 8, the end of the trace',
      'note: decides is optional, judged by check and simulate only when --property names it: the token may have been found for another property',
      '',
    ]);
    // Named, it is the property asked about: no note.
    expect(synod('replay', ...args, '--property', 'decides').stdout.split('\n').slice(1, 3)).toEqual(['VIOLATION: decides (terminal) fails at step 8, the end of the trace', '']);
  });

  it('replays a token along which every property holds: exit 0, and says so', () => {
    const replay = synod('replay', PING[0]!, '0/0', ...PING.slice(1));
    expect(replay.status).toBe(0);
    expect(replay.stdout.split('\n')[1]).toBe('OK: every always and terminal property holds along the trace (1 step)');
    // --mermaid draws the replayed trace, as the text shows it, whatever the verdict.
    const drawn = synod('replay', PING[0]!, '0/0', ...PING.slice(1), '--mermaid');
    expect(drawn.status).toBe(0);
    expect(mermaidBlock(drawn.stdout).filter((line) => line.includes('->>'))).toHaveLength(0);
    expect(drawn.stdout).toContain('sequenceDiagram');
  });

  const badReplays: [string, string[], RegExp][] = [
    [
      'a token whose action is not enabled (0/99)',
      ['specs/paxos.ts', '0/99', '--proposers', '3'],
      /^synod: error \[bad-trace\]: the trace does not fit paxos: step 1 takes action 99, but the model offers only 3 actions there/,
    ],
    ['a directory for the trace', ['specs/paxos.ts', 'specs'], /\[bad-trace\]: specs is a directory, not a trace file \(hint/],
    ['a trace file without the spec', ['cex.itf.json'], /\[usage\]: synod replay needs the spec before the trace: synod replay SPEC cex\.itf\.json$/],
    ['a long argument that is no token', ['specs/paxos.ts', `0${'/0'.repeat(50)}x`], /no trace file (0\/){30}\.\.\. \(102 characters\) \(hint/],
    ['a terminal state the token goes past', ['specs/examples/ping.ts', '0/0/0/0/0/0/0/0'], /step 7 takes action 0, but the model offers no action there: no step leads on from that state/],
    ['an initial state the spec does not have', ['specs/paxos.ts', '4/0'], /\[bad-trace\]: the trace does not fit paxos: the trace starts from initial state 4, but the model has only initial state 0 \(hint/],
    ['a file that does not exist', ['specs/paxos.ts', 'missing.itf.json'], /\[bad-trace\]: no trace file missing\.itf\.json \(hint/],
    ['a JSON file that is not a trace', ['specs/paxos.ts', 'package.json'], /\[bad-trace\]: package\.json: not an ITF trace: it needs "vars" and "states" arrays/],
    ['no trace at all', ['specs/paxos.ts'], /\[usage\]: synod replay needs a trace: a replay token or an ITF file/],
    [
      'a trace file whose replay token is not a string',
      ['specs/paxos.ts', numericToken],
      /\[bad-trace\]: \S+numeric-token\.itf\.json: "#meta\.replayToken" must be a string, a replay token such as "0\/3\/1\/4", got 5$/,
    ],
    ['a trace file whose replay token runs over two lines', ['specs/paxos.ts', twoLineToken], /\[bad-trace\]: \S+two-line-token\.itf\.json: "#meta\.replayToken" is not a replay token: "0\/1\\n\/2"$/],
    ['a flag replay does not take', ['specs/paxos.ts', '0', '--max-states', '5'], /\[unknown-flag\]: --max-states is not a flag of this command/],
  ];
  for (const [what, args, message] of badReplays) {
    it(`replay exits 2 with one line on stderr for ${what}`, () => {
      const replay = synod('replay', ...args);
      expect(replay.status).toBe(2);
      const lines = replay.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(message);
      expect(replay.stdout).toBe('');
    });
  }

  it('check refuses a second argument, such as a trace meant for synod replay (exit 2)', () => {
    const check = synod('check', 'specs/examples/ping.ts', 'cex.itf.json', '--quiet');
    expect(check.status).toBe(2);
    expect(check.stderr.trim()).toBe("synod: error [usage]: unexpected argument 'cex.itf.json'");
    expect(check.stdout).toBe('');
  });

  it('lists replay and the trace options in the usage text', () => {
    const help = synod('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('synod replay <spec.ts> <trace.itf.json | token> [parameter flags] [replay options]');
    for (const flag of ['--mermaid', '--trace-out FILE', '--emit-test FILE']) expect(help.stdout).toContain(flag);
    const replayOptions = help.stdout.slice(help.stdout.indexOf('\nreplay options'), help.stdout.indexOf('\ntrace options')).replace(/\s+/g, ' ');
    expect(replayOptions).toContain(
      '--property NAMES judge exactly these properties along the trace, always and terminal ones (default, and all: every always and terminal property, optional ones included)',
    );
    expect(replayOptions).toContain(
      "--json print one JSON object on stdout instead of text: the verdict, the notes, what differs from the trace file, and the trace as check's counterexample",
    );
  });
});

describe('synod replay --property (minority-quorum: Agreement fails at step 14, LearnerAgreement at 18)', () => {
  const MINORITY = 'specs/bugs/minority-quorum.ts';
  // Found with --property LearnerAgreement: along it Agreement fails first, at step 16.
  const learnerFile = `${scratch}/minority-learner-agreement.itf.json`;
  const agreementFile = `${scratch}/minority-agreement.itf.json`;

  beforeAll(() => {
    expect(synod('check', MINORITY, '--quiet', '--property', 'LearnerAgreement', '--trace-out', learnerFile).status).toBe(1);
    expect(synod('check', MINORITY, '--quiet', '--trace-out', agreementFile).status).toBe(1);
  });

  it('judges every always and terminal property without it: another one fails first, not the one the file recorded', () => {
    const replay = synod('replay', MINORITY, learnerFile);
    expect(replay.status).toBe(1);
    expect(replay.stdout.split('\n')[1]).toBe('VIOLATION: Agreement (always) fails at step 16 of 18: not the violation the trace file recorded, of LearnerAgreement');
  });

  it('judges the property the file recorded alone: the violation reproduces at the end of the trace', () => {
    const replay = synod('replay', MINORITY, learnerFile, '--property', 'LearnerAgreement');
    expect(replay.status).toBe(1);
    expect(replay.stdout.split('\n').slice(1, 4)).toEqual([
      'VIOLATION: LearnerAgreement (always) fails at step 18, the end of the trace: the violation reproduces',
      '',
      `trace (18 steps; replay token ${JSON.parse(readFileSync(`${root}${learnerFile}`, 'utf8'))['#meta'].replayToken})`,
    ]);
  });

  it('judges another property than the file recorded: its failure, and a note instead of a claim about the recorded one', () => {
    const replay = synod('replay', MINORITY, learnerFile, '--property', 'Agreement');
    expect(replay.status).toBe(1);
    expect(replay.stdout.split('\n').slice(1, 5)).toEqual([
      'VIOLATION: Agreement (always) fails at step 16 of 18',
      'note: the trace file recorded a violation of LearnerAgreement, which --property Agreement leaves out: this replay does not judge it',
      '',
      'trace (16 steps; replay token 0/0/0/0/2/2/0/0/4/4/4/6/4/2/2/1/1)',
    ]);
    expect(replay.stderr).toBe('');
  });

  it('says OK naming the properties judged, and not that the recorded violation no longer happens', () => {
    const replay = synod('replay', MINORITY, agreementFile, '--property', 'Validity,decides');
    expect(replay.status).toBe(0);
    expect(replay.stdout.split('\n').slice(1, 4)).toEqual([
      'OK: Validity, decides hold along the trace (14 steps)',
      'note: the trace file recorded a violation of Agreement, which --property Validity,decides leaves out: this replay does not judge it',
      '',
    ]);
  });

  it('with a token, which records no property, names the failure without claiming it is the token\'s violation', () => {
    const token = JSON.parse(readFileSync(`${root}${agreementFile}`, 'utf8'))['#meta'].replayToken;
    const parameters = ['--acceptors', '4', '--quorum', '2'];
    expect(synod('replay', MINORITY, token, ...parameters).stdout.split('\n')[1]).toBe(
      'VIOLATION: Agreement (always) fails at step 14, the end of the trace: the violation reproduces',
    );
    const named = synod('replay', MINORITY, token, ...parameters, '--property', 'Agreement');
    expect(named.status).toBe(1);
    expect(named.stdout.split('\n').slice(1, 3)).toEqual(['VIOLATION: Agreement (always) fails at step 14, the end of the trace', '']);
  });

  it('writes the failure it judged with --trace-out and --emit-test, and the emitted test names --property', () => {
    const itfOut = `${scratch}/minority-replayed.itf.json`;
    const testOut = `${scratch}/minority-replayed.test.ts`;
    const replay = synod('replay', MINORITY, learnerFile, '--property', 'Agreement', '--quiet', '--trace-out', itfOut, '--emit-test', testOut);
    expect(replay.status).toBe(1);
    const itf = JSON.parse(readFileSync(`${root}${itfOut}`, 'utf8'));
    expect(itf['#meta']).toMatchObject({ property: 'Agreement', description: 'synod replay: Agreement (always) fails after 16 steps' });
    expect(itf.states).toHaveLength(17);
    expect(readFileSync(`${root}${testOut}`, 'utf8').split('\n')[2]).toBe(
      ` *   synod replay ${MINORITY} ${learnerFile} --acceptors 4 --proposers 2 --rounds 1 --learners 1 --network bag --crashes 0 --ignored prune --quorum 2 --property Agreement`,
    );
  });

  it('refuses an unknown property with the line synod check gives (exit 2, nothing on stdout)', () => {
    const replay = synod('replay', MINORITY, agreementFile, '--property', 'Agreement,Nope');
    expect(replay.status).toBe(2);
    expect(replay.stdout).toBe('');
    expect(replay.stderr).toBe(
      "synod: error [bad-flag-value]: minority-quorum has no property 'Nope' (it has: Agreement, LearnerAgreement, Validity, ValueChosen, decides, duel)\n",
    );
    expect(synod('check', MINORITY, '--quiet', '--property', 'Agreement,Nope').stderr).toBe(replay.stderr);
  });

  it('refuses a sometimes property, which one trace cannot show never witnessed (exit 2)', () => {
    const replay = synod('replay', MINORITY, agreementFile, '--property', 'Agreement,ValueChosen');
    expect(replay.status).toBe(2);
    expect(replay.stdout).toBe('');
    expect(replay.stderr).toBe(
      'synod: error [bad-flag-value]: --property names ValueChosen, a sometimes property: replay judges always and terminal properties along the trace (hint: synod check --property ValueChosen shows the shortest witness)\n',
    );
  });
});

describe('synod replay --json (minority-quorum, 14 steps)', () => {
  const MINORITY = 'specs/bugs/minority-quorum.ts';
  const file = `${scratch}/minority-json.itf.json`;
  const learnerFile = `${scratch}/minority-json-learner.itf.json`;
  let meta: Record<string, unknown>;

  beforeAll(() => {
    expect(synod('check', MINORITY, '--quiet', '--trace-out', file).status).toBe(1);
    expect(synod('check', MINORITY, '--quiet', '--property', 'LearnerAgreement', '--trace-out', learnerFile).status).toBe(1);
    meta = JSON.parse(readFileSync(`${root}${file}`, 'utf8'))['#meta'];
  });

  it('prints one JSON object: the verdict, the violation, the file\'s facts, and the trace as check --json gives the counterexample', () => {
    const replay = synod('replay', MINORITY, file, '--json');
    expect(replay.status).toBe(1);
    expect(replay.stderr).toBe('');
    const json = JSON.parse(replay.stdout);
    expect(Object.keys(json)).toEqual([
      'command', 'status', 'verdict', 'spec', 'specPath', 'params', 'semantics', 'properties', 'replayToken', 'length', 'violation', 'notes', 'file', 'trace',
    ]);
    expect(json).toMatchObject({
      command: 'replay',
      status: 'violation',
      verdict: 'VIOLATION: Agreement (always) fails at step 14, the end of the trace: the violation reproduces',
      spec: 'minority-quorum',
      specPath: MINORITY,
      params: { acceptors: 4, proposers: 2, rounds: 1, learners: 1, network: 'bag', crashes: 0, ignored: 'prune', quorum: 2 },
      semantics: { network: 'bag', ignored: 'prune' },
      replayToken: meta.replayToken,
      length: 14,
      notes: [],
    });
    expect(json.properties).toEqual([
      { name: 'Agreement', kind: 'always' },
      { name: 'LearnerAgreement', kind: 'always' },
      { name: 'Validity', kind: 'always' },
      { name: 'decides', kind: 'terminal' },
    ]);
    expect(json.violation).toEqual({ property: 'Agreement', kind: 'always', step: 14, reproduces: true });
    expect(json.file).toEqual({ spec: 'minority-quorum', property: 'Agreement', propertyJudged: true, specChanged: false, sameSource: true });
    expect(Object.keys(json.trace)).toEqual(['property', 'length', 'replayToken', 'explanation', 'steps']);
    expect(json.trace).toMatchObject({ property: 'Agreement', length: 14, replayToken: meta.replayToken, explanation: meta.explanation });
    expect(json.trace.steps).toHaveLength(15);
    expect(json.trace.steps[0].action).toBe('initial state');
    expect(json.trace.steps[1].action).toBe('p1 starts round 1 with ballot 1');
    expect(json.trace.steps[14].action).toBe('a2 receives Accept(b=2, v2) from p2');
    // One way to render a trace: replay's is check's counterexample, state descriptions included.
    expect(json.trace).toEqual(JSON.parse(synod('check', MINORITY, '--quiet', '--json').stdout).counterexample);
  });

  it('cuts the trace at the failing step as the text does, and says reproduces: false for another property failing first', () => {
    const replay = synod('replay', MINORITY, learnerFile, '--json');
    expect(replay.status).toBe(1);
    const json = JSON.parse(replay.stdout);
    expect(json).toMatchObject({ length: 18, violation: { property: 'Agreement', kind: 'always', step: 16, reproduces: false } });
    expect(json.trace).toMatchObject({ property: 'Agreement', length: 16, replayToken: '0/0/0/0/2/2/0/0/4/4/4/6/4/2/2/1/1' });
    expect(json.trace.steps).toHaveLength(17);
  });

  it('with --property leaving out the recorded property: no reproduces, propertyJudged false, and the note', () => {
    const replay = synod('replay', MINORITY, learnerFile, '--json', '--property', 'Agreement');
    expect(replay.status).toBe(1);
    const json = JSON.parse(replay.stdout);
    expect(json.verdict).toBe('VIOLATION: Agreement (always) fails at step 16 of 18');
    expect(json.properties).toEqual([{ name: 'Agreement', kind: 'always' }]);
    expect(json.violation).toEqual({ property: 'Agreement', kind: 'always', step: 16 });
    expect(json.file).toMatchObject({ property: 'LearnerAgreement', propertyJudged: false });
    expect(json.notes).toEqual(['the trace file recorded a violation of LearnerAgreement, which --property Agreement leaves out: this replay does not judge it']);
  });

  it('adds the diagram the text draws with --mermaid, and keeps stderr for the files written: stdout stays JSON', () => {
    const itfOut = `${scratch}/minority-json-out.itf.json`;
    const replay = synod('replay', MINORITY, file, '--json', '--mermaid', '--quiet', '--trace-out', itfOut);
    expect(replay.status).toBe(1);
    expect(replay.stderr.trim()).toBe(`synod: wrote the counterexample (ITF, 15 states) to ${itfOut}`);
    const json = JSON.parse(replay.stdout);
    expect(json.trace.mermaid.split('\n')).toEqual(mermaidBlock(synod('replay', MINORITY, file, '--mermaid').stdout));
    expect(JSON.parse(readFileSync(`${root}${itfOut}`, 'utf8'))['#meta']).toMatchObject({ property: 'Agreement', replayToken: meta.replayToken });
  });

  it('prints nothing on stdout for an error, only its one line on stderr (exit 2), as check --json does', () => {
    const unknown = synod('replay', MINORITY, file, '--json', '--property', 'Nope');
    expect(unknown.status).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toBe(
      "synod: error [bad-flag-value]: minority-quorum has no property 'Nope' (it has: Agreement, LearnerAgreement, Validity, ValueChosen, decides, duel)\n",
    );
    const check = synod('check', MINORITY, '--json', '--property', 'Nope');
    expect([check.status, check.stdout, check.stderr]).toEqual([2, '', unknown.stderr]);
    const misfit = synod('replay', MINORITY, '0/99', '--json');
    expect(misfit.status).toBe(2);
    expect(misfit.stdout).toBe('');
    expect(misfit.stderr).toMatch(/^synod: error \[bad-trace\]: the trace does not fit minority-quorum: step 1 takes action 99, but the model offers only \d+ actions there \(hint: [^\n]*\)\n$/);
  });
});
