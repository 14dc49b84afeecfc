/**
 * A ring 0 -> 1 -> ... -> size-1 -> 0: every state has a successor other than itself, so no state
 * is terminal; `size` states, `size` transitions, depth `size`.
 */
import type { Model, Property, WordReader, WordWriter } from '../../src/model.ts';

export function cycleModel(size: number, properties: readonly Property<number>[] = []): Model<number, 'next'> {
  return {
    name: `cycle of ${size}`,
    initialStates: () => [0],
    actions(_state: number, out: 'next'[]): void {
      out.push('next');
    },
    nextState: (state: number) => (state + 1) % size,
    encode(state: number, out: WordWriter): void {
      out.push(state);
    },
    decode: (input: WordReader) => input.next(),
    properties,
  };
}
