import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

function synod(...args: string[]) {
  const run = spawnSync(process.execPath, ['src/cli/synod.mjs', ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('synod check (end to end)', () => {
  it('exits 0 with the verdict first when every property holds', () => {
    const run = synod('check', 'specs/paxos.ts', '--proposers', '1', '--rounds', '1', '--quiet');
    expect(run.status).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[1]).toBe('OK: all properties hold; witnessed ValueChosen');
    expect(run.stdout).toContain('183 distinct, 400 transitions, depth 13');
  });

  it('prints one JSON object with the documented fields', () => {
    const run = synod('check', 'specs/paxos.ts', '--proposers', '1', '--rounds', '1', '--json', '--quiet');
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({
      status: 'ok',
      spec: 'paxos',
      params: { acceptors: 3, proposers: 1, rounds: 1, learners: 1, network: 'bag', ignored: 'prune' },
      distinctStates: 183,
      transitions: 400,
      depth: 13,
    });
    for (const field of ['seconds', 'statesPerSecond', 'peakMemoryBytes', 'collisionProbability']) {
      expect(typeof result[field]).toBe('number');
    }
    expect(result.properties).toEqual([
      { name: 'Agreement', kind: 'always', holds: true, witnessed: true },
      { name: 'LearnerAgreement', kind: 'always', holds: true, witnessed: true },
      { name: 'Validity', kind: 'always', holds: true, witnessed: true },
      { name: 'ValueChosen', kind: 'sometimes', holds: true, witnessed: true },
    ]);
    expect(result.counterexample).toBeUndefined();
  });

  it('exits 1 with a counterexample (text and JSON) when a property fails', () => {
    const args = ['check', 'specs/bugs/any-promise-value.ts', '--proposers', '3', '--rounds', '1', '--learners', '0', '--quiet'];
    const text = synod(...args);
    expect(text.status).toBe(1);
    expect(text.stdout.split('\n')[1]).toBe('VIOLATION: Agreement (always) fails after 20 steps');
    expect(text.stdout).toMatch(/counterexample \(20 steps; replay token 0(\/\d+){20}\)/);
    expect(text.stdout).toMatch(/>> Agreement fails at step 20: v\d chosen at ballot \d by \{a\d,a\d\}; v\d chosen at ballot \d by \{a\d,a\d\}/);
    const json = JSON.parse(synod(...args, '--json').stdout);
    expect(json.status).toBe('violation');
    expect(json.counterexample.property).toBe('Agreement');
    expect(json.counterexample.length).toBe(20);
    expect(json.counterexample.steps).toHaveLength(21);
    expect(json.counterexample.steps[0].action).toBe('initial state');
    expect(json.counterexample.steps[1]).toMatchObject({ action: expect.stringMatching(/^p\d starts round 1 with ballot \d$/) });
    expect(json.counterexample.steps[1].state).toHaveProperty('a1.promised', 0);
  });

  it('exits 3 when a limit stops the run, and never reports ok', () => {
    const run = synod('check', 'specs/paxos.ts', '--max-states', '1000', '--json', '--quiet');
    expect(run.status).toBe(3);
    const result = JSON.parse(run.stdout);
    expect(result.status).toBe('incomplete');
    expect(result.incompleteReason).toBe('max-states');
    expect(result.distinctStates).toBe(1000);
  });

  const badInputs: [string, string[], RegExp][] = [
    ['a missing spec file', ['check', 'specs/nope.ts'], /spec file not found: specs\/nope\.ts/],
    ['a spec that throws while loading', ['check', 'test/e2e/fixtures/throws-on-load.ts'], /failed to load: this spec is broken on purpose/],
    ['a file that is not a spec', ['check', 'test/e2e/fixtures/not-a-spec.ts'], /is not a synod spec/],
    ['an unknown flag', ['check', 'specs/paxos.ts', '--acceptor', '3'], /unknown flag --acceptor/],
    ['0 acceptors', ['check', 'specs/paxos.ts', '--acceptors', '0'], /'acceptors' must be between 1 and 9, got 0/],
    ['40 proposers', ['check', 'specs/paxos.ts', '--proposers', '40'], /'proposers' must be between 1 and 5, got 40/],
    ['a parameter that is not a number', ['check', 'specs/paxos.ts', '--rounds', 'two'], /'rounds' must be a whole number, got 'two'/],
    ['an unknown network', ['check', 'specs/paxos.ts', '--network', 'fifo'], /'network' must be one of bag, dup, lossy/],
    ['a bad limit', ['check', 'specs/paxos.ts', '--max-states=-5'], /--max-states must be a positive whole number, got '-5'/],
    ['a flag without its value', ['check', 'specs/paxos.ts', '--max-seconds'], /--max-seconds needs a value/],
    ['an unknown command', ['frobnicate'], /unknown command 'frobnicate'/],
    ['a spec that throws while exploring', ['check', 'test/e2e/fixtures/throws-while-exploring.ts', '--quiet'], /counter overflow \(in action Increment from 3, expanding a state at depth 4\)/],
  ];
  for (const [what, args, message] of badInputs) {
    it(`exits 2 with one line on stderr for ${what}`, () => {
      const run = synod(...args);
      expect(run.status).toBe(2);
      const lines = run.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^synod: error \[[a-z-]+\]: /);
      expect(lines[0]).toMatch(message);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    });
  }

  it('shows progress on stderr during a long run and stops cleanly on Ctrl-C with the statistics so far', async () => {
    const child = spawn(process.execPath, ['src/cli/synod.mjs', 'check', 'specs/paxos.ts', '--rounds', '2', '--json'], { cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      // Interrupt once the first progress line shows the run is well under way.
      if (stderr.includes('progress:')) child.kill('SIGINT');
    });
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(status).toBe(3);
    expect(stderr).toMatch(/^progress: [\d,]+ states, [\d,]+ states\/s, depth \d+, frontier [\d,]+, \d+ s$/m);
    const result = JSON.parse(stdout);
    expect(result.status).toBe('incomplete');
    expect(result.incompleteReason).toBe('interrupted');
    expect(result.distinctStates).toBeGreaterThan(1000);
  });
});
