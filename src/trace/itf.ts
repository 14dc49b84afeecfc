/**
 * Counterexamples in the Informal Trace Format (ITF), the JSON trace format of Apalache and Quint
 * (ADR-015: https://apalache-mc.org/docs/adr/015adr-trace.html), so that their tools can read them.
 *
 * The variables of a state are the top-level entries of the model's `describeState` (for an
 * actor system: one record per actor, plus `network`, the in-flight messages as strings), plus
 * `mbt::actionTaken`, the text of the action that led to the state (`init` for the first), the
 * name Quint and Apalache use for it. Values are mapped generically:
 *
 * | JavaScript                   | ITF                                   |
 * | ---------------------------- | ------------------------------------- |
 * | integer (number or bigint)   | `{ "#bigint": "123" }`                |
 * | other number, function, symbol | `{ "#unserializable": "1.5" }` (ITF has no fractions) |
 * | string, boolean              | itself                                |
 * | array                        | list (a JSON array)                   |
 * | `Set`                        | `{ "#set": [...] }`                   |
 * | `Map`                        | `{ "#map": [[key, value], ...] }`     |
 * | plain object                 | record (a JSON object)                |
 * | null, undefined              | `{ "#tup": [] }` (the unit value)     |
 *
 * A description's key that starts with `#`, the format's own, or is `mbt::actionTaken`, is written
 * with a leading `_` (`_#meta`).
 *
 * A variable a state's description lacks (one the others have) is `{ "#unserializable": "(absent
 * from this state)" }` there: every state defines every variable, as the format asks.
 *
 * Descriptions are plain JSON, so lists stay lists: the actors layer's `network` is a list even
 * where the network is a set (`dup`); nothing guesses which lists are sets. (A `Set` or `Map` in a
 * description would become `#set` or `#map`, but the text trace shows only plain JSON well.)
 *
 * The trace's `#meta` records what is needed to reproduce it: the spec (path, name and the file's
 * sha256), every parameter, the violated property with its explanation, the replay token, and
 * synod's version. `synod replay`
 * reads those back; the states are there for people and other tools.
 */
import type { Model, Property } from '../model.ts';
import { formatAction, normalise, type Trace } from './replay.ts';
import type { ReplayPath } from '../store/trace-store.ts';
import { plural } from '../report/numbers.ts';
import { describeForReport, explanationOf } from './description.ts';

export type ItfValue =
  | string
  | boolean
  | number
  | readonly ItfValue[]
  | { readonly '#bigint': string }
  | { readonly '#set': readonly ItfValue[] }
  | { readonly '#map': readonly (readonly [ItfValue, ItfValue])[] }
  | { readonly '#tup': readonly ItfValue[] }
  | { readonly '#unserializable': string }
  | { readonly [field: string]: ItfValue };

export interface ItfState {
  readonly '#meta': { readonly index: number };
  readonly [variable: string]: ItfValue | { readonly index: number };
}

export interface ItfMeta {
  readonly format: 'ITF';
  readonly 'format-description': string;
  /** The spec file, as the user named it. */
  readonly source: string;
  readonly description: string;
  readonly spec: string;
  /** Every parameter of the spec, defaults included: what `synod replay` builds the model with. */
  readonly params: Readonly<Record<string, string | number>>;
  readonly status: 'violation' | 'ok';
  readonly property?: string;
  readonly kind?: Property<unknown>['kind'];
  /** Why the property fails in the last state, when the property can say. */
  readonly explanation?: string;
  readonly replayToken: string;
  /** The synod that wrote it and the spec file's sha256: action indices are theirs. */
  readonly synod?: string;
  readonly specSha256?: string;
  readonly [extra: string]: unknown;
}

export interface ItfTrace {
  readonly '#meta': ItfMeta;
  readonly vars: readonly string[];
  readonly states: readonly ItfState[];
}

export const ACTION_TAKEN = 'mbt::actionTaken';
export const ITF_FORMAT_DESCRIPTION = 'https://apalache-mc.org/docs/adr/015adr-trace.html';

/** A variable a state's description lacks (see the module comment). */
const ABSENT: ItfValue = { '#unserializable': '(absent from this state)' };

/** Maps a JSON-friendly value from `describeState` to an ITF expression (table above). */
export function toItfValue(value: unknown): ItfValue {
  if (value === null || value === undefined) return { '#tup': [] };
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'bigint':
      return { '#bigint': value.toString() };
    case 'number':
      return Number.isInteger(value) ? { '#bigint': BigInt(value).toString() } : { '#unserializable': String(value) };
    case 'object':
      break;
    default:
      return { '#unserializable': String(value) };
  }
  if (Array.isArray(value)) return value.map(toItfValue);
  if (value instanceof Set) return { '#set': [...value].map(toItfValue) };
  if (value instanceof Map) return { '#map': [...value].map(([key, item]) => [toItfValue(key), toItfValue(item)] as const) };
  const record: Record<string, ItfValue> = {};
  for (const [field, item] of Object.entries(value)) record[itfName(field)] = toItfValue(item);
  return record;
}

/**
 * A description's key as an ITF name: one starting with `#` is the format's own (`#meta`,
 * `#bigint`, ...) and gets a leading `_` (`_#meta`), as does a variable named as the action taken.
 */
function itfName(key: string): string {
  return key.startsWith('#') || key === ACTION_TAKEN ? `_${key}` : key;
}

export interface ItfOptions<State> {
  /** The spec file as the user named it. */
  readonly source: string;
  /** The spec's name. */
  readonly spec: string;
  readonly parameters: Readonly<Record<string, string | number>>;
  /** The property that fails in the trace's last state, if any. */
  readonly property?: Property<State>;
  /** Who made the trace, for `#meta.description`, e.g. `synod check`. */
  readonly generator?: string;
  /** synod's version and the spec file's sha256, for `#meta`. */
  readonly provenance?: { readonly synod: string; readonly specSha256: string };
}

/** The variables of a state: the model's description, and the action that led to it. */
function variablesOf<State, Action>(model: Model<State, Action>, state: State, action: string): Record<string, ItfValue> {
  const description = describeForReport(model, state);
  const variables: Record<string, ItfValue> = {};
  for (const [name, value] of Object.entries(description)) variables[itfName(name)] = toItfValue(value);
  variables[ACTION_TAKEN] = action;
  return variables;
}

export function traceToItf<State, Action>(model: Model<State, Action>, trace: Trace<State, Action>, options: ItfOptions<State>): ItfTrace {
  const property = options.property;
  const last = trace.steps[trace.steps.length - 1]!.state;
  const explanation = property && explanationOf(property, last);
  const steps = trace.steps.length - 1;
  const generator = options.generator ?? 'synod';
  const states: ItfState[] = [];
  const vars: string[] = [];
  trace.steps.forEach((step, index) => {
    const variables = variablesOf(model, step.state, step.actionText ?? 'init');
    for (const name of Object.keys(variables)) if (!vars.includes(name)) vars.push(name);
    states.push({ '#meta': { index }, ...variables });
  });
  const meta: ItfMeta = {
    format: 'ITF',
    'format-description': ITF_FORMAT_DESCRIPTION,
    source: options.source,
    description: property
      ? `${generator}: ${property.name} (${property.kind}) fails after ${plural(steps, 'step')}`
      : `${generator}: a trace of ${plural(steps, 'step')}`,
    spec: options.spec,
    params: { ...options.parameters },
    status: property ? 'violation' : 'ok',
    ...(property ? { property: property.name, kind: property.kind } : {}),
    ...(explanation !== undefined ? { explanation } : {}),
    replayToken: trace.token,
    ...(options.provenance ? { synod: options.provenance.synod, specSha256: options.provenance.specSha256 } : {}),
  };
  // Variables in a fixed order: the description's, then the action taken.
  vars.splice(vars.indexOf(ACTION_TAKEN), 1);
  vars.push(ACTION_TAKEN);
  // #meta first, then every variable (absent ones marked), in the order of vars.
  const complete = states.map((state) => Object.fromEntries([['#meta', state['#meta']], ...vars.map((name) => [name, state[name] ?? ABSENT])]) as ItfState);
  return { '#meta': meta, vars, states: complete };
}

/** The file's text: indented JSON, one trailing newline. */
export function formatItf(trace: ItfTrace): string {
  return `${JSON.stringify(trace, null, 2)}\n`;
}

/** A file that is not an ITF trace synod can replay; the message says what is wrong. */
export class ItfError extends Error {
  override readonly name = 'ItfError';
}

/** What `synod replay` needs from an ITF file. */
export interface ItfReplayInfo {
  readonly replayToken: string;
  readonly params: Readonly<Record<string, string | number>>;
  readonly spec?: string;
  readonly property?: string;
  /** The sha256 of the spec file the trace was found with, when the file records it. */
  readonly specSha256?: string;
  /** The spec file's path as given to the command that wrote the trace. */
  readonly source?: string;
  readonly vars: readonly string[];
  readonly states: readonly Readonly<Record<string, unknown>>[];
}

/** Parses an ITF file's text and reads back the replay token and parameters from its `#meta`. */
export function readItf(text: string): ItfReplayInfo {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ItfError(`not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ItfError('not an ITF trace: the top level is not a JSON object');
  const trace = parsed as Record<string, unknown>;
  if (!Array.isArray(trace.vars) || !Array.isArray(trace.states)) throw new ItfError('not an ITF trace: it needs "vars" and "states" arrays');
  const meta = trace['#meta'];
  if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) throw new ItfError('the trace has no "#meta" object, so no replay token');
  const { replayToken, params, spec, property, specSha256, source } = meta as Record<string, unknown>;
  if (replayToken === undefined) throw new ItfError('the trace\'s "#meta" has no "replayToken": synod replays the traces that synod check --trace-out writes');
  if (typeof replayToken !== 'string') throw new ItfError(`"#meta.replayToken" must be a string, a replay token such as "0/3/1/4", got ${jsonKind(replayToken)}`);
  const parameters: Record<string, string | number> = {};
  if (params !== undefined) {
    if (params === null || typeof params !== 'object' || Array.isArray(params)) throw new ItfError('"#meta.params" must be an object of parameter values');
    for (const [name, value] of Object.entries(params)) {
      if (typeof value !== 'string' && typeof value !== 'number') throw new ItfError(`"#meta.params.${name}" must be a number or a string`);
      parameters[name] = value;
    }
  }
  return {
    replayToken,
    params: parameters,
    ...(typeof spec === 'string' ? { spec } : {}),
    ...(typeof property === 'string' ? { property } : {}),
    ...(typeof specSha256 === 'string' ? { specSha256 } : {}),
    ...(typeof source === 'string' ? { source } : {}),
    vars: (trace.vars as unknown[]).filter((name): name is string => typeof name === 'string'),
    states: (trace.states as unknown[]).map((state) => (state !== null && typeof state === 'object' ? (state as Record<string, unknown>) : {})),
  };
}

/** A JSON value as an error names it: a number, true, false or null as itself, else its kind. */
function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value !== null && typeof value === 'object') return 'an object';
  return JSON.stringify(value);
}

/** Where a replay takes another action than its trace file records (see {@link firstActionDifference}). */
export interface ActionDifference {
  readonly step: number;
  readonly recorded: string;
  readonly replayed: string;
  /**
   * The index at which the recorded action is enabled in the replayed state before the step, when
   * it is, at another index than the one replayed: the indices mean other actions here.
   */
  readonly recordedAt?: number;
  /**
   * Where the replay is another run, not the file's run with a step the spec changed: this step,
   * when other participants take it, or a later step whose action differs from the file's in
   * more than its contents (the text outside parentheses and the participants named inside: who,
   * and what kind of step).
   */
  readonly otherStepAt?: number;
}

/**
 * An action's text without what parentheses hold, but for the participants named there (who took
 * the step), and with its numbers as `#`, as emitted tests sign local steps: `a1 receives Accept
 * from p3`, `Phase1b a3 on 1a`, `p1 starts round # with ballot #`.
 */
export function withoutContents(text: string, participants: ReadonlySet<string>): string {
  let previous;
  let stripped = text;
  // Innermost first, until none is left: `Promise(b=2, accepted=(1,v1))`. A participant inside
  // is kept as a bare word, outside any parentheses, so that the next pass leaves it.
  do {
    previous = stripped;
    stripped = stripped.replace(/\(([^()]*)\)/g, (_group, inside: string) => {
      const named = participantsOf(inside, participants);
      return named !== '' ? ` ${named} ` : '';
    });
  } while (stripped !== previous);
  // A number standing alone (`round 2`), not one in a name (`a3`, `1a`).
  return stripped.replace(/\b\d+\b/g, '#').replace(/\s+/g, ' ').trim();
}

/** The participants an action's text names, in order, as one string. */
export function participantsOf(text: string, participants: ReadonlySet<string>): string {
  return text
    .split(/[^A-Za-z0-9_]+/)
    .filter((word) => participants.has(word))
    .join(' ');
}

/** The index of the enabled action whose text is `text` in `state`, or -1. */
export function enabledIndexOf<State, Action>(model: Model<State, Action>, state: State, text: string): number {
  const actions: Action[] = [];
  model.actions(state, actions);
  return actions.findIndex((action) => formatAction(model, state, action) === text && model.nextState(state, action) !== undefined);
}

/**
 * The first step at which a replayed trace takes another action than the one an ITF file records
 * (`mbt::actionTaken`), with both actions' text, or undefined when every recorded action is taken.
 * A replay token holds action indices. When the recorded action is still enabled there, at another
 * index, the indices mean other actions (other parameters, another enumeration), and the replay is
 * another trace; when it is not, the spec changed what that step does (a fixed bug).
 */
export function firstActionDifference<State, Action>(
  model: Model<State, Action>,
  trace: Trace<State, Action>,
  recorded: readonly Readonly<Record<string, unknown>>[],
): ActionDifference | undefined {
  const length = Math.min(trace.steps.length, recorded.length);
  for (let step = 1; step < length; step++) {
    const taken = recorded[step]![ACTION_TAKEN];
    const replayed = trace.steps[step]!.actionText!;
    if (typeof taken !== 'string' || taken === replayed) continue;
    const participants = new Set(model.participants ?? []);
    const recordedAt = enabledIndexOf(model, trace.steps[step - 1]!.state, taken);
    let otherStepAt: number | undefined;
    // The step the spec changed may read otherwise, but taken by others it is another run already.
    if (participantsOf(taken, participants) !== participantsOf(replayed, participants)) otherStepAt = step;
    for (let later = step + 1; later < length && otherStepAt === undefined; later++) {
      const laterTaken = recorded[later]![ACTION_TAKEN];
      const laterReplayed = trace.steps[later]!.actionText!;
      if (typeof laterTaken !== 'string' || laterTaken === laterReplayed) continue;
      // Another kind of step, or the file's action offered here under another index.
      if (withoutContents(laterTaken, participants) !== withoutContents(laterReplayed, participants) || enabledIndexOf(model, trace.steps[later - 1]!.state, laterTaken) >= 0) {
        otherStepAt = later;
      }
    }
    return { step, recorded: taken, replayed, ...(recordedAt >= 0 ? { recordedAt } : {}), ...(otherStepAt !== undefined ? { otherStepAt } : {}) };
  }
  return undefined;
}

/** A step of a recorded trace that the replayed spec no longer takes (see {@link goneStep}). */
export interface GoneStep {
  readonly step: number;
  /** The recorded action's text. */
  readonly recorded: string;
  /** The path that takes the steps before it, as this spec numbers its actions. */
  readonly before: ReplayPath;
}

/**
 * The first step of a recorded run that the spec no longer takes at all: a fix that makes a
 * handler ignore a message, or guards an action, removes the step (a delivery the handler ignores
 * is not offered, so the indices after it name other actions, and the rest of the token no longer
 * fits). The steps before it are followed by their recorded texts (at the recorded index, or at
 * another where the fix pruned other actions before it), each enabled. The step is gone when its
 * action is enabled nowhere there, and either its index names it disabled, or no action offered
 * there is the same kind of step by the same participants (its text without contents, as emitted
 * tests sign steps: `a2 receives Accept from p1`, `Phase2b a2 on 2a`): one offered with other
 * contents is a changed step, which the other comparisons judge; a text that names no participant
 * is never gone that way. Undefined when every step is taken, or a step's text is enabled more
 * than once (which one the run took is unknown); `recorded[step]` is the text of the action of
 * step `step` (index 0, the initial state, unused). The callers ask only when the whole token does
 * not replay as the recorded run, and the steps of it that do replay break no property: a token
 * that still breaks one is judged as it replays (so a message renamed in its text, the bug kept,
 * is no step gone).
 */
export function goneStep<State, Action>(model: Model<State, Action>, path: ReplayPath, recorded: readonly (string | undefined)[]): GoneStep | undefined {
  const participants = new Set(model.participants ?? []);
  try {
    const initial = model.initialStates()[path.initial];
    if (initial === undefined) return undefined;
    let state = normalise(model, initial);
    const actions: Action[] = [];
    const taken: number[] = [];
    for (let step = 1; step <= path.actions.length; step++) {
      const text = recorded[step];
      if (text === undefined) return undefined;
      actions.length = 0;
      model.actions(state, actions);
      const texts = actions.map((offered) => formatAction(model, state, offered));
      const enabled = texts.map((offered, index) => (offered === text ? model.nextState(state, actions[index]!) : undefined));
      const recordedIndex = path.actions[step - 1]!;
      const matches = enabled.flatMap((next, index) => (next !== undefined ? [index] : []));
      const index = enabled[recordedIndex] !== undefined ? recordedIndex : matches.length === 1 ? matches[0]! : -1;
      if (index >= 0) {
        state = normalise(model, enabled[index] as State);
        taken.push(index);
        continue;
      }
      if (matches.length > 1) return undefined;
      const disabledHere = texts[recordedIndex] === text;
      const signature = withoutContents(text, participants);
      if (!disabledHere && (participantsOf(signature, participants) === '' || texts.some((offered) => withoutContents(offered, participants) === signature))) return undefined;
      return { step, recorded: text, before: { initial: path.initial, actions: taken } };
    }
  } catch {
    // A spec that throws is reported by the replay itself, which names where.
  }
  return undefined;
}

/** Where a replayed trace first differs from the states an ITF file records. */
export interface StateDifference {
  readonly step: number;
  /** The first variable that differs there; absent where one of them has no state (it ended). */
  readonly variable?: string;
}

/**
 * The first step at which a replayed trace's states differ from those recorded in an ITF file
 * (comparing every variable, the action taken included), or undefined when they are the same.
 */
export function firstDifference<State, Action>(
  model: Model<State, Action>,
  trace: Trace<State, Action>,
  recorded: readonly Readonly<Record<string, unknown>>[],
  /** Description paths left out on both sides (`[key]` or `[key, field]`): what one run may show and the other not. */
  ignored: readonly (readonly string[])[] = [],
): StateDifference | undefined {
  const length = Math.max(trace.steps.length, recorded.length);
  for (let index = 0; index < length; index++) {
    const step = trace.steps[index];
    const file = recorded[index];
    if (!step || !file) return { step: index };
    const variables = without(variablesOf(model, step.state, step.actionText ?? 'init'), ignored);
    const fileVariables = without(file, ignored);
    const names = new Set([...Object.keys(variables), ...Object.keys(fileVariables).filter((name) => name !== '#meta')]);
    for (const name of names) {
      // A variable the file writes as absent is one the replayed description lacks.
      const written = sameItfValue(fileVariables[name], ABSENT) ? undefined : fileVariables[name];
      if (!sameItfValue(variables[name], written)) return { step: index, variable: name };
    }
  }
  return undefined;
}

/**
 * Whether two ITF values are the same value, however written: an integer as a plain number or as
 * `#bigint`, a record's fields in any order, a set's members and a map's pairs in any order (as
 * another tool, or `jq -S`, may write the file this replay compares with).
 */
function sameItfValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonicalItf(a)) === JSON.stringify(canonicalItf(b));
}

function canonicalItf(value: unknown): unknown {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return { '#bigint': String(value) };
  if (Array.isArray(value)) return value.map(canonicalItf);
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1 && (keys[0] === '#set' || keys[0] === '#map') && Array.isArray(record[keys[0]])) {
    const members = (record[keys[0]] as unknown[]).map(canonicalItf);
    return { [keys[0]]: members.map((member) => JSON.stringify(member)).sort() };
  }
  // Files written before #unserializable held such values as plain strings: the same value.
  if (keys.length === 1 && keys[0] === '#unserializable' && typeof record['#unserializable'] === 'string') return record['#unserializable'];
  if (keys.length === 1 && keys[0] === '#bigint' && typeof record['#bigint'] === 'string') {
    // `{"#bigint": "007"}` and 7 are one number.
    return /^-?\d+$/.test(record['#bigint']) ? { '#bigint': BigInt(record['#bigint']).toString() } : record;
  }
  return Object.fromEntries(keys.sort().map((key) => [key, canonicalItf(record[key])]));
}

/** A state's variables without the given paths (`[key]`, or `[key, field]` inside a record). */
function without(variables: Readonly<Record<string, unknown>>, paths: readonly (readonly string[])[]): Record<string, unknown> {
  if (paths.length === 0) return variables;
  const kept: Record<string, unknown> = { ...variables };
  for (const [key, field] of paths) {
    if (field === undefined) delete kept[key!];
    else if (kept[key!] !== null && typeof kept[key!] === 'object' && !Array.isArray(kept[key!])) {
      const { [field]: _left, ...rest } = kept[key!] as Record<string, unknown>;
      kept[key!] = rest;
    }
  }
  return kept;
}
