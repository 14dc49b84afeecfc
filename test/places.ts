/**
 * Where a spec's code throws, as synod's errors name it (`file:line:column`, relative to the
 * repository, where the tests run): found in the file's text, so that an edit to the file moves
 * the expected place with it.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));

/**
 * The place in `file` (relative to the repository) of the first line holding `lineMarker`, at the
 * column where `columnMarker` starts in it (from the line marker on): V8 places a throw at its
 * `new`, a call at the called name, a property read at its name.
 */
export function placeOf(file: string, lineMarker: string, columnMarker = lineMarker): string {
  const lines = readFileSync(`${root}${file}`, 'utf8').split('\n');
  // A test that looks up a place in its own file names the marker in the call: not that line.
  const line = lines.findIndex((text) => text.includes(lineMarker) && !text.includes('placeOf('));
  if (line < 0) throw new Error(`${file} has no line with ${lineMarker}`);
  const column = lines[line]!.indexOf(columnMarker, lines[line]!.indexOf(lineMarker));
  if (column < 0) throw new Error(`${file}:${line + 1} has no ${columnMarker} after ${lineMarker}`);
  return `${file}:${line + 1}:${column + 1}`;
}

/** A message with the places of its throws taken out, for tests about the rest of it (the places are tested in thrown.test.ts). */
export function withoutPlace(message: string): string {
  return message.replace(/ at [^\s()]+:\d+:\d+/g, '');
}
