/**
 * The files and directories synod writes (`--trace-out`, `--emit-test`, `--out DIR`): missing
 * directories are created, and every failure is one `cannot-write` line.
 */
import { accessSync, constants, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../report/errors.ts';

function cannotWrite(path: string, reason: string): UsageError {
  return new UsageError('cannot-write', `cannot write ${path}: ${reason}`);
}

/** The first part of a file-system error ("ENOTDIR: not a directory"), without the call and path. */
function fileSystemReason(error: unknown): string {
  return error instanceof Error ? error.message.split(',')[0]! : String(error);
}

/** Creates `directory` and any missing parents. */
export function createDirectory(directory: string): void {
  try {
    mkdirSync(directory, { recursive: true });
  } catch (error) {
    throw new UsageError('cannot-write', `cannot create the directory ${directory}: ${fileSystemReason(error)}`);
  }
}

/** Writes `text` to `path`, creating the directories it needs. */
export function writeOutputFile(path: string, text: string): void {
  createDirectory(dirname(path));
  try {
    writeFileSync(path, text);
  } catch (error) {
    throw cannotWrite(path, fileSystemReason(error));
  }
}

/**
 * Fails early (exit 2) when `path` could not be created or overwritten. Creates nothing: files
 * written only on a counterexample must not leave empty directories behind when there is none.
 */
export function ensureWritable(path: string): void {
  if (existsSync(path)) {
    if (statSync(path).isDirectory()) throw cannotWrite(path, 'it is a directory');
    ensureAccess(path, path);
    return;
  }
  // The directories that do not exist yet will be created in the nearest one that does.
  let ancestor = dirname(path);
  while (!existsSync(ancestor)) ancestor = dirname(ancestor);
  if (!statSync(ancestor).isDirectory()) throw cannotWrite(path, `${ancestor} is not a directory`);
  ensureAccess(path, ancestor);
}

function ensureAccess(path: string, existing: string): void {
  try {
    accessSync(existing, constants.W_OK);
  } catch {
    throw cannotWrite(path, 'permission denied');
  }
}

/** Whether two paths name one file (through symbolic and hard links, and relative parts). */
export function sameFile(path: string, other: string): boolean {
  try {
    const [one, two] = [statSync(path), statSync(other)];
    return one.dev === two.dev && one.ino === two.ino;
  } catch {
    // One does not exist yet: the same path, or not the same file.
    return resolve(path) === resolve(other);
  }
}
