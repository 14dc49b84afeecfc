/**
 * The code a worker thread starts with, when the thread must load a spec given by path: the
 * worker module and the spec bundled by esbuild into one CommonJS script (fast to start, no tsx
 * in the thread), or, when bundling fails, a bootstrap that registers tsx and imports the module.
 * Used by the parallel explorer's threads and by the experiment runner's one-check threads.
 *
 * Bundles are kept between runs ({@link defaultBundleCache}), each with the sha256 of every file
 * it was built from, and used again while those files are unchanged. Bundling when a run starts
 * its threads (about a second in) took 0.27 s before a thread could start, on a core the
 * explorer needs: loading esbuild blocks the main thread 46 ms, and the build competes with the
 * exploration for the machine's two cores. Reading the bundle back and hashing its 16 files
 * takes a few milliseconds.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { specUrl } from './parallel-worker.ts';

/** A worker module and the function in it that starts the thread's message loop. */
export interface WorkerEntry {
  /** The worker module's file URL (`new URL('./x.ts', import.meta.url)`). */
  readonly moduleUrl: URL;
  /** Its export called as `start({ url, module })` with the bundled spec module. */
  readonly start: string;
}

/**
 * Where bundles are kept: node_modules/.cache/synod/worker-bundles in synod's own directory, as
 * other tools keep caches (one file a worker module and spec path; delete it at any time).
 */
export function defaultBundleCache(): string {
  return fileURLToPath(new URL('../../node_modules/.cache/synod/worker-bundles/', import.meta.url));
}

/** Changed whenever the build's options change, so that bundles built otherwise are not reused. */
const BUNDLE_FORMAT = 'cjs-node20-v1';

interface CachedBundle {
  /** Every file the bundle was built from: absolute path and sha256 of its contents. */
  readonly inputs: readonly (readonly [string, string])[];
  readonly bundle: string;
}

function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The kept bundle, when every file it was built from is as it was; otherwise undefined. Read
 * synchronously (about a millisecond): a run asks for it while exploring, and its event loop
 * turns only between units, so each step of an asynchronous read would wait for one (reading the
 * 17 files that way took 0.25 s).
 */
function readKept(file: string): string | undefined {
  try {
    const kept = JSON.parse(readFileSync(file, 'utf8')) as CachedBundle;
    return kept.inputs.every(([path, hash]) => sha256(readFileSync(path)) === hash) ? kept.bundle : undefined;
  } catch {
    return undefined;
  }
}

/** Keeps a bundle (written to a file of its own, then renamed: a reader sees all of it or none). */
async function keep(file: string, bundle: string, inputPaths: readonly string[]): Promise<void> {
  try {
    const inputs = await Promise.all(inputPaths.map(async (path) => [path, sha256(await readFile(path))] as const));
    await mkdir(dirname(file), { recursive: true });
    const partial = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
    await writeFile(partial, JSON.stringify({ inputs, bundle } satisfies CachedBundle));
    await rename(partial, file);
  } catch {
    // A cache that cannot be written only costs the next run the build.
  }
}

/** The entry module esbuild bundles: it imports the worker module and the spec, and starts the worker. */
function entryContents(entry: WorkerEntry, specPath: string): string {
  const url = specUrl(specPath);
  return (
    `import { ${entry.start} } from ${JSON.stringify(fileURLToPath(entry.moduleUrl))};\n` +
    `import * as spec from ${JSON.stringify(fileURLToPath(url))};\n` +
    `${entry.start}({ url: ${JSON.stringify(url)}, module: spec });\n`
  );
}

function keptPath(cache: string, contents: string): string {
  return join(cache, `${sha256(BUNDLE_FORMAT + contents)}.json`);
}

/** The bundle kept in `cache` for the worker module and the spec, if the files it was built from are unchanged. */
export function keptWorkerScript(entry: WorkerEntry, specPath: string, cache: string = defaultBundleCache()): string | undefined {
  try {
    return readKept(keptPath(cache, entryContents(entry, specPath)));
  } catch {
    return undefined;
  }
}

/**
 * The worker module and the spec as one CommonJS script, or undefined when esbuild is not there
 * or cannot bundle the spec (for example a spec that uses top-level await). Kept in `cache` (a
 * directory, or undefined for none) and reused while the files it was built from are unchanged.
 */
export async function bundleWorkerScript(entry: WorkerEntry, specPath: string, cache: string | undefined = defaultBundleCache()): Promise<string | undefined> {
  const kept = cache === undefined ? undefined : keptWorkerScript(entry, specPath, cache);
  if (kept !== undefined) return kept;
  try {
    const contents = entryContents(entry, specPath);
    const specFile = fileURLToPath(specUrl(specPath));
    const esbuild = await import('esbuild');
    const workingDirectory = process.cwd();
    const result = await esbuild.build({
      stdin: { contents, loader: 'ts', resolveDir: dirname(specFile), sourcefile: 'synod-worker.ts' },
      absWorkingDir: workingDirectory,
      bundle: true,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      write: false,
      logLevel: 'silent',
      metafile: true,
    });
    const bundle = result.outputFiles[0]?.text;
    if (bundle !== undefined && cache !== undefined) {
      // The metafile names inputs relative to the working directory; the entry itself (stdin) is
      // in the cache key.
      const inputs = Object.keys(result.metafile.inputs)
        .map((input) => resolve(workingDirectory, input))
        .filter((path) => path !== resolve(dirname(specFile), 'synod-worker.ts'));
      await keep(keptPath(cache, contents), bundle, inputs);
    }
    return bundle;
  } catch {
    return undefined;
  }
}

/**
 * The unbundled fallback: register TypeScript support as the `synod` command does (a spec outside
 * the repository must load as an ES module here too), then import the worker module, which starts
 * itself when it sees its mark in `workerData`.
 */
export function workerBootstrapScript(entry: WorkerEntry): string {
  const loader = new URL('../typescript-loader.mjs', import.meta.url).href;
  return (
    `import(${JSON.stringify(loader)})` +
    `.then(({ registerTypeScript }) => { registerTypeScript(); return import(${JSON.stringify(entry.moduleUrl.href)}); })` +
    `.catch((error) => require('node:worker_threads').parentPort.postMessage({ type: 'failed', message: String(error && error.message || error) }));`
  );
}
