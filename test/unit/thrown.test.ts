import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { textOfThrown, thrownWithPlace } from '../../src/thrown.ts';
import { thrownAt } from '../../src/thrown-at.ts';
import { checkModel } from '../../src/check.ts';
import { resolveParameters } from '../../src/parameters.ts';
import type { AnySpec } from '../../src/model.ts';

/** An error whose stack reads `frames` (each `name (file:line:column)` or `file:line:column`). */
function thrownWith(message: string, ...frames: string[]): Error {
  const error = new Error(message);
  Object.defineProperty(error, 'stack', { value: [`Error: ${message}`, ...frames.map((frame) => `    at ${frame}`)].join('\n') });
  return error;
}

const synodSource = fileURLToPath(new URL('../../src/', import.meta.url));

describe('textOfThrown: what a spec threw, on one line', () => {
  it('gives an Error its message, and anything else its text', () => {
    expect(textOfThrown(new Error('quorum too small'))).toBe('quorum too small');
    expect(textOfThrown('a string')).toBe('a string');
    expect(textOfThrown(undefined)).toBe('undefined');
    expect(textOfThrown(null)).toBe('null');
  });

  it('shows a plain object rather than [object Object]', () => {
    expect(textOfThrown({ code: 42 })).toBe('{ code: 42 }');
  });

  it('keeps the first line of a message of several, and says how many more there were', () => {
    expect(textOfThrown(new Error('first line\nsecond line\n    at fake (stack.ts:1:1)'))).toBe('first line [and 2 more lines]');
    expect(textOfThrown(new Error('first\n\nsecond'))).toBe('first [and 1 more line]');
  });

  it('names an Error with no message, and a value whose toString throws', () => {
    expect(textOfThrown(new Error(''))).toBe('Error with no message');
    expect(textOfThrown(new RangeError('  '))).toBe('RangeError with no message');
    const evil = {
      toString() {
        throw new Error('evil');
      },
      [Symbol.for('nodejs.util.inspect.custom')]() {
        throw new Error('evil too');
      },
    };
    expect(textOfThrown(evil)).toBe('a value that cannot be turned into text (its toString throws)');
  });
});

describe("thrownAt: where in the spec's code an error was thrown", () => {
  it('is the top frame when it is the spec\'s, shown relative to the working directory when under it', () => {
    const spec = `${process.cwd()}/specs/mine.ts`;
    expect(thrownAt(thrownWith('x', `nextState (${spec}:12:5)`, `expandWith (${synodSource}explore/breadth-first.ts:200:10)`))).toBe('specs/mine.ts:12:5');
    expect(thrownAt(thrownWith('x', '/elsewhere/spec.ts:3:4', `${synodSource}explore/visit.ts:1:1`))).toBe('/elsewhere/spec.ts:3:4');
    expect(thrownAt(thrownWith('x', 'file:///elsewhere/spec.ts:3:4'))).toBe('/elsewhere/spec.ts:3:4');
    // A spec's top level, run by Node's module loader.
    expect(thrownAt(thrownWith('x', '/elsewhere/spec.ts:1:7', 'ModuleJob.run (node:internal/modules/esm/module_job:325:25)'))).toBe('/elsewhere/spec.ts:1:7');
  });

  it('reads a place whose path holds parentheses, and passes over code run by eval to the frame that ran it', () => {
    expect(thrownAt(thrownWith('x', 'handler (/home/me/p (copy)/spec.ts:3:5)', `deliver (${synodSource}actors/system.ts:500:3)`))).toBe('/home/me/p (copy)/spec.ts:3:5');
    const evaluated = ['eval (eval at nextState (/elsewhere/spec.ts:14:29), <anonymous>:1:7)', 'nextState (/elsewhere/spec.ts:14:29)', `expand (${synodSource}explore/breadth-first.ts:1:1)`];
    expect(thrownAt(thrownWith('x', ...evaluated))).toBe('/elsewhere/spec.ts:14:29');
    expect(thrownAt(thrownWith('x', 'eval (eval at <anonymous> (/elsewhere/spec.ts:15:68), <anonymous>:3:7)', 'Object.nextState (/elsewhere/spec.ts:15:68)'))).toBe('/elsewhere/spec.ts:15:68');
  });

  it("is the spec's frame under a dependency's, or under synod's code that the spec called", () => {
    const handler = '/elsewhere/spec.ts:9:9';
    const below = [`onMessage (${handler})`, `deliver (${synodSource}actors/system.ts:500:3)`];
    expect(thrownAt(thrownWith('x', 'fromJS (/elsewhere/node_modules/immutable/dist/immutable.js:1:100)', ...below))).toBe(handler);
    expect(thrownAt(thrownWith('x', `send (${synodSource}actors/system.ts:100:11)`, ...below))).toBe(handler);
    // A spec under node_modules, with no frame of a spec elsewhere: its own frame.
    const installed = '/project/node_modules/synod/specs/paxos.ts:40:9';
    expect(thrownAt(thrownWith('x', `receive (${installed})`, `deliver (${synodSource}actors/system.ts:500:3)`))).toBe(installed);
  });

  it('follows the text of an error that ends a command, and only that (a trace says what describeState threw without it)', () => {
    const thrown = thrownWith('no quorum', '/elsewhere/spec.ts:3:4', `${synodSource}explore/visit.ts:1:1`);
    expect(thrownWithPlace(thrown)).toBe('no quorum at /elsewhere/spec.ts:3:4');
    expect(textOfThrown(thrown)).toBe('no quorum');
    expect(thrownWithPlace('no stack')).toBe('no stack');
  });

  it("places nowhere an error synod's code made that no spec code of it called (its caller is a script, not the spec)", () => {
    expect(thrownAt(thrownWith('x', `visit (${synodSource}explore/visit.ts:40:2)`, `checkModel (${synodSource}check.ts:60:1)`, '/elsewhere/script.ts:5:1'))).toBeUndefined();
    expect(thrownAt(thrownWith('x', 'node:internal/x:1:1', '[worker eval]:71:89'))).toBeUndefined();
    expect(thrownAt('a string')).toBeUndefined();
    expect(thrownAt(thrownWith('x'))).toBeUndefined();
  });

  it("is in the message of an error a spec's step or property throws as synod check reports it", async () => {
    const specPath = fileURLToPath(new URL('../e2e/fixtures/throws-far-out.ts', import.meta.url));
    const spec = (await import(specPath)).default as AnySpec;
    const lines = readFileSync(specPath, 'utf8').split('\n');
    const placeOf = (marker: string) => {
      const line = lines.findIndex((text) => text.includes(marker));
      return `test/e2e/fixtures/throws-far-out.ts:${line + 1}:${lines[line]!.indexOf("new Error('far out')") + 1}`;
    };
    const step = await checkModel(spec.build(resolveParameters(spec.parameters, { size: 3, where: 'step' })), { workers: 1 });
    expect(step.result.error!.message).toBe(`far out at ${placeOf("where === 'step'")} (in action increment counter 0, expanding a state at depth 5)`);
    const check = await checkModel(spec.build(resolveParameters(spec.parameters, { size: 3, where: 'check' })), { workers: 1 });
    expect(check.result.error!.message).toBe(`property 'Bounded' threw: far out at ${placeOf("where === 'check'")} (checking the state reached by increment counter 1 from depth 5)`);
  });
});
