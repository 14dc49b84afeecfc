/**
 * Creating a directory and its missing parents, one level at a time: Node's recursive mkdir never
 * returns where the system says a parent that exists does not (creating a directory in /proc as
 * root). Errors are the file system's; a directory that another process creates meanwhile is no
 * error, as with the recursive mkdir.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Returns the directories it created, outermost first. */
export function makeDirectories(directory: string): string[] {
  const missing: string[] = [];
  for (let path = resolve(directory); !existsSync(path); path = dirname(path)) missing.unshift(path);
  const created: string[] = [];
  for (const path of missing) {
    try {
      mkdirSync(path);
      created.push(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(path).isDirectory()) throw error;
    }
  }
  return created;
}
