/** `synod check --audit` end to end: the audit line, the JSON figures, and one thread. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { placeOf } from '../places.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

function synod(...args: string[]) {
  const run = spawnSync(process.execPath, ['src/cli/synod.mjs', ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

// 183 states and 400 transitions: 400 + 1 initial - 183 new = 218 fingerprint hits.
const small = ['check', 'specs/paxos.ts', '--proposers', '1', '--rounds', '1', '--quiet', '--audit'];

describe('synod check --audit (end to end)', () => {
  it('prints the audit line in text: hits compared, 0 collisions', () => {
    const run = synod(...small);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('183 distinct, 400 transitions, depth 13');
    expect(run.stdout).toMatch(/^audit {8}218 fingerprint hits compared in full with the stored state: 0 collisions; [\d.]+ KiB of kept encodings$/m);
    expect(run.stderr).toBe('');
  });

  it('reports audit figures in JSON, on one worker even when --workers asks for more (and says so)', () => {
    const run = synod(...small, '--json', '--workers', '2');
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.audit).toEqual({ statesCompared: 218, collisions: 0, storedBytes: expect.any(Number) });
    expect(result.workers).toBe(1);
    expect(run.stderr.trim()).toBe('synod: --audit explores on one thread; --workers 2 is ignored');
  });

  it('reports a model that breaks its contract as the model error, exit 2, which a run without --audit does not see', () => {
    const spec = 'test/e2e/fixtures/fractional-encoding.ts';
    const plain = synod('check', spec, '--write', 'direct', '--quiet');
    expect(plain.status).toBe(0);
    // 0, 1, 2 and 3 are stored as 0, 0, 1 and 1: one state, its successor taken for itself.
    expect(plain.stdout).toContain('1 distinct, 1 transitions, depth 1');
    const breach =
      'encode wrote 0.5 as word 0 of a successor; words must be 32-bit integers (stored, it becomes 0, so states that differ there would be merged) (in action increment x, expanding a state at depth 1)';
    const run = synod('check', spec, '--write', 'direct', '--quiet', '--audit');
    expect(run.status).toBe(2);
    expect(run.stdout).toContain(`ERROR: the model breaks its contract (found by --audit): ${breach}\n`);
    expect(run.stderr).toBe(`synod: error [model-contract]: the spec breaks its contract: ${breach}\n`);
    const json = JSON.parse(synod('check', spec, '--write', 'direct', '--quiet', '--audit', '--json').stdout);
    expect(json.error).toEqual({ code: 'model-contract', message: breach, depth: 1, action: 'increment x', path: { initial: 0, actions: [] } });
  });

  it('refuses a word pushed that is not a 32-bit integer in every run, audited or not', () => {
    const error =
      `encode wrote 0.5 as word 0; words must be 32-bit integers (stored, it becomes 0, so states that differ there would be merged) at ${placeOf('test/e2e/fixtures/fractional-encoding.ts', 'out.push(state / 2)', 'push(state')} (in action increment x, expanding a state at depth 1)`;
    for (const flags of [[], ['--audit'], ['--workers', '2']]) {
      const run = synod('check', 'test/e2e/fixtures/fractional-encoding.ts', ...flags, '--quiet');
      expect(run.status).toBe(2);
      expect(run.stderr).toBe(`synod: error [model-threw]: the spec failed: ${error}\n`);
    }
  });

  it('finds a handler that is not a function of its arguments, with a second instance of the model, where a run without --audit says OK', () => {
    const spec = 'test/e2e/fixtures/random-handler.ts';
    const rule = 'the model is not a function of its arguments (its code uses randomness, the clock, or state kept between calls)';
    // A counter kept between calls: the second instance's first answer is the first's second.
    const counter = synod('check', spec, '--draw', 'counter', '--quiet', '--audit');
    expect(synod('check', spec, '--draw', 'counter', '--quiet').status).toBe(0);
    expect(counter.status).toBe(2);
    expect(counter.stderr).toBe(
      `synod: error [model-contract]: the spec breaks its contract: a second instance of the model, built from the same parameters, gives a state other successors than the first (under ponger1 receives Ping(1) from pinger1): ${rule} (in action pinger1 Ping, expanding a state at depth 1)\n`,
    );
    // Math.random: three draws of 1,000 each, all alike in both instances once in a billion runs.
    expect(synod('check', spec, '--quiet').status).toBe(0);
    const random = synod('check', spec, '--quiet', '--audit');
    expect(random.status).toBe(2);
    expect(random.stderr).toMatch(/^synod: error \[model-contract\]: the spec breaks its contract: a second instance of the model, built from the same parameters, gives a state other successors than the first \(under ponger1 receives Ping\([123]\) from pinger1\): /);
    expect(random.stderr).toContain(rule);
  });

  it('says when a symmetry goes unchecked, its representative not marked exact, and not when it is', () => {
    const run = synod('check', 'test/e2e/fixtures/inexact-symmetry.ts', '--symmetry', '--quiet', '--audit');
    expect(run.status).toBe(0);
    expect(run.stderr).toBe("synod: --audit checks a symmetry only when its representative is marked exact; inexact-symmetry's is not, so the reduction over counters goes unchecked\n");
    expect(synod('check', 'specs/paxos.ts', '--proposers', '1', '--symmetry', '--quiet', '--audit').stderr).toBe('');
  });

  it('leaves the audit out of runs without --audit', () => {
    const run = synod(...small.slice(0, -1), '--json');
    expect(JSON.parse(run.stdout).audit).toBeUndefined();
  });
});
