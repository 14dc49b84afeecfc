/**
 * A counter that counts 0..3 and can be 'finished' only when it is 1; an 'idle' self-loop is
 * always enabled. States: (0,-) (1,-) (1,done) (2,-) (3,-), discovered in that order:
 * (0,-) -> (1,-) -> {(2,-), (1,done)} -> (3,-). Terminal states (no successor but themselves):
 * (1,done) and (3,-). Transitions: 2 + 3 + 2 + 1 + 1 = 9.
 */
import type { Model, Property, WordReader, WordWriter } from '../../src/model.ts';

export interface Stopping {
  readonly n: number;
  readonly done: boolean;
}

export type StoppingAction = 'inc' | 'finish' | 'idle';

export function stoppingCounterModel(properties: readonly Property<Stopping>[]): Model<Stopping, StoppingAction> {
  return {
    name: 'stopping counter',
    initialStates: () => [{ n: 0, done: false }],
    actions(_state: Stopping, out: StoppingAction[]): void {
      out.push('inc', 'finish', 'idle');
    },
    nextState(state: Stopping, action: StoppingAction): Stopping | undefined {
      switch (action) {
        case 'inc':
          return !state.done && state.n < 3 ? { n: state.n + 1, done: false } : undefined;
        case 'finish':
          return !state.done && state.n === 1 ? { n: state.n, done: true } : undefined;
        case 'idle':
          return { n: state.n, done: state.done };
      }
    },
    encode(state: Stopping, out: WordWriter): void {
      out.push(state.n);
      out.push(state.done ? 1 : 0);
    },
    decode(input: WordReader): Stopping {
      const n = input.next();
      const done = input.next() === 1;
      return { n, done };
    },
    properties,
    formatAction: (_state: Stopping, action: StoppingAction) => action,
    describeState: (state: Stopping) => ({ n: state.n, done: state.done }),
  };
}

export const terminalIsDone: Property<Stopping> = {
  name: 'TerminalIsDone',
  kind: 'terminal',
  holds: (state) => state.done,
  explain: (state) => `stopped at ${state.n} without finishing`,
};
