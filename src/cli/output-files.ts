/**
 * The files and directories synod writes (`--trace-out`, `--emit-test`, `--out DIR`): missing
 * directories are created, and every failure is one `cannot-write` line.
 */
import { closeSync, constants, existsSync, openSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { makeDirectories } from '../directories.ts';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from '../report/errors.ts';

function cannotWrite(path: string, reason: string): UsageError {
  return new UsageError('cannot-write', `cannot write ${path}: ${reason}`);
}

/** The first part of a file-system error ("ENOTDIR: not a directory"), without the call and path. */
function fileSystemReason(error: unknown): string {
  return error instanceof Error ? error.message.split(',')[0]! : String(error);
}

/** Creates `directory` and any missing parents (one at a time: see makeDirectories); returns those it created. */
export function createDirectory(directory: string): string[] {
  try {
    return makeDirectories(directory);
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
 * Permissions are not asked (access(2) says yes to root in /proc and other places where creating
 * a file fails): the file is opened write-only without truncating it, or, when it does not
 * exist, a probe file is created and removed at once in the nearest directory that exists.
 */
export function ensureWritable(path: string): void {
  if (existsSync(path)) {
    if (statSync(path).isDirectory()) throw cannotWrite(path, 'it is a directory');
    // Write-only, neither created nor truncated: a file one may write but not read is writable.
    tryOpening(path, path, constants.O_WRONLY, undefined);
    return;
  }
  // The directories that do not exist yet will be created in the nearest one that does.
  let ancestor = dirname(path);
  while (!existsSync(ancestor)) ancestor = dirname(ancestor);
  if (!statSync(ancestor).isDirectory()) throw cannotWrite(path, `${ancestor} is not a directory`);
  const probe = join(ancestor, `.synod-probe-${process.pid}`);
  tryOpening(path, probe, 'wx', ancestor);
  unlinkSync(probe);
}

/** Opens and closes `file`, the path itself or a probe in `directory`. */
function tryOpening(path: string, file: string, flags: string | number, directory: string | undefined): void {
  try {
    closeSync(openSync(file, flags));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') throw cannotWrite(path, 'permission denied');
    const reason = fileSystemReason(error);
    throw cannotWrite(path, directory === undefined ? reason : `no file can be created in ${directory} (${reason})`);
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
