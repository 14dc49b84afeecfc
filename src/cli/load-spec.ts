/** Loading a spec file by path, with a one-line error for every way it can go wrong. */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AnySpec } from '../model.ts';
import { UsageError } from '../report/errors.ts';

function looksLikeSpec(value: unknown): value is AnySpec {
  if (value === null || typeof value !== 'object') return false;
  const candidate = value as Partial<AnySpec>;
  return typeof candidate.name === 'string' && typeof candidate.build === 'function' && typeof candidate.parameters === 'object';
}

export async function loadSpec(path: string): Promise<AnySpec> {
  const absolute = resolve(path);
  if (!existsSync(absolute) || !statSync(absolute).isFile()) {
    throw new UsageError('spec-not-found', `spec file not found: ${path}`, 'pass the path of a .ts spec, e.g. specs/paxos.ts');
  }
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(absolute).href)) as Record<string, unknown>;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new UsageError('spec-load-failed', `the spec ${path} failed to load: ${reason}`);
  }
  const spec = module.default;
  if (!looksLikeSpec(spec)) {
    throw new UsageError(
      'not-a-spec',
      `${path} is not a synod spec: its default export must be defineSpec({ name, parameters, build })`,
      'see "Writing a spec" in the README',
    );
  }
  return spec;
}
