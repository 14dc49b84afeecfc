/** `synod check --audit` end to end: the audit line, the JSON figures, and one thread. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

function synod(...args: string[]) {
  const run = spawnSync(process.execPath, ['src/cli/synod.mjs', ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

// 183 states and 400 transitions: 400 + 1 initial - 183 new = 218 fingerprint hits.
const small = ['check', 'specs/paxos.ts', '--proposers', '1', '--rounds', '1', '--quiet', '--audit'];

describe('synod check --audit (end to end)', () => {
  it('prints the audit line in text: hits compared, 0 collisions', () => {
    const run = synod(...small);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('183 distinct, 400 transitions, depth 13');
    expect(run.stdout).toMatch(/^audit {8}218 fingerprint hits compared in full with the stored state: 0 collisions; [\d.]+ KiB of kept encodings$/m);
    expect(run.stderr).toBe('');
  });

  it('reports audit figures in JSON, on one worker even when --workers asks for more (and says so)', () => {
    const run = synod(...small, '--json', '--workers', '2');
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.audit).toEqual({ statesCompared: 218, collisions: 0, storedBytes: expect.any(Number) });
    expect(result.workers).toBe(1);
    expect(run.stderr.trim()).toBe('synod: --audit explores on one thread; --workers 2 is ignored');
  });

  it('leaves the audit out of runs without --audit', () => {
    const run = synod(...small.slice(0, -1), '--json');
    expect(JSON.parse(run.stdout).audit).toBeUndefined();
  });
});
