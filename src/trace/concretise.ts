/**
 * Turning a counterexample found under symmetry reduction into a concrete trace of the unreduced
 * model. The reduced search records a path between representatives; here the unreduced model is
 * replayed from the same initial state, taking at each step the action whose successor has the
 * same representative as the recorded step (TLC rebuilds traces the same way, by fingerprint).
 * The result is a path of the unreduced model: its replay token works without --symmetry.
 */
import { WordWriter, type Model } from '../model.ts';
import { Fingerprinter, encodeAndFingerprint } from '../store/fingerprint.ts';
import type { ReplayPath } from '../store/trace-store.ts';
import { normalise, replayPath } from './replay.ts';

/** A reduced path with no concrete counterpart: the declared symmetry is not one of the model. */
export class ConcretiseError extends Error {
  override readonly name = 'ConcretiseError';
}

export function concretisePath<State, Action>(
  base: Model<State, Action>,
  reduced: Model<State, Action>,
  path: ReplayPath,
): ReplayPath {
  const writer = new WordWriter();
  const fingerprint = new Fingerprinter();
  const representativeFingerprint = (state: State): [number, number] => {
    encodeAndFingerprint(reduced, state, writer, fingerprint);
    return [fingerprint.high, fingerprint.low];
  };
  const representatives = replayPath(reduced, path).steps.map((step) => representativeFingerprint(step.state));
  let state = normalise(base, base.initialStates()[path.initial]!);
  const actions: number[] = [];
  const enabled: Action[] = [];
  for (let step = 1; step < representatives.length; step++) {
    const [high, low] = representatives[step]!;
    enabled.length = 0;
    base.actions(state, enabled);
    let found = -1;
    for (let index = 0; index < enabled.length && found < 0; index++) {
      const next = base.nextState(state, enabled[index]!);
      if (next === undefined) continue;
      const [nextHigh, nextLow] = representativeFingerprint(next);
      if (nextHigh === high && nextLow === low) {
        found = index;
        state = normalise(base, next);
      }
    }
    if (found < 0) {
      throw new ConcretiseError(
        `step ${step} of the reduced trace has no concrete counterpart: the model's symmetry is not a symmetry of its transitions` +
          (base.symmetry?.breachHint ? ` (${base.symmetry.breachHint})` : ''),
      );
    }
    actions.push(found);
  }
  return { initial: path.initial, actions };
}
