/**
 * The code a worker thread starts with, when the thread must load a spec given by path: the
 * worker module and the spec bundled by esbuild into one CommonJS script (fast to start, no tsx
 * in the thread), or, when bundling fails, a bootstrap that registers tsx and imports the module.
 * Used by the parallel explorer's threads and by the experiment runner's one-check threads.
 */
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleSourceMapStatement } from '../thrown-at.ts';
import { specUrl } from './parallel-worker.ts';

/** A worker module and the function in it that starts the thread's message loop. */
export interface WorkerEntry {
  /** The worker module's file URL (`new URL('./x.ts', import.meta.url)`). */
  readonly moduleUrl: URL;
  /** Its export called as `start({ url, module })` with the bundled spec module. */
  readonly start: string;
}

/**
 * The worker module and the spec as one CommonJS script, or undefined when esbuild is not there
 * or cannot bundle the spec (for example a spec that uses top-level await).
 */
export async function bundleWorkerScript(entry: WorkerEntry, specPath: string): Promise<string | undefined> {
  try {
    const esbuild = await import('esbuild');
    const url = specUrl(specPath);
    const specFile = fileURLToPath(url);
    const workerFile = fileURLToPath(entry.moduleUrl);
    const contents =
      `import { ${entry.start} } from ${JSON.stringify(workerFile)};\n` +
      `import * as spec from ${JSON.stringify(specFile)};\n` +
      `${entry.start}({ url: ${JSON.stringify(url)}, module: spec });\n`;
    const result = await esbuild.build({
      stdin: { contents, loader: 'ts', resolveDir: dirname(specFile), sourcefile: 'synod-worker.ts' },
      bundle: true,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      // A CommonJS script is sloppy unless it says otherwise, where the main thread loads a spec
      // as an ES module, always strict (every .ts, .mts and .mjs file; see typescript-loader.mjs):
      // a write to a frozen state would be dropped in the threads (a self-loop, a wrong verdict)
      // and throw on the main thread. A .cts spec is CommonJS there too, sloppy, and stays so.
      // (The whole bundle takes the spec's mode: a sloppy library under node_modules that an ES
      // module spec imports runs strict in the threads.)
      ...(extname(specFile) === '.cts' ? {} : { banner: { js: '"use strict";' } }),
      // Its map travels with it, so that an error in the thread names the place in the spec's file.
      sourcemap: 'external',
      sourcesContent: false,
      // Never written: the directory the map's sources are relative to.
      outfile: join(dirname(specFile), 'synod-worker.js'),
      write: false,
      logLevel: 'silent',
    });
    const code = result.outputFiles.find((file) => file.path.endsWith('.js'))?.text;
    const map = result.outputFiles.find((file) => file.path.endsWith('.js.map'))?.text;
    if (code === undefined) return undefined;
    return map === undefined ? code : code + bundleSourceMapStatement(map, dirname(specFile));
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
