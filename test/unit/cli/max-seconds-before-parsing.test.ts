import { describe, expect, it } from 'vitest';
import { MAX_SECONDS, maxSecondsBeforeParsing } from '../../../src/cli/arguments.ts';

describe('maxSecondsBeforeParsing', () => {
  it('reads --max-seconds in either form, among parameter flags it does not know yet', () => {
    expect(maxSecondsBeforeParsing(['specs/paxos.ts', '--acceptors', '3', '--max-seconds', '5'])).toBe(5);
    expect(maxSecondsBeforeParsing(['specs/paxos.ts', '--max-seconds=2.5', '--quiet'])).toBe(2.5);
    expect(maxSecondsBeforeParsing(['specs/paxos.ts', '--acceptors', '3'])).toBeUndefined();
  });

  it('leaves a value the parse will refuse, and what follows --, to the parse', () => {
    for (const value of ['0', '-1', 'ten', '0x10', String(MAX_SECONDS + 1)]) {
      expect(maxSecondsBeforeParsing(['specs/paxos.ts', '--max-seconds', value])).toBeUndefined();
    }
    expect(maxSecondsBeforeParsing(['specs/paxos.ts', '--max-seconds'])).toBeUndefined();
    expect(maxSecondsBeforeParsing(['--', '--max-seconds', '5'])).toBeUndefined();
  });
});
