/**
 * A model that breaks the determinism rule: nextState stamps each successor with a call counter
 * kept outside the state, so replaying the same path regenerates states the search never saw.
 * x runs 0..3; the first exploration sees (1,0) (2,1) (3,2).
 */
import type { Model, WordReader, WordWriter } from '../../src/model.ts';

export interface Stamped {
  readonly x: number;
  readonly stamp: number;
}

export function nondeterministicModel(): Model<Stamped, 'inc'> {
  let calls = 0;
  return {
    name: 'nondeterministic',
    initialStates: () => [{ x: 0, stamp: 0 }],
    actions(_state: Stamped, out: 'inc'[]): void {
      out.push('inc');
    },
    nextState: (state: Stamped) => (state.x < 3 ? { x: state.x + 1, stamp: calls++ } : undefined),
    encode(state: Stamped, out: WordWriter): void {
      out.push(state.x);
      out.push(state.stamp);
    },
    decode(input: WordReader): Stamped {
      const x = input.next();
      const stamp = input.next();
      return { x, stamp };
    },
    properties: [],
  };
}
