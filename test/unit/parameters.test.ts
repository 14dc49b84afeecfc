import { describe, it, expect } from 'vitest';
import { placeOf } from '../places.ts';
import { ParameterError, RefuseFailed, RefusedCombination, resolveParameters, resolveSpecParameters, validateDeclarations } from '../../src/parameters.ts';
import type { AnySpec, ParameterDeclarations } from '../../src/model.ts';

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
    // As typed, where a double would round it.
    expect(errorOf(() => resolveParameters(declarations, { acceptors: '99999999999999999999' })).message).toBe(
      "parameter 'acceptors' must be between 1 and 7, got 99999999999999999999",
    );
    // A camelCase name is also given as its flag, which is what a user of the command line typed.
    const camel = { maxBallot: { type: 'integer', min: 0, max: 5, default: 2, description: 'ballots' } } as const satisfies ParameterDeclarations;
    expect(errorOf(() => resolveParameters(camel, { maxBallot: 9 })).message).toBe("parameter 'maxBallot' (--max-ballot) must be between 0 and 5, got 9");
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

describe('resolveParameters on declarations the command line would refuse', () => {
  it('refuses them too, as a program calling it gets them', () => {
    const declarations = { network: { type: 'choice', choices: ['bag', 'dup'], default: 'zz', description: 'x' } } as unknown as ParameterDeclarations;
    expect(() => resolveParameters(declarations, {})).toThrow(new ParameterError(`the spec declares a bad parameter 'network': the default "zz" is not one of its choices (bag, dup)`));
    const float = { ratio: { type: 'float', default: 1.5, description: 'x' } } as unknown as ParameterDeclarations;
    expect(() => resolveParameters(float, { ratio: 2 })).toThrow(new ParameterError(`the spec declares a bad parameter 'ratio': its type must be 'integer' or 'choice', got "float"`));
  });
});

describe('validateDeclarations', () => {
  const integer = { type: 'integer', min: 1, max: 5, default: 3, description: 'an integer' } as const;
  const choice = { type: 'choice', choices: ['bag', 'dup'], default: 'bag', description: 'a choice' } as const;
  // Declarations as an untyped spec (or one with casts) can write them.
  const validate = (declarations: Record<string, unknown>, reserved: string[] = []) =>
    errorOf(() => validateDeclarations('toy', declarations as ParameterDeclarations, reserved)).message;

  it('accepts good declarations, including the ones resolveParameters is tested with', () => {
    expect(() => validateDeclarations('toy', declarations, ['max-states'])).not.toThrow();
    expect(() => validateDeclarations('toy', { maxBallot: integer, network: choice }, ['max-states'])).not.toThrow();
  });

  const flaws: [string, Record<string, unknown>, string][] = [
    ['min greater than max', { rounds: { ...integer, min: 4, max: 2 } }, "the spec toy declares a bad parameter 'rounds': min 4 is greater than max 2"],
    ['a default above max', { rounds: { ...integer, default: 9 } }, "'rounds': the default 9 is outside 1..5"],
    ['a default below min', { rounds: { ...integer, default: 0 } }, "'rounds': the default 0 is outside 1..5"],
    ['a fractional default', { rounds: { ...integer, default: 2.5 } }, "'rounds': the default must be a whole number, got 2.5"],
    ['a default that is a string', { rounds: { ...integer, default: '3' } }, `'rounds': the default must be a whole number, got "3"`],
    ['a fractional min', { rounds: { ...integer, min: 0.5 } }, "'rounds': min and max must be whole numbers, got 0.5 and 5"],
    ['a bound past 2^53, whole but not exact', { rounds: { ...integer, max: 2 ** 60 } }, "'rounds': min and max must lie within ±(2^53 - 1), where every whole number is exact, got 1 and 1152921504606847000"],
    ['no choices', { network: { ...choice, choices: [] } }, "'network': it has no choices"],
    ['a choice listed twice', { network: { ...choice, choices: ['bag', 'dup', 'bag'] } }, "'network': it lists the choice 'bag' twice"],
    ['a default not among the choices', { network: { ...choice, default: 'fifo' } }, `'network': the default "fifo" is not one of its choices (bag, dup)`],
    ['an unknown type', { rounds: { ...integer, type: 'int' } }, `'rounds': its type must be 'integer' or 'choice', got "int"`],
    ['an uppercase first letter', { N: integer }, "'N': a name must be camelCase, starting with a lowercase letter"],
    ['a kebab-case name', { 'max-ballot': integer }, "'max-ballot': a name must be camelCase"],
    ['a name whose flag is reserved', { maxStates: integer }, "'maxStates': its flag --max-states is one of synod's own; rename the parameter"],
    ['a name every object has (toString)', { toString: integer }, "'toString': 'toString' is a name every JavaScript object already has; rename the parameter"],
    ['a name every object has (constructor)', { constructor: integer }, "'constructor': 'constructor' is a name every JavaScript object already has; rename the parameter"],
  ];
  for (const [what, flawed, message] of flaws) {
    it(`refuses ${what}, naming the spec and the parameter`, () => {
      const text = validate({ acceptors: integer, ...flawed }, ['max-states']);
      expect(text).toContain(message);
      expect(text).toMatch(/^the spec toy declares a bad parameter '[^']+': /);
      expect(text).not.toContain('\n');
    });
  }
});

describe('resolveSpecParameters', () => {
  const spec = {
    name: 'toy',
    description: '',
    parameters: declarations,
    refuse: ({ acceptors, offset }: { acceptors: number; offset: number }) => (acceptors + offset < 1 ? `offset ${offset} leaves ${acceptors + offset} acceptors` : undefined),
    build: () => {
      throw new Error('not built here');
    },
  } as unknown as AnySpec;

  it('resolves as resolveParameters does when the spec takes the combination', () => {
    expect(resolveSpecParameters(spec, { offset: '-2' })).toEqual({ acceptors: 3, offset: -2, network: 'bag' });
    expect(resolveSpecParameters({ ...spec, refuse: undefined }, { acceptors: 1, offset: -5 })).toEqual({ acceptors: 1, offset: -5, network: 'bag' });
  });

  it("refuses a combination with the spec's reason, as a ParameterError, after the range checks", () => {
    const refused = errorOf(() => resolveSpecParameters(spec, { acceptors: 2, offset: -3 }));
    expect(refused).toBeInstanceOf(RefusedCombination);
    expect(refused.message).toBe('offset -3 leaves -1 acceptors');
    // A value out of range is named as such, before refuse sees it.
    const outOfRange = errorOf(() => resolveSpecParameters(spec, { acceptors: 2, offset: -9 }));
    expect(outOfRange).not.toBeInstanceOf(RefusedCombination);
    expect(outOfRange.message).toBe("parameter 'offset' must be between -5 and 5, got -9");
  });

  it('says a refuse that throws or returns something else failed, apart from the values', () => {
    const failing = (refuse: () => unknown) => () => resolveSpecParameters({ ...spec, refuse } as unknown as AnySpec, {});
    const refuseThatThrows = () => {
      throw new Error('boom');
    };
    expect(failing(refuseThatThrows)).toThrow(new RefuseFailed(`it threw: boom at ${placeOf('test/unit/parameters.test.ts', "throw new Error('boom')", 'new Error')}`));
    expect(failing(() => false)).toThrow(new RefuseFailed('it returned false, where it must return a reason (a string) or undefined'));
    expect(failing(() => null)).toThrow(new RefuseFailed('it returned null, where it must return a reason (a string) or undefined'));
    expect(failing(() => '  ')).toThrow(new RefuseFailed('it returned an empty string, where it must return a reason (a string) or undefined'));
    expect(failing(async () => 'later')).toThrow(new RefuseFailed('it returned a promise (is it async?): it must give its answer at once, a reason (a string) or undefined'));
    expect(failing(() => { throw new Error('boom'); })).toThrow(RefuseFailed);
  });
});
