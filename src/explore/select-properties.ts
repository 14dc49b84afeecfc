/**
 * Which properties a run checks: by default every property that is not optional; with names,
 * exactly the named ones. The model is wrapped, not copied, so class-based models keep working.
 */
import type { Model, Property } from '../model.ts';

export class PropertySelectionError extends Error {
  override readonly name = 'PropertySelectionError';
}

/** A property the spec declared wrongly: not an object, no name, an unknown kind, `holds` not a function. */
export class PropertyDeclarationError extends Error {
  override readonly name = 'PropertyDeclarationError';
}

const KINDS: readonly string[] = ['always', 'sometimes', 'terminal'] satisfies readonly Property<unknown>['kind'][];

/**
 * Refuses properties a spec written in plain TypeScript (or with casts) can still get wrong: left
 * alone, an unknown kind is never checked and the run says OK, and a missing name or kind crashes
 * the report far from the cause.
 */
export function validateProperties<State, Action>(model: Model<State, Action>): void {
  const properties: unknown = model.properties;
  if (!Array.isArray(properties)) throw new PropertyDeclarationError(`${model.name}: properties must be an array of properties`);
  properties.forEach((property: unknown, index) => {
    const declared = typeof property === 'object' && property !== null ? (property as Record<string, unknown>) : undefined;
    const name = declared?.name;
    if (typeof name !== 'string' || name === '') {
      throw new PropertyDeclarationError(`${model.name}: property ${index + 1} needs a non-empty string name`);
    }
    // --property takes names separated by commas: one with a comma could never be named alone.
    if (name.includes(',')) throw new PropertyDeclarationError(`property '${name}' has a comma in its name, which --property could not name`);
    if (name.trim() !== name) throw new PropertyDeclarationError(`property '${name}' begins or ends with a space, which --property could not name`);
    if (typeof declared!.kind !== 'string' || !KINDS.includes(declared!.kind)) {
      const kind = declared!.kind === undefined ? 'no kind' : `kind '${String(declared!.kind)}'`;
      throw new PropertyDeclarationError(`property '${name}' has ${kind}; expected always, sometimes or terminal`);
    }
    if (typeof declared!.holds !== 'function') throw new PropertyDeclarationError(`property '${name}' has no holds function`);
    // --property, the report and traces name properties: two of one name would be confused.
    if ((properties as { name?: unknown }[]).slice(0, index).some((earlier) => earlier?.name === name)) {
      throw new PropertyDeclarationError(`two properties are named '${name}'`);
    }
  });
}

export function selectProperties<State, Action>(model: Model<State, Action>, names?: readonly string[]): Model<State, Action> {
  validateProperties(model);
  const all = model.properties;
  let chosen;
  if (names?.length === 1 && names[0] === 'all' && !all.some((property) => property.name === 'all')) {
    // As --property all: every property, optional ones included.
    chosen = all;
  } else if (names && names.length > 0) {
    const unknown = names.filter((name) => !all.some((property) => property.name === name));
    if (unknown.length > 0) {
      throw new PropertySelectionError(
        `${model.name} has no property ${unknown.map((name) => `'${name}'`).join(', ')} (it has: ${all.map((property) => property.name).join(', ')})`,
      );
    }
    chosen = all.filter((property) => names.includes(property.name));
  } else {
    chosen = all.filter((property) => !property.optional);
  }
  if (chosen.length === all.length) return model;
  return Object.create(model, { properties: { value: chosen, enumerable: true } }) as Model<State, Action>;
}
