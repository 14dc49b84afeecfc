import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeOf } from '../places.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
// A spec that does not parse cannot be a fixture (it would fail the typecheck), so it is written
// here, inside the repository (in .gitignore) where .ts files load as ES modules, as a user's would.
const scratch = `test/e2e/.tmp-cli-${process.pid}`;
const unparsable = `${scratch}/unparsable.ts`;
// Specs with a badly declared parameter are refused on load, before any flag could select a flaw,
// so each is its own file: a counter whose parameters are `counter` plus the flawed one.
const badParameters: Record<string, string> = {
  'min-above-max': "rounds: { type: 'integer', min: 4, max: 2, default: 3, description: 'd' }",
  'default-outside': "rounds: { type: 'integer', min: 1, max: 5, default: 9, description: 'd' }",
  'fractional-default': "rounds: { type: 'integer', min: 1, max: 5, default: 2.5, description: 'd' }",
  'no-choices': "network: { type: 'choice', choices: [], default: 'bag', description: 'd' }",
  'default-not-a-choice': "network: { type: 'choice', choices: ['bag', 'dup'], default: 'fifo', description: 'd' }",
  'uppercase-name': "N: { type: 'integer', min: 1, max: 5, default: 3, description: 'd' }",
  'engine-flag': "maxStates: { type: 'integer', min: 1, max: 5, default: 3, description: 'd' }",
  'simulate-flag': "seed: { type: 'integer', min: 1, max: 5, default: 3, description: 'd' }",
  // Not a flaw synod refuses (TypeScript does): its --help line just has no description.
  'no-description': "rounds: { type: 'integer', min: 1, max: 5, default: 3 }",
};
const badParameter = (flaw: string) => `${scratch}/bad-parameter-${flaw}.ts`;
function counterSpec(name: string, parameters: string): string {
  return `export default {
  name: ${JSON.stringify(name)},
  description: 'a counter',
  parameters: { counter: { type: 'integer', min: 1, max: 9, default: 3, description: 'd' }, ${parameters} },
  build: () => ({
    name: 'counter',
    initialStates: () => [0],
    actions: (state, out) => { if (state < 3) out.push('Increment'); },
    nextState: (state) => state + 1,
    encode: (state, out) => out.push(state),
    decode: (input) => input.next(),
    properties: [{ name: 'Small', kind: 'always', holds: (state) => state < 10 }],
  }),
};
`;
}
const unnamed = `${scratch}/unnamed.ts`;
/** A spec in TypeScript under a JavaScript name: Node alone says only "Unexpected token ':'". */
const typedJavaScript = `${scratch}/typed.js`;
const moduleTypeScript = `${scratch}/counter.mts`;
const commonTypeScript = `${scratch}/counter.cts`;
const moduleJavaScript = `${scratch}/counter.mjs`;
const noExtension = `${scratch}/counter`;
/** A .cts spec that imports synod, which CommonJS cannot (synod is ES modules). */
const commonImportingSynod = `${scratch}/importing.cts`;
const commonUnparsable = `${scratch}/unparsable.cts`;
const moduleUnparsable = `${scratch}/unparsable.mts`;
const commonThrowing = `${scratch}/throwing.cts`;
/** The README's example spec copied out of specs/examples/, within the repository, its relative imports of synod's sources left as they were. */
const copiedExample = `${scratch}/ping-copy.ts`;
/** A spec whose own helper module is missing. */
const missingHelper = `${scratch}/needs-helper.ts`;
/** Specs whose top level throws, or whose default export is not a spec, in each way a user's can. */
const misbehavingModules: Record<string, string> = {
  'throws-null-prototype': 'throw Object.create(null);\n',
  'throws-empty-error': "throw new Error('');\n",
  'throws-two-lines': "throw new Error('top boom\\nsecond line');\n",
  'no-default-export': 'export const spec = 1;\n',
  'default-export-number': 'export default 3;\n',
  'build-not-a-function': "export default { name: 'x', parameters: {}, build: 3 };\n",
  'parameters-getter-throws': "export default { name: 'x', build: () => null, get parameters() { throw new Error('getter boom'); } };\n",
  'refuse-not-a-function': "export default { name: 'x', parameters: {}, build: () => null, refuse: 'never' };\n",
  'refuse-throws': "export default { name: 'x', parameters: {}, build: () => null, refuse: () => { throw new Error('refuse boom'); } };\n",
  'refuse-returns-true': "export default { name: 'x', parameters: {}, build: () => null, refuse: () => true };\n",
  'refuse-is-async': "export default { name: 'x', parameters: {}, build: () => null, refuse: async () => undefined };\n",
  'refuse-rejects': "export default { name: 'x', parameters: {}, build: () => null, refuse: async () => { throw new Error('later'); } };\n",
  'refuses-its-defaults': "export default { name: 'x', parameters: { n: { type: 'integer', min: 1, max: 3, default: 2, description: '' } }, build: () => null, refuse: ({ n }) => (n === 2 ? 'n = 2 is\\nnot taken' : undefined) };\n",
};
const misbehavingModule = (name: string) => `${scratch}/${name}.ts`;
beforeAll(() => {
  mkdirSync(`${root}${scratch}`, { recursive: true });
  writeFileSync(`${root}${unparsable}`, 'export default {{{ ;\n');
  for (const [flaw, declaration] of Object.entries(badParameters)) writeFileSync(`${root}${badParameter(flaw)}`, counterSpec('bad-parameter', declaration));
  writeFileSync(`${root}${unnamed}`, counterSpec('', ''));
  writeFileSync(`${root}${typedJavaScript}`, counterSpec('typed', '').replace('(state) => state + 1', '(state: number) => state + 1'));
  for (const path of [moduleTypeScript, commonTypeScript, moduleJavaScript]) writeFileSync(`${root}${path}`, counterSpec('counter', ''));
  writeFileSync(`${root}${noExtension}`, counterSpec('counter', ''));
  for (const path of [commonUnparsable, moduleUnparsable]) writeFileSync(`${root}${path}`, 'export default {{{ ;\n');
  writeFileSync(`${root}${commonThrowing}`, "throw new Error('no spec here');\n");
  writeFileSync(`${root}${copiedExample}`, readFileSync(`${root}specs/examples/ping.ts`, 'utf8'));
  writeFileSync(`${root}${missingHelper}`, "import { spec } from './helper.ts';\nexport default spec;\n");
  for (const [name, source] of Object.entries(misbehavingModules)) writeFileSync(`${root}${misbehavingModule(name)}`, source);
  writeFileSync(`${root}${commonImportingSynod}`, `import { defineSpec } from '${root}/src/model.ts';\n${counterSpec('counter', '').replace('export default {', 'export default defineSpec({').replace(/};\n$/, '});\n')}`);
});
afterAll(() => rmSync(`${root}${scratch}`, { recursive: true, force: true }));

function synod(...args: string[]) {
  const run = spawnSync(process.execPath, ['src/cli/synod.mjs', ...args], { cwd: root, encoding: 'utf8', timeout: 120_000, killSignal: 'SIGKILL' });
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
    // The explanation the text trace shows after its last step.
    expect(text.stdout).toContain(`>> Agreement fails at step 20: ${json.counterexample.explanation}\n`);
    expect(json.counterexample.explanation).toMatch(/^v\d chosen at ballot \d by \{a\d,a\d\}; v\d chosen at ballot \d by \{a\d,a\d\}$/);
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

  it('reads every argument after -- as a positional: the spec file, even one whose name starts with a dash', () => {
    for (const command of ['check', 'simulate']) {
      const run = synod(command, '--pings', '1', '--quiet', '--', 'specs/examples/ping.ts');
      expect(run.stderr).toBe('');
      expect(run.stdout).toMatch(new RegExp(`^synod ${command} specs/examples/ping\\.ts \\(pings=1 network=bag\\)`));
    }
    const replay = synod('replay', '--network', 'dup', '--', 'specs/examples/ping.ts', '0/0/0/1/1');
    expect(replay.status).toBe(1);
    expect(synod('check', '--', '-ping.ts').stderr).toMatch(/^synod: error \[spec-not-found\]: spec file not found: -ping\.ts /);
  });

  const badInputs: [string, string[], RegExp][] = [
    ['a missing spec file', ['check', 'specs/nope.ts'], /spec file not found: specs\/nope\.ts/],
    ['a spec that throws while loading', ['check', 'test/e2e/fixtures/throws-on-load.ts'], /failed to load: this spec is broken on purpose/],
    [
      'a spec that throws an error that looks like a syntax error',
      ['check', 'test/e2e/fixtures/throws-like-esbuild.ts'],
      /failed to load: this spec needs SYNOD_CONFIG \[and 1 more line\] at test\/e2e\/fixtures\/throws-like-esbuild\.ts:\d+:\d+$/,
    ],
    ['a file that is not a spec', ['check', 'test/e2e/fixtures/not-a-spec.ts'], /is not a synod spec/],
    ['a device, not a regular file', ['check', '/dev/null'], /\[spec-not-found\]: \/dev\/null is not a regular file \(hint: /],
    ['a spec that throws an object with no prototype as it loads', ['check', misbehavingModule('throws-null-prototype')], /\[spec-load-failed\]: the spec \S+throws-null-prototype\.ts failed to load: \[Object: null prototype\] \{\}$/],
    ['a spec that throws an empty error as it loads', ['check', misbehavingModule('throws-empty-error')], /\[spec-load-failed\]: the spec \S+throws-empty-error\.ts failed to load: Error with no message at \S+throws-empty-error\.ts:\d+:\d+$/],
    ['a spec that throws two lines as it loads', ['check', misbehavingModule('throws-two-lines')], /\[spec-load-failed\]: the spec \S+throws-two-lines\.ts failed to load: top boom \[and 1 more line\] at \S+throws-two-lines\.ts:\d+:\d+$/],
    ['a module with no default export', ['check', misbehavingModule('no-default-export')], /\[not-a-spec\]: \S+no-default-export\.ts is not a synod spec: it has no default export \(its default export must be defineSpec/],
    ['a default export that is a number', ['check', misbehavingModule('default-export-number')], /is not a synod spec: its default export is a number, not an object \(/],
    ['a default export whose build is no function', ['check', misbehavingModule('build-not-a-function')], /is not a synod spec: its build is not a function \(/],
    ['a default export whose refuse is no function', ['check', misbehavingModule('refuse-not-a-function')], /\[not-a-spec\]: \S+ is not a synod spec: its refuse is not a function \(/],
    ['a spec whose refuse throws on its defaults', ['check', misbehavingModule('refuse-throws')], /\[spec-build-failed\]: the refuse of the spec x failed on its defaults: it threw: refuse boom at \S+refuse-throws\.ts:\d+:\d+$/],
    ['a spec whose refuse throws on values given', ['check', 'test/e2e/fixtures/refuses-under-lossy.ts', '--network', 'dup'], /\[spec-build-failed\]: the refuse of the spec refuses-under-lossy failed: it threw: refuse cannot judge dup at test\/e2e\/fixtures\/refuses-under-lossy\.ts:\d+:\d+$/],
    ['a spec whose refuse is async', ['check', misbehavingModule('refuse-is-async')], /\[spec-build-failed\]: the refuse of the spec x failed on its defaults: it returned a promise \(is it async\?\): it must give its answer at once, a reason \(a string\) or undefined$/],
    // Its rejection, later, must not end the process as an unhandled one (exit 1, a stack).
    ['a spec whose async refuse rejects', ['check', misbehavingModule('refuse-rejects')], /^synod: error \[spec-build-failed\]: the refuse of the spec x failed on its defaults: it returned a promise \(is it async\?\)/],
    ['a spec whose refuse returns neither a reason nor undefined', ['check', misbehavingModule('refuse-returns-true')], /\[spec-build-failed\]: the refuse of the spec x failed on its defaults: it returned true, where it must return a reason \(a string\) or undefined$/],
    // Its reason's two lines on one line, as synod says what a spec threw.
    ['a spec whose defaults its refuse turns down', ['sweep', misbehavingModule('refuses-its-defaults'), '--grid', 'n=1..3'], /\[bad-parameter\]: the spec x refuses its own defaults: n = 2 is \[and 1 more line\] \(hint: see "Writing a spec" in the README\)$/],
    ['a combination of parameters the spec refuses, in simulate', ['simulate', 'specs/flexible-paxos.ts', '--q2', '4'], /\[bad-parameter\]: the spec flexible-paxos refuses these parameters: q2 = 4 is larger than the 3 acceptors$/],
    ['a combination of parameters the spec refuses', ['check', 'specs/flexible-paxos.ts', '--acceptors', '4', '--q1', '5'], /\[bad-parameter\]: the spec flexible-paxos refuses these parameters: q1 = 5 is larger than the 4 acceptors$/],
    ['a default export whose parameters getter throws', ['check', misbehavingModule('parameters-getter-throws')], /\[not-a-spec\]: \S+ is not a synod spec: reading it threw: getter boom at \S+parameters-getter-throws\.ts:\d+:\d+ \(/],
    ['an unknown flag', ['check', 'specs/paxos.ts', '--bogus', '3'], /unknown flag --bogus \(hint: this spec's parameters are --acceptors, --proposers, --rounds, --learners, --network, --crashes, --ignored; synod --help lists synod's own flags\)$/],
    ['a mistyped flag, with the one it likely meant', ['check', 'specs/paxos.ts', '--acceptor', '3'], /unknown flag --acceptor \(hint: did you mean --acceptors\? this spec's parameters are /],
    ['a mistyped engine flag, letters swapped', ['check', 'specs/paxos.ts', '--max-secnods', '3'], /unknown flag --max-secnods \(hint: did you mean --max-seconds\? /],
    ['a flag with one dash', ['check', 'specs/paxos.ts', '-acceptors', '4'], /unknown flag -acceptors \(flags take two dashes: --acceptors\)$/],
    ['a memory limit below what the process alone takes', ['check', 'specs/paxos.ts', '--max-memory', '300'], /--max-memory must be at least 128M \(the process alone takes about 90M\), got '300'$/],
    ['a memory limit too large for a number to hold', ['check', 'specs/paxos.ts', '--max-memory', `${'9'.repeat(400)}G`], /--max-memory must be a size such as 512M or 4G, got a number too large to hold$/],
    ['a limit in hexadecimal', ['check', 'specs/paxos.ts', '--max-states', '0x10'], /--max-states must be a positive whole number, got '0x10'$/],
    ['a limit in binary', ['check', 'specs/paxos.ts', '--max-seconds', '0b11'], /--max-seconds must be a positive number, got '0b11'$/],
    // 2^53 + 1, which a double reads as 2^53: the count shown would not be the count given.
    ['a number of walks past 2^53', ['simulate', 'specs/paxos.ts', '--runs', '9007199254740993'], /--runs must be a positive whole number up to 9007199254740991, got '9007199254740993'$/],
    ['a state limit past 2^53', ['check', 'specs/paxos.ts', '--max-states', '1e300'], /--max-states must be a positive whole number up to 9007199254740991, got '1e300'$/],
    // A sweep's point would give up at once: Node fires a timer past 2^31 - 1 ms immediately.
    ['a time limit past what a timer holds', ['sweep', 'specs/paxos.ts', '--grid', 'acceptors=3', '--max-seconds', '3e6', '--out', `${scratch}/sweep-long`], /--max-seconds must be a positive number up to 2000000, got '3e6'$/],
    ['0 acceptors', ['check', 'specs/paxos.ts', '--acceptors', '0'], /'acceptors' must be between 1 and 9, got 0/],
    ['40 proposers', ['check', 'specs/paxos.ts', '--proposers', '40'], /'proposers' must be between 1 and 5, got 40/],
    ['a parameter that is not a number', ['check', 'specs/paxos.ts', '--rounds', 'two'], /'rounds' must be a whole number, got 'two'/],
    ['an unknown network', ['check', 'specs/paxos.ts', '--network', 'fifo'], /'network' must be one of bag, dup, lossy/],
    ['a bad limit', ['check', 'specs/paxos.ts', '--max-states=-5'], /--max-states must be a positive whole number, got '-5'/],
    ['a flag without its value', ['check', 'specs/paxos.ts', '--max-seconds'], /--max-seconds needs a value/],
    ['a flag followed by another flag instead of its value', ['check', 'specs/paxos.ts', '--max-seconds', '--quiet'], /--max-seconds needs a value/],
    ['a negative limit as its own argument', ['check', 'specs/paxos.ts', '--max-seconds', '-1'], /--max-seconds must be a positive number, got '-1'$/],
    ['a negative depth as its own argument', ['check', 'specs/paxos.ts', '--max-depth', '-3'], /--max-depth must be a positive whole number, got '-3'$/],
    ['a negative parameter as its own argument', ['check', 'specs/paxos.ts', '--acceptors', '-3'], /'acceptors' must be between 1 and 9, got -3/],
    ['a flag given twice', ['check', 'specs/paxos.ts', '--acceptors', '3', '--acceptors', '4'], /\[usage\]: --acceptors given twice/],
    ['a boolean flag given twice', ['check', 'specs/paxos.ts', '--quiet', '--json', '--quiet'], /\[usage\]: --quiet given twice/],
    ['a directory instead of a spec file', ['check', 'specs'], /\[spec-not-found\]: specs is a directory, not a spec file/],
    [
      'a spec with a syntax error, naming its line and the cause',
      ['check', unparsable],
      /\[spec-load-failed\]: the spec (\S+unparsable\.ts) failed to load: \1:1:17: Expected identifier but found "\{"$/,
    ],
    ['an unknown command', ['frobnicate'], /unknown command 'frobnicate'/],
    [
      'a flag after --, where it is read as a file',
      ['check', '--', 'specs/examples/ping.ts', '--pings', '1'],
      /\[usage\]: unexpected argument '--pings' \(hint: every argument after -- is read as a file, not a flag: put flags before --\)$/,
    ],
    ['an argument with a line break in it', ['check', 'specs/paxos.ts', 'x\ny'], /\[usage\]: unexpected argument 'x\\ny'$/],
    ['a lone dash after the spec, with no -- given', ['check', 'specs/paxos.ts', '-'], /\[usage\]: unexpected argument '-'$/],
    ['a spec path with a line break in it', ['check', 'specs/pa\nxos.ts'], /\[spec-not-found\]: spec file not found: specs\/pa\\nxos\.ts /],
    ['-- before the command', ['--', 'check', 'specs/examples/ping.ts'], /\[usage\]: -- comes before the command: the command goes first \(hint: synod check -- SPEC\)$/],
    ['no command at all', [], /\[usage\]: no command given \(hint: synod --help lists them: check, replay, sweep, matrix, simulate\)$/],
    ['an unknown flag before the command', ['--bogus'], /\[usage\]: --bogus comes before the command: flags go after it /],
    ['a flag before the command, not taken for it', ['--json', 'check', 'specs/paxos.ts'], /\[usage\]: --json comes before the command: flags go after it /],
    [
      'a property of unknown kind',
      ['check', 'test/e2e/fixtures/bad-properties.ts', '--property', 'Consistency,AllCommitted'],
      /\[bad-property\]: the spec bad-properties declares a bad property: property 'AllCommitted' has kind 'somtimes'; expected always, sometimes or terminal$/,
    ],
    ...['check', 'simulate', 'sweep'].map((command): [string, string[], RegExp] => [
      `an empty property name (${command})`,
      [command, 'specs/paxos.ts', '--property', 'Agreement,', ...(command === 'sweep' ? ['--grid', 'proposers=1', '--out', `${scratch}/empty-property`] : [])],
      /\[bad-flag-value\]: --property 'Agreement,' has an empty name \(hint: name the properties with commas between them, e\.g\. --property Agreement,Validity, or --property all\)$/,
    ]),
    ['a property without a kind', ['check', 'test/e2e/fixtures/bad-properties.ts', '--flaw', 'no-kind'], /\[bad-property\]: .*property 'AllCommitted' has no kind; expected always, sometimes or terminal$/],
    ['a property without holds', ['check', 'test/e2e/fixtures/bad-properties.ts', '--flaw', 'no-holds'], /\[bad-property\]: .*property 'AllCommitted' has no holds function$/],
    ['a property without a name', ['check', 'test/e2e/fixtures/bad-properties.ts', '--flaw', 'no-name'], /\[bad-property\]: .*property 2 needs a non-empty string name$/],
    ['a bad property, simulated', ['simulate', 'test/e2e/fixtures/bad-properties.ts', '--quiet'], /\[bad-property\]: .*'AllCommitted' has kind 'somtimes'/],
    ['a bad property, swept', ['sweep', 'test/e2e/fixtures/bad-properties.ts', '--quiet', '--out', `${scratch}/sweep`], /\[bad-property\]: .*'AllCommitted' has kind 'somtimes'/],
    ['a bad property, in a matrix', ['matrix', 'test/e2e/fixtures/bad-properties.ts', '--quiet', '--out', `${scratch}/matrix`], /\[bad-property\]: .*'AllCommitted' has kind 'somtimes'/],
    ['a bad property, replayed', ['replay', 'test/e2e/fixtures/bad-properties.ts', '0/0'], /\[bad-property\]: .*'AllCommitted' has kind 'somtimes'/],
    ['a spec that throws while exploring', ['check', 'test/e2e/fixtures/throws-while-exploring.ts', '--quiet'], /counter overflow at test\/e2e\/fixtures\/throws-while-exploring\.ts:\d+:\d+ \(in action Increment from 3, expanding a state at depth 4\)/],
    // Nothing to check: every explorer says so, where each would have passed every property on no state.
    ...[['check', '--workers', '1'], ['check', '--workers', '2'], ['simulate', '--runs', '3']].map(([command, ...flags]): [string, string[], RegExp] => [
      `a spec with no initial states (${command} ${flags.join(' ')})`,
      [command!, 'test/e2e/fixtures/no-initial-states.ts', ...flags, '--quiet'],
      /\[model-contract\]: the spec breaks its contract: the model has no initial states \(initialStates returned none\): there is nothing to check \(while building the initial states\)$/,
    ]),
    ['a spec with no initial states, replayed', ['replay', 'test/e2e/fixtures/no-initial-states.ts', '0/0'], /\[model-contract\]: the spec breaks its contract: the model has no initial states \(initialStates returned none\): there is nothing to check$/],
    ['--property all where replay has nothing to judge', ['replay', 'test/e2e/fixtures/only-sometimes.ts', '0/0', '--property', 'all'], /\[bad-flag-value\]: --property all names no property: the spec declares none that this command judges$/],
    ['a spec whose initialStates throws, simulated', ['simulate', 'test/e2e/fixtures/no-initial-states.ts', '--initial', 'throws', '--quiet'], /\[model-threw\]: the spec failed: no start at test\/e2e\/fixtures\/no-initial-states\.ts:\d+:\d+ \(while building the initial states\)$/],
    [
      'a nondeterministic spec whose counterexample replays into a state that passes',
      ['check', 'test/e2e/fixtures/nondeterministic.ts'],
      /\[model-contract\]: .*BelowFive violation found: replay reached a state at step 3 where BelowFive holds: the model is nondeterministic /,
    ],
    [
      'a nondeterministic spec whose witness replays into a state that is no witness',
      ['check', 'test/e2e/fixtures/nondeterministic.ts', '--property', 'ReachesFive'],
      /\[model-contract\]: .*a witness found: replay reached a state at step 3 where ReachesFive does not hold: the model is nondeterministic /,
    ],
    [
      'a model whose actions returns them instead of pushing them',
      ['check', 'test/e2e/fixtures/returns-actions.ts'],
      /\[spec-build-failed\]: the spec returns-actions built no model: its actions returned the actions instead of pushing them into its second argument \(out\)$/,
    ],
    ['a spec with an empty name', ['check', unnamed], /\[not-a-spec\]: \S+unnamed\.ts is not a synod spec/],
    [
      'a spec file named .js',
      ['check', typedJavaScript],
      /\[not-a-spec\]: \S+typed\.js: a spec file's name must end in \.ts, \.mts or \.cts \(TypeScript\), or \.mjs, not \.js \(hint: rename it to \.ts; a spec in plain JavaScript is TypeScript too\)$/,
    ],
    ['a spec file with no extension', ['check', noExtension], /\[not-a-spec\]: \S+counter: a spec file's name must end in \.ts, \.mts or \.cts \(TypeScript\), or \.mjs \(hint/],
    ['an integer parameter with min above max', ['check', badParameter('min-above-max')], /\[bad-parameter\]: the spec bad-parameter declares a bad parameter 'rounds': min 4 is greater than max 2 \(hint/],
    ['an integer default outside its range', ['check', badParameter('default-outside')], /\[bad-parameter\]: .*'rounds': the default 9 is outside 1\.\.5 /],
    ['an integer default that is not whole', ['check', badParameter('fractional-default')], /\[bad-parameter\]: .*'rounds': the default must be a whole number, got 2\.5 /],
    ['a choice parameter without choices', ['check', badParameter('no-choices')], /\[bad-parameter\]: .*'network': it has no choices /],
    ['a choice default that is not a choice', ['check', badParameter('default-not-a-choice')], /\[bad-parameter\]: .*'network': the default "fifo" is not one of its choices \(bag, dup\)/],
    ['a parameter name with an uppercase first letter', ['check', badParameter('uppercase-name')], /\[bad-parameter\]: .*'N': a name must be camelCase, starting with a lowercase letter/],
    ['a parameter whose flag is an engine flag', ['check', badParameter('engine-flag'), '--max-states', '2'], /\[bad-parameter\]: .*'maxStates': its flag --max-states is one of synod's own/],
    ['a parameter whose flag is a simulate flag, even checked', ['check', badParameter('simulate-flag')], /\[bad-parameter\]: .*'seed': its flag --seed is one of synod's own/],
    ['a bad parameter, simulated', ['simulate', badParameter('default-outside'), '--quiet'], /\[bad-parameter\]: .*'rounds': the default 9/],
    ['a matrix preset named twice', ['matrix', 'specs/paxos.ts', '--presets', 'bag,bag', '--out', `${scratch}/matrix-twice`], /\[bad-flag-value\]: --presets names bag twice$/],
    ['a check-workers count that is not whole', ['sweep', 'specs/paxos.ts', '--grid', 'acceptors=3', '--check-workers', '1.5', '--out', `${scratch}/sweep-cw`], /\[bad-flag-value\]: --check-workers must be a whole number from 1 to 64, got '1\.5'$/],
    ['a flag of another command', ['simulate', 'specs/paxos.ts', '--workers', '2'], /\[unknown-flag\]: --workers is not a flag of this command \(hint: synod --help says which commands take it\)$/],
    ["check's depth limit, simulated", ['simulate', 'specs/paxos.ts', '--max-depth', '5'], /\[unknown-flag\]: --max-depth is not a flag of this command \(hint: did you mean --depth\? synod --help says which commands take it\)$/],
    ...(['trace-out', 'emit-test', 'mermaid'] as const).map((flag): [string, string[], RegExp] => [
      `--${flag} given to simulate, which writes no trace`,
      ['simulate', 'specs/paxos.ts', `--${flag}`, ...(flag === 'mermaid' ? [] : ['out.json'])],
      new RegExp(`\\[unknown-flag\\]: --${flag} is not a flag of synod simulate \\(hint: give the replay token it prints for a run \\(seedS-runR:\\.\\.\\.\\) to synod replay SPEC TOKEN --${flag}${flag === 'mermaid' ? '' : ' FILE'}\\)$`),
    ]),
    ["simulate's walk depth, checked", ['check', 'specs/paxos.ts', '--depth', '5'], /\[unknown-flag\]: --depth is not a flag of this command \(hint: did you mean --max-depth\? synod --help says which commands take it\)$/],
    ['a value for a flag that takes none', ['check', 'specs/paxos.ts', '--json=false'], /\[bad-flag-value\]: --json takes no value \(hint: write --json alone\)$/],
    ['a value for -h, with no spec file', ['check', '-h=1'], /\[bad-flag-value\]: -h takes no value \(hint: write -h alone\)$/],
    ['a value for -h, with a spec file', ['check', 'specs/paxos.ts', '-h1'], /\[bad-flag-value\]: -h takes no value \(hint: write -h alone\)$/],
    ['a value for --help', ['sweep', 'specs/paxos.ts', '--help=yes'], /\[bad-flag-value\]: --help takes no value \(hint: write --help alone\)$/],
    ['a value for -v', ['-v=1'], /\[bad-flag-value\]: -v takes no value \(hint: write -v alone\)$/],
    ['-H, which is not -h', ['check', 'specs/paxos.ts', '-H1'], /\[unknown-flag\]: unknown flag -H \(hint: this spec's parameters are --acceptors/],
    ['--symmetry both with set names in a sweep', ['sweep', 'specs/paxos.ts', '--grid', 'acceptors=3', '--symmetry', 'acceptors,both', '--out', `${scratch}/sweep-both`], /\[bad-flag-value\]: --symmetry both stands alone, and only in synod sweep /],
    ['--symmetry both outside a sweep', ['check', 'specs/paxos.ts', '--symmetry', 'both'], /\[bad-flag-value\]: --symmetry both stands alone, and only in synod sweep \(each point with and without reduction\); to reduce by sets, name them \(acceptors, learners\), or give --symmetry alone for all of them$/],
    // Node's recursive mkdir never returned there as root.
    ['an --out directory that cannot be created', ['sweep', 'specs/examples/ping.ts', '--grid', 'pings=1', '--quiet', '--out', '/proc/synod-test/sweep'], /\[cannot-write\]: cannot create the directory \/proc\/synod-test\/sweep: /],
    ['a sweep with no grid', ['sweep', 'specs/paxos.ts', '--quiet', '--out', `${scratch}/sweep-no-grid`], /\[usage\]: synod sweep needs --grid with at least one parameter /],
    ['a sweep with an empty grid', ['sweep', 'specs/paxos.ts', '--grid', '', '--quiet', '--out', `${scratch}/sweep-empty-grid`], /\[usage\]: synod sweep needs --grid with at least one parameter /],
    ['a bad parameter, swept', ['sweep', badParameter('default-outside'), '--quiet', '--out', `${scratch}/sweep-bad-parameter`], /\[bad-parameter\]: .*'rounds': the default 9/],
    ['a bad parameter, in a matrix', ['matrix', badParameter('default-outside'), '--quiet', '--out', `${scratch}/matrix-bad-parameter`], /\[bad-parameter\]: .*'rounds': the default 9/],
    ['a matrix grid over a parameter its presets set', ['matrix', 'specs/paxos.ts', '--grid', 'network=dup,crashes=2', '--presets', 'bag,crash', '--out', `${scratch}/matrix-grid`], /\[bad-flag-value\]: --grid: network is set by the presets \(bag, crash\), which are the matrix's columns/],
    ['a bad parameter, replayed', ['replay', badParameter('default-outside'), '0/0'], /\[bad-parameter\]: .*'rounds': the default 9/],
    ['a bad parameter, asked for help', ['check', badParameter('default-outside'), '--help'], /\[bad-parameter\]: .*'rounds': the default 9/],
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

  it('loads a spec file named .mts, .cts or .mjs, as a .ts one', () => {
    for (const path of [moduleTypeScript, commonTypeScript, moduleJavaScript]) {
      const run = synod('check', path, '--quiet');
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
    }
  });

  it('says why a .cts spec that imports synod does not load, and only then', () => {
    const run = synod('check', commonImportingSynod, '--quiet');
    expect(run.stderr).toMatch(
      /^synod: error \[spec-load-failed\]: the spec \S+importing\.cts failed to load: a \.cts spec is CommonJS, which cannot import ES modules such as synod's \(Node: .+\) \(hint: name it \.ts or \.mts\)\n$/,
    );
    expect(run.status).toBe(2);
    // Other failures of a .cts or .mts spec: no such hint, and a syntax error names the file itself.
    for (const path of [commonUnparsable, moduleUnparsable]) {
      expect(synod('check', path).stderr).toBe(`synod: error [spec-load-failed]: the spec ${path} failed to load: ${path}:1:17: Expected identifier but found "{"\n`);
    }
    expect(synod('check', commonThrowing).stderr).toBe(`synod: error [spec-load-failed]: the spec ${commonThrowing} failed to load: no spec here at ${commonThrowing}:1:7\n`);
  });

  it("says how a spec copied out of synod's repository imports synod, and only there and for synod's own sources", () => {
    const outside = mkdtempSync(join(tmpdir(), 'synod-copied-'));
    try {
      const example = readFileSync(`${root}specs/examples/ping.ts`, 'utf8');
      writeFileSync(join(outside, 'ping.ts'), example);
      writeFileSync(join(outside, 'ping.cts'), example);
      const run = synod('check', join(outside, 'ping.ts'), '--quiet');
      expect(run.stderr).toMatch(
        /^synod: error \[spec-load-failed\]: the spec \S+ping\.ts failed to load: Cannot find module '\S*\/src\/model\.ts' imported from \S+ping\.ts \(hint: a spec outside synod's repository imports from 'synod' once synod is installed in its project, not by a relative path to synod's sources: see "Your own spec, in your own directory" in the README\)\n$/,
      );
      expect(run.status).toBe(2);
      // A .cts spec cannot import synod even as 'synod': the hint says so.
      const common = synod('check', join(outside, 'ping.cts'), '--quiet');
      expect(common.stderr).toMatch(/\(hint: a spec outside synod's repository imports from 'synod' once synod is installed in its project, and is named \.ts or \.mts \(a \.cts spec is CommonJS, which cannot import ES modules such as synod's\): see "Your own spec, in your own directory" in the README\)\n$/);
      expect(common.status).toBe(2);
      // Imported as 'synod' where it is not installed: install it there.
      writeFileSync(join(outside, 'ping.ts'), example.replace(/from '[./]+\/src\/[a-z/-]+\.ts'/g, "from 'synod'"));
      const bare = synod('check', join(outside, 'ping.ts'), '--quiet');
      expect(bare.stderr).toMatch(
        /^synod: error \[spec-load-failed\]: the spec \S+ping\.ts failed to load: Cannot find package 'synod' imported from \S+ping\.ts \(hint: install synod into the spec's project \(npm install \/path\/to\/synod\): see "Your own spec, in your own directory" in the README\)\n$/,
      );
      expect(bare.status).toBe(2);
      writeFileSync(join(outside, 'ping.cts'), example.replace(/from '[./]+\/src\/[a-z/-]+\.ts'/g, "from 'synod'"));
      expect(synod('check', join(outside, 'ping.cts'), '--quiet').stderr).toMatch(
        /\(hint: install synod into the spec's project \(npm install \/path\/to\/synod\), and name the spec \.ts or \.mts \(a \.cts spec is CommonJS, which cannot import ES modules such as synod's\): see "Your own spec, in your own directory" in the README\)\n$/,
      );
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
    // Within the repository, a wrong relative path is only that.
    const inside = synod('check', copiedExample, '--quiet');
    expect(inside.stderr).toMatch(/^synod: error \[spec-load-failed\]: the spec \S+ping-copy\.ts failed to load: Cannot find module '\S+\/src\/model\.ts' imported from \S+ping-copy\.ts\n$/);
    expect(inside.status).toBe(2);
    const other = synod('check', missingHelper, '--quiet');
    expect(other.stderr).toMatch(/^synod: error \[spec-load-failed\]: the spec \S+needs-helper\.ts failed to load: Cannot find module '\S+helper\.ts' imported from \S+needs-helper\.ts\n$/);
    expect(other.status).toBe(2);
  });

  it('takes a model whose actions returns a value but pushes, or pushes nothing where it offers none', () => {
    const run = synod('check', 'test/e2e/fixtures/guarded-actions.ts', '--quiet');
    expect(run.status).toBe(1);
    expect(run.stdout.split('\n')[1]).toBe('VIOLATION: NotTwo (always) fails after 2 steps');
  });

  // One interrupt can arrive twice (`timeout -s INT` signals the process and its group): still one.
  for (const signals of [['SIGINT'], ['SIGINT', 'SIGINT'], ['SIGTERM']] as NodeJS.Signals[][]) {
    it(`shows progress on stderr during a long run and stops cleanly on ${signals.join(' + ')} with the statistics so far`, async () => {
      const child = spawn(process.execPath, ['src/cli/synod.mjs', 'check', 'specs/paxos.ts', '--rounds', '2', '--json'], { cwd: root });
      let stdout = '';
      let stderr = '';
      let sent = false;
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
        // Interrupt once the first progress line shows the run is well under way.
        if (stderr.includes('progress:') && !sent) {
          sent = true;
          // 5 ms apart: two signals sent at once may be merged into one, and one sent once the
          // run has returned may meet Node closing its handles as the process ends, where SIGINT
          // has its default action (20 ms apart, on a busy machine, 3 runs in 50 died so).
          signals.forEach((signal, index) => setTimeout(() => child.kill(signal), index * 5));
        }
      });
      const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(status, stderr).toBe(3);
      expect(stderr).toMatch(/^progress: [\d,]+ states, [\d,]+ states\/s, depth \d+, frontier [\d,]+, \d+ s$/m);
      const result = JSON.parse(stdout);
      expect(result.status).toBe('incomplete');
      expect(result.incompleteReason).toBe('interrupted');
      expect(result.distinctStates).toBeGreaterThan(1000);
    });
  }
});

describe('a spec that misbehaves, and outputs that fail', () => {
  const spec = 'test/e2e/fixtures/misbehaving-spec.ts';

  it('reports a spec that calls process.exit as an error where it called it, never as its status', () => {
    const text = synod('check', spec, '--fault', 'exit-in-step', '--quiet');
    expect(text.status).toBe(2);
    expect(text.stdout.split('\n')[1]).toBe(
      `ERROR: the model threw: the spec called process.exit(0), which synod does not let it do at ${placeOf(spec, 'process.exit(0)', 'exit(0)')} (in action "Increment", expanding a state at depth 3)`,
    );
    const json = synod('check', spec, '--fault', 'exit-in-step', '--json', '--quiet');
    expect(json.status).toBe(2);
    expect(JSON.parse(json.stdout).status).toBe('error');
  });

  it('keeps stdout for its result: what the spec prints goes to stderr, and --json stays JSON', () => {
    const run = synod('check', spec, '--fault', 'print', '--json', '--quiet');
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout).counterexample.explanation).toBe('count is 3');
    expect(run.stderr.split('\n').slice(0, 2)).toEqual(['the spec prints while it builds its model', 'step from 0']);
  });

  it('prints the counterexample when describeState, formatAction or explain throws or gives what JSON cannot hold', () => {
    const lines = (fault: string) => synod('check', spec, '--fault', fault, '--quiet').stdout.split('\n');
    const throwing = lines('describe-throws');
    expect(throwing[1]).toBe('VIOLATION: BelowThree (always) fails after 3 steps');
    expect(throwing).toContain('       describeState threw: no description of 0');
    const unformatted = lines('format-throws');
    expect(unformatted[1]).toBe('VIOLATION: BelowThree (always) fails after 3 steps');
    expect(unformatted).toContain('  2. "Increment" (formatAction threw: no text for Increment)');
    expect(lines('explain-throws')).toContain('  >> BelowThree fails at step 3: (its explain threw: explain has a bug)');
    expect(lines('describe-cyclic')).toContain('       self: [circular]');
    expect(lines('describe-bigint')).toContain('       count: 2 -> 3');
    for (const fault of ['describe-throws', 'format-throws', 'describe-cyclic', 'describe-bigint', 'explain-throws']) {
      const run = synod('check', spec, '--fault', fault, '--json', '--quiet');
      expect(run.status).toBe(1);
      expect(JSON.parse(run.stdout).counterexample.length).toBe(3);
    }
  });

  it('keeps the verdict of a simulation and a replay when formatAction throws, as check does', () => {
    const simulated = synod('simulate', spec, '--fault', 'format-throws', '--runs', '1', '--seed', '1', '--quiet');
    expect(simulated.status).toBe(1);
    expect(simulated.stdout).toContain('  2. "Increment" (formatAction threw: no text for Increment)');
    const replayed = synod('replay', spec, '0/0/0/0', '--fault', 'format-throws');
    expect(replayed.status).toBe(1);
    expect(replayed.stdout).toContain('  2. "Increment" (formatAction threw: no text for Increment)');
  });

  it('draws the diagram of check (text and JSON) and replay when describeStep throws, with what it threw in the step', () => {
    const note = '  Note over counter: 2. "Increment" (describeStep threw: no step for Increment [and 1 more line])<br/>count: 1 -> 2';
    const text = synod('check', spec, '--fault', 'step-throws', '--quiet', '--mermaid');
    expect(text.status).toBe(1);
    expect(text.stdout.split('\n')[1]).toBe('VIOLATION: BelowThree (always) fails after 3 steps');
    expect(text.stdout.split('\n')).toContain(note);
    expect(text.stderr).toBe('');
    const json = synod('check', spec, '--fault', 'step-throws', '--quiet', '--mermaid', '--json');
    expect(json.status).toBe(1);
    const { status, counterexample } = JSON.parse(json.stdout);
    expect(status).toBe('violation');
    expect(counterexample.mermaid.split('\n')).toContain(note);
    const replayed = synod('replay', spec, '0/0/0/0', '--fault', 'step-throws', '--mermaid');
    expect(replayed.status).toBe(1);
    expect(replayed.stdout.split('\n')).toContain(note);
  });

  it("keeps the verdict, diagram and files of an actor spec whose formatMessage or timer's describe throws", () => {
    const actors = 'test/e2e/fixtures/misbehaving-actors.ts';
    const notes: Record<string, string> = {
      'format-message-throws': '  Note over pinger1,ponger1: 3. 0 (formatAction threw: no text for Pong) (describeStep threw: no text for Pong)<br/>',
      'timer-describe-throws': '  Note over pinger1,ponger1: 1. 2 (formatAction threw: no text for the Ping timer) (describeStep threw: no text for the Ping timer)<br/>',
    };
    for (const [fault, note] of Object.entries(notes)) {
      const itf = `${scratch}/actors-${fault}.itf.json`;
      const test = `${scratch}/actors-${fault}.test.ts`;
      const check = synod('check', actors, '--fault', fault, '--quiet', '--mermaid', '--trace-out', itf, '--emit-test', test);
      expect(check.status).toBe(1);
      expect(check.stdout.split('\n')[1]).toBe('VIOLATION: NoAnswer (always) fails after 3 steps');
      expect(check.stdout).toContain(note);
      expect(check.stderr.trim().split('\n')).toEqual([
        `synod: wrote the counterexample (ITF, 4 states) to ${itf}`,
        `synod: wrote a vitest test that replays the counterexample to ${test} (run it: npx vitest run ${test})`,
      ]);
      const json = synod('check', actors, '--fault', fault, '--quiet', '--mermaid', '--json');
      expect(json.status).toBe(1);
      expect(JSON.parse(json.stdout).counterexample.mermaid).toContain(note);
      const replayed = synod('replay', actors, itf, '--fault', fault, '--mermaid');
      expect(replayed.status).toBe(1);
      expect(replayed.stdout).toContain(note);
      const simulated = synod('simulate', actors, '--fault', fault, '--runs', '1', '--seed', '1', '--quiet');
      expect(simulated.status).toBe(1);
      expect(simulated.stdout.split('\n')[1]).toBe('VIOLATION: NoAnswer (always) fails after 3 steps');
    }
  });

  it("shows the rest of each state when an actor spec's formatMessage or describeLocal throws for some values", () => {
    const actors = 'test/e2e/fixtures/misbehaving-actors.ts';
    const trace = (fault: string) => {
      const run = synod('check', actors, '--fault', fault, '--quiet');
      expect(run.status).toBe(1);
      const lines = run.stdout.split('\n');
      return lines.slice(lines.indexOf('  2. ponger1 receives Ping from pinger1'), lines.indexOf('  >> NoAnswer fails at step 3'));
    };
    expect(trace('format-message-throws')).toEqual([
      '  2. ponger1 receives Ping from pinger1',
      '       network + ponger1->pinger1: (formatMessage threw: no text for Pong)',
      '       network - pinger1->ponger1: Ping',
      '  3. 0 (formatAction threw: no text for Pong)',
      '       pinger1.answers: 0 -> 1',
      '       network - ponger1->pinger1: (formatMessage threw: no text for Pong)',
    ]);
    expect(trace('describe-local-throws')).toEqual([
      '  2. ponger1 receives Ping from pinger1',
      '       network + ponger1->pinger1: Pong',
      '       network - pinger1->ponger1: Ping',
      '  3. pinger1 receives Pong from ponger1',
      '       pinger1: undefined -> (describeLocal threw: no text for an answered pinger)',
      '       network - ponger1->pinger1: Pong',
      '       pinger1.answers: 0 -> (gone)',
    ]);
  });

  it('notes a search that never met a state twice, as an encoding of sets in no one order makes it, and not a real protocol\'s', () => {
    const note = 'note         no state was reached twice: if the states hold sets or multisets (messages, votes), does encode write them in one order (sorted)?';
    const run = synod('check', 'test/e2e/fixtures/unsorted-set.ts', '--quiet');
    expect(run.stdout).toContain('109,601 distinct, 109,600 transitions, depth 9');
    expect(run.stdout.split('\n')).toContain(note);
    expect(synod('check', 'specs/paxos.ts', '--quiet').stdout).not.toContain('note ');
    // A deep chain meets no state twice either, honestly: one state a level is not the tree an encoding makes.
    const chain = synod('check', 'test/e2e/fixtures/only-sometimes.ts', '--length', '20000', '--quiet');
    expect(chain.stdout).toContain('20,001 distinct, 20,000 transitions');
    expect(chain.stdout).not.toContain('note ');
  });

  it('says the printed result stands when a counterexample file fails only as it is written (a full disk)', () => {
    const run = synod('check', spec, '--quiet', '--trace-out', '/dev/full');
    expect(run.stdout.split('\n')[1]).toBe('VIOLATION: BelowThree (always) fails after 3 steps');
    expect(run.stderr.trimEnd().split('\n').at(-1)).toBe(
      'synod: error [cannot-write]: cannot write /dev/full: ENOSPC: no space left on device (the result printed above stands: violation)',
    );
    expect(run.status).toBe(2);
    // A replay prints its verdict first too.
    const replay = synod('replay', spec, run.stdout.match(/replay token ([\d/]+)/)![1]!, '--trace-out', '/dev/full');
    expect(replay.stdout.split('\n')[1]).toBe('VIOLATION: BelowThree (always) fails at step 3, the end of the trace: the violation reproduces');
    expect(replay.stderr.trimEnd().split('\n').at(-1)).toBe(
      'synod: error [cannot-write]: cannot write /dev/full: ENOSPC: no space left on device (the result printed above stands: violation)',
    );
    expect(replay.status).toBe(2);
  });

  it('replays a trace along which a property throws or answers neither true nor false as an error naming the step, as check does', () => {
    const throws = synod('replay', spec, '0/0/0', '--fault', 'holds-throws');
    expect(throws.stderr).toBe(`synod: error [model-threw]: property 'BelowThree' threw: holds has a bug at ${placeOf(spec, "new Error('holds has a bug')")} (at step 2 of the trace)\n`);
    expect(throws.status).toBe(2);
    const yes = synod('replay', spec, '0/0/0', '--fault', 'holds-says-yes');
    expect(yes.stderr).toBe("synod: error [model-threw]: property 'BelowThree' returned 'yes', not true or false (at step 2 of the trace)\n");
    expect(yes.status).toBe(2);
    expect(synod('check', spec, '--fault', 'holds-says-yes', '--quiet').status).toBe(2);
  });

  it('says what is wrong with an async build and with an empty spec path, in one line, exit 2', () => {
    const asyncBuild = synod('check', 'test/e2e/fixtures/async-build.ts');
    expect(asyncBuild.stderr).toBe(
      'synod: error [spec-build-failed]: the spec async-build built no model: build returned a promise (an async build?): it must return the model itself\n',
    );
    expect(asyncBuild.status).toBe(2);
    const empty = synod('check', '');
    expect(empty.stderr).toBe("synod: error [spec-not-found]: the spec file's path is empty (hint: pass the path of a .ts spec, e.g. specs/paxos.ts)\n");
    expect(empty.status).toBe(2);
  });

  it('names the optional properties a run left out when it checked none, and the property that threw in check and simulate alike', () => {
    const spec = 'test/e2e/fixtures/only-optional.ts';
    const plain = synod('check', spec, '--quiet');
    expect(plain.status).toBe(0);
    expect(plain.stdout.split('\n')[1]).toBe("OK: every state explored; no property checked: the spec's properties are optional (BelowTwo, ThrowsAtTwo), checked only when --property names them");
    const walked = synod('simulate', spec, '--runs', '3', '--seed', '1', '--quiet');
    expect(walked.stdout.split('\n')[1]).toBe(
      "INCOMPLETE: stopped before a verdict: random simulation found no violation, and it cannot show that none exists (no property checked: the spec's properties are optional (BelowTwo, ThrowsAtTwo), checked only when --property names them)",
    );
    expect(synod('check', spec, '--property', 'BelowTwo', '--quiet').stdout.split('\n')[1]).toBe('VIOLATION: BelowTwo (always) fails after 2 steps');
    const checked = synod('check', spec, '--property', 'ThrowsAtTwo', '--quiet');
    const thrownAt = placeOf(spec, "new Error('no verdict at 2')");
    expect(checked.stderr).toMatch(new RegExp(`^synod: error \\[model-threw\\]: the spec failed: property 'ThrowsAtTwo' threw: no verdict at 2 at ${thrownAt} \\(`));
    const simulated = synod('simulate', spec, '--property', 'ThrowsAtTwo', '--runs', '1', '--seed', '1', '--quiet');
    expect(simulated.status).toBe(2);
    expect(simulated.stderr).toBe(`synod: error [model-threw]: the spec failed: property 'ThrowsAtTwo' threw: no verdict at 2 at ${thrownAt} (in run 0 after 2 steps)\n`);
  });

  it('says in one line, exit 2, that a spec file\'s top-level await never settles (Node alone exits 13, silent)', () => {
    const run = synod('check', 'test/e2e/fixtures/awaits-forever.ts');
    expect(run.stderr).toBe('synod: error [spec-load-failed]: the spec test/e2e/fixtures/awaits-forever.ts never finished loading: its top-level code awaits something that never settles\n');
    expect(run.status).toBe(2);
  });

  it('ends with one line and status 2 when stdout cannot be written (a full disk), and goes on without stderr', () => {
    const full = openSync('/dev/full', 'w');
    try {
      const noStdout = spawnSync(process.execPath, ['src/cli/synod.mjs', 'check', 'specs/paxos.ts', '--proposers', '1'], { cwd: root, encoding: 'utf8', stdio: ['ignore', full, 'pipe'], timeout: 60_000 });
      expect(noStdout.stderr).toBe('synod: error [cannot-write]: cannot write the result to stdout: ENOSPC: no space left on device, write\n');
      expect(noStdout.status).toBe(2);
      const noStderr = spawnSync(process.execPath, ['src/cli/synod.mjs', 'check', 'specs/paxos.ts', '--acceptors', '0'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', full], timeout: 60_000 });
      expect(noStderr.status).toBe(2);
      const verdict = spawnSync(process.execPath, ['src/cli/synod.mjs', 'check', 'specs/paxos.ts', '--proposers', '1', '--json'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', full], timeout: 60_000 });
      expect(verdict.status).toBe(0);
      expect(JSON.parse(verdict.stdout).status).toBe('ok');
    } finally {
      closeSync(full);
    }
  });
});

/**
 * A run of the fixture whose step from 3 loops forever: the event loop, and with it the handlers
 * of process.on('SIGINT') and the check of --max-seconds, never runs again (on the main thread:
 * the run ends before threads would pay). `interrupts` Ctrl-Cs are sent from 2 s on, a second
 * one a second after the first; `seconds` counts from the first, or from the start without them.
 */
async function stuckRun(
  command: string,
  options: {
    readonly flags?: readonly string[];
    readonly interrupts?: number;
    readonly stderrTo?: 'pipe' | number;
    readonly parameters?: readonly string[];
    readonly spec?: string;
  } = {},
): Promise<{ signal: NodeJS.Signals | null; stderr: string; seconds: number }> {
  const started = performance.now();
  const parameters = options.parameters ?? (options.spec ? [] : ['--loops-at', '3']);
  const spec = options.spec ?? 'test/e2e/fixtures/loops-forever-at.ts';
  const child = spawn(process.execPath, ['src/cli/synod.mjs', command, spec, ...parameters, ...(options.flags ?? [])], {
    cwd: root,
    stdio: ['ignore', 'pipe', options.stderrTo ?? 'pipe'],
  });
  // Without the relay the run would never end.
  const backstop = setTimeout(() => child.kill('SIGKILL'), 15_000);
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  const interrupts = options.interrupts ?? 0;
  const sent = new Promise<number>((resolve) => {
    if (interrupts === 0) return resolve(started);
    setTimeout(() => {
      child.kill('SIGINT');
      if (interrupts > 1) setTimeout(() => child.kill('SIGINT'), 1000);
      resolve(performance.now());
    }, 2000);
  });
  const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, how) => resolve(how)));
  clearTimeout(backstop);
  return { signal, stderr, seconds: (performance.now() - (await sent)) / 1000 };
}

describe('Ctrl-C while the spec\'s code never returns', () => {
  it('stops the process 5 s after Ctrl-C, saying why, when the main thread does not take the interrupt', async () => {
    const run = await stuckRun('check', { interrupts: 1 });
    expect(run.stderr).toBe(
      "synod: interrupted, but the spec's code has not returned for 5 s (a loop at its top level, in an action, a handler, a property, its build or its refuse?): stopped, with no statistics\n",
    );
    expect(run.signal).toBe('SIGKILL');
    expect(run.seconds).toBeGreaterThan(4.5);
    expect(run.seconds).toBeLessThan(8);
  });

  it('stops it at once at a second Ctrl-C', async () => {
    const run = await stuckRun('check', { interrupts: 2 });
    expect(run.stderr).toBe("synod: interrupted again while the spec's code was still running: stopped, with no statistics\n");
    expect(run.signal).toBe('SIGKILL');
    expect(run.seconds).toBeLessThan(3);
  });
});

describe('--max-seconds while the spec\'s code never returns', () => {
  // The limit is checked between steps, on the thread the spec's code holds: the relay thread
  // ends the run 5 s past it.
  const limited = ['--max-seconds', '1', '--quiet'];

  it.each(['check', 'simulate'])('synod %s ends the process 5 s past the limit, saying why', async (command) => {
    const run = await stuckRun(command, { flags: limited });
    expect(run.stderr).toBe(
      "synod: the run reached --max-seconds 1, but the spec's code has not returned for 5 s since (a loop at its top level, in an action, a handler, a property, its build or its refuse?): stopped, with no statistics\n",
    );
    expect(run.signal).toBe('SIGKILL');
    expect(run.seconds).toBeGreaterThan(5.5);
    expect(run.seconds).toBeLessThan(14);
  });

  // Building the model, and a sweep's or matrix's putting its points to the spec's refuse, run on the main thread too.
  it.each([
    ['check', ['--loops-at', '3', '--loops-in', 'refuse']],
    ['sweep', ['--loops-at', '3', '--loops-in', 'refuse', '--grid', 'network=bag|dup', '--out', `${scratch}/stuck-sweep`]],
    ['matrix', ['--grid', 'loops-at=3,loops-in=refuse', '--presets', 'bag', '--out', `${scratch}/stuck-matrix`]],
  ])('synod %s ends the process 5 s past the limit when the spec\'s refuse never returns', async (command, parameters) => {
    const run = await stuckRun(command, { flags: limited, parameters });
    expect(run.stderr).toBe(
      "synod: the run reached --max-seconds 1, but the spec's code has not returned for 5 s since (a loop at its top level, in an action, a handler, a property, its build or its refuse?): stopped, with no statistics\n",
    );
    expect(run.signal).toBe('SIGKILL');
    expect(run.seconds).toBeGreaterThan(5.5);
    expect(run.seconds).toBeLessThan(14);
  });

  // Loading the spec file runs its top-level code on the main thread, before the flags are parsed.
  it.each([
    ['check', '', []],
    ['check', ' --help', ['--help']],
    ['matrix', '', ['--presets', 'bag', '--out', `${scratch}/stuck-load-matrix`]],
  ])("synod %s%s ends the process 5 s past the limit when the spec file's top level never returns", async (command, _asked, parameters) => {
    const run = await stuckRun(command, { flags: limited, parameters, spec: 'test/e2e/fixtures/loops-on-load.ts' });
    expect(run.stderr).toBe(
      "synod: the run reached --max-seconds 1, but the spec's code has not returned for 5 s since (a loop at its top level, in an action, a handler, a property, its build or its refuse?): stopped, with no statistics\n",
    );
    expect(run.signal).toBe('SIGKILL');
    expect(run.seconds).toBeGreaterThan(5.5);
    expect(run.seconds).toBeLessThan(14);
  });

  it('ends it too when stderr cannot be written', async () => {
    const full = openSync('/dev/full', 'w');
    try {
      const run = await stuckRun('check', { flags: limited, stderrTo: full });
      // Not the backstop's SIGKILL at 15 s: the relay's failed write did not stop it.
      expect(run.signal).toBe('SIGKILL');
      expect(run.seconds).toBeLessThan(14);
    } finally {
      closeSync(full);
    }
  });

  it('gives a long run a twentieth of its limit more: its own steps between checks of the limit can take seconds', async () => {
    const { graceAfterLimitMs } = await import('../../src/cli/interrupt.mjs');
    expect(graceAfterLimitMs(1)).toBe(5050);
    expect(graceAfterLimitMs(1500)).toBe(80_000);
  });

  it('a run that has returned is not ended when its deadline passes', () => {
    // What the commands do once the run returns: the status is printed and the process may still
    // have work (a long trace to render) past the deadline. The main thread is held for 6 s, a
    // second past the deadline, without taking a core: blocked in Atomics.wait, as in a busy loop,
    // it runs no event loop, and only the relay thread could end the process.
    const script = [
      "const { endStuckRunAfter } = await import('./src/cli/interrupt.mjs');",
      'const disarm = endStuckRunAfter(0);',
      'disarm();',
      'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 6000);',
      "process.stdout.write('finished');",
    ].join('\n');
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', timeout: 20_000, killSignal: 'SIGKILL' });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('finished');
    expect(run.status).toBe(0);
  });
});

describe('interrupts once the command has its status', () => {
  it('a second interrupt, handled late, exits with the status the command already has, not 130', () => {
    // What run.ts does once the command returns: the status is set, the process has yet to exit.
    const script = [
      "await import('./src/cli/interrupt.mjs');",
      "process.kill(process.pid, 'SIGINT');",
      'setTimeout(() => { process.exitCode = 3; process.kill(process.pid, "SIGINT"); }, 600);',
      'setTimeout(() => {}, 5000);',
    ].join('\n');
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', timeout: 20_000, killSignal: 'SIGKILL' });
    expect(run.status).toBe(3);
    const early = spawnSync(process.execPath, ['--input-type=module', '-e', script.replace('process.exitCode = 3; ', '')], { cwd: root, encoding: 'utf8', timeout: 20_000, killSignal: 'SIGKILL' });
    expect(early.status).toBe(130);
  });
});

describe('synod check --max-memory with two workers', () => {
  it('stops before a growth of the shared visited set would take it past the limit', () => {
    // Classic Paxos 3/2/2 grows its table by hundreds of megabytes at a time: checked only
    // between units, a 500 MiB limit was passed by 11% (554.5 MiB) before the growth was checked.
    const run = synod('check', 'specs/paxos.ts', '--rounds', '2', '--learners', '0', '--max-memory', '500M', '--workers', '2', '--json', '--quiet');
    expect(run.status).toBe(3);
    const result = JSON.parse(run.stdout);
    expect(result.incompleteReason).toBe('max-memory');
    expect(result.peakMemoryBytes).toBeLessThanOrEqual(500 * 2 ** 20);
  });
});

describe('synod writing to a closed pipe', () => {
  it('ends quietly with its status when the reader has gone (as `synod check ... | head -1`)', async () => {
    const child = spawn(process.execPath, ['src/cli/synod.mjs', 'check', 'specs/paxos.ts', '--proposers', '1', '--json'], { cwd: root });
    // The reader goes before synod writes its result.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(status).toBe(0);
  });

  it('goes on to its result and status when the reader of stderr has gone (as `synod check ... 2>&1 | head -1`)', async () => {
    const child = spawn(process.execPath, ['src/cli/synod.mjs', 'check', 'specs/paxos.ts', '--rounds', '2', '--max-seconds', '2.5', '--json'], { cwd: root });
    // Progress lines then meet a closed pipe: the run must not end there (it ended with status 0).
    child.stderr.destroy();
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(status).toBe(3);
    expect(JSON.parse(stdout)).toMatchObject({ status: 'incomplete', incompleteReason: 'max-seconds' });
  });
});

describe('synod --help', () => {
  let help: ReturnType<typeof synod>;
  beforeAll(() => {
    help = synod('--help');
  });

  it('is also synod help, and synod --version prints the version from package.json', () => {
    const byCommand = synod('help');
    expect(byCommand.status).toBe(0);
    expect(byCommand.stdout).toBe(help.stdout);
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    for (const flag of ['--version', '-v']) {
      const run = synod(flag);
      expect(run.status).toBe(0);
      expect(run.stdout.trim()).toBe(`synod ${version}`);
      // After a command, with or without a spec, as --help is taken.
      for (const args of [['sweep', flag], ['check', 'specs/paxos.ts', flag]]) {
        expect(synod(...args)).toMatchObject({ status: 0, stdout: `synod ${version}\n` });
      }
    }
  });

  it('describes every flag its usage lines show', () => {
    expect(help.status).toBe(0);
    const usage = help.stdout.slice(help.stdout.indexOf('usage:'), help.stdout.indexOf('\ncheck options'));
    const flags = new Set(usage.match(/--[a-z-]+/g));
    expect([...flags]).toEqual(expect.arrayContaining(['--runs', '--depth', '--seed']));
    for (const flag of flags) expect(help.stdout).toMatch(new RegExp(`^ {2}${flag} [A-Z]* +\\S`, 'm'));
    const text = help.stdout.replace(/\s+/g, ' ');
    expect(text).toContain('--runs N walks to take (default 1,000)');
    expect(text).toContain('--depth D the most steps in one walk (default 100)');
    expect(text).toContain('--seed S 0 to 4294967295; the same seed gives the same walks (default: a random seed, printed)');
  });

  it("lists a spec's parameters in aligned columns, as wide as the longest range", () => {
    const spec = synod('check', 'specs/bugs/shared-ballots.ts', '--help');
    const rows = spec.stdout.split('\n').filter((line) => line.startsWith('  --')).slice(0, 8);
    expect(rows).toHaveLength(8);
    expect(rows[0]).toMatch(/^ {2}--acceptors {4}1\.\.9 {29}number of acceptors \(default 3\)$/);
    expect(rows[7]).toMatch(/^ {2}--change {7}both\|same-ballots\|promise-equal {2}which change to apply \(default both\)$/);
    // Every description starts in the same column.
    expect(new Set(rows.map((line) => line.indexOf(line.trim().split(/ {2,}/)[2]!))).size).toBe(1);
  });

  it("lists a spec's properties, with their kinds, and its symmetric sets: what --property and --symmetry may name", () => {
    const spec = synod('check', 'specs/paxos.ts', '--help');
    expect(spec.status).toBe(0);
    const lines = spec.stdout.split('\n');
    expect(lines).toContain(
      'properties (at the defaults): Agreement (always), LearnerAgreement (always), Validity (always), ValueChosen (sometimes), decides (terminal, optional), duel (sometimes, optional)',
    );
    expect(lines).toContain('symmetric sets (at the defaults): acceptors, learners');
    expect(synod('check', 'specs/examples/ping.ts', '--help').stdout.split('\n')).toContain('symmetric sets (at the defaults): none');
    // Defaults that do not build together: the parameters still, without the two lines.
    const unbuildable = synod('check', 'test/e2e/fixtures/returns-actions.ts', '--help');
    expect(unbuildable.status).toBe(0);
    expect(unbuildable.stdout).toMatch(/^returns-actions: a counter whose actions returns them\n\nparameters:\n\nsynod: a model checker/);
    const undescribed = synod('check', badParameter('no-description'), '--help');
    expect(undescribed.stdout).toMatch(/^ {2}--rounds +1\.\.5 +\(default 3\)$/m);
    // A spec that refuses its own defaults: the parameters that would fix it, still.
    const refusing = synod('check', misbehavingModule('refuses-its-defaults'), '--help');
    expect(refusing.status).toBe(0);
    expect(refusing.stdout).toMatch(/^x: undefined\n\nparameters:\n {2}--n +1\.\.3 +\(default 2\)\n\nsynod: a model checker/);
  });

  it('gives every exit status, 3 for a limit or Ctrl-C, 137 for spec code that never returned and the experiments\' included', () => {
    const exit = help.stdout.slice(help.stdout.indexOf('Exit status:')).replace(/\s+/g, ' ').trim();
    expect(exit).toBe(
      'Exit status: 0 every property holds and every sometimes property was witnessed, ' +
        '1 a property is violated, or a sometimes property was never witnessed, ' +
        '2 bad usage or a spec that fails (replay: a trace that does not fit the spec), ' +
        '3 stopped by a limit or by Ctrl-C before a verdict, ' +
        "137 stopped by Ctrl-C or --max-seconds while the spec's code never returned (no statistics). " +
        'sweep and matrix: 0 once every point has a result (a verdict, or incomplete at a limit: the results are the data), 2 when the spec fails at a point (even if also stopped by Ctrl-C), 3 stopped by Ctrl-C.',
    );
  });
});
