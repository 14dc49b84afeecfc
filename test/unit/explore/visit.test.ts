import { describe, it, expect } from 'vitest';
import { withoutPlace } from '../../places.ts';
import { PropertyChecker, reasonOf } from '../../../src/explore/visit.ts';
import type { Property, WordReader } from '../../../src/model.ts';
import { countersModel, type Counters } from '../../toys/counters.ts';
import { exploreBreadthFirst } from '../../../src/explore/breadth-first.ts';

const pathTo = (record: number) => ({ initial: 0, actions: [record] });

describe('PropertyChecker', () => {
  const positive: Property<number> = { name: 'Positive', kind: 'always', holds: (n) => n >= 0 };
  const small: Property<number> = { name: 'Small', kind: 'always', holds: (n) => n < 10 };
  const seven: Property<number> = { name: 'Seven', kind: 'sometimes', holds: (n) => n === 7 };
  const even: Property<number> = { name: 'Even', kind: 'sometimes', holds: (n) => n % 2 === 0 };
  const endsAtZero: Property<number> = { name: 'EndsAtZero', kind: 'terminal', holds: (n) => n === 0 };

  it('refuses a holds that returns neither true nor false: a spec bug, not a violation', () => {
    // A missing return gives undefined, which read as false would report the protocol broken.
    const sloppy = (kind: Property<number>['kind']): Property<number> => ({ name: 'Sloppy', kind, holds: (n) => (n > 5 ? undefined : true) as never });
    const always = new PropertyChecker([sloppy('always')]);
    expect(always.checkNew(3, 0)).toBe(false);
    expect(() => always.checkNew(6, 1)).toThrow("property 'Sloppy' returned undefined, not true or false");
    const sometimes = new PropertyChecker([{ name: 'Maybe', kind: 'sometimes', holds: (n: number) => (n > 5 ? 'yes' : false) as never }]);
    expect(sometimes.checkNew(3, 0)).toBe(false);
    expect(() => sometimes.checkNew(6, 1)).toThrow("property 'Maybe' returned 'yes', not true or false");
    const terminal = new PropertyChecker([sloppy('terminal')]);
    expect(terminal.checkTerminal(3, 0)).toBe(false);
    expect(() => terminal.checkTerminal(6, 1)).toThrow("property 'Sloppy' returned undefined, not true or false");
  });

  it('stops at the first failing always property and records it', () => {
    const checker = new PropertyChecker([positive, small]);
    expect(checker.hasTerminalChecks).toBe(false);
    expect(checker.checkNew(3, 0)).toBe(false);
    expect(checker.checkNew(12, 1)).toBe(true);
    expect(checker.violated).toBe(small);
    expect(checker.violatingRecord).toBe(1);
    expect(checker.violation(pathTo, false)).toEqual({ property: 'Small', kind: 'always', path: { initial: 0, actions: [1] } });
    expect(checker.outcomes(pathTo)).toEqual([
      { name: 'Positive', kind: 'always', holds: true, witnessed: true },
      { name: 'Small', kind: 'always', holds: false, witnessed: false },
    ]);
  });

  it('records the first witness of each sometimes property', () => {
    const checker = new PropertyChecker([seven, even]);
    expect(checker.checkNew(1, 0)).toBe(false);
    expect(checker.checkNew(4, 1)).toBe(false);
    expect(checker.checkNew(7, 2)).toBe(false);
    expect(checker.checkNew(6, 3)).toBe(false);
    expect(checker.outcomes(pathTo)).toEqual([
      { name: 'Seven', kind: 'sometimes', holds: true, witnessed: true, witness: { initial: 0, actions: [2] } },
      { name: 'Even', kind: 'sometimes', holds: true, witnessed: true, witness: { initial: 0, actions: [1] } },
    ]);
    expect(checker.violation(pathTo, true)).toBeUndefined();
  });

  it('reports an unwitnessed sometimes property only when the search was complete', () => {
    const checker = new PropertyChecker([even, seven]);
    checker.checkNew(2, 0);
    expect(checker.violation(pathTo, false)).toBeUndefined();
    expect(checker.violation(pathTo, true)).toEqual({ property: 'Seven', kind: 'sometimes' });
  });

  it('checks terminal properties on request only', () => {
    const checker = new PropertyChecker([endsAtZero]);
    expect(checker.hasTerminalChecks).toBe(true);
    expect(checker.checkNew(5, 0)).toBe(false);
    expect(checker.checkTerminal(0, 1)).toBe(false);
    expect(checker.checkTerminal(5, 2)).toBe(true);
    expect(checker.violation(pathTo, true)).toEqual({ property: 'EndsAtZero', kind: 'terminal', path: { initial: 0, actions: [2] } });
  });
});

describe('reasonOf', () => {
  it('names the rule a model broke when it changed a frozen state in place', async () => {
    const frozen = {
      ...countersModel({ maxX: 2, maxY: 0 }),
      initialStates: () => [Object.freeze({ x: 0, y: 0 })],
      nextState: (state: Counters) => {
        (state as { x: number }).x++;
        return state;
      },
      decode: (input: WordReader) => Object.freeze({ x: input.next(), y: input.next() }),
    };
    const { result } = await exploreBreadthFirst(frozen);
    expect(result.status).toBe('error');
    expect(withoutPlace(result.error!.message)).toBe(
      "Cannot assign to read only property 'x' of object '#<Object>' (states are immutable: nextState, or a handler through context.update, " +
        'gives a new state instead of changing the one it was given) (in action increment x, expanding a state at depth 1)',
    );
  });

  it('leaves other errors as they are', () => {
    expect(withoutPlace(reasonOf(new Error('counter overflow')))).toBe('counter overflow');
    expect(reasonOf('a string')).toBe('a string');
  });
});
