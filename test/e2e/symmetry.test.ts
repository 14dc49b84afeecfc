import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

function synod(...args: string[]) {
  const run = spawnSync(process.execPath, ['src/cli/synod.mjs', ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('synod check --symmetry (end to end)', () => {
  it('reports the reduction factor in text, with --symmetry as the last flag', () => {
    const run = synod('check', 'specs/paxos.ts', '--proposers', '2', '--rounds', '1', '--quiet', '--symmetry');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('5,897 distinct');
    expect(run.stdout).toMatch(/^symmetry {5}acceptors: 5,897 representatives of 33,489 states \(5\.7x fewer\); [\d.]+ s canonicalising$/m);
  });

  it('takes a list of sets and reports them in JSON', () => {
    const run = synod('check', 'specs/paxos.ts', '--symmetry', 'acceptors', '--proposers', '1', '--rounds', '1', '--json', '--quiet');
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.distinctStates).toBe(44);
    expect(result.symmetry).toMatchObject({ sets: ['acceptors'], unreducedStates: 183 });
    expect(result.symmetry.reductionFactor).toBeCloseTo(183 / 44, 6);
  });

  it("stops before its search at a symmetry the model does not have (a renaming left out), with one worker or two, where the search alone gives OK", () => {
    const fixture = 'test/e2e/fixtures/no-rename.ts';
    expect(synod('check', fixture, '--learners', '0', '--quiet').stdout).toContain('4,761 distinct');
    for (const workers of ['1', '2']) {
      const reduced = synod('check', fixture, '--learners', '0', '--symmetry', '--workers', workers, '--quiet');
      expect(reduced.status).toBe(2);
      expect(reduced.stdout.split('\n')[1]).toMatch(/^ERROR: the model breaks its contract: the symmetry over acceptors is not one of the model/);
      expect(reduced.stderr).toBe(
        'synod: error [model-contract]: the spec breaks its contract: the symmetry over acceptors is not one of the model: a state and its representative have different successors, up to renaming ' +
          '(a local state or message that names actors of a symmetric role needs renameLocal or renameMessage) (in action a1 receives Prepare(b=1) from p1, expanding a state at depth 2) ' +
          '(found by the audit of the first 500 states that a run under a symmetry makes before its search; --audit audits every state)\n',
      );
    }
  });

  it('stops at a property that tells the members of a set apart without declaring it, where it would report a longer counterexample', () => {
    const fixture = 'test/e2e/fixtures/undeclared-asymmetry.ts';
    const unreduced = synod('check', fixture, '--quiet');
    expect(unreduced.status).toBe(1);
    expect(unreduced.stdout).toContain('VIOLATION: FirstBelowSize (always) fails after 2 steps');
    const reduced = synod('check', fixture, '--symmetry', '--quiet');
    expect(reduced.status).toBe(2);
    expect(reduced.stderr).toBe(
      "synod: error [model-contract]: the spec breaks its contract: the property FirstBelowSize tells the counters apart: it fails on a state and holds on its representative; declare distinguishes: ['counters'] on it (--symmetry counters is then refused), or make it treat them alike (in action increment counter 0, expanding a state at depth 3)\n",
    );
  });

  it('refuses a set the spec does not declare, and a spec without symmetry, in one line', () => {
    const unknown = synod('check', 'specs/paxos.ts', '--symmetry', 'values');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr.trim()).toBe("synod: error [bad-flag-value]: paxos has no symmetric set 'values' (it declares: acceptors, learners)");
    const none = synod('check', 'specs/examples/ping.ts', '--symmetry');
    expect(none.status).toBe(2);
    expect(none.stderr.trim()).toBe('synod: error [bad-flag-value]: --symmetry: the spec ping declares no symmetric sets');
  });

  it('refuses a set named twice (it would multiply the unreduced count) and an empty list, in one line', () => {
    const twice = synod('check', 'specs/paxos.ts', '--symmetry', 'acceptors,acceptors');
    expect(twice.status).toBe(2);
    expect(twice.stdout).toBe('');
    expect(twice.stderr.trim()).toBe("synod: error [bad-flag-value]: symmetry names the set 'acceptors' twice");
    const sweep = synod('sweep', 'specs/paxos.ts', '--grid', 'acceptors=3', '--symmetry', 'acceptors,acceptors', '--quiet');
    expect(sweep.status).toBe(2);
    expect(sweep.stderr.trim()).toBe("synod: error [bad-flag-value]: symmetry names the set 'acceptors' twice");
    // An empty word after --symmetry is its value, not a file: as empty as --symmetry=.
    for (const empty of [['--symmetry='], ['--symmetry', ''], ['--symmetry', ' ']]) {
      const run = synod('check', 'specs/paxos.ts', ...empty);
      expect(run.status).toBe(2);
      expect(run.stderr.trim()).toBe(
        "synod: error [bad-flag-value]: --symmetry needs set names, got an empty value (the spec's sets are acceptors, learners; --symmetry alone reduces by all)",
      );
    }
  });

  it('finds the same counterexample length and prints a concrete trace that replays without symmetry', () => {
    const args = ['specs/bugs/any-promise-value.ts', '--proposers', '3', '--rounds', '1', '--learners', '0'];
    const run = synod('check', ...args, '--symmetry', '--json', '--quiet');
    expect(run.status).toBe(1);
    const result = JSON.parse(run.stdout);
    expect(result.counterexample.length).toBe(20);
    const replay = synod('replay', args[0]!, result.counterexample.replayToken, ...args.slice(1));
    expect(replay.status).toBe(1);
    expect(replay.stdout).toMatch(/Agreement fails at step 20/);
  });
});
