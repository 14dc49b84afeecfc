import { describe, expect, it } from 'vitest';
import { auditLines } from '../../../src/report/console.ts';
import type { AnyModel } from '../../../src/model.ts';

const model = { describeState: (state: Int32Array) => ({ words: state }) } as unknown as AnyModel;

describe('the --audit lines of the text report', () => {
  it('one line when there is no collision', () => {
    expect(auditLines(model, { statesCompared: 77_767, collisions: 0, storedBytes: 2048 })).toEqual([
      'audit        77,767 fingerprint hits compared in full with the stored state: 0 collisions; 2.0 KiB of kept encodings',
    ]);
  });

  it('names the first collision with both states, as the model describes them', () => {
    const lines = auditLines(model, {
      statesCompared: 10,
      collisions: 3,
      storedBytes: 2048,
      firstCollision: { fingerprint: '00000000000001ab', stored: Int32Array.of(1, 2), met: Int32Array.of(3) },
    });
    expect(lines).toEqual([
      'audit        10 fingerprint hits compared in full with the stored state: 3 COLLISIONS; 2.0 KiB of kept encodings',
      '             distinct states shared a fingerprint, so states may have been missed and the verdict may be wrong',
      '             first: fingerprint 00000000000001ab, stored {"words":[1,2]}',
      '             and met {"words":[3]}',
    ]);
  });
});
