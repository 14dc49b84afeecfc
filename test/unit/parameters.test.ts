import { describe, it, expect } from 'vitest';
import { ParameterError, resolveParameters } from '../../src/parameters.ts';
import type { ParameterDeclarations } from '../../src/model.ts';

const declarations = {
  acceptors: { type: 'integer', min: 1, max: 7, default: 3, description: 'acceptors' },
  offset: { type: 'integer', min: -5, max: 5, default: 0, description: 'a signed integer' },
  network: { type: 'choice', choices: ['bag', 'dup', 'lossy'], default: 'bag', description: 'network semantics' },
} as const satisfies ParameterDeclarations;

function errorOf(run: () => unknown): ParameterError {
  try {
    run();
  } catch (error) {
    if (error instanceof ParameterError) return error;
    throw error;
  }
  throw new Error('expected a ParameterError, nothing was thrown');
}

describe('resolveParameters', () => {
  it('fills in every default', () => {
    expect(resolveParameters(declarations, {})).toEqual({ acceptors: 3, offset: 0, network: 'bag' });
  });

  it('treats an undefined value as absent', () => {
    expect(resolveParameters(declarations, { acceptors: undefined, nosuch: undefined })).toEqual({
      acceptors: 3,
      offset: 0,
      network: 'bag',
    });
  });

  it('accepts strings and numbers, trims integers, keeps the bounds inclusive', () => {
    expect(resolveParameters(declarations, { acceptors: '5', offset: -5, network: 'lossy' })).toEqual({
      acceptors: 5,
      offset: -5,
      network: 'lossy',
    });
    expect(resolveParameters(declarations, { acceptors: ' 7 ', offset: '5' })).toEqual({
      acceptors: 7,
      offset: 5,
      network: 'bag',
    });
    expect(resolveParameters(declarations, { acceptors: 1, offset: '-0' })).toEqual({
      acceptors: 1,
      offset: -0,
      network: 'bag',
    });
  });

  it('refuses integers out of range, naming the parameter, the range and the value', () => {
    const high = errorOf(() => resolveParameters(declarations, { acceptors: '8' }));
    expect(high.name).toBe('ParameterError');
    expect(high.message).toBe("parameter 'acceptors' must be between 1 and 7, got 8");
    expect(errorOf(() => resolveParameters(declarations, { acceptors: 0 })).message).toBe(
      "parameter 'acceptors' must be between 1 and 7, got 0",
    );
    expect(errorOf(() => resolveParameters(declarations, { offset: '-6' })).message).toBe(
      "parameter 'offset' must be between -5 and 5, got -6",
    );
  });

  it('refuses values that are not whole numbers', () => {
    for (const value of ['three', '', '2.5', '1e3', '0x3', '3a', 'NaN', 2.5, Number.NaN, Infinity, '+3']) {
      const error = errorOf(() => resolveParameters(declarations, { acceptors: value }));
      expect(error.message).toBe(`parameter 'acceptors' must be a whole number, got '${value}'`);
    }
  });

  it('refuses unknown parameter names, listing the known ones', () => {
    expect(errorOf(() => resolveParameters(declarations, { acceptor: '3' })).message).toBe(
      "unknown parameter 'acceptor' (this spec takes: acceptors, offset, network)",
    );
    expect(errorOf(() => resolveParameters({}, { acceptors: 3 })).message).toBe(
      "unknown parameter 'acceptors' (this spec takes: none)",
    );
  });

  it('refuses unknown names that are also names of Object.prototype members', () => {
    for (const name of ['constructor', 'toString', 'hasOwnProperty', '__proto__']) {
      const raw: Record<string, string> = {};
      Object.defineProperty(raw, name, { value: '3', enumerable: true });
      expect(() => resolveParameters(declarations, raw), name).toThrow(ParameterError);
    }
  });

  it('refuses a choice outside the list, listing the choices', () => {
    expect(errorOf(() => resolveParameters(declarations, { network: 'Bag' })).message).toBe(
      "parameter 'network' must be one of bag, dup, lossy, got 'Bag'",
    );
    expect(errorOf(() => resolveParameters(declarations, { network: 2 })).message).toBe(
      "parameter 'network' must be one of bag, dup, lossy, got '2'",
    );
  });
});
