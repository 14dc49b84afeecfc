/**
 * Resolving a spec's parameters: the one place where raw values (CLI flags, sweep grids, library
 * calls) are checked against the spec's declarations and defaulted.
 */
import type { ParameterDeclarations, ParameterValues } from './model.ts';

/** A parameter value the spec does not accept; the message names the parameter and the rule. */
export class ParameterError extends Error {
  override readonly name = 'ParameterError';
}

/**
 * Checks raw values (strings from the command line, or numbers) against the declarations and
 * fills in defaults. Unknown names are refused rather than ignored, so a typo never goes unseen.
 */
export function resolveParameters<Declarations extends ParameterDeclarations>(
  declarations: Declarations,
  raw: Readonly<Record<string, string | number | undefined>>,
): ParameterValues<Declarations> {
  const resolved: Record<string, string | number> = {};
  for (const name of Object.keys(raw)) {
    if (raw[name] !== undefined && !Object.hasOwn(declarations, name)) {
      const known = Object.keys(declarations).join(', ') || 'none';
      throw new ParameterError(`unknown parameter '${name}' (this spec takes: ${known})`);
    }
  }
  for (const [name, declaration] of Object.entries(declarations)) {
    const value = raw[name];
    if (value === undefined) {
      resolved[name] = declaration.default;
      continue;
    }
    if (declaration.type === 'integer') {
      const text = String(value).trim();
      if (!/^-?\d+$/.test(text)) {
        throw new ParameterError(`parameter '${name}' must be a whole number, got '${value}'`);
      }
      const number = Number(text);
      if (number < declaration.min || number > declaration.max) {
        throw new ParameterError(
          `parameter '${name}' must be between ${declaration.min} and ${declaration.max}, got ${number}`,
        );
      }
      resolved[name] = number;
    } else {
      const text = String(value);
      if (!declaration.choices.includes(text)) {
        throw new ParameterError(
          `parameter '${name}' must be one of ${declaration.choices.join(', ')}, got '${value}'`,
        );
      }
      resolved[name] = text;
    }
  }
  return resolved as ParameterValues<Declarations>;
}
