/**
 * Command-line arguments: the engine's flags, plus one flag per spec parameter (kebab-case of its
 * name). Parsed strictly, so an unknown flag is an error rather than silently ignored.
 */
import { parseArgs } from 'node:util';
import type { ParameterDeclarations } from '../model.ts';
import { kebabCase } from '../parameters.ts';
import { UsageError } from '../report/errors.ts';
import { MAX_WORKERS } from '../explore/parallel.ts';

export const ENGINE_FLAGS = {
  'max-states': { type: 'string' },
  'max-seconds': { type: 'string' },
  'max-memory': { type: 'string' },
  'max-depth': { type: 'string' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  'trace-out': { type: 'string' },
  mermaid: { type: 'boolean' },
  'emit-test': { type: 'string' },
  symmetry: { type: 'string' },
  property: { type: 'string' },
  workers: { type: 'string' },
  audit: { type: 'boolean' },
} as const;

/** Flags whose value may be left out, and what they mean then. */
const OPTIONAL_VALUES: Readonly<Record<string, string>> = { symmetry: 'all' };

/**
 * Gives flags with an optional value their default when none follows: `--symmetry` alone means
 * `--symmetry=all`; a following word is its value only when it looks like one (a list of names,
 * not a path or another flag).
 */
export function normaliseOptionalValues(argv: readonly string[]): string[] {
  const result: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!;
    if (argument === END_OF_OPTIONS) return [...result, ...argv.slice(index)];
    const flag = argument.startsWith('--') && !argument.includes('=') ? argument.slice(2) : undefined;
    const fallback = flag === undefined ? undefined : OPTIONAL_VALUES[flag];
    if (fallback === undefined) {
      result.push(argument);
      continue;
    }
    const next = argv[index + 1];
    // An empty word (`--symmetry ''`) is an empty value, refused as `--symmetry=` is, not a file.
    if (next !== undefined && (next.trim() === '' || /^[a-z][a-z0-9-]*(,[a-z][a-z0-9-]*)*$/i.test(next))) {
      result.push(`${argument}=${next}`);
      index++;
    } else {
      result.push(`${argument}=${fallback}`);
    }
  }
  return result;
}

/** The flags `synod replay` takes besides the spec's parameters. */
export const REPLAY_FLAGS = {
  quiet: ENGINE_FLAGS.quiet,
  help: ENGINE_FLAGS.help,
  'trace-out': ENGINE_FLAGS['trace-out'],
  mermaid: ENGINE_FLAGS.mermaid,
  'emit-test': ENGINE_FLAGS['emit-test'],
  property: ENGINE_FLAGS.property,
  json: ENGINE_FLAGS.json,
} as const;

/** The flags `synod simulate` takes besides the spec's parameters. */
export const SIMULATE_FLAGS = {
  runs: { type: 'string' },
  depth: { type: 'string' },
  seed: { type: 'string' },
  'max-seconds': ENGINE_FLAGS['max-seconds'],
  'max-states': ENGINE_FLAGS['max-states'],
  'max-memory': ENGINE_FLAGS['max-memory'],
  property: ENGINE_FLAGS.property,
  json: ENGINE_FLAGS.json,
  quiet: ENGINE_FLAGS.quiet,
  help: ENGINE_FLAGS.help,
} as const;

/** The flags `synod sweep` (and, with more, `synod matrix`) take besides the spec's parameters. */
export const EXPERIMENT_FLAGS = {
  'max-states': ENGINE_FLAGS['max-states'],
  'max-seconds': ENGINE_FLAGS['max-seconds'],
  'max-memory': ENGINE_FLAGS['max-memory'],
  quiet: ENGINE_FLAGS.quiet,
  help: ENGINE_FLAGS.help,
  json: ENGINE_FLAGS.json,
  property: ENGINE_FLAGS.property,
  workers: ENGINE_FLAGS.workers,
  symmetry: ENGINE_FLAGS.symmetry,
  'check-workers': { type: 'string' },
  grid: { type: 'string' },
  out: { type: 'string' },
  plot: { type: 'boolean' },
} as const;

/** The flags `synod matrix` takes: sweep's, less --symmetry and --plot (a matrix has no numeric axis to plot, and its cells check each spec as it is). */
const { symmetry: _symmetry, plot: _plot, ...MATRIX_EXPERIMENT_FLAGS } = EXPERIMENT_FLAGS;
export const MATRIX_FLAGS = {
  ...MATRIX_EXPERIMENT_FLAGS,
  presets: { type: 'string' },
  'per-property': { type: 'boolean' },
} as const;

/**
 * Every flag any command defines: a spec parameter may not take one of these names, since the
 * command's own flag would silently win (a parameter `maxStates` would set --max-states).
 */
export const RESERVED_FLAGS: ReadonlySet<string> = new Set(
  [ENGINE_FLAGS, REPLAY_FLAGS, SIMULATE_FLAGS, EXPERIMENT_FLAGS, MATRIX_FLAGS].flatMap((flags) => Object.keys(flags)),
);

export type FlagValues = Record<string, string | boolean | undefined>;


/** `--`: every argument after it is a positional, even one that starts with '-' (as parseArgs and POSIX tools read it). */
export const END_OF_OPTIONS = '--';

/** The arguments before `--` (all of them when there is none): the ones that may be flags. */
export function optionArguments(argv: readonly string[]): readonly string[] {
  const end = argv.indexOf(END_OF_OPTIONS);
  return end < 0 ? argv : argv.slice(0, end);
}

/** Finds the positionals (command, spec path, ...) before the spec's flags are known. */
export function positionals(argv: readonly string[]): string[] {
  const options = optionArguments(argv);
  const beforeEnd = options.filter((argument, index) => {
    if (argument.startsWith('-')) return false;
    const previous = options[index - 1];
    // A value that follows a flag without `=` belongs to the flag, unless the flag is boolean.
    return !(previous?.startsWith('--') && !previous.includes('=') && !BOOLEAN_FLAGS.has(previous.slice(2)));
  });
  return [...beforeEnd, ...argv.slice(options.length + 1)];
}

/** The flags that take no value in any command (--plot, --per-property, --json, ...). */
const BOOLEAN_FLAGS: ReadonlySet<string> = new Set(
  [ENGINE_FLAGS, REPLAY_FLAGS, SIMULATE_FLAGS, EXPERIMENT_FLAGS, MATRIX_FLAGS].flatMap((flags) =>
    Object.entries(flags as Record<string, { type: string }>)
      .filter(([, flag]) => flag.type === 'boolean')
      .map(([name]) => name),
  ),
);

function takesNoValue(flag: string): UsageError {
  return new UsageError('bad-flag-value', `${flag} takes no value`, `write ${flag} alone`);
}

/**
 * Refuses `--help=yes`, `-h=1` or `-h1`, and `--version=1` or `-v=1` where the version is asked
 * (first). main looks for these before a command parses its flags, and would not see them: `-h=1`
 * would read as short flags (-h, -=, -1), or not at all where the spec file is missing.
 */
export function refuseValuedHelpAndVersion(argv: readonly string[]): void {
  const given = (argument: string | undefined, long: string, short: string) =>
    argument !== undefined && (argument.startsWith(`${long}=`) || new RegExp(`^${short}[^a-zA-Z-]`).test(argument));
  const first = argv[0];
  if (given(first, '--version', '-v')) throw takesNoValue(first!.startsWith('--') ? '--version' : '-v');
  const help = optionArguments(argv).find((argument) => given(argument, '--help', '-h'));
  if (help !== undefined) throw takesNoValue(help.startsWith('--') ? '--help' : '-h');
}

/** Refuses positionals beyond the `expected` ones a command takes (its spec file, replay's trace). */
export function refuseExtraPositionals(positionals: readonly string[], expected: number): void {
  const extra = positionals[expected];
  if (extra === undefined) return;
  // Only after `--` does a word that starts with '-' reach the positionals.
  const hint = extra.startsWith('-') && extra !== '-' ? `every argument after ${END_OF_OPTIONS} is read as a file, not a flag: put flags before ${END_OF_OPTIONS}` : undefined;
  throw new UsageError('usage', `unexpected argument '${extra}'`, hint);
}

export interface ParsedArguments {
  readonly positionals: string[];
  readonly flags: FlagValues;
  /** Spec parameters given on the command line, by parameter name. */
  readonly parameters: Record<string, string | undefined>;
}

/** One command's flag that another command's does much the same as: the refusal names it. */
const NEAR_IN_MEANING: Readonly<Record<string, string>> = { 'max-depth': 'depth', depth: 'max-depth' };

/** What check and replay write of a trace, which simulate does not: replay writes it from the token simulate prints. */
const FROM_REPLAY: Readonly<Record<string, string>> = { 'trace-out': '--trace-out FILE', 'emit-test': '--emit-test FILE', mermaid: '--mermaid' };

export function parseArguments(
  argv: readonly string[],
  parameters: ParameterDeclarations,
  engineFlags: Readonly<Record<string, { readonly type: 'string' | 'boolean'; readonly short?: string }>> = ENGINE_FLAGS,
): ParsedArguments {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = { ...engineFlags };
  const flagToParameter = new Map<string, string>();
  for (const name of Object.keys(parameters)) {
    const flag = kebabCase(name);
    options[flag] = { type: 'string' };
    flagToParameter.set(flag, name);
  }
  // `-participants 4` would read as the short flag -p: name the slip instead.
  const oneDash = optionArguments(argv).find((arg) => /^-[a-z][a-z-]+(=|$)/i.test(arg) && Object.hasOwn(options, arg.slice(1).split('=')[0]!));
  if (oneDash) {
    const name = oneDash.slice(1).split('=')[0]!;
    throw new UsageError('unknown-flag', `unknown flag ${oneDash.split('=')[0]} (flags take two dashes: --${name})`);
  }
  let parsed;
  try {
    parsed = parseArgs({ args: attachNegativeNumbers(argv, options), options, allowPositionals: true, strict: true, tokens: true });
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    const unknown = /Unknown option '([^']+)'/.exec(message);
    if (unknown) {
      const flag = unknown[1]!.split('=')[0]!;
      if (RESERVED_FLAGS.has(flag.replace(/^--/, ''))) {
        const name = flag.replace(/^--/, '');
        if (engineFlags === SIMULATE_FLAGS && FROM_REPLAY[name] !== undefined) {
          throw new UsageError(
            'unknown-flag',
            `${flag} is not a flag of synod simulate`,
            `give the replay token it prints for a run (seedS-runR:...) to synod replay SPEC TOKEN ${FROM_REPLAY[name]}`,
          );
        }
        const near = NEAR_IN_MEANING[name];
        const instead = near !== undefined && Object.hasOwn(options, near) ? `did you mean --${near}? ` : '';
        throw new UsageError('unknown-flag', `${flag} is not a flag of this command`, `${instead}synod --help says which commands take it`);
      }
      const names = [...flagToParameter.keys()].map((flag) => `--${flag}`).join(', ');
      const near = nearestFlag(flag.replace(/^-+/, ''), Object.keys(options));
      const hint = names ? `this spec's parameters are ${names}; synod --help lists synod's own flags` : 'synod --help lists the flags';
      throw new UsageError('unknown-flag', `unknown flag ${unknown[1]}`, near ? `did you mean --${near}? ${hint}` : hint);
    }
    const valued = /Option '(--[^' ]+)[^']*' does not take an argument/.exec(message);
    if (valued) throw takesNoValue(valued[1]!);
    const missing = /Option '(--[^' ]+)[^']*' argument (missing|is ambiguous)/.exec(message);
    if (missing) {
      throw new UsageError('bad-flag-value', `${missing[1]} needs a value`, `write ${missing[1]}=VALUE for a value that starts with '-'`);
    }
    throw new UsageError('usage', message);
  }
  refuseRepeatedFlags(parsed.tokens);
  const flags: FlagValues = {};
  const given: Record<string, string | undefined> = {};
  for (const [flag, value] of Object.entries(parsed.values)) {
    const parameter = flagToParameter.get(flag);
    if (parameter) given[parameter] = value as string;
    else flags[flag] = value as string | boolean;
  }
  return { positionals: parsed.positionals, flags, parameters: given };
}

/**
 * Joins `--flag -1` into `--flag=-1` for flags that take a value, so that a negative number reaches
 * the flag's own range check instead of being taken for another flag (which parseArgs would report
 * as a missing value). Only words that look like numbers are joined: `--max-seconds --quiet` stays
 * a missing value.
 */
/**
 * The known flag a mistyped one most likely meant: the closest by edit distance (a letter added,
 * dropped, changed, or two swapped), when it is at most 2 and under a third of the name.
 */
function nearestFlag(typed: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.min(2, Math.floor(typed.length / 3));
  for (const flag of known) {
    const distance = editDistance(typed, flag);
    // Once one is found, bestDistance is its distance: only a closer one replaces it.
    if (distance > 0 && (best === undefined ? distance <= bestDistance : distance < bestDistance)) {
      best = flag;
      bestDistance = distance;
    }
  }
  return best;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
function editDistance(one: string, other: string): number {
  const rows = Array.from({ length: one.length + 1 }, (_, i) => Array.from({ length: other.length + 1 }, (_unused, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= one.length; i++) {
    for (let j = 1; j <= other.length; j++) {
      const cost = one[i - 1] === other[j - 1] ? 0 : 1;
      rows[i]![j] = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && one[i - 1] === other[j - 2] && one[i - 2] === other[j - 1]) rows[i]![j] = Math.min(rows[i]![j]!, rows[i - 2]![j - 2]! + 1);
    }
  }
  return rows[one.length]![other.length]!;
}

function attachNegativeNumbers(argv: readonly string[], options: Readonly<Record<string, { readonly type: string }>>): string[] {
  const result: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!;
    if (argument === END_OF_OPTIONS) return [...result, ...argv.slice(index)];
    const next = argv[index + 1];
    const takesValue = argument.startsWith('--') && !argument.includes('=') && options[argument.slice(2)]?.type === 'string';
    if (takesValue && next !== undefined && /^-\.?\d/.test(next)) {
      result.push(`${argument}=${next}`);
      index++;
    } else {
      result.push(argument);
    }
  }
  return result;
}

/** A flag given twice is an error: silently keeping the last value hides a typo or a stale flag. */
function refuseRepeatedFlags(tokens: readonly { readonly kind: string; readonly name?: string }[]): void {
  const seen = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== 'option' || token.name === undefined) continue;
    if (seen.has(token.name)) throw new UsageError('usage', `--${token.name} given twice`, 'give each flag once');
    seen.add(token.name);
  }
}

/**
 * The largest --max-seconds. A sweep's or a matrix's point gives up on its thread by a timer, and
 * Node fires a timer of more than 2^31 - 1 ms (24.8 days) at once: a larger limit ended every point
 * as 'spec code did not return'.
 */
export const MAX_SECONDS = 2_000_000;

/**
 * A positive number from a flag, or undefined when the flag is absent: a whole one (`integer`) up
 * to 2^53 - 1, above which a double skips whole numbers (2^53 + 1 reads as 2^53), or any up to `max`.
 */
export function numberFlag(flags: FlagValues, name: string, integer: boolean, max = integer ? Number.MAX_SAFE_INTEGER : Number.MAX_VALUE): number | undefined {
  const raw = flags[name];
  if (raw === undefined) return undefined;
  // Decimal, with an exponent if need be (1e6): Number() would also take 0x10, 0b11 and 0o7.
  const decimal = typeof raw === 'string' && /^\s*(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i.test(raw);
  const value = Number(raw);
  const kind = `a positive ${integer ? 'whole ' : ''}number`;
  if (!decimal || !Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new UsageError('bad-flag-value', `--${name} must be ${kind}, got '${raw}'`);
  }
  if (value > max) throw new UsageError('bad-flag-value', `--${name} must be ${kind} up to ${max}, got '${raw}'`);
  return value;
}

/**
 * The --max-seconds of a command line not parsed yet (its spec, which declares the parameter
 * flags, loads first), or undefined when it is absent or not a good value (the parse refuses that
 * once the spec is loaded): loading runs the spec's top-level code, under the limit too.
 */
export function maxSecondsBeforeParsing(argv: readonly string[]): number | undefined {
  const options = optionArguments(argv);
  let raw: string | undefined;
  options.forEach((argument, index) => {
    if (argument === '--max-seconds') raw = options[index + 1];
    else if (argument.startsWith('--max-seconds=')) raw = argument.slice('--max-seconds='.length);
  });
  if (raw === undefined) return undefined;
  try {
    return numberFlag({ 'max-seconds': raw }, 'max-seconds', false, MAX_SECONDS);
  } catch {
    return undefined;
  }
}

const MIN_MEMORY_LIMIT = 128 * 1024 ** 2;

/** Bytes from a flag such as `512M`, `4G` or a plain number of bytes. */
export function bytesFlag(flags: FlagValues, name: string): number | undefined {
  const raw = flags[name];
  if (raw === undefined) return undefined;
  const match = typeof raw === 'string' ? /^(\d+(?:\.\d+)?)([KMGT]i?B?|B)?$/i.exec(raw.trim()) : null;
  if (!match) throw new UsageError('bad-flag-value', `--${name} must be a size such as 512M or 4G, got '${raw}'`);
  const unit = (match[2] ?? '').toUpperCase()[0];
  const scale = unit === 'K' ? 1024 : unit === 'M' ? 1024 ** 2 : unit === 'G' ? 1024 ** 3 : unit === 'T' ? 1024 ** 4 : 1;
  const bytes = Number(match[1]) * scale;
  if (!Number.isFinite(bytes)) throw new UsageError('bad-flag-value', `--${name} must be a size such as 512M or 4G, got a number too large to hold`);
  // Node alone takes some 50 MiB: a smaller limit stops every run at once (300 was read as bytes).
  if (bytes < MIN_MEMORY_LIMIT) throw new UsageError('bad-flag-value', `--${name} must be at least 128M (the process alone takes about 90M), got '${raw}'`);
  return bytes;
}

/** A path from a flag, naming a file or a directory (`kind`), or undefined when the flag is absent. */
export function pathFlag(flags: FlagValues, name: string, kind: 'file' | 'directory'): string | undefined {
  const raw = flags[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || raw.trim() === '') throw new UsageError('bad-flag-value', `--${name} needs a ${kind} name, got an empty value`);
  return raw;
}


/** `--workers N` (or another count of threads, `name`): 1..64; `fallback` (capped at 64) when the flag is absent. */
export function workersFlag(flags: FlagValues, fallback: number, name = 'workers'): number {
  const raw = flags[name];
  if (raw === undefined) return Math.max(1, Math.min(MAX_WORKERS, fallback));
  const text = typeof raw === 'string' ? raw.trim() : '';
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value > MAX_WORKERS) {
    throw new UsageError('bad-flag-value', `--${name} must be a whole number from 1 to ${MAX_WORKERS}, got '${raw}'`);
  }
  return value;
}

/** An argument as a POSIX shell reads it back: as it is when it holds no character the shell treats specially, else single-quoted. */
export function shellWord(argument: string): string {
  return /^[\w./=:,+-]+$/.test(argument) ? argument : `'${argument.replace(/'/g, `'\\''`)}'`;
}
