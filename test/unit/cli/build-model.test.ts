import { describe, it, expect } from 'vitest';
import { buildModel } from '../../../src/cli/check-command.ts';
import { countersModel } from '../../toys/counters.ts';
import type { AnySpec } from '../../../src/model.ts';

/** A spec whose build returns `built`, for the checks buildModel makes on what a spec builds. */
const specBuilding = (built: unknown): AnySpec => ({ name: 'sketch', description: '', parameters: {}, build: () => built as never });

/** buildModel's refusal of what `built` is: a usage error (exit 2) saying the spec built no model. */
const refusalOf = (reason: string) => expect.objectContaining({ code: 'spec-build-failed', message: `the spec sketch built no model: ${reason}` });

describe('buildModel', () => {
  it('builds a model that has what the explorers call', () => {
    expect(buildModel(specBuilding(countersModel({ maxX: 1, maxY: 1 })), {}).model.name).toBe('counters 1x1');
  });

  it('refuses, as a spec that failed to build, a build that returns no model', () => {
    expect(() => buildModel(specBuilding(undefined), {})).toThrow(refusalOf('build returned undefined'));
    const { encode: _encode, ...withoutEncode } = countersModel({ maxX: 1, maxY: 1 });
    expect(() => buildModel(specBuilding(withoutEncode), {})).toThrow(refusalOf('its model has no encode function'));
    const notAnArray = { ...countersModel({ maxX: 1, maxY: 1 }), initialStates: () => ({ x: 0, y: 0 }) };
    expect(() => buildModel(specBuilding(notAnArray), {})).toThrow(refusalOf('its initialStates returned an object, not an array'));
    expect(() => buildModel(specBuilding(withoutEncode), {})).toThrow(expect.objectContaining({ hint: undefined }));
  });

  it('says to return the model when a build returns what holds one (an ActorSystem, not system.model)', () => {
    const holder = { name: 'holder', model: countersModel({ maxX: 1, maxY: 1 }) };
    expect(() => buildModel(specBuilding(holder), {})).toThrow(
      expect.objectContaining({ code: 'spec-build-failed', hint: 'return its .model (system.model), not what holds it' }),
    );
  });
});
