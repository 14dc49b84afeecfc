/**
 * Traces as numbered text: each step the action taken and only what changed, the failing step
 * marked with the property and why it fails.
 */
import type { Model, Property } from '../model.ts';
import type { Trace } from './replay.ts';
import { describeForReport, descriptionReplacer, explanationOf } from './description.ts';

/** Flattens a state description to `path: value` lines, one per leaf; arrays stay whole. */
export function flattenDescription(description: Record<string, unknown>, prefix = ''): Map<string, unknown> {
  const flat = new Map<string, unknown>();
  for (const [key, value] of Object.entries(description)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [inner, innerValue] of flattenDescription(value as Record<string, unknown>, path)) flat.set(inner, innerValue);
    } else {
      flat.set(path, value);
    }
  }
  return flat;
}

function show(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`;
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint') return value.toString();
  return JSON.stringify(value, descriptionReplacer);
}

/** Lines describing how `after` differs from `before`; lists show what was added and removed, or, reordered only, before and after. */
export function describeChanges(before: Map<string, unknown>, after: Map<string, unknown>): string[] {
  const lines: string[] = [];
  for (const [path, value] of after) {
    const previous = before.get(path);
    if (Array.isArray(value) && Array.isArray(previous)) {
      const removed = multisetDifference(previous, value);
      const added = multisetDifference(value, previous);
      if (added.length > 0) lines.push(`${path} + ${added.map(show).join(', ')}`);
      if (removed.length > 0) lines.push(`${path} - ${removed.map(show).join(', ')}`);
      // The same items in other places is still a change of state (the model told the two apart): shown whole.
      if (added.length === 0 && removed.length === 0 && show(previous) !== show(value)) lines.push(`${path}: ${show(previous)} -> ${show(value)}`);
    } else if (show(previous) !== show(value)) {
      lines.push(`${path}: ${show(previous)} -> ${show(value)}`);
    }
  }
  for (const [path, value] of before) {
    if (!after.has(path)) lines.push(`${path}: ${show(value)} -> (gone)`);
  }
  return lines;
}

function multisetDifference(left: readonly unknown[], right: readonly unknown[]): unknown[] {
  const remaining = right.map(show);
  const difference: unknown[] = [];
  for (const item of left) {
    const at = remaining.indexOf(show(item));
    if (at >= 0) remaining.splice(at, 1);
    else difference.push(item);
  }
  return difference;
}

/** What the last state of a trace shows of its property: a sometimes property is witnessed there. */
export function outcomeVerb(property: Pick<Property<unknown>, 'kind'>): string {
  return property.kind === 'sometimes' ? 'is witnessed' : 'fails';
}

export interface TextTraceOptions<State> {
  /** The property that fails (or, a sometimes property, is witnessed) at the last step, marked there with its explanation. */
  readonly property?: Property<State>;
  readonly indent?: string;
}

export function formatTraceText<State, Action>(
  model: Model<State, Action>,
  trace: Trace<State, Action>,
  options: TextTraceOptions<State> = {},
): string {
  const indent = options.indent ?? '  ';
  const describe = (state: State) => flattenDescription(describeForReport(model, state));
  const lines: string[] = [];
  if (trace.steps.length === 0) throw new RangeError('formatTraceText: the trace has no steps, not even its initial state');
  let previous = describe(trace.steps[0]!.state);
  lines.push(`${indent}0. initial state`);
  for (const [path, value] of previous) lines.push(`${indent}     ${path}: ${show(value)}`);
  trace.steps.forEach((step, index) => {
    if (index === 0) return;
    const current = describe(step.state);
    lines.push(`${indent}${index}. ${step.actionText}`);
    for (const change of describeChanges(previous, current)) lines.push(`${indent}     ${change}`);
    previous = current;
  });
  const property = options.property;
  if (property) {
    const last = trace.steps[trace.steps.length - 1]!.state;
    const explanation = explanationOf(property, last);
    const why = explanation === undefined ? '' : `: ${explanation}`;
    lines.push(`${indent}>> ${property.name} ${outcomeVerb(property)} at step ${trace.steps.length - 1}${why}`);
  }
  return lines.join('\n');
}
