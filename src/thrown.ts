/**
 * Values from a spec's code in synod's one-line errors: what it threw, and a value it gave where a
 * number belongs. A spec may throw anything: an Error whose message runs over several lines (a
 * stack pasted in), an empty message, a plain object (`[object Object]` said nothing), or an object
 * whose toString throws in turn.
 */
import { inspect } from 'node:util';
import { thrownAt } from './thrown-at.ts';

/**
 * What the spec's code threw, in one line, followed by where in its code when the stack says
 * (`... at specs/mine.ts:12:5`): for an error that ends a command. A trace's description of what a
 * describeState or formatAction threw leaves the place out ({@link textOfThrown}): a regression
 * test signs its steps with it, and an edit above the line would break the signature.
 */
export function thrownWithPlace(thrown: unknown): string {
  const place = thrown instanceof ThrownIn ? undefined : thrownAt(thrown);
  const text = textOfThrown(thrown);
  return place === undefined ? text : `${text} at ${place}`;
}

export function textOfThrown(thrown: unknown): string {
  let text: string;
  try {
    if (thrown instanceof Error) text = thrown.message;
    else if (thrown !== null && typeof thrown === 'object') text = inspect(thrown, { depth: 2, breakLength: Number.POSITIVE_INFINITY });
    else text = String(thrown);
  } catch {
    return 'a value that cannot be turned into text (its toString throws)';
  }
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  if (lines.length === 0) return thrown instanceof Error ? `${thrown.name} with no message` : '(an empty value)';
  return lines.length === 1 ? lines[0]!.trim() : `${lines[0]!.trim()} [and ${lines.length - 1} more line${lines.length === 2 ? '' : 's'}]`;
}

/**
 * What a spec's code threw, with the place it was thrown, where the explorer cannot name it by an
 * action: a timer's `enabled`, asked while a state's actions are listed. Its message is the
 * thrown value's text followed by the place.
 */
export class ThrownIn extends Error {
  override readonly name = 'ThrownIn';
  constructor(
    readonly place: string,
    readonly thrown: unknown,
  ) {
    super(`${thrownWithPlace(thrown)} (in ${place})`);
  }
}

/** A value a spec gave where a number belongs, in an error: as JSON (a string quoted), or as text. */
export function shownValue(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return typeof value;
  }
}
