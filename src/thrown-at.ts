/**
 * Where in a spec's code an error was thrown, as `file:line:column`, read from its stack: an error
 * message that names no place leaves the author searching every handler for the one that read a
 * field of undefined. The place is the first frame of the spec's own code (not synod's, not Node's,
 * not a dependency's when the spec's frame is further down), taken only where the stack shows that
 * synod was running the spec's code there: the top frame, or one that synod's code called. An error
 * synod's own code made about the spec (a broken contract) is otherwise placed nowhere, rather
 * than at whatever called synod (a script, a test).
 *
 * The main thread runs TypeScript through tsx, which maps its stacks back to the .ts files. A
 * worker thread runs an esbuild bundle, whose frames read `[worker eval]:line:column`; the bundle
 * carries its source map (see {@link bundleSourceMapStatement}), and frames are mapped through it.
 */
import { SourceMap } from 'node:module';
import { dirname, isAbsolute, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { shownPath } from './shown-path.ts';

/** Where a bundle's source map lives for the code that maps its frames (a worker thread's global). */
const BUNDLE_MAP_KEY = Symbol.for('synod.bundleSourceMap');

interface BundleSourceMap {
  /** The map esbuild wrote, without sources' contents. */
  readonly map: object;
  /** The directory the map's `sources` are relative to. */
  readonly directory: string;
  /** synod's own source directory, as the main thread knows it (the bundle has no import.meta.url). */
  readonly ownDirectory: string;
}

const BUNDLE_FILE = '[worker eval]';

/**
 * A statement to append to a worker bundle: it hands the thread the bundle's source map, so that an
 * error there is placed in the spec's file, not in the bundle. Appended after the code, it runs
 * before any message reaches the thread, so before the spec's code runs in a step.
 */
export function bundleSourceMapStatement(mapText: string, directory: string): string {
  const { sourcesContent: _contents, ...map } = JSON.parse(mapText) as Record<string, unknown>;
  const value: BundleSourceMap = { map, directory, ownDirectory: ownDirectory() ?? '' };
  return `\n;globalThis[Symbol.for(${JSON.stringify(BUNDLE_MAP_KEY.description)})] = ${JSON.stringify(value)};\n`;
}

let own: string | undefined;

/** synod's source directory (src/), with a trailing separator. */
function ownDirectory(): string | undefined {
  if (own !== undefined) return own;
  const bundled = (globalThis as Record<symbol, BundleSourceMap | undefined>)[BUNDLE_MAP_KEY];
  if (bundled) return (own = bundled.ownDirectory);
  // Undefined in a bundle, which is CommonJS.
  const here = import.meta.url as string | undefined;
  return here ? (own = dirname(fileURLToPath(here)) + sep) : undefined;
}

let bundleMap: { readonly map: SourceMap; readonly directory: string } | null | undefined;

function mapOfBundle(): { readonly map: SourceMap; readonly directory: string } | null {
  if (bundleMap !== undefined) return bundleMap;
  const bundled = (globalThis as Record<symbol, BundleSourceMap | undefined>)[BUNDLE_MAP_KEY];
  try {
    bundleMap = bundled ? { map: new SourceMap(bundled.map as ConstructorParameters<typeof SourceMap>[0]), directory: bundled.directory } : null;
  } catch {
    bundleMap = null;
  }
  return bundleMap;
}

interface Frame {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** A stack line's file, line and column, mapped out of a bundle; undefined for what has none. */
function frameOf(stackLine: string): Frame | undefined {
  const text = stackLine.trim();
  // Code run by eval or new Function has no file of its own: the frame below, which ran it, has.
  if (!text.startsWith('at ') || text.includes('(eval at ')) return undefined;
  const place = placeIn(text.slice(3));
  const match = place === undefined ? null : /^(.*):(\d+):(\d+)$/.exec(place);
  if (!match) return undefined;
  let file = match[1]!;
  const line = Number(match[2]);
  const column = Number(match[3]);
  if (file === BUNDLE_FILE) {
    const bundle = mapOfBundle();
    if (!bundle) return undefined;
    const entry = bundle.map.findEntry(line - 1, column - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number };
    if (entry.originalSource === undefined || entry.originalLine === undefined || entry.originalColumn === undefined) return undefined;
    const source = entry.originalSource.startsWith('file:') ? fileURLToPath(entry.originalSource) : resolve(bundle.directory, entry.originalSource);
    return { file: source, line: entry.originalLine + 1, column: entry.originalColumn + 1 };
  }
  if (file.startsWith('file:')) {
    try {
      file = fileURLToPath(file);
    } catch {
      return undefined;
    }
  }
  return isAbsolute(file) ? { file, line, column } : undefined;
}

/**
 * The place a frame's text (after `at `) gives: all of it (`file:line:column`), or what the
 * parentheses after the function's name hold (`name (file:line:column)`); a path may hold
 * parentheses of its own (`/home/me/p (copy)/spec.ts`), so the first parenthesis that opens a
 * place is taken, not the last.
 */
function placeIn(frame: string): string | undefined {
  const whole = frame.replace(/^async /, '');
  if (!frame.endsWith(')')) return whole;
  for (let open = frame.indexOf('('); open >= 0; open = frame.indexOf('(', open + 1)) {
    const inside = frame.slice(open + 1, -1);
    if (/^(file:|\/|[A-Za-z]:[\\/]|\[worker eval\]:)/.test(inside)) return inside;
  }
  return undefined;
}

type FrameKind = 'own' | 'spec' | 'dependency';

function kindOf(frame: Frame | undefined, ownSource: string | undefined): FrameKind | undefined {
  if (!frame) return undefined;
  if (ownSource !== undefined && frame.file.startsWith(ownSource)) return 'own';
  return frame.file.includes(`${sep}node_modules${sep}`) ? 'dependency' : 'spec';
}

/**
 * Where `thrown` was thrown in the spec's code (see above), as `file:line:column` relative to the
 * working directory when the file is under it; undefined when its stack does not say.
 */
export function thrownAt(thrown: unknown): string | undefined {
  if (!(thrown instanceof Error)) return undefined;
  let stack: unknown;
  try {
    stack = thrown.stack;
  } catch {
    return undefined;
  }
  if (typeof stack !== 'string') return undefined;
  const ownSource = ownDirectory();
  const frames = stack
    .split('\n')
    .map((line) => frameOf(line))
    .map((frame) => ({ frame, kind: kindOf(frame, ownSource) }));
  // A spec installed under node_modules (synod's own specs, in a project that installed synod) has
  // no frame but its package's: a TypeScript file there (a library ships JavaScript, and so does
  // the loader, whose frames a failed import shows).
  const specFrame = frames.findIndex(({ kind }) => kind === 'spec');
  const first = specFrame >= 0 ? specFrame : frames.findIndex(({ kind, frame }) => kind === 'dependency' && /\.[cm]?tsx?$/.test(frame!.file));
  if (first < 0) return undefined;
  const calledBySynod = frames.slice(first + 1).some(({ kind }) => kind === 'own');
  const throughSynod = frames.slice(0, first).some(({ kind }) => kind === 'own');
  if (throughSynod && !calledBySynod) return undefined;
  const { file, line, column } = frames[first]!.frame!;
  return `${shownPath(file)}:${line}:${column}`;
}
