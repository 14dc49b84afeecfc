/**
 * A user's own spec, in a directory of its own outside the repository: with no package.json, it
 * imports synod by absolute path; in a CommonJS project with synod installed (node_modules/synod,
 * a symlink as `npm install <folder>` makes), it imports from 'synod'. Both are ES modules that
 * Node would load as CommonJS by the package rules. They load in the main thread, in explorer
 * threads (bundled with esbuild, or through tsx when the spec cannot be bundled) and in sweep
 * threads.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveParameters } from '../../src/index.ts';
import { checkModelWithTuning } from '../../src/check.ts';
import { loadSpec } from '../../src/cli/load-spec.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'synod-user-spec-'));
/** No package.json here or above (the system's temporary directory). */
const loose = join(scratch, 'loose');
/** A CommonJS project ("type": "commonjs", as `npm init` writes it) with synod installed. */
const project = join(scratch, 'project');

/** `source` with its imports of synod's sources replaced by `target`, which must have been there. */
function importingFrom(source: string, target: string): string {
  const rewritten = source.replace(/'(\.\.\/)+src\/[^']+'/g, JSON.stringify(target));
  expect(rewritten).not.toBe(source);
  expect(rewritten).not.toContain("'../");
  return rewritten;
}

beforeAll(() => {
  const ping = readFileSync(join(root, 'specs/examples/ping.ts'), 'utf8');
  const paxosTla = readFileSync(join(root, 'specs/paxos-tla.ts'), 'utf8');
  mkdirSync(loose);
  writeFileSync(join(loose, 'ping.ts'), importingFrom(ping, join(root, 'src/index.ts')));
  mkdirSync(join(project, 'node_modules'), { recursive: true });
  symlinkSync(root, join(project, 'node_modules/synod'), 'dir');
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user-project', version: '1.0.0', private: true, type: 'commonjs' }));
  writeFileSync(join(project, 'ping.ts'), importingFrom(ping, 'synod'));
  writeFileSync(join(project, 'paxos-tla.ts'), importingFrom(paxosTla, 'synod'));
  // Top-level await: esbuild cannot bundle it into a thread's CommonJS script, so threads load it through tsx.
  writeFileSync(join(project, 'paxos-tla-awaiting.ts'), `${importingFrom(paxosTla, 'synod')}\nawait Promise.resolve();\n`);
  // A spec split into files: each .ts file it imports loads as an ES module too. A named import
  // is what tsx marks for loading as CommonJS from ESM (a default import alone is not), and
  // top-level await in the imported file is what CommonJS cannot load.
  const helper = 'export const expectedPings = await Promise.resolve(2);\n';
  const reexport = (file: string, extra = '') =>
    `import spec from './${file}';\nimport { expectedPings } from './helper.ts';\nif (expectedPings !== 2) throw new Error('helper');\n${extra}export default spec;\n`;
  for (const directory of [loose, project]) writeFileSync(join(directory, 'helper.ts'), helper);
  writeFileSync(join(loose, 'ping-split.ts'), reexport('ping.ts'));
  writeFileSync(join(project, 'ping-split.ts'), reexport('ping.ts'));
  writeFileSync(join(project, 'paxos-tla-split.ts'), reexport('paxos-tla-awaiting.ts', 'await Promise.resolve();\n'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function synod(cwd: string, ...args: string[]) {
  const run = spawnSync(process.execPath, [join(root, 'src/cli/synod.mjs'), ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function figures(json: string) {
  const { status, distinctStates, transitions, depth } = JSON.parse(json);
  return { status, distinctStates, transitions, depth };
}

describe('a spec of the user, outside the repository', () => {
  let bundled: ReturnType<typeof figures>;
  beforeAll(() => {
    const run = synod(root, 'check', 'specs/examples/ping.ts', '--json', '--quiet');
    expect(run.stderr).toBe('');
    bundled = figures(run.stdout);
  });

  it('checks the bundled example as the README says', () => {
    expect(bundled).toEqual({ status: 'ok', distinctStates: 10, transitions: 12, depth: 7 });
  });

  it('loads with no package.json, importing synod by absolute path', () => {
    const run = synod(loose, 'check', 'ping.ts', '--json', '--quiet');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(figures(run.stdout)).toEqual(bundled);
  });

  it('loads a spec that imports a file of its own, with no package.json and in a CommonJS project', () => {
    for (const directory of [loose, project]) {
      const run = synod(directory, 'check', 'ping-split.ts', '--json', '--quiet');
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(figures(run.stdout)).toEqual(bundled);
    }
  });

  it("loads in a CommonJS project that has synod installed, importing from 'synod'", () => {
    const run = synod(project, 'check', 'ping.ts', '--json', '--quiet');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(figures(run.stdout)).toEqual(bundled);
    const broken = synod(project, 'check', 'ping.ts', '--network', 'dup', '--pings', '3', '--quiet');
    expect(broken.status).toBe(1);
    expect(broken.stdout).toContain('VIOLATION: NoExtraAnswers (always) fails after 4 steps');
  });

  it('loads in sweep threads, and in their explorer threads', () => {
    const run = synod(project, 'sweep', 'ping.ts', '--grid', 'pings=1..2', '--check-workers', '2', '--workers', '1', '--out', join(scratch, 'sweep'), '--quiet', '--json');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const rows = JSON.parse(run.stdout).rows as { status: string; distinctStates: number; transitions: number; depth: number }[];
    expect(rows.map((row) => [row.status, row.distinctStates, row.transitions, row.depth])).toEqual([
      ['ok', 4, 3, 4],
      ['ok', bundled.distinctStates, bundled.transitions, bundled.depth],
    ]);
  });

  // Paxos.tla with ballots 0..2 (TLC: 185,369 states, depth 25), large enough that the worker thread takes part.
  for (const file of ['paxos-tla.ts', 'paxos-tla-awaiting.ts', 'paxos-tla-split.ts']) {
    it(`loads in explorer threads that take part in the run (${file})`, async () => {
      const specPath = join(project, file);
      const spec = await loadSpec(specPath);
      const parameters = resolveParameters(spec.parameters, { maxBallot: 2 });
      const { result } = await checkModelWithTuning(spec.build(parameters), { workers: 2, source: { specPath, parameters } }, { waitForWorkers: true });
      const { distinctStates, depth, workersUsed } = result.statistics;
      expect({ status: result.status, distinctStates, depth, workersUsed }).toEqual({ status: 'ok', distinctStates: 185_369, depth: 25, workersUsed: 2 });
    });
  }
});
