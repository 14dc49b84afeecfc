/**
 * Worker bundles kept between runs: reused while every file they were built from is unchanged,
 * built again when one changes.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleWorkerScript, keptWorkerScript, type WorkerEntry } from '../../../src/explore/worker-script.ts';

const scratch = mkdtempSync(join(tmpdir(), 'synod-bundles-'));
const cache = join(scratch, 'cache');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A worker module of its own and a spec split in two files, so that the test can change each. */
function writeFiles(helperValue: string): { entry: WorkerEntry; spec: string; helper: string } {
  const worker = join(scratch, 'worker.ts');
  writeFileSync(worker, 'export function start(loaded: { module: unknown }): void { void loaded; }\n');
  const helper = join(scratch, 'helper.ts');
  writeFileSync(helper, `export const marker = ${JSON.stringify(helperValue)};\n`);
  const spec = join(scratch, 'spec.ts');
  writeFileSync(spec, "import { marker } from './helper.ts';\nexport default { marker };\n");
  return { entry: { moduleUrl: new URL(`file://${worker}`), start: 'start' }, spec, helper };
}

function keptFiles(): string[] {
  return readdirSync(cache);
}

describe('bundleWorkerScript', () => {
  it('keeps the bundle with the hash of each file it was built from, and reuses it while they are unchanged', async () => {
    const { entry, spec, helper } = writeFiles('first');
    const built = await bundleWorkerScript(entry, spec, cache);
    expect(built).toContain('"first"');
    expect(keptFiles()).toHaveLength(1);
    const keptPath = join(cache, keptFiles()[0]!);
    const kept = JSON.parse(readFileSync(keptPath, 'utf8')) as { inputs: [string, string][]; bundle: string };
    expect(kept.bundle).toBe(built);
    expect(kept.inputs.map(([path]) => path).sort()).toEqual([helper, spec, entry.moduleUrl.pathname].sort());

    // Read back, not built: a mark put into the kept bundle comes back.
    writeFileSync(keptPath, JSON.stringify({ ...kept, bundle: `${kept.bundle}// kept\n` }));
    expect(await bundleWorkerScript(entry, spec, cache)).toBe(`${built}// kept\n`);
    expect(keptWorkerScript(entry, spec, cache)).toBe(`${built}// kept\n`);

    // A file it was built from changes: built again, and kept in place of the old bundle.
    writeFiles('second');
    expect(keptWorkerScript(entry, spec, cache)).toBeUndefined();
    const rebuilt = await bundleWorkerScript(entry, spec, cache);
    expect(rebuilt).toContain('"second"');
    expect(rebuilt).not.toContain('// kept');
    expect(keptFiles()).toHaveLength(1);
    expect(await bundleWorkerScript(entry, spec, cache)).toBe(rebuilt);
    expect(keptWorkerScript(entry, spec, cache)).toBe(rebuilt);
    // Nor for another spec, or a worker module that was never bundled.
    expect(keptWorkerScript(entry, helper, cache)).toBeUndefined();
  });

  it('builds without keeping anything when given no cache, or a cache it cannot write', async () => {
    const { entry, spec } = writeFiles('third');
    expect(await bundleWorkerScript(entry, spec, undefined)).toContain('"third"');
    // A file where the directory should be: nothing kept, the bundle still built.
    const blocked = join(scratch, 'blocked');
    writeFileSync(blocked, 'not a directory');
    expect(await bundleWorkerScript(entry, spec, join(blocked, 'cache'))).toContain('"third"');
  });

  it('gives undefined for a spec esbuild cannot bundle, and keeps nothing for it', async () => {
    const { entry } = writeFiles('fourth');
    const broken = join(scratch, 'broken.ts');
    writeFileSync(broken, 'export default await import("./nowhere.ts");\n');
    const before = keptFiles().length;
    expect(await bundleWorkerScript(entry, broken, cache)).toBeUndefined();
    expect(keptFiles()).toHaveLength(before);
  });
});
