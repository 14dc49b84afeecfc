import { describe, expect, it } from 'vitest';
import { textOfThrown } from '../../src/thrown.ts';

describe('textOfThrown: what a spec threw, on one line', () => {
  it('gives an Error its message, and anything else its text', () => {
    expect(textOfThrown(new Error('quorum too small'))).toBe('quorum too small');
    expect(textOfThrown('a string')).toBe('a string');
    expect(textOfThrown(undefined)).toBe('undefined');
    expect(textOfThrown(null)).toBe('null');
  });

  it('shows a plain object rather than [object Object]', () => {
    expect(textOfThrown({ code: 42 })).toBe('{ code: 42 }');
  });

  it('keeps the first line of a message of several, and says how many more there were', () => {
    expect(textOfThrown(new Error('first line\nsecond line\n    at fake (stack.ts:1:1)'))).toBe('first line [and 2 more lines]');
    expect(textOfThrown(new Error('first\n\nsecond'))).toBe('first [and 1 more line]');
  });

  it('names an Error with no message, and a value whose toString throws', () => {
    expect(textOfThrown(new Error(''))).toBe('Error with no message');
    expect(textOfThrown(new RangeError('  '))).toBe('RangeError with no message');
    const evil = {
      toString() {
        throw new Error('evil');
      },
      [Symbol.for('nodejs.util.inspect.custom')]() {
        throw new Error('evil too');
      },
    };
    expect(textOfThrown(evil)).toBe('a value that cannot be turned into text (its toString throws)');
  });
});
