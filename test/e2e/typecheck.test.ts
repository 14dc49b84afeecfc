// The sources, specs and tests type-check under the project's strict tsconfig. synod runs from
// source with tsx, which strips types without checking them, so without this a type error would
// pass every other test (a spread that named #meta twice did, once).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('npm run typecheck', () => {
  it('finds no type error', () => {
    const run = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', '.'], { cwd: root, encoding: 'utf8', timeout: 170_000 });
    expect(run.stdout + run.stderr).toBe('');
    expect(run.status).toBe(0);
  }, 180_000);
});
