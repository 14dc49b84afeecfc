/**
 * Two independent counters: x in 0..maxX, y in 0..maxY, each action increments one of them.
 * From (0, 0) the reachable states are exactly (maxX + 1) * (maxY + 1), the transitions
 * maxX * (maxY + 1) + maxY * (maxX + 1), and the depth (initial state = 1) maxX + maxY + 1.
 */
import type { Model, Property, WordReader, WordWriter } from '../../src/model.ts';

export interface Counters {
  readonly x: number;
  readonly y: number;
}

/** 'stay' is a self-loop, always enabled, pushed only when `selfLoop` is set. */
export type CounterAction = 'incX' | 'incY' | 'stay';

export interface CountersOptions {
  readonly maxX: number;
  readonly maxY: number;
  readonly initial?: readonly Counters[];
  readonly properties?: readonly Property<Counters>[];
  readonly selfLoop?: boolean;
  /**
   * A counter at its largest goes back to 0 instead of stopping: edges back to states found many
   * levels before (the same states, depth and one more transition per edge state).
   */
  readonly wrap?: boolean;
  readonly name?: string;
}

export function countersModel(options: CountersOptions): Model<Counters, CounterAction> {
  const { maxX, maxY } = options;
  const initial = options.initial ?? [{ x: 0, y: 0 }];
  return {
    name: options.name ?? `counters ${maxX}x${maxY}`,
    initialStates: () => initial,
    actions(_state: Counters, out: CounterAction[]): void {
      out.push('incX', 'incY');
      if (options.selfLoop) out.push('stay');
    },
    nextState(state: Counters, action: CounterAction): Counters | undefined {
      switch (action) {
        case 'incX':
          return state.x < maxX ? { x: state.x + 1, y: state.y } : options.wrap ? { x: 0, y: state.y } : undefined;
        case 'incY':
          return state.y < maxY ? { x: state.x, y: state.y + 1 } : options.wrap ? { x: state.x, y: 0 } : undefined;
        case 'stay':
          return state;
      }
    },
    encode(state: Counters, out: WordWriter): void {
      out.push(state.x);
      out.push(state.y);
    },
    decode(input: WordReader): Counters {
      const x = input.next();
      const y = input.next();
      return { x, y };
    },
    properties: options.properties ?? [],
    formatAction: (_state: Counters, action: CounterAction) =>
      action === 'incX' ? 'increment x' : action === 'incY' ? 'increment y' : 'stay',
    describeState: (state: Counters) => ({ x: state.x, y: state.y }),
  };
}

/** Distinct states, transitions and depth of the counters model from (0, 0), counted by hand. */
export function countersFigures(maxX: number, maxY: number) {
  return {
    distinctStates: (maxX + 1) * (maxY + 1),
    transitions: maxX * (maxY + 1) + maxY * (maxX + 1),
    depth: maxX + maxY + 1,
  };
}
