/**
 * Codecs: how a value of a protocol's local state or message type becomes 32-bit words and back.
 * Built from a few combinators so that a spec declares its shapes once and gets a canonical
 * encoding for free: sets are written sorted and without duplicates, records in declaration order.
 */
import { WordWriter, type WordReader } from '../model.ts';

export interface Codec<T> {
  encode(value: T, out: WordWriter): void;
  decode(input: WordReader): T;
}

/** A 32-bit signed integer. */
export const integer: Codec<number> = {
  encode(value, out) {
    out.push(value);
  },
  decode(input) {
    return input.next();
  },
};

export const boolean: Codec<boolean> = {
  encode(value, out) {
    out.push(value ? 1 : 0);
  },
  decode(input) {
    return input.next() !== 0;
  },
};

/** A record of fixed fields, written in the order the fields are declared. */
export function record<T extends object>(fields: { readonly [K in keyof T]: Codec<T[K]> }): Codec<T> {
  const names = Object.keys(fields) as (keyof T & string)[];
  const codecs = names.map((name) => fields[name] as Codec<unknown>);
  const count = names.length;
  return {
    encode(value, out) {
      for (let i = 0; i < count; i++) codecs[i]!.encode(value[names[i]!], out);
    },
    decode(input) {
      const value: Record<string, unknown> = {};
      for (let i = 0; i < count; i++) value[names[i]!] = codecs[i]!.decode(input);
      return value as T;
    },
  };
}

/** A list whose order matters. */
export function list<T>(item: Codec<T>): Codec<readonly T[]> {
  return {
    encode(values, out) {
      out.push(values.length);
      for (const value of values) item.encode(value, out);
    },
    decode(input) {
      const length = input.next();
      const values: T[] = [];
      for (let i = 0; i < length; i++) values.push(item.decode(input));
      return values;
    },
  };
}

/** Lexicographic order of word sequences: the canonical order of set members and in-flight messages. */
export function compareWords(left: Int32Array, right: Int32Array): number {
  const length = Math.min(left.length, right.length);
  for (let i = 0; i < length; i++) {
    const difference = left[i]! - right[i]!;
    if (difference !== 0) return difference < 0 ? -1 : 1;
  }
  return left.length - right.length;
}

/**
 * A set: written sorted by encoding and without duplicates, so the order a spec keeps its
 * members in never changes the state's identity. Decoding gives the canonical order.
 */
export function set<T>(item: Codec<T>): Codec<readonly T[]> {
  if (item === (integer as Codec<unknown>)) return integerSet as unknown as Codec<readonly T[]>;
  const scratch = new WordWriter(64);
  return {
    encode(values, out) {
      const encoded = values.map((value) => {
        scratch.reset();
        item.encode(value, scratch);
        return scratch.view().slice();
      });
      encoded.sort(compareWords);
      let count = 0;
      for (let i = 0; i < encoded.length; i++) {
        if (i === 0 || compareWords(encoded[i - 1]!, encoded[i]!) !== 0) count++;
      }
      out.push(count);
      for (let i = 0; i < encoded.length; i++) {
        if (i > 0 && compareWords(encoded[i - 1]!, encoded[i]!) === 0) continue;
        for (const word of encoded[i]!) out.push(word);
      }
    },
    decode(input) {
      const length = input.next();
      const values: T[] = [];
      for (let i = 0; i < length; i++) values.push(item.decode(input));
      return values;
    },
  };
}

/**
 * A tagged union, discriminated by the field `tag` (e.g. a message's `type`): written as the
 * variant's position in `variants`, then the variant's fields.
 */
export function union<Tag extends string, T extends { readonly [K in Tag]: string }>(
  tag: Tag,
  variants: { readonly [V in T[Tag]]: Codec<Omit<Extract<T, { readonly [K in Tag]: V }>, Tag>> },
): Codec<T> {
  const names = Object.keys(variants) as T[Tag][];
  const codecs = names.map((name) => variants[name] as Codec<object>);
  const positions = new Map<string, number>(names.map((name, position) => [name, position]));
  return {
    encode(value, out) {
      const position = positions.get(value[tag]);
      if (position === undefined) throw new Error(`unknown ${tag} '${value[tag]}'`);
      out.push(position);
      codecs[position]!.encode(value, out);
    },
    decode(input) {
      const position = input.next();
      const codec = codecs[position];
      if (codec === undefined) throw new RangeError(`no variant at position ${position}`);
      return { [tag]: names[position], ...codec.decode(input) } as unknown as T;
    },
  };
}

/** `set(integer)`, without per-member allocation: a set already kept sorted is written as it is. */
const integerSet: Codec<readonly number[]> = {
  encode(values, out) {
    let canonical = true;
    for (let i = 1; i < values.length; i++) {
      if (values[i - 1]! >= values[i]!) {
        canonical = false;
        break;
      }
    }
    const members = canonical ? values : [...new Set(values)].sort((a, b) => a - b);
    out.reserve(members.length + 1);
    out.words[out.length++] = members.length;
    for (let i = 0; i < members.length; i++) out.words[out.length++] = members[i]!;
  },
  decode(input) {
    const length = input.next();
    const values: number[] = new Array(length);
    for (let i = 0; i < length; i++) values[i] = input.next();
    return values;
  },
};
