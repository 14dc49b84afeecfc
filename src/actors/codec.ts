/**
 * Codecs: how a value of a protocol's local state or message type becomes 32-bit words and back.
 * Built from a few combinators so that a spec declares its shapes once and gets a canonical
 * encoding for free: sets are written sorted and without duplicates, records in declaration order.
 *
 * Bounded codecs (`natural(max)`, and records and unions made only of bounded parts) also know
 * their width in bits and can pack a value into one number. Messages must be bounded: the network
 * keeps each in-flight message as one packed number, so a multiset of messages is a sorted array
 * of numbers, canonical and cheap to compare, copy and hash.
 */
import { WordReader, WordWriter } from '../model.ts';
import { shownValue } from '../thrown.ts';

export interface Codec<T> {
  encode(value: T, out: WordWriter): void;
  decode(input: WordReader): T;
  /** Width in bits when every value fits in a fixed number of bits; then pack/unpack exist. */
  readonly bits?: number;
  pack?(value: T): number;
  unpack?(packed: number): T;
  /** Words every encoded value takes, when that is fixed. */
  readonly width?: number;
  /**
   * Words the encoded value at `words[at]` takes, read from the encoding without decoding it. The
   * actors layer splits a state into its actors' parts this way; a codec without `width` or `size`
   * is measured by decoding.
   */
  size?(words: Int32Array, at: number): number;
}

/** How many words the encoded value at `at` takes, by the codec's `width` or `size`, else by decoding it. */
export function measurer<T>(codec: Codec<T>): (words: Int32Array, at: number) => number {
  const known = sizeOf(codec as Codec<unknown>);
  if (known) return known;
  const reader = new WordReader(new Int32Array(0));
  return (words, at) => {
    reader.words = words;
    reader.position = at;
    reader.end = words.length;
    codec.decode(reader);
    return reader.position - at;
  };
}

/** The codec's `width` or `size` as one function, or undefined when it has neither. */
type Measured = Pick<Codec<unknown>, 'width' | 'size'>;

function sizeOf(codec: Measured): ((words: Int32Array, at: number) => number) | undefined {
  if (codec.width !== undefined) {
    const width = codec.width;
    return () => width;
  }
  return codec.size?.bind(codec);
}

/** Packed values go up to 2^52 so that they stay exact in a double. */
export const MAX_PACKED_BITS = 52;

/**
 * A value an integer codec cannot store: a word would hold another number (1.5 as 1, 2^31 as
 * -2^31, NaN as 0), merging states that differ there, and the state decoded would not be the one
 * encoded. One comparison a value, as natural() does.
 */
function notWord(value: number): RangeError {
  const mask = Number.isInteger(value) && value >= 2 ** 31 && value < 2 ** 32 ? '; a 32-bit mask is stored as mask | 0' : '';
  return new RangeError(`value ${value} is not a 32-bit integer (-2147483648..2147483647${mask})`);
}

/** A 32-bit signed integer. */
export const integer: Codec<number> = {
  width: 1,
  encode(value, out) {
    if ((value | 0) !== value) throw notWord(value);
    out.push(value);
  },
  decode(input) {
    return input.next();
  },
};

function bitsFor(max: number): number {
  let bits = 1;
  while (2 ** bits <= max) bits++;
  return bits;
}

/** An integer in 0..max: bounded, so it can be part of a message. */
export function natural(max: number): Codec<number> {
  if (!Number.isInteger(max) || max < 1 || max > 2 ** 31 - 1) throw new RangeError(`natural(${max}): max must be 1..2^31-1`);
  const bits = bitsFor(max);
  const check = (value: number): number => {
    if (!(value >= 0 && value <= max) || !Number.isInteger(value)) {
      // A string '1' would read as the number 1 here.
      throw new RangeError(typeof value === 'number' ? `value ${value} is outside 0..${max}` : `value ${shownValue(value)} is not a number in 0..${max}`);
    }
    return value;
  };
  return {
    bits,
    width: 1,
    encode(value, out) {
      out.push(check(value));
    },
    decode(input) {
      return input.next();
    },
    pack: check,
    unpack: (packed) => packed,
  };
}

export const boolean: Codec<boolean> = {
  bits: 1,
  width: 1,
  encode(value, out) {
    out.push(value ? 1 : 0);
  },
  decode(input) {
    return input.next() !== 0;
  },
  pack: (value) => (value ? 1 : 0),
  unpack: (packed) => packed !== 0,
};

/** The fields of a record codec, kept so a union can compile its variants with the tag. */
interface RecordCodec<T> extends Codec<T> {
  readonly fieldNames: readonly string[];
  readonly fieldCodecs: readonly Codec<unknown>[];
}

/** Bounded fields next to each other share a word while their widths add up to at most this. */
const WORD_BITS = 31;

/**
 * Fields written together: a run of bounded fields packed into one word (first field in the
 * highest bits, so words compare as the fields would one by one), or one other field on its own.
 */
interface FieldGroup {
  readonly fields: readonly number[];
  readonly packed: boolean;
}

function groupFields(codecs: readonly Codec<unknown>[]): FieldGroup[] {
  const groups: { fields: number[]; packed: boolean; bits: number }[] = [];
  codecs.forEach((codec, i) => {
    const bits = codec.bits !== undefined && codec.pack && codec.unpack ? codec.bits : undefined;
    if (bits === undefined || bits > WORD_BITS) {
      groups.push({ fields: [i], packed: false, bits: 0 });
      return;
    }
    const last = groups[groups.length - 1];
    if (last?.packed && last.bits + bits <= WORD_BITS) {
      last.fields.push(i);
      last.bits += bits;
    } else {
      groups.push({ fields: [i], packed: true, bits });
    }
  });
  return groups;
}

/**
 * A record of fixed fields, written in the order the fields are declared; consecutive bounded
 * fields share words (up to 31 bits each), so a state's encoding is short: the explorers copy,
 * compare and hash it on every state. Its encoder, decoder, packer and unpacker are generated as
 * straight-line code, since records sit on the hot path.
 */
export function record<T extends object>(fields: { readonly [K in keyof T]: Codec<T[K]> }): Codec<T> {
  const names = Object.keys(fields);
  const codecs = names.map((name) => (fields as Record<string, Codec<unknown>>)[name]!);
  const isPlainInteger = (codec: Codec<unknown>) => codec === (integer as Codec<unknown>);
  const key = (name: string) => JSON.stringify(name);
  const groups = groupFields(codecs);
  const encodeLines: string[] = [];
  const decodeLines: string[] = [];
  const fieldValues: string[] = new Array(names.length);
  groups.forEach((group, g) => {
    const [first] = group.fields;
    if (!group.packed) {
      const name = names[first!]!;
      // A plain integer inline: pushed once checked to fit a word (see notWord).
      encodeLines.push(
        isPlainInteger(codecs[first!]!)
          ? `{ const field = value[${key(name)}]; if ((field | 0) !== field) throw notWord(field); out.push(field); }`
          : `codecs[${first}].encode(value[${key(name)}], out);`,
      );
      decodeLines.push(`const field${first} = ${isPlainInteger(codecs[first!]!) ? 'input.next()' : `codecs[${first}].decode(input)`};`);
      fieldValues[first!] = `field${first}`;
      return;
    }
    encodeLines.push(`let word${g} = 0;`);
    for (const i of group.fields) encodeLines.push(`word${g} = word${g} * ${2 ** codecs[i]!.bits!} + codecs[${i}].pack(value[${key(names[i]!)}]);`);
    encodeLines.push(`out.push(word${g});`);
    decodeLines.push(`const word${g} = input.next();`);
    let shift = 0;
    for (let k = group.fields.length - 1; k >= 0; k--) {
      const i = group.fields[k]!;
      const bits = codecs[i]!.bits!;
      decodeLines.push(`const field${i} = codecs[${i}].unpack((word${g} >>> ${shift}) & ${2 ** bits - 1});`);
      shift += bits;
    }
    group.fields.forEach((i) => (fieldValues[i] = `field${i}`));
  });
  decodeLines.push(`return {${names.map((name, i) => `${key(name)}: ${fieldValues[i]}`).join(', ')}};`);
  const wordSizes = groups.map((group) => (group.packed ? { width: 1 } : codecs[group.fields[0]!]!));
  const codec: RecordCodec<T> = {
    fieldNames: names,
    fieldCodecs: codecs,
    encode: new Function(
      'codecs',
      'notWord',
      'fieldError',
      `return function encodeRecord(value, out) {\ntry {\n${encodeLines.join('\n')}\n} catch (error) { throw fieldError(error, value); }\n};`,
    )(codecs, notWord, (error: unknown, value: T) => fieldError(error, value, names, codecs, (codec, field) => codec.encode(field, new WordWriter()))),
    decode: new Function('codecs', `return function decodeRecord(input) {\n${decodeLines.join('\n')}\n};`)(codecs),
    ...recordSize(wordSizes),
  };
  const bits = packedWidth(codecs);
  if (bits === undefined) return codec;
  return { ...codec, bits, pack: compilePack(names, codecs), unpack: compileUnpack(names, codecs, undefined) };
}

/**
 * A record's width when its words (see {@link groupFields}) all have one, else a size that adds up their sizes,
 * generated as straight-line code: the actors layer measures every actor of every state it decodes.
 */
function recordSize(codecs: readonly Measured[]): Measured {
  if (codecs.every((codec) => codec.width !== undefined)) return { width: codecs.reduce((sum, codec) => sum + codec.width!, 0) };
  const sizes = codecs.map(sizeOf);
  if (sizes.some((size) => size === undefined)) return {};
  const steps = codecs.map((codec, i) => {
    if (codec.width !== undefined) return `at += ${codec.width};`;
    if (codec === (integerSet as Measured)) return 'at += 1 + words[at];';
    return `at += sizes[${i}](words, at);`;
  });
  return {
    size: new Function('sizes', `return function sizeRecord(words, start) {\nlet at = start;\n${steps.join('\n')}\nreturn at - start;\n};`)(sizes),
  };
}

function packedWidth(codecs: readonly Codec<unknown>[]): number | undefined {
  if (!codecs.every((codec) => codec.bits !== undefined && codec.pack && codec.unpack)) return undefined;
  const bits = codecs.reduce((sum, codec) => sum + codec.bits!, 0);
  return bits <= MAX_PACKED_BITS ? bits : undefined;
}

/** Generated: packed = ((f0 * 2^w1 + f1) * 2^w2 + f2) ..., each field through its own pack. */
function compilePack(names: readonly string[], codecs: readonly Codec<unknown>[]): (value: any) => number {
  const lines = names.map((name, i) => `packed = packed * ${2 ** codecs[i]!.bits!} + codecs[${i}].pack(value[${JSON.stringify(name)}]);`);
  return new Function(
    'codecs',
    'fieldError',
    `return function packRecord(value) {\nlet packed = 0;\ntry {\n${lines.join('\n')}\n} catch (error) { throw fieldError(error, value); }\nreturn packed;\n};`,
  )(codecs, (error: unknown, value: unknown) => fieldError(error, value, names, codecs, (codec, field) => codec.pack!(field)));
}

/**
 * A record's field failed to encode: the error again, named by the field that fails on its own
 * (`field promised: value 9 is outside 0..7`; nested records add their own). Only on the way out
 * of a failure: the generated code does not say which line threw.
 */
function fieldError(
  error: unknown,
  value: unknown,
  names: readonly string[],
  codecs: readonly Codec<unknown>[],
  write: (codec: Codec<unknown>, field: unknown) => void,
): unknown {
  if (!(error instanceof Error) || value === null || typeof value !== 'object') return error;
  for (let i = 0; i < names.length; i++) {
    try {
      write(codecs[i]!, (value as Record<string, unknown>)[names[i]!]);
    } catch (fieldFailure) {
      const message = fieldFailure instanceof Error ? fieldFailure.message : String(fieldFailure);
      return new RangeError(`field ${names[i]}: ${message}`);
    }
  }
  return error;
}

/** Generated: the inverse of compilePack, building the object in one literal (tag first, if any). */
function compileUnpack(
  names: readonly string[],
  codecs: readonly Codec<unknown>[],
  tag: { readonly name: string; readonly value: string } | undefined,
): (packed: number) => any {
  const lines: string[] = [];
  for (let i = names.length - 1; i >= 0; i--) {
    const scale = 2 ** codecs[i]!.bits!;
    lines.push(`const part${i} = packed % ${scale}; packed = (packed - part${i}) / ${scale};`);
  }
  const fields = names.map((name, i) => `${JSON.stringify(name)}: codecs[${i}].unpack(part${i})`);
  if (tag) fields.unshift(`${JSON.stringify(tag.name)}: ${JSON.stringify(tag.value)}`);
  return new Function(
    'codecs',
    `return function unpackRecord(packed) {\n${lines.join('\n')}\nreturn {${fields.join(', ')}};\n};`,
  )(codecs);
}

/** A list whose order matters. */
export function list<T>(item: Codec<T>): Codec<readonly T[]> {
  const itemSize = sizeOf(item as Codec<unknown>);
  return {
    ...(itemSize
      ? {
          size(words: Int32Array, at: number) {
            const length = words[at]!;
            let position = at + 1;
            for (let i = 0; i < length; i++) position += itemSize(words, position);
            return position - at;
          },
        }
      : {}),
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

/** Lexicographic order of word sequences: the canonical order of set members. */
export function compareWords(left: Int32Array, right: Int32Array): number {
  const length = Math.min(left.length, right.length);
  for (let i = 0; i < length; i++) {
    const difference = left[i]! - right[i]!;
    if (difference !== 0) return difference < 0 ? -1 : 1;
  }
  return left.length - right.length;
}

/**
 * A set of integers: written sorted and without duplicates, so the order a spec keeps its members
 * in never changes the state's identity; a set already kept sorted is written as it is.
 * Decoding gives the canonical (ascending) order.
 */
export const integerSet: Codec<readonly number[]> = {
  size(words, at) {
    return 1 + words[at]!;
  },
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
    for (let i = 0; i < members.length; i++) {
      const member = members[i]!;
      if ((member | 0) !== member) throw notWord(member);
      out.words[out.length++] = member;
    }
  },
  decode(input) {
    const length = input.next();
    const values: number[] = new Array(length);
    for (let i = 0; i < length; i++) values[i] = input.next();
    return values;
  },
};

/**
 * The set (a sorted array, as `integerSet` decodes it) with `member` added: the same array when it
 * is already there, else a new one with `member` in place. Handlers keep sets this way so that a
 * step copies one short array and sorts nothing.
 */
export function withMember(set: readonly number[], member: number): readonly number[] {
  let at = 0;
  while (at < set.length && set[at]! < member) at++;
  if (set[at] === member) return set;
  const next: number[] = new Array(set.length + 1);
  for (let i = 0; i < at; i++) next[i] = set[i]!;
  next[at] = member;
  for (let i = at; i < set.length; i++) next[i + 1] = set[i]!;
  return next;
}

/**
 * A tagged union, discriminated by the field `tag` (e.g. a message's `type`): written as the
 * variant's position in `variants`, then the variant's fields. Bounded when every variant is.
 */
export function union<Tag extends string, T extends { readonly [K in Tag]: string }>(
  tag: Tag,
  variants: { readonly [V in T[Tag]]: Codec<Omit<Extract<T, { readonly [K in Tag]: V }>, Tag>> },
): Codec<T> {
  const names = Object.keys(variants) as T[Tag][];
  const codecs = names.map((name) => variants[name] as Codec<object>);
  const positions = new Map<string, number>(names.map((name, position) => [name, position]));
  const positionOf = (value: T): number => {
    const position = positions.get(value[tag]);
    if (position === undefined) throw new Error(`unknown ${tag} '${value[tag]}'`);
    return position;
  };
  const variantSizes = codecs.map((variant) => sizeOf(variant as Codec<unknown>));
  const widths = new Set(codecs.map((variant) => variant.width));
  const size: Pick<Codec<T>, 'width' | 'size'> =
    widths.size === 1 && codecs[0]!.width !== undefined
      ? { width: 1 + codecs[0]!.width }
      : variantSizes.every((variantSize) => variantSize !== undefined)
        ? { size: (words, at) => 1 + variantSizes[words[at]!]!(words, at + 1) }
        : {};
  const codec: Codec<T> = {
    ...size,
    encode(value, out) {
      const position = positionOf(value);
      out.push(position);
      codecs[position]!.encode(value, out);
    },
    decode(input) {
      const position = input.next();
      const variant = codecs[position];
      if (variant === undefined) throw new RangeError(`no variant at position ${position}`);
      return { [tag]: names[position], ...variant.decode(input) } as unknown as T;
    },
  };
  if (!codecs.every((variant) => variant.bits !== undefined && 'fieldNames' in variant)) return codec;
  const tagBits = bitsFor(Math.max(1, names.length - 1));
  const payloadBits = Math.max(...codecs.map((variant) => variant.bits!));
  const bits = tagBits + payloadBits;
  if (bits > MAX_PACKED_BITS) return codec;
  const payloadScale = 2 ** payloadBits;
  // Each variant unpacks straight into an object that carries its tag, with no spread.
  const unpackers = codecs.map((variant, position) => {
    const { fieldNames, fieldCodecs } = variant as unknown as RecordCodec<object>;
    return compileUnpack(fieldNames, fieldCodecs, { name: tag, value: names[position]! });
  });
  return {
    ...codec,
    bits,
    pack(value) {
      const position = positionOf(value);
      return position * payloadScale + codecs[position]!.pack!(value);
    },
    unpack(packed) {
      const payload = packed % payloadScale;
      const unpacker = unpackers[(packed - payload) / payloadScale];
      if (unpacker === undefined) throw new RangeError(`no variant for packed value ${packed}`);
      return unpacker(payload);
    },
  };
}

/**
 * A codec's error named by what it was encoding: `local state: field n: value 4 is outside 0..3`.
 * A new error, the codec's as its cause: the codec's may be shared, frozen, or thrown again.
 */
export function whereEncoded(error: unknown, what: string): unknown {
  if (!(error instanceof Error)) return error;
  const message = `${what}: ${error.message}`;
  return error instanceof RangeError ? new RangeError(message, { cause: error }) : new Error(message, { cause: error });
}
