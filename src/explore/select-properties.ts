/**
 * Which properties a run checks: by default every property that is not optional; with names,
 * exactly the named ones. The model is wrapped, not copied, so class-based models keep working.
 */
import type { Model } from '../model.ts';

export class PropertySelectionError extends Error {
  override readonly name = 'PropertySelectionError';
}

export function selectProperties<State, Action>(model: Model<State, Action>, names?: readonly string[]): Model<State, Action> {
  const all = model.properties;
  let chosen;
  if (names && names.length > 0) {
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
