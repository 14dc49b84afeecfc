import { describe, expect, it } from 'vitest';
import { WordReader, WordWriter } from '../../../src/model.ts';
import { integer, integerSet, record } from '../../../src/actors/codec.ts';
import { LocalStateTable } from '../../../src/actors/local-states.ts';

const codec = record<{ round: number; seen: readonly number[] }>({ round: integer, seen: integerSet });

function words(value: { round: number; seen: readonly number[] }): Int32Array {
  const writer = new WordWriter();
  codec.encode(value, writer);
  return writer.view().slice();
}

describe('LocalStateTable', () => {
  it('keeps one entry per distinct local state, however it is reached', () => {
    const table = new LocalStateTable(codec, 0);
    const fromValue = table.fromLocal({ round: 1, seen: [4, 2] });
    // The entry's local state is the decoded, canonical one (sets sorted).
    expect(fromValue.local).toEqual({ round: 1, seen: [2, 4] });
    expect(table.fromLocal(fromValue.local)).toBe(fromValue);
    const encoded = words({ round: 1, seen: [2, 4] });
    const input = new WordReader(encoded);
    expect(table.fromWords(input, 0, encoded.length)).toBe(fromValue);
    expect(input.position).toBe(encoded.length);
    expect(table.fromLocal({ round: 2, seen: [2, 4] })).not.toBe(fromValue);
    expect(table.size).toBe(2);
  });

  it('gives equal local states of different actors different fingerprint parts', () => {
    const first = new LocalStateTable(codec, 0).fromLocal({ round: 1, seen: [] });
    const second = new LocalStateTable(codec, 1).fromLocal({ round: 1, seen: [] });
    expect([first.partHigh, first.partLow]).not.toEqual([second.partHigh, second.partLow]);
  });

  it('survives growth and starts over past its limit, without losing correctness', () => {
    const table = new LocalStateTable(codec, 0, 1000);
    const entries = Array.from({ length: 900 }, (_unused, round) => table.fromLocal({ round, seen: [round % 7] }));
    for (let round = 0; round < 900; round++) {
      const encoded = words({ round, seen: [round % 7] });
      expect(table.fromWords(new WordReader(encoded), 0, encoded.length)).toBe(entries[round]);
    }
    for (let round = 900; round < 1100; round++) table.fromLocal({ round, seen: [] });
    expect(table.size).toBe(100);
    const again = table.fromLocal({ round: 5, seen: [5] });
    expect(again).not.toBe(entries[5]);
    expect(again.words).toEqual(entries[5]!.words);
    expect([again.partHigh, again.partLow]).toEqual([entries[5]!.partHigh, entries[5]!.partLow]);
  });

  it('freezes the local states it keeps, since every state with those words shares them', () => {
    const entry = new LocalStateTable(codec, 0).fromLocal({ round: 1, seen: [3] });
    expect(Object.isFrozen(entry.local)).toBe(true);
    expect(Object.isFrozen((entry.local as { seen: number[] }).seen)).toBe(true);
    expect(() => (entry.local as { seen: number[] }).seen.push(4)).toThrow(TypeError);
  });
});
