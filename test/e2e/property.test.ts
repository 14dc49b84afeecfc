import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

function synod(...args: string[]) {
  const run = spawnSync(process.execPath, ['src/cli/synod.mjs', ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('synod check --property', () => {
  it('checks an optional terminal property by name: decides fails under lossy', () => {
    const run = synod('check', 'specs/paxos.ts', '--property', 'decides', '--network', 'lossy', '--proposers', '1', '--quiet', '--workers', '1');
    expect(run.status).toBe(1);
    expect(run.stdout.split('\n')[1]).toBe('VIOLATION: decides (terminal) fails after 4 steps');
    expect(run.stdout).toContain('  4. message Prepare(b=1) from p1 to a3 dropped');
  });

  it('holds under bag, and checks only the named property', () => {
    const run = synod('check', 'specs/paxos.ts', '--property', 'decides', '--json', '--quiet', '--workers', '1');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).properties).toEqual([{ name: 'decides', kind: 'terminal', holds: true, witnessed: true }]);
  });

  it('refuses an unknown property in one line', () => {
    const run = synod('check', 'specs/paxos.ts', '--property', 'Liveness');
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe(
      "synod: error [bad-flag-value]: paxos has no property 'Liveness' (it has: Agreement, LearnerAgreement, Validity, ValueChosen, decides)",
    );
  });
});
