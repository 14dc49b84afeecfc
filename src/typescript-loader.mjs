/**
 * How synod runs TypeScript from source, in the main thread (src/cli/synod.mjs) and in worker
 * threads that load a spec through tsx (src/explore/worker-script.ts): tsx, plus the resolve hook
 * below, which this module is too (Node runs it in its loader thread).
 *
 * tsx gives a `.ts` file the format of its package, as Node gives a `.js` file, so a spec outside a
 * package with `"type": "module"` (no package.json at all, or a CommonJS project) would load as
 * CommonJS: Node 20 then refuses it ("Cannot require() ES Module ... in a cycle"), and where it
 * loads (with tsx's CommonJS hooks), it gets its own CommonJS copy of every synod module it
 * imports, and no top-level await. A spec is written as an ES module, so a user's `.ts` file is
 * loaded as one wherever it lives. Files under node_modules keep the format their package declares;
 * a linked package (npm link, workspaces) resolves to its real path outside node_modules, so its
 * `.ts` files load as ES modules too.
 */
import { register as registerHooks } from 'node:module';
import { sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { register as registerTsx } from 'tsx/esm/api';

export function registerTypeScript() {
  registerTsx();
  // Registered after tsx, so Node calls this hook first and it sees what tsx resolved.
  registerHooks(import.meta.url);
}

/** @type {import('node:module').ResolveHook} */
export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  if (resolved.format !== 'commonjs' || !resolved.url.startsWith('file:')) return resolved;
  // A .ts file imported from an ES module comes back from tsx with a query of its own (set for
  // loading it as CommonJS from ESM), in the search part or escaped into the path: the file is
  // what the path says up to it, and loads as an ES module without it.
  const url = new URL(resolved.url);
  url.search = '';
  const path = fileURLToPath(url).split('?tsx-')[0];
  if (!path.endsWith('.ts') || path.includes(`${sep}node_modules${sep}`)) return resolved;
  return { ...resolved, url: pathToFileURL(path).href, format: 'module' };
}
