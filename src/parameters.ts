/**
 * Resolving a spec's parameters: the one place where raw values (CLI flags, sweep grids, library
 * calls) are checked against the spec's declarations and defaulted.
 */
import type { Parameter, ParameterDeclarations, ParameterValues, Spec } from './model.ts';
import { shownValue, textOfThrown, thrownWithPlace } from './thrown.ts';

/** A parameter value the spec does not accept; the message names the parameter and the rule. */
export class ParameterError extends Error {
  override readonly name: string = 'ParameterError';
}

/** Values each within range that the spec's `refuse` turns down together; the message is the spec's reason. */
export class RefusedCombination extends ParameterError {
  override readonly name = 'RefusedCombination';
}

/** The command-line flag of a parameter: `maxBallot` is `--max-ballot`. */
export function kebabCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/** camelCase starting with a lowercase letter: anything else makes an odd flag (`N` became `---n`). */
const PARAMETER_NAME = /^[a-z][a-zA-Z0-9]*$/;

/**
 * Refuses declarations that would silently give wrong results: a range or default the value check
 * cannot honour, a name that makes no usable flag, or a flag that is already one of the engine's
 * (`reservedFlags`), which would take the parameter's place. Specs written without the types (or
 * with casts) reach here unchecked, so every field is looked at.
 */
export function validateDeclarations(specName: string, declarations: ParameterDeclarations, reservedFlags: Iterable<string> = []): void {
  const reserved = new Set(reservedFlags);
  for (const [name, declaration] of Object.entries(declarations)) {
    const problem = declarationProblem(name, declaration, reserved);
    if (problem) throw new ParameterError(`the spec ${specName === '' ? '' : `${specName} `}declares a bad parameter '${name}': ${problem}`);
  }
}

function declarationProblem(name: string, declaration: Parameter, reserved: ReadonlySet<string>): string | undefined {
  if (!PARAMETER_NAME.test(name)) return 'a name must be camelCase, starting with a lowercase letter (it becomes a --kebab-case flag)';
  if (reserved.has(kebabCase(name))) return `its flag --${kebabCase(name)} is one of synod's own; rename the parameter`;
  // Every object has these (values looked up by name would find the object's own method).
  if (name in Object.prototype) return `'${name}' is a name every JavaScript object already has; rename the parameter`;
  if (declaration === null || typeof declaration !== 'object') return 'its declaration must be an object';
  const { type } = declaration as { type?: unknown };
  if (type === 'integer') {
    const { min, max, default: fallback } = declaration as Partial<Record<'min' | 'max' | 'default', unknown>>;
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max)) {
      // 2^60 is whole, but past 2^53 a double skips whole numbers: say which rule it breaks.
      const unsafe = [min, max].some((bound) => Number.isInteger(bound) && !Number.isSafeInteger(bound));
      return unsafe
        ? `min and max must lie within ±(2^53 - 1), where every whole number is exact, got ${String(min)} and ${String(max)}`
        : `min and max must be whole numbers, got ${String(min)} and ${String(max)}`;
    }
    if ((min as number) > (max as number)) return `min ${String(min)} is greater than max ${String(max)}`;
    if (!Number.isSafeInteger(fallback)) return `the default must be a whole number, got ${JSON.stringify(fallback)}`;
    if ((fallback as number) < (min as number) || (fallback as number) > (max as number)) {
      return `the default ${String(fallback)} is outside ${String(min)}..${String(max)}`;
    }
    return undefined;
  }
  if (type === 'choice') {
    const { choices, default: fallback } = declaration as { choices?: unknown; default?: unknown };
    if (!Array.isArray(choices) || choices.length === 0) return 'it has no choices';
    if (!choices.every((choice) => typeof choice === 'string' && choice !== '')) return 'every choice must be a non-empty string';
    const twice = choices.find((choice, index) => choices.indexOf(choice) !== index);
    if (twice !== undefined) return `it lists the choice '${twice}' twice`;
    if (typeof fallback !== 'string' || !choices.includes(fallback)) {
      return `the default ${JSON.stringify(fallback)} is not one of its choices (${choices.join(', ')})`;
    }
    return undefined;
  }
  return `its type must be 'integer' or 'choice', got ${JSON.stringify(type)}`;
}

/**
 * Checks raw values (strings from the command line, or numbers) against the declarations and
 * fills in defaults. Unknown names are refused rather than ignored, so a typo never goes unseen.
 */
export function resolveParameters<Declarations extends ParameterDeclarations>(
  declarations: Declarations,
  raw: Readonly<Record<string, string | number | undefined>> = {},
): ParameterValues<Declarations> {
  // As synod check refuses them on loading the spec: a program calling this gets the same answer.
  validateDeclarations('', declarations);
  const resolved: Record<string, string | number> = {};
  for (const name of Object.keys(raw)) {
    if (raw[name] !== undefined && !Object.hasOwn(declarations, name)) {
      const known = Object.keys(declarations).join(', ') || 'none';
      throw new ParameterError(`unknown parameter '${name}' (this spec takes: ${known})`);
    }
  }
  for (const [parameter, declaration] of Object.entries(declarations)) {
    const value = raw[parameter];
    // Named as the command line writes it too, when that differs: `'maxBallot' (--max-ballot)`.
    const name = kebabCase(parameter) === parameter ? `'${parameter}'` : `'${parameter}' (--${kebabCase(parameter)})`;
    if (value === undefined) {
      resolved[parameter] = declaration.default;
      continue;
    }
    if (declaration.type === 'integer') {
      const text = String(value).trim();
      if (!/^-?\d+$/.test(text)) {
        throw new ParameterError(`parameter ${name} must be a whole number, got '${value}'`);
      }
      const number = Number(text);
      if (number < declaration.min || number > declaration.max) {
        throw new ParameterError(
          // As typed when a double cannot hold it exactly (99999999999999999999 would read 100000000000000000000).
          `parameter ${name} must be between ${declaration.min} and ${declaration.max}, got ${Number.isSafeInteger(number) ? number : text}`,
        );
      }
      resolved[parameter] = number;
    } else {
      const text = String(value);
      if (!declaration.choices.includes(text)) {
        throw new ParameterError(
          `parameter ${name} must be one of ${declaration.choices.join(', ')}, got '${value}'`,
        );
      }
      resolved[parameter] = text;
    }
  }
  return resolved as ParameterValues<Declarations>;
}

/** A spec's `refuse` threw, or returned neither a reason nor undefined: the spec's fault, not the values'. */
export class RefuseFailed extends Error {
  override readonly name = 'RefuseFailed';
}

/** What a spec says of its parameters: their declarations, and the combinations it refuses. */
type SpecParameters<Declarations extends ParameterDeclarations> = Pick<Spec<Declarations, unknown, unknown>, 'parameters' | 'refuse'>;

/**
 * A spec's parameters resolved against its declarations (`resolveParameters`), then put to its
 * `refuse`: a combination it turns down throws {@link RefusedCombination} with its reason, and a
 * `refuse` that fails throws {@link RefuseFailed}.
 */
export function resolveSpecParameters<Declarations extends ParameterDeclarations>(
  spec: SpecParameters<Declarations>,
  raw: Readonly<Record<string, string | number | undefined>> = {},
): ParameterValues<Declarations> {
  const resolved = resolveParameters(spec.parameters, raw);
  const reason = refusalOf(spec, resolved);
  if (reason !== undefined) throw new RefusedCombination(reason);
  return resolved;
}

/**
 * Why the spec's `refuse` turns these resolved values down, on one line, or undefined when it
 * takes them (or has no refuse); a refuse that throws or returns anything but a reason or
 * undefined throws {@link RefuseFailed}.
 */
export function refusalOf<Declarations extends ParameterDeclarations>(spec: SpecParameters<Declarations>, resolved: ParameterValues<Declarations>): string | undefined {
  let reason: unknown;
  try {
    reason = spec.refuse?.(resolved);
  } catch (thrown) {
    throw new RefuseFailed(`it threw: ${thrownWithPlace(thrown)}`);
  }
  if (reason === undefined) return undefined;
  if (typeof (reason as { then?: unknown } | null)?.then === 'function') {
    // Its rejection, if it comes, must not end the process as an unhandled one.
    (reason as PromiseLike<unknown>).then(undefined, () => undefined);
    throw new RefuseFailed('it returned a promise (is it async?): it must give its answer at once, a reason (a string) or undefined');
  }
  // A spec written without the types may return anything; only a reason refuses.
  if (typeof reason !== 'string' || reason.trim() === '') {
    const given = reason === null ? 'null' : typeof reason === 'string' ? 'an empty string' : `${shownValue(reason)}`;
    throw new RefuseFailed(`it returned ${given}, where it must return a reason (a string) or undefined`);
  }
  // A reason of several lines would break synod's one-line errors and the sweep's n/a lines.
  return textOfThrown(reason);
}
