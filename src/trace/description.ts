/**
 * The descriptions of states and steps and a property's explanation, as synod prints them in traces,
 * diagrams and reports. They come from the spec's code (describeState, describeStep, explain),
 * which may throw or return what cannot be printed (an object that contains itself): the run's
 * verdict stands all the same, so the trace says what went wrong in place of the description
 * instead of losing the whole report.
 */
import type { Model, Property, StepDescription } from '../model.ts';
import { textOfThrown } from '../thrown.ts';

/** The variable that stands for a description the model's describeState could not give. */
export const DESCRIBE_STATE_THREW = 'describeState threw';

/**
 * The model's description of `state` as acyclic data (describeState's result, or the state itself
 * when the model has none), or a one-variable note when describeState throws.
 */
export function describedValue<State>(model: Pick<Model<State, unknown>, 'describeState'>, state: State): unknown {
  let description: unknown;
  try {
    description = model.describeState ? model.describeState(state) : state;
  } catch (thrown) {
    return { [DESCRIBE_STATE_THREW]: textOfThrown(thrown) };
  }
  return withoutCycles(description, new Set());
}

/** {@link describedValue} as variables: a state with no description, or a description that is not an object, is the variable `state`. */
export function describeForReport<State>(model: Pick<Model<State, unknown>, 'describeState'>, state: State): Record<string, unknown> {
  const value = describedValue(model, state);
  const isRecord = value !== null && typeof value === 'object' && !Array.isArray(value) && !ArrayBuffer.isView(value);
  return model.describeState && isRecord ? (value as Record<string, unknown>) : { state: value };
}

/** Why the property fails (or holds) at `state`, in the property's words; undefined when it has no explain. */
export function explanationOf<State>(property: Property<State>, state: State): string | undefined {
  if (!property.explain) return undefined;
  try {
    return String(property.explain(state));
  } catch (thrown) {
    return `(its explain threw: ${textOfThrown(thrown)})`;
  }
}

/**
 * Who did what in a step, as the model's describeStep says (`step`), or, when it throws or returns
 * no step description, a one-line note (`failed`: `(describeStep threw: ...)`) for the caller to
 * show after the action's text, as formatAction's is. Undefined for a model without describeStep.
 * (The actors layer's describeStep calls the protocol's formatMessage and its timers' describe, so
 * their throws land here too.)
 */
export function describedStep<State, Action>(
  model: Pick<Model<State, Action>, 'describeStep'>,
  state: State,
  action: Action,
): { readonly step: StepDescription } | { readonly failed: string } | undefined {
  if (!model.describeStep) return undefined;
  let step: unknown;
  try {
    step = model.describeStep(state, action);
  } catch (thrown) {
    return { failed: `(describeStep threw: ${textOfThrown(thrown)})` };
  }
  if (isStepDescription(step)) return { step };
  // A spec in plain JavaScript, or one that casts, can return anything.
  return { failed: `(describeStep returned no step description: ${shownValue(step)})` };
}

const STEP_KINDS: ReadonlySet<unknown> = new Set<StepDescription['kind']>(['message', 'drop', 'local']);

function isStepDescription(value: unknown): value is StepDescription {
  if (value === null || typeof value !== 'object') return false;
  const step = value as Record<string, unknown>;
  return STEP_KINDS.has(step.kind) && typeof step.from === 'string' && typeof step.label === 'string' && (step.to === undefined || typeof step.to === 'string');
}

/** A value in a one-line note: as JSON (no raw line breaks), or its type where JSON has none. */
function shownValue(value: unknown): string {
  try {
    return JSON.stringify(withoutCycles(value, new Set()), descriptionReplacer) ?? typeof value;
  } catch {
    return 'a value that cannot be shown';
  }
}

/**
 * `value` with every array, record, Set or Map met again on its own path replaced by '[circular]',
 * each kept of its kind (ITF writes a Set as #set and a Map as #map); other objects are left as they are.
 */
function withoutCycles(value: unknown, path: Set<object>): unknown {
  if (value === null || typeof value !== 'object') return value;
  const isRecord = Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null;
  if (!Array.isArray(value) && !isRecord && !(value instanceof Set) && !(value instanceof Map)) return value;
  if (path.has(value)) return '[circular]';
  path.add(value);
  const inner = (item: unknown) => withoutCycles(item, path);
  let copy: unknown;
  if (Array.isArray(value)) copy = value.map(inner);
  else if (value instanceof Set) copy = new Set([...value].map(inner));
  else if (value instanceof Map) copy = new Map([...value].map(([key, item]) => [inner(key), inner(item)]));
  else copy = Object.fromEntries(Object.entries(value).map(([key, item]) => [key, inner(item)]));
  path.delete(value);
  return copy;
}

/**
 * A JSON.stringify replacer for descriptions: a bigint (which JSON.stringify refuses) as its
 * digits, a typed array as a list.
 */
export function descriptionReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>);
  return value;
}
