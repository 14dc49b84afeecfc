/**
 * The `synod` command: parse, dispatch, print, exit. Every user error becomes one line on stderr
 * and exit status 2; nothing else here knows about models.
 */
import { textOfThrown } from '../thrown.ts';
import { UsageError, formatUsageError } from '../report/errors.ts';
import { EXIT_USAGE } from '../report/run-report.ts';
import { END_OF_OPTIONS, maxSecondsBeforeParsing, normaliseOptionalValues, optionArguments, positionals, refuseValuedHelpAndVersion } from './arguments.ts';
import { armStuckRunDeadline, checkCommand, type CommandIO } from './check-command.ts';
import { replayCommand } from './replay-command.ts';
import { synodVersion } from '../experiments/environment.ts';

const COMMANDS = ['check', 'replay', 'sweep', 'matrix', 'simulate'];

export const USAGE = `synod: a model checker for Paxos and its variants

usage:
  synod check <spec.ts> [parameter flags] [options]   explore every reachable state
  synod replay <spec.ts> <trace.itf.json | token> [parameter flags] [replay options]
                                                      re-run a counterexample, say if it reproduces
  synod sweep <spec.ts> --grid 'acceptors=3..5,proposers=1..2' [parameter flags] [experiment options]
                                                      check every point of a grid; write a table
  synod matrix [spec.ts ...] [--presets bag,dup,lossy,crash] [--per-property] [experiment options]
                                                      every spec (default: the bundled ones) under
                                                      every network and fault preset, one table
  synod simulate <spec.ts> [--runs N] [--depth D] [--seed S] [parameter flags] [simulate options]
                                                      seeded random walks, for models too large to
                                                      exhaust (exit 3 when no walk finds a violation)

check options (the other commands' lists below say which of these they take too):
  --max-states N     stop (incomplete, exit 3) after N distinct states
  --max-seconds S    stop (incomplete, exit 3) after S seconds
  --max-memory SIZE  stop (incomplete, exit 3) once the process uses SIZE (e.g. 4G)
  --max-depth N      do not expand states at depth N or deeper (incomplete only if that cut off
                     a state not found otherwise)
  --symmetry [SETS]  keep one state per renaming of interchangeable members (e.g. acceptors);
                     SETS is a comma-separated list, all the spec's sets when left out
  --property NAMES   check exactly these properties (comma-separated), optional ones included;
                     all: every property the spec declares
  --workers N        threads that explore in parallel, 1 to 64 (default: the number of cores)
  --audit            keep every state and compare states in full on every fingerprint hit,
                     counting fingerprint collisions, and check that the model keeps its
                     contract (slow, memory-hungry; one thread)
  --json             print one JSON object on stdout instead of text
  --quiet            no progress lines on stderr
  -h, --help         this text (also: synod help)
  -v, --version      synod's version
  --                 ends the options: every argument after it is a file (the spec, replay's trace)

experiment options (sweep and matrix; --max-states, --max-seconds, --max-memory, --property and
--quiet as above; in matrix --property all is every property of each spec):
  --grid G           NAME=A..B, NAME=X|Y|Z or NAME=V, comma-separated; the cartesian product
                     (a point whose values the spec refuses together is n/a, not checked)
  --symmetry [SETS|both]  (sweep) reduce every point, or check each point with and without
  --workers N        checks at once, each in its own thread, 1 to 64 (default: the number of cores)
  --check-workers N  explorer threads per check, 1 to 64 (default 1)
  --out DIR          where results.md/.csv/.json (sweep) or matrix.md/.csv/.json go (default results)
  --plot             (sweep) also write an SVG chart of distinct states per numeric parameter
  --presets LIST     (matrix) bag, dup, lossy, crash (one acceptor crash); default all four
  --per-property     (matrix) a verdict for each property, not only the first to fail
  --json             print the whole record (JSON) on stdout instead of the table

simulate options (--max-states, --max-seconds, --max-memory, --property, --json and --quiet as above):
  --runs N           walks to take (default 1,000)
  --depth D          the most steps in one walk (default 100)
  --seed S           0 to 4294967295; the same seed gives the same walks (default: a random seed,
                     printed)

replay options (--quiet as above, and the trace options below):
  --property NAMES   judge exactly these properties along the trace, always and terminal ones
                     (default, and all: every always and terminal property, optional ones included)
  --json             print one JSON object on stdout instead of text: the verdict, the notes,
                     what differs from the trace file, and the trace as check's counterexample

trace options (check and replay; they act only when there is a counterexample, but for
replay's --mermaid, which draws the replayed trace whatever its verdict):
  --mermaid          print the counterexample as a Mermaid sequence diagram too
  --trace-out FILE   write it in the Informal Trace Format (ITF JSON, the trace format of Quint and Apalache)
  --emit-test FILE   write a vitest test that replays it and asserts the violated property

The spec's parameters are flags too: synod check specs/paxos.ts --help lists them.
A flag's value may follow it after = (--acceptors=5) or as the next argument (--acceptors 5).
synod replay takes the parameters from the ITF file's #meta; flags override them.
Exit status: 0 every property holds and every sometimes property was witnessed,
1 a property is violated, or a sometimes property was never witnessed,
2 bad usage or a spec that fails (replay: a trace that does not fit the spec),
3 stopped by a limit or by Ctrl-C before a verdict,
137 stopped by Ctrl-C or --max-seconds while the spec's code never returned (no statistics).
sweep and matrix: 0 once every point has a result (a verdict, or incomplete at a limit: the
results are the data), 2 when the spec fails at a point (even if also stopped by Ctrl-C),
3 stopped by Ctrl-C.`;

export async function main(rawArgv: readonly string[], io: CommandIO): Promise<number> {
  try {
    const argv = normaliseOptionalValues(rawArgv);
    refuseValuedHelpAndVersion(argv);
    const first = argv[0];
    if (first === 'help') {
      io.stdout(USAGE);
      return 0;
    }
    if (first === '--version' || first === '-v') {
      io.stdout(`synod ${synodVersion()}`);
      return 0;
    }
    const [command, specPath] = positionals(argv);
    const options = optionArguments(argv);
    if (options.includes('--help') || options.includes('-h')) {
      if (command !== undefined && specPath !== undefined) {
        // Loading and building the spec at its defaults runs its code: under --max-seconds, as a check's.
        const disarm = armStuckRunDeadline(io, maxSecondsBeforeParsing(argv));
        try {
          io.stdout(await specHelp(specPath));
        } finally {
          disarm();
        }
      } else io.stdout(USAGE);
      return 0;
    }
    // After a command too (synod sweep --version), as --help is taken there.
    if (first !== undefined && !first.startsWith('-') && (options.includes('--version') || options.includes('-v'))) {
      io.stdout(`synod ${synodVersion()}`);
      return 0;
    }
    if (first === undefined) throw new UsageError('usage', 'no command given', `synod --help lists them: ${COMMANDS.join(', ')}`);
    // The command comes first: a flag before it would be read as the command's, or its value as the command.
    if (first === END_OF_OPTIONS) throw new UsageError('usage', `${END_OF_OPTIONS} comes before the command: the command goes first`, `synod check ${END_OF_OPTIONS} SPEC`);
    if (first.startsWith('-')) throw new UsageError('usage', `${first.split('=')[0]} comes before the command: flags go after it`, `synod --help lists the commands: ${COMMANDS.join(', ')}`);
    if (command === 'check') {
      if (specPath === undefined) throw new UsageError('usage', 'synod check needs a spec file', 'synod check specs/paxos.ts');
      return await checkCommand(specPath, argv.slice(argv.indexOf(command) + 1), io);
    }
    if (command === 'replay') {
      if (specPath === undefined) throw new UsageError('usage', 'synod replay needs a spec file and a trace', 'synod replay specs/paxos.ts trace.itf.json');
      const traceArgument = positionals(argv)[2];
      return await replayCommand(specPath, traceArgument, argv.slice(argv.indexOf(command) + 1), io);
    }
    if (command === 'matrix') {
      const { matrixCommand } = await import('./matrix-command.ts');
      return await matrixCommand(argv.slice(argv.indexOf(command) + 1), io);
    }
    if (command === 'sweep') {
      if (specPath === undefined) throw new UsageError('usage', 'synod sweep needs a spec file', "synod sweep specs/paxos.ts --grid 'acceptors=3..5'");
      const { sweepCommand } = await import('./sweep-command.ts');
      return await sweepCommand(specPath, argv.slice(argv.indexOf(command) + 1), io);
    }
    if (command === 'simulate') {
      if (specPath === undefined) throw new UsageError('usage', 'synod simulate needs a spec file', 'synod simulate specs/paxos.ts --runs 1000 --depth 50 --seed 1');
      const { simulateCommand } = await import('./simulate-command.ts');
      return await simulateCommand(specPath, argv.slice(argv.indexOf(command) + 1), io);
    }
    throw new UsageError('usage', `unknown command '${command}'`, 'synod --help lists the commands');
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(formatUsageError(error));
      return EXIT_USAGE;
    }
    io.stderr(formatUsageError(new UsageError('model-threw', `unexpected failure: ${textOfThrown(error)}`)));
    return EXIT_USAGE;
  }
}

async function specHelp(specPath: string): Promise<string> {
  const { loadSpec } = await import('./load-spec.ts');
  const { kebabCase } = await import('../parameters.ts');
  const { buildModel } = await import('./check-command.ts');
  const spec = await loadSpec(specPath, { forHelp: true });
  const lines = [`${spec.name}: ${spec.description}`, '', 'parameters:'];
  const rows = Object.entries(spec.parameters).map(([name, declaration]) => ({
    flag: `--${kebabCase(name)}`,
    range: declaration.type === 'integer' ? `${declaration.min}..${declaration.max}` : declaration.choices.join('|'),
    text: `${declaration.description ? `${declaration.description} ` : ''}(default ${declaration.default})`,
  }));
  // Columns as wide as their widest entry, so that a long range (many choices) keeps them aligned.
  const flagWidth = Math.max(14, ...rows.map((row) => row.flag.length + 1));
  const rangeWidth = Math.max(16, ...rows.map((row) => row.range.length + 1));
  for (const row of rows) lines.push(`  ${row.flag.padEnd(flagWidth)} ${row.range.padEnd(rangeWidth)} ${row.text}`);
  // What --property and --symmetry may name, from the model at its defaults (left out when those do not build).
  let model;
  try {
    model = buildModel(spec, {}).model;
  } catch {
    model = undefined;
  }
  if (model) {
    const properties = model.properties.map((property) => `${property.name} (${property.kind}${property.optional ? ', optional' : ''})`);
    lines.push('', `properties (at the defaults): ${properties.join(', ') || 'none'}`);
    lines.push(`symmetric sets (at the defaults): ${model.symmetry?.sets.join(', ') || 'none'}`);
  }
  return `${lines.join('\n')}\n\n${USAGE}`;
}
