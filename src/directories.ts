/**
 * Creating a directory and its missing parents, one level at a time: Node's recursive mkdir never
 * returns where the system says a parent that exists does not (creating a directory in /proc as
 * root). Errors are the file system's.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export function makeDirectories(directory: string, mode?: number): void {
  const missing: string[] = [];
  for (let path = resolve(directory); !existsSync(path); path = dirname(path)) missing.unshift(path);
  for (const path of missing) mkdirSync(path, mode === undefined ? undefined : { mode });
}
