/** Loading a spec file by path, with a one-line error for every way it can go wrong. */
import { existsSync, statSync } from 'node:fs';
import { extname, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AnySpec } from '../model.ts';
import { ParameterError, RefuseFailed, RefusedCombination, resolveSpecParameters, validateDeclarations } from '../parameters.ts';
import { UsageError } from '../report/errors.ts';
import { RESERVED_FLAGS } from './arguments.ts';
import { shownPath } from '../shown-path.ts';
import { thrownWithPlace } from '../thrown.ts';

/** What keeps a module's default export from being a spec, or undefined when it is one. */
function notASpec(module: Record<string, unknown>): string | undefined {
  if (!('default' in module)) return 'it has no default export';
  const value = module.default;
  if (value === undefined) return 'its default export is undefined';
  if (value === null || typeof value !== 'object') return `its default export is ${value === null ? 'null' : `a ${typeof value}`}, not an object`;
  const candidate = value as Partial<AnySpec>;
  if (typeof candidate.name !== 'string' || candidate.name.trim() === '') return 'its name is not a non-empty string';
  if (typeof candidate.build !== 'function') return 'its build is not a function';
  if (typeof candidate.parameters !== 'object' || candidate.parameters === null) return 'its parameters are not an object';
  if (candidate.refuse !== undefined && typeof candidate.refuse !== 'function') return 'its refuse is not a function';
  return undefined;
}

/**
 * The file esbuild's report names: it names a .mts or .cts file with the extension .ts, a file
 * that may not exist (or another one, beside it). The spec itself first.
 */
function sourceFile(reported: string, absolute: string): string {
  if (/\.[mc]ts$/.test(absolute) && reported === `${absolute.slice(0, -'.mts'.length)}.ts`) return absolute;
  if (!reported.endsWith('.ts') || existsSync(reported)) return reported;
  for (const extension of ['.mts', '.cts']) {
    const file = `${reported.slice(0, -'.ts'.length)}${extension}`;
    if (existsSync(file)) return file;
  }
  return reported;
}

/**
 * Why the spec at `path` (`absolute`) failed to load, in one line. A syntax error comes from esbuild
 * (through tsx, which drops esbuild's structured `errors`) as a header line ("Transform failed with
 * 1 error:") followed by `file:line:column: ERROR: text` lines; the first of those is the cause.
 * Its file may be one the spec imports, so it is named; esbuild counts columns from 0, editors from 1.
 */
function loadFailure(path: string, absolute: string, error: unknown): string {
  // Whatever the spec threw at its top level, in one line (an empty message, several lines, an object).
  if (!(error instanceof Error)) return thrownWithPlace(error);
  const [first = '', cause = ''] = String(error.message).split('\n');
  // Only esbuild's own report: a spec may throw an error whose message merely looks like one.
  const syntax = /^Transform failed with \d+ errors?:$/.test(first) ? /^(.*):(\d+):(\d+): ERROR: (.*)$/.exec(cause) : null;
  if (!syntax) return thrownWithPlace(error);
  const file = sourceFile(syntax[1]!, absolute);
  const shown = file === absolute ? path : shownPath(file);
  return `${shown}:${syntax[2]}:${Number(syntax[3]) + 1}: ${syntax[4]}`;
}

/** Whether the spec imports 'synod' from a directory where no such package is installed (as an ES module, or as CommonJS). */
function synodNotInstalled(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as NodeJS.ErrnoException).code;
  return (code === 'ERR_MODULE_NOT_FOUND' && /^Cannot find package 'synod' /.test(error.message)) || (code === 'MODULE_NOT_FOUND' && /^Cannot find module 'synod'/.test(error.message));
}

/**
 * Whether loading failed where CommonJS code required an ES module, which Node 20 cannot do (a
 * .cts spec importing synod, whose sources are ES modules). Node says so in no one way: a require
 * of a .ts file fails inside its ES module translators ("reading 'exports'"), an import of the
 * 'synod' package with ERR_VM_MODULE_LINK_FAILURE, a plain .mjs with ERR_REQUIRE_ESM.
 */
function requiredAnEsModule(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ERR_REQUIRE_ESM' || code === 'ERR_REQUIRE_ASYNC_MODULE' || code === 'ERR_VM_MODULE_LINK_FAILURE') return true;
  return error instanceof TypeError && (error.stack ?? '').includes('node:internal/modules/esm/translators');
}

/**
 * Whether loading a spec outside synod's repository failed on an import of one of synod's own
 * sources by a relative path that leads nowhere: a spec copied out of the repository (the README's
 * examples live in specs/) keeps imports such as '../../src/model.ts', which only resolve there.
 */
function importedSynodSourceByPath(absolute: string, error: unknown): boolean {
  if (!(error instanceof Error) || !relative(SYNOD_ROOT, absolute).startsWith('..')) return false;
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false;
  const missing = /Cannot find module '([^']+)'/.exec(error.message)?.[1] ?? '';
  return /(^|[\\/])src[\\/](index|model|check|parameters|actors[\\/][\w-]+)\.[jt]s$/.test(missing);
}

/** The directory synod runs from: its sources are under src/ there. */
const SYNOD_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The names a spec file may have: those every loader synod uses (tsx on the main thread, esbuild's
 * bundles in worker threads) reads alike. Not `.js`: whether it is an ES module depends on the
 * nearest package.json, and TypeScript in it fails with Node's bare "Unexpected token".
 */
const SPEC_EXTENSIONS = ['.ts', '.mts', '.cts', '.mjs'];

/** The spec being imported, if one is: a process that ends with its top-level await pending names it. */
let importing: string | undefined;
export function specBeingImported(): string | undefined {
  return importing;
}

/**
 * Loads and checks a spec file. `forHelp`: its defaults are not put to its refuse, so that the
 * help of a spec that refuses them still lists the parameters that would fix it.
 */
export async function loadSpec(path: string, { forHelp = false }: { readonly forHelp?: boolean } = {}): Promise<AnySpec> {
  const absolute = resolve(path);
  const hint = 'pass the path of a .ts spec, e.g. specs/paxos.ts';
  if (path.trim() === '') throw new UsageError('spec-not-found', 'the spec file\'s path is empty', hint);
  if (existsSync(absolute) && statSync(absolute).isDirectory()) throw new UsageError('spec-not-found', `${path} is a directory, not a spec file`, hint);
  if (!existsSync(absolute)) throw new UsageError('spec-not-found', `spec file not found: ${path}`, hint);
  // A pipe or a device: reading it as a module would wait, or read something else.
  if (!statSync(absolute).isFile()) throw new UsageError('spec-not-found', `${path} is not a regular file`, hint);
  const extension = extname(absolute);
  if (!SPEC_EXTENSIONS.includes(extension)) {
    throw new UsageError(
      'not-a-spec',
      `${path}: a spec file's name must end in .ts, .mts or .cts (TypeScript), or .mjs${extension === '' ? '' : `, not ${extension}`}`,
      'rename it to .ts; a spec in plain JavaScript is TypeScript too',
    );
  }
  let module: Record<string, unknown>;
  try {
    importing = path;
    module = (await import(pathToFileURL(absolute).href)) as Record<string, unknown>;
    importing = undefined;
  } catch (error) {
    importing = undefined;
    if (extension === '.cts' && requiredAnEsModule(error)) {
      // Node's own words for it name its internals ("reading 'exports'", "not in cache"): said plainly first.
      throw new UsageError(
        'spec-load-failed',
        `the spec ${path} failed to load: a .cts spec is CommonJS, which cannot import ES modules such as synod's (Node: ${loadFailure(path, absolute, error)})`,
        'name it .ts or .mts',
      );
    }
    // A .cts spec cannot import synod at all, not even as 'synod'.
    const hint = synodNotInstalled(error)
      ? `install synod into the spec's project (npm install /path/to/synod)${extension === '.cts' ? ", and name the spec .ts or .mts (a .cts spec is CommonJS, which cannot import ES modules such as synod's)" : ''}: see "Your own spec, in your own directory" in the README`
      : !importedSynodSourceByPath(absolute, error)
        ? undefined
        : extension === '.cts'
          ? `a spec outside synod's repository imports from 'synod' once synod is installed in its project, and is named .ts or .mts (a .cts spec is CommonJS, which cannot import ES modules such as synod's): see "Your own spec, in your own directory" in the README`
          : `a spec outside synod's repository imports from 'synod' once synod is installed in its project, not by a relative path to synod's sources: see "Your own spec, in your own directory" in the README`;
    throw new UsageError('spec-load-failed', `the spec ${path} failed to load: ${loadFailure(path, absolute, error)}`, hint);
  }
  const spec = module.default as AnySpec;
  let problem: string | undefined;
  try {
    problem = notASpec(module);
  } catch (error) {
    // A getter of its own (name, build, parameters) threw.
    problem = `reading it threw: ${thrownWithPlace(error)}`;
  }
  if (problem !== undefined) {
    throw new UsageError(
      'not-a-spec',
      `${path} is not a synod spec: ${problem} (its default export must be defineSpec({ name, parameters, build }))`,
      'see "Writing a spec" in the README',
    );
  }
  // Checked here, once for every command, before any flag is parsed against the declarations.
  try {
    validateDeclarations(spec.name, spec.parameters, RESERVED_FLAGS);
  } catch (error) {
    if (error instanceof ParameterError) throw new UsageError('bad-parameter', error.message, 'see "Writing a spec" in the README');
    throw new UsageError('bad-parameter', `the spec ${spec.name}'s parameters could not be read: ${thrownWithPlace(error)}`, 'see "Writing a spec" in the README');
  }
  if (forHelp) return spec;
  // Defaults must make a model, as each must lie in its range: every command starts from them.
  try {
    resolveSpecParameters(spec, {});
  } catch (error) {
    if (error instanceof RefusedCombination) throw new UsageError('bad-parameter', `the spec ${spec.name} refuses its own defaults: ${error.message}`, 'see "Writing a spec" in the README');
    if (error instanceof RefuseFailed) throw new UsageError('spec-build-failed', `the refuse of the spec ${spec.name} failed on its defaults: ${error.message}`);
    throw error;
  }
  return spec;
}
