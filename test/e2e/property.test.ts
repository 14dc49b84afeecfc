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

  it('duel: prints the witness, the duelling proposers, as text and as a Mermaid diagram (the README command)', () => {
    const run = synod('check', 'specs/paxos.ts', '--proposers', '2', '--rounds', '2', '--property', 'duel', '--mermaid', '--quiet', '--workers', '1');
    expect(run.status).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[1]).toBe('OK: all properties hold; witnessed duel');
    expect(lines).toContain('search       stopped at the last witness: only sometimes properties were checked, so no further state could change the verdict');
    expect(run.stdout).toMatch(/^witness of duel \(13 steps; replay token [\d/]+\)$/m);
    expect(run.stdout).toContain('  13. a2 receives Prepare(b=3) from p1\n       p2.preemptedRounds + 1\n');
    expect(run.stdout).toContain('```mermaid\nsequenceDiagram\n');
    expect(run.stdout).toContain('  Note over p1,l1: duel is witnessed at step 13: ');
  });

  it('duel: never witnessed with one proposer, nor in Multi-Paxos with a stable leader (exit 1)', () => {
    for (const args of [['specs/paxos.ts', '--proposers', '1'], ['specs/multi-paxos.ts', '--proposers', '1', '--rounds', '2', '--slots', '1']]) {
      const run = synod('check', ...args, '--property', 'duel', '--quiet', '--workers', '1');
      expect(run.status).toBe(1);
      expect(run.stdout.split('\n')[1]).toBe('VIOLATION: duel (sometimes) was never witnessed');
      expect(run.stdout).not.toContain('witness of');
    }
  });

  it('duel in JSON: the witness with its length and explanation', () => {
    const run = synod('check', 'specs/paxos.ts', '--acceptors', '2', '--proposers', '2', '--rounds', '2', '--property', 'duel', '--json', '--quiet', '--workers', '1');
    expect(run.status).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(json).toMatchObject({ status: 'ok', settledEarly: true });
    expect(json.witnesses.map((witness: { property: string; length: number }) => [witness.property, witness.length])).toEqual([['duel', 13]]);
    // How it is witnessed, as the text trace says it.
    expect(json.witnesses[0].explanation).toBe(
      "each proposer's rounds were pre-empted by the other's higher ballot (p1 lost round 1, p2 lost round 1) and nothing is chosen yet",
    );
  });

  it('refuses an unknown property in one line', () => {
    const run = synod('check', 'specs/paxos.ts', '--property', 'Liveness');
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe(
      "synod: error [bad-flag-value]: paxos has no property 'Liveness' (it has: Agreement, LearnerAgreement, Validity, ValueChosen, decides, duel)",
    );
  });
});
