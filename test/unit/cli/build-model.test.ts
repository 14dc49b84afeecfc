import { describe, it, expect } from 'vitest';
import { buildModel } from '../../../src/cli/check-command.ts';
import { UsageError } from '../../../src/report/errors.ts';
import { countersModel } from '../../toys/counters.ts';
import type { AnySpec } from '../../../src/model.ts';

/** A spec whose build returns `built`, for the checks buildModel makes on what a spec builds. */
const specBuilding = (built: unknown): AnySpec => ({ name: 'sketch', description: '', parameters: {}, build: () => built as never });

function refusal(built: unknown): UsageError {
  try {
    buildModel(specBuilding(built), {});
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error('buildModel accepted it');
}

describe('buildModel', () => {
  it('builds a model that has what the explorers call', () => {
    expect(buildModel(specBuilding(countersModel({ maxX: 1, maxY: 1 })), {}).model.name).toBe('counters 1x1');
  });

  it('refuses, as a spec that failed to build, a build that returns no model', () => {
    const nothing = refusal(undefined);
    expect(nothing.code).toBe('spec-build-failed');
    expect(nothing.message).toBe('the spec sketch built no model: build returned undefined');
    const { encode: _encode, ...withoutEncode } = countersModel({ maxX: 1, maxY: 1 });
    expect(refusal(withoutEncode).message).toBe('the spec sketch built no model: its model has no encode function');
    const notAnArray = { ...countersModel({ maxX: 1, maxY: 1 }), initialStates: () => ({ x: 0, y: 0 }) };
    expect(refusal(notAnArray).message).toBe('the spec sketch built no model: its initialStates returned an object, not an array');
  });
});
