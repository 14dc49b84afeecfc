/**
 * Counterexamples as regression tests. `synod check --emit-test FILE` writes a vitest file that
 * rebuilds the spec's model with the same parameters, replays the counterexample's token, and
 * asserts that the violated property holds along it: the test fails while the counterexample
 * still happens and passes once it no longer does (one run: synod check says whether another
 * still breaks the property).
 *
 * "Fixed" needs care. A replay token is a list of indices into the actions a state enables; after
 * the protocol changes, the same indices may pick different steps (the in-flight messages differ,
 * so their order does). A test that then passed would say nothing about the bug. So the emitted
 * test also records each step's signature (who took which kind of step: `p3->a1 Accept`, or
 * `p1: starts round # with ballot #`) and the replay must take the same signatures, step by step; message contents may
 * differ (a fixed proposer sends `Accept(b=3, v2)` where the broken one sent `Accept(b=3, v1)`).
 * One step may be the step a fix changed, as `synod replay` allows (the same participants take it,
 * and the recorded action is not offered there under another index), and a step the fix removed
 * (a guard) ends the counterexample before it (see goneStep). If the replay no longer fits, the
 * test fails and says at which step, rather than passing.
 *
 * This module holds both the generator and the helpers the generated tests call. Those tests import
 * synod by its package name, never by a path into its sources: a path would break when synod moves
 * (or is installed elsewhere) and would tie users' tests to synod's private modules.
 */
import { dirname, relative, resolve, sep } from 'node:path';
import { WordWriter, type Model, type Property } from '../model.ts';
import { ReplayError, formatAction, replayPath, type Trace } from './replay.ts';
import { enabledIndexOf, goneStep, participantsOf, withoutContents, type GoneStep } from './itf.ts';
import { parseReplayToken } from '../store/trace-store.ts';
import { trackHistory } from '../explore/history.ts';
import { selectProperties } from '../explore/select-properties.ts';
import { plural } from '../report/numbers.ts';
import { describedStep, explanationOf } from './description.ts';

/**
 * Who took which kind of step, without the message contents: `p1->a1 Prepare` for a delivery,
 * `p1-x a1 Prepare` for a drop, `p1: starts round # with ballot #` for a local step (its label
 * without the numbers). A model without `describeStep` gives its action's text without what
 * parentheses hold, but for the participants named there (`Phase1b a3 on 1a`), as `synod replay`
 * compares the steps of a trace file. A step whose `describeStep` throws (or returns no step
 * description) signs as it would without one, followed by what went wrong: the emitted test
 * computes it the same way, so the same failure signs alike there.
 */
export function stepSignature<State, Action>(model: Model<State, Action>, state: State, action: Action): string {
  const described = describedStep(model, state, action);
  if (!described || 'failed' in described) {
    const signature = withoutContents(formatAction(model, state, action), new Set(model.participants ?? []));
    return described ? `${signature} ${described.failed}` : signature;
  }
  const step = described.step;
  // A message by its name (`Accept`, not `Accept(b=3, v1)`); a local step by its label with the
  // numbers left out (`starts round # with ballot #`).
  const name = step.label.split(/[\s(]/, 1)[0] ?? step.label;
  switch (step.kind) {
    case 'message':
      return `${step.from}->${step.to} ${name}`;
    case 'drop':
      return `${step.from}-x ${step.to} ${name}`;
    case 'local':
      return `${step.from}: ${step.label.replace(/\d+/g, '#')}`;
  }
}

/** Whether no action leads from `state` to a different state (the explorer's definition). */
export function isTerminal<State, Action>(model: Model<State, Action>, state: State): boolean {
  const writer = new WordWriter();
  model.encode(state, writer);
  const own = writer.view().slice();
  const actions: Action[] = [];
  model.actions(state, actions);
  for (const action of actions) {
    const next = model.nextState(state, action);
    if (next === undefined) continue;
    writer.reset();
    model.encode(next, writer);
    const words = writer.view();
    if (words.length !== own.length || words.some((word, index) => word !== own[index])) return false;
  }
  return true;
}

/** What an emitted test records about its counterexample. */
export interface RecordedCounterexample {
  /** The property that failed. */
  readonly property: string;
  readonly token: string;
  /** Each step after the initial state: the action's text and its signature. */
  readonly steps: readonly (readonly [action: string, signature: string])[];
}

/** The counterexample does not replay on the spec as it is now; the message says where. */
export class CounterexampleMismatch extends Error {
  override readonly name = 'CounterexampleMismatch';
}

/**
 * Replays a recorded counterexample, checking that every step has its recorded signature.
 * Throws {@link CounterexampleMismatch} naming the step when it does not fit. When the token does
 * not replay as the counterexample, its steps that do replay break no property, and the spec no
 * longer takes one of the recorded steps at all (see goneStep), the trace ends before that step,
 * which `stepGone` names.
 */
export function replayCounterexample<State, Action>(
  spec: Model<State, Action>,
  recorded: RecordedCounterexample,
): { trace: Trace<State, Action>; property: Property<State>; model: Model<State, Action>; stepGone?: Pick<GoneStep, 'step' | 'recorded'> } {
  const cannotTell = `so this test cannot tell whether ${recorded.property} is fixed: run synod check again and emit a new test`;
  const named = spec.properties.find((candidate) => candidate.name === recorded.property);
  if (!named) throw new CounterexampleMismatch(`the spec ${spec.name} has no property named ${recorded.property} (any more)`);
  // A property that keeps a history is judged on states that carry it, as synod check tracks it:
  // the model returned is then the one whose states the trace holds.
  const model = named.history ? trackHistory(selectProperties(spec, [recorded.property])) : spec;
  const property = model.properties.find((candidate) => candidate.name === recorded.property)!;
  const path = parseReplayToken(recorded.token);
  if (!path) throw new CounterexampleMismatch(`'${recorded.token}' is not a replay token (numbers separated by slashes, as 0/3/1/4)`);
  if (path.actions.length !== recorded.steps.length) {
    throw new CounterexampleMismatch(`the replay token ${recorded.token} does not match the ${recorded.steps.length} recorded steps`);
  }
  // A step the spec no longer takes (a guard the fix added), where the whole token does not replay
  // as the counterexample's run: the run ends before it, and the property is judged along the
  // steps it still takes.
  const endedBeforeGoneStep = () => {
    const gone = goneStep(model, path, [undefined, ...recorded.steps.map(([action]) => action)]);
    return gone ? { trace: replayPath(model, gone.before), property, model, stepGone: { step: gone.step, recorded: gone.recorded } } : undefined;
  };
  let trace: Trace<State, Action>;
  let unfit: ReplayError | undefined;
  try {
    trace = replayPath(model, path);
  } catch (error) {
    if (!(error instanceof ReplayError)) throw error;
    // The spec threw: the test fails with its error, as a test of the spec would.
    if (error.threw) throw error.threw.thrown;
    unfit = error;
    // The replay may have left the counterexample's run before the step that does not fit: the
    // steps before it say where, which is what to look at.
    try {
      trace = replayPath(model, { initial: path.initial, actions: path.actions.slice(0, Math.max(0, error.step - 1)) });
    } catch {
      const ended = endedBeforeGoneStep();
      if (ended) return ended;
      throw new CounterexampleMismatch(`the counterexample no longer replays on ${model.name}: ${error.message}, ${cannotTell}`);
    }
  }
  const left = departure(model, trace, recorded.steps);
  // A token whose steps that replay break the property on the way is no fix, whatever step is gone.
  if ((unfit || left) && !failsAlong(model, property, trace)) {
    const ended = endedBeforeGoneStep();
    if (ended) return ended;
  }
  if (left) {
    throw new CounterexampleMismatch(
      `the counterexample no longer replays on ${model.name}: at step ${left.step} the replay takes ` +
        `"${left.replayed}" where the counterexample took "${left.recorded}", ${cannotTell}`,
    );
  }
  if (unfit) throw new CounterexampleMismatch(`the counterexample no longer replays on ${model.name}: ${unfit.message}, ${cannotTell}`);
  return { trace, property, model };
}

/** Whether the property fails along the trace, as the emitted test judges it (a terminal one only at a terminal end). */
function failsAlong<State, Action>(model: Model<State, Action>, property: Property<State>, trace: Trace<State, Action>): boolean {
  const last = trace.steps.length - 1;
  switch (property.kind) {
    case 'always':
      return trace.steps.some(({ state }) => property.holds(state) !== true);
    case 'terminal':
      return isTerminal(model, trace.steps[last]!.state) && property.holds(trace.steps[last]!.state) !== true;
    case 'sometimes':
      return false;
  }
}

/**
 * Where a replay leaves the recorded counterexample's run, judged as `synod replay` judges a trace
 * file (see firstActionDifference): the first step whose signature differs may be the step a fix
 * changed, when the recorded action is not enabled there (under another index: then the indices
 * mean other actions) and the same participants take it; a later step must keep its signature.
 */
function departure<State, Action>(
  model: Model<State, Action>,
  trace: Trace<State, Action>,
  steps: RecordedCounterexample['steps'],
): { step: number; recorded: string; replayed: string } | undefined {
  const participants = new Set(model.participants ?? []);
  let changed = false;
  for (let step = 1; step < trace.steps.length; step++) {
    const [recorded, signature] = steps[step - 1]!;
    const before = trace.steps[step - 1]!.state;
    const taken = trace.steps[step]!;
    const replayed = taken.actionText!;
    if (replayed === recorded) continue;
    // The recorded action is offered here under another index: the indices mean other actions,
    // whatever the signatures say (`pick(v2)` taken for `pick(v1)` signs alike without describeStep).
    const offered = enabledIndexOf(model, before, recorded) >= 0;
    if (!offered && stepSignature(model, before, taken.action as Action) === signature) continue;
    const fixed = !changed && !offered && participantsOf(recorded, participants) === participantsOf(replayed, participants);
    if (!fixed) return { step, recorded, replayed };
    changed = true;
  }
  return undefined;
}

/** A single-quoted JavaScript string literal. */
function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\r/g, '\\r').replace(/\n/g, '\\n')}'`;
}

/** An object literal of parameter values: `{ acceptors: 3, network: 'bag' }`. */
function objectLiteral(values: Readonly<Record<string, string | number>>): string {
  const entries = Object.entries(values).map(([name, value]) => {
    const key = /^[A-Za-z_$][\w$]*$/.test(name) ? name : quote(name);
    return `${key}: ${typeof value === 'number' ? String(value) : quote(value)}`;
  });
  return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
}

/** A relative ES module specifier from `fromDirectory` to `target`, with forward slashes. */
function importPath(fromDirectory: string, target: string): string {
  const path = relative(fromDirectory, target).split(sep).join('/');
  return path.startsWith('.') ? path : `./${path}`;
}

export interface EmitTestOptions<State, Action> {
  /** Where the test file will be written; the spec's import is relative to its directory. */
  readonly testFile: string;
  /** The spec file, as the user named it (resolved against the working directory). */
  readonly specPath: string;
  readonly specName: string;
  readonly parameters: Readonly<Record<string, string | number>>;
  readonly model: Model<State, Action>;
  readonly trace: Trace<State, Action>;
  readonly property: Property<State>;
  /** The command that found the counterexample, quoted in the file's header. */
  readonly command: string;
}

/** The text of a vitest file that replays the counterexample and asserts the property along it. */
export function emitVitestTest<State, Action>(options: EmitTestOptions<State, Action>): string {
  const { trace, property, model } = options;
  const directory = dirname(resolve(options.testFile));
  const specImport = importPath(directory, resolve(options.specPath));
  const length = trace.steps.length - 1;
  const last = trace.steps[length]!.state;
  const explained = explanationOf(property, last);
  const explanation = explained === undefined ? '' : `: ${explained}`;
  const steps = trace.steps.slice(1).map((step, position) => {
    const signature = stepSignature(model, trace.steps[position]!.state, step.action as Action);
    return `    [${quote(step.actionText ?? '')}, ${quote(signature)}],`;
  });
  const title = `${options.specName}: ${property.name} holds along the counterexample of ${plural(length, 'step')}`;
  const comment = (text: string) => text.replace(/\*\//g, '*\\/');
  return `/**
 * A regression test emitted by synod for a counterexample:
 *   ${comment(options.command)}
 *   ${comment(`${property.name} (${property.kind}) fails after ${plural(length, 'step')}${explanation}`)}
 *
 * It replays the counterexample against the spec and asserts that ${comment(property.name)} holds along it:
 * it fails while this counterexample still happens and passes once it no longer does. Each step
 * must still be taken by the same actors with the same kind of message (contents may change), but
 * for one step the fix may have changed (the same actors taking it), and a step the fix removed
 * ends the counterexample there; if the spec changed so much that the counterexample no longer
 * replays, the test fails and says at which step instead of passing. It guards this one run:
 * whether another still breaks ${comment(property.name)} is what synod check on the fixed spec says.
 */
import { expect, it } from 'vitest';
import spec from ${quote(specImport)};
import { isTerminal, replayCounterexample, resolveSpecParameters } from 'synod';

const parameters = ${objectLiteral(options.parameters)};

const counterexample = {
  property: ${quote(property.name)},
  token: ${quote(trace.token)},
  // Each step: the action taken, and who took which kind of step.
  steps: [
${steps.join('\n')}
  ],
} as const;

it(${quote(title)}, () => {
  const model = spec.build(resolveSpecParameters(spec, parameters));
  const { trace, property, model: replayed } = replayCounterexample(model, counterexample);
  trace.steps.forEach(({ state }, step) => {
    // A terminal property is checked only where no step leads on, as synod check does.
    if (property.kind === 'terminal' && (step < trace.steps.length - 1 || !isTerminal(replayed, state))) return;
    if (property.kind === 'sometimes') return;
    const why = property.explain ? \`: \${property.explain(state)}\` : '';
    expect(property.holds(state), \`\${property.name} fails at step \${step}\${why}\`).toBe(true);
  });
});
`;
}
