import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bugs = readdirSync(new URL('../../specs/bugs/', import.meta.url)).filter((file) => file.endsWith('.ts'));

describe('every broken variant fails from the CLI with its defaults', () => {
  it('there are broken variants to check', () => {
    expect(bugs.length).toBeGreaterThanOrEqual(6);
  });
  for (const file of bugs) {
    it(`synod check specs/bugs/${file} exits 1 with a readable trace`, () => {
      const run = spawnSync(process.execPath, ['src/cli/synod.mjs', 'check', `specs/bugs/${file}`, '--quiet'], {
        cwd: root,
        encoding: 'utf8',
        timeout: 120_000,
      });
      expect(run.status).toBe(1);
      expect(run.stdout.split('\n')[1]).toMatch(/^VIOLATION: \w+ \(always\) fails after \d+ steps$/);
      expect(run.stdout).toMatch(/^counterexample \(\d+ steps; replay token [\d/]+\)$/m);
      expect(run.stdout).toMatch(/^ {2}1\. /m);
      const failure = /^ {2}>> \w+ fails at step \d+: (.+)$/m.exec(run.stdout);
      expect(failure).not.toBeNull();
      // The explanation names two different values, each chosen by a quorum at some ballot.
      const chosen = [...failure![1]!.matchAll(/(v\d) chosen at ballot \d+ by \{a\d(, ?a\d)+\}/g)].map((match) => match[1]);
      expect(new Set(chosen).size).toBe(2);
    });
  }
});
