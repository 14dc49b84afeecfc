/** Paths in synod's output: a spec's file, the place of a throw. */
import { isAbsolute, relative } from 'node:path';

/** A path as synod shows it: from the working directory when the file is below it, else in full. */
export function shownPath(path: string): string {
  const below = relative(process.cwd(), path);
  return below.startsWith('..') || isAbsolute(below) ? path : below;
}
