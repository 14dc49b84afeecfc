/**
 * Rebuilding a trace by replay: start from the recorded initial state, and at each step take the
 * recorded action index among the actions the model pushes. Each state passes through
 * encode/decode exactly as the explorer saw it, so action indices mean the same thing here as
 * during the search. When the visited set is given, every regenerated state's fingerprint must be
 * in it: a miss means the model did not repeat itself (it is nondeterministic), named by step.
 */
import { inspect } from 'node:util';
import { WordReader, WordWriter, type Model } from '../model.ts';
import { textOfThrown } from '../thrown.ts';
import { Fingerprinter, encodeAndFingerprint } from '../store/fingerprint.ts';
import type { FingerprintSet } from '../store/fingerprint-set.ts';
import { formatReplayToken, type ReplayPath } from '../store/trace-store.ts';

export interface TraceStep<State, Action> {
  /** The action that led to this state; absent for the initial state. */
  readonly action?: Action;
  readonly actionIndex?: number;
  /** A one-line description of the action. */
  readonly actionText?: string;
  readonly state: State;
}

export interface Trace<State, Action> {
  readonly path: ReplayPath;
  readonly token: string;
  /** steps[0] is the initial state; steps[i] is the state after the i-th action. */
  readonly steps: readonly TraceStep<State, Action>[];
}

/** What a nondeterministic model must not depend on, for the errors that find one. */
export const DETERMINISM_RULE = 'it must not depend on randomness, I/O, or the order of unsorted collections';

export type ReplayProblem = 'no-such-initial-state' | 'no-such-action' | 'action-disabled' | 'nondeterministic' | 'model-threw';

/**
 * The path does not fit the model, or the model threw on it (`model-threw`): names the step
 * (0 = initial state) and what went wrong.
 */
export class ReplayError extends Error {
  override readonly name = 'ReplayError';
  constructor(
    readonly problem: ReplayProblem,
    readonly step: number,
    message: string,
    /** For `model-threw`: what the model threw, and where in the step (`in action X`). */
    readonly threw?: { readonly thrown: unknown; readonly where: string },
  ) {
    super(message);
  }
}

/** Passes a state through its encoding, as the explorer does before expanding it. */
export function normalise<State>(model: Model<State, unknown>, state: State, writer = new WordWriter()): State {
  writer.reset();
  model.encode(state, writer);
  return model.decode(new WordReader(writer.words, 0, writer.length));
}

/**
 * The text of `action` in a trace or an error message: the model's formatAction, or the action as
 * JSON. A formatAction that throws is a bug of the spec's that costs neither the trace nor the
 * verdict it shows (as a describeState that throws does not: see description.ts): the action is
 * shown as JSON, followed by what formatAction threw.
 */
export function formatAction<State, Action>(model: Model<State, Action>, state: State, action: Action): string {
  if (!model.formatAction) return actionAsJson(action);
  try {
    return model.formatAction(state, action);
  } catch (thrown) {
    return `${actionAsJson(action)} (formatAction threw: ${textOfThrown(thrown)})`;
  }
}

/**
 * An action as JSON, or as Node inspects it where JSON cannot hold it (a bigint, a cycle,
 * undefined): a text for people, where a description (src/trace/description.ts) must stay JSON.
 * Compact, because this text goes into one-line errors too: Node otherwise lays out an array of
 * more than six items in rows.
 */
function actionAsJson(action: unknown): string {
  try {
    const json = JSON.stringify(action) as string | undefined;
    if (json !== undefined) return json;
  } catch {
    // Inspected below.
  }
  return inspect(action, { depth: 2, breakLength: Number.POSITIVE_INFINITY, compact: true });
}

/**
 * The trace to the state an error of the model arose at, or undefined when it does not replay: the
 * error stands either way, and a model that threw or broke its contract may well not repeat itself.
 * The path ends at the state, before the step or check that failed there, so replaying it does
 * not fail the same way, but for a state whose decoding threw: that one is shown as the model
 * built it.
 */
export function replayToError<State, Action>(model: Model<State, Action>, path: ReplayPath, visited?: FingerprintSet): Trace<State, Action> | undefined {
  for (const decodeLast of [true, false]) {
    try {
      return replayPath(model, path, visited, { decodeLast });
    } catch {
      // Decoded, the last state may throw again: then as built.
    }
  }
  return undefined;
}

/**
 * Replays `path`, each state encoded and decoded as the explorers store it (and, given `visited`,
 * required to be a state the search saw). With `decodeLast` false, the path's last state is kept
 * as the model built it: the trace to a state whose decoding threw.
 */
export function replayPath<State, Action>(
  model: Model<State, Action>,
  path: ReplayPath,
  visited?: FingerprintSet,
  { decodeLast = true }: { readonly decodeLast?: boolean } = {},
): Trace<State, Action> {
  const writer = new WordWriter();
  const fingerprint = new Fingerprinter();
  const check = (state: State, step: number): State => {
    encodeAndFingerprint(model, state, writer, fingerprint);
    if (visited) {
      if (!visited.has(fingerprint.high, fingerprint.low)) {
        throw new ReplayError(
          'nondeterministic',
          step,
          `replay reached a state at step ${step} that the search never saw: the model is nondeterministic (${DETERMINISM_RULE})`,
        );
      }
    }
    if (!decodeLast && step === path.actions.length) return state;
    return model.decode(new WordReader(writer.words, 0, writer.length));
  };

  let step = 0;
  /** What the replay is doing, for a model that throws: named in its error. */
  let doing = 'building the initial states';
  try {
    const initialStates = model.initialStates();
    const initial = initialStates[path.initial];
    if (initial === undefined) {
      const has =
        initialStates.length === 0 ? 'none' : initialStates.length === 1 ? 'only initial state 0' : `initial states 0 to ${initialStates.length - 1}`;
      throw new ReplayError('no-such-initial-state', 0, `the trace starts from initial state ${path.initial}, but the model has ${has}`);
    }
    let state = check(initial, 0);
    const steps: TraceStep<State, Action>[] = [{ state }];
    const actions: Action[] = [];
    for (let position = 0; position < path.actions.length; position++) {
      const actionIndex = path.actions[position]!;
      step = position + 1;
      doing = 'listing the actions';
      actions.length = 0;
      model.actions(state, actions);
      const action = actions[actionIndex];
      if (action === undefined) {
        const offers = actions.length === 0 ? 'no action there: no step leads on from that state' : `only ${actions.length} action${actions.length === 1 ? '' : 's'} there`;
        throw new ReplayError('no-such-action', step, `step ${step} takes action ${actionIndex}, but the model offers ${offers}`);
      }
      const actionText = formatAction(model, state, action);
      doing = `in action ${actionText}`;
      const next = model.nextState(state, action);
      if (next === undefined) {
        throw new ReplayError('action-disabled', step, `step ${step}: action ${actionText} is not enabled`);
      }
      state = check(next, step);
      steps.push({ action, actionIndex, actionText, state });
    }
    return { path, token: formatReplayToken(path), steps };
  } catch (thrown) {
    if (thrown instanceof ReplayError) throw thrown;
    const message = thrown instanceof Error ? thrown.message : String(thrown);
    throw new ReplayError('model-threw', step, `the model threw at step ${step} of the trace (${doing}): ${message}`, { thrown, where: doing });
  }
}
