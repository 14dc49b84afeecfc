/**
 * `synod simulate <spec.ts> [--runs N] [--depth D] [--seed S] [parameter flags]`: seeded random walks.
 * Exit 1 when a walk violates a property, 3 when none does (simulation cannot show that a
 * property holds), 2 on bad input.
 */
import { resolve } from 'node:path';
import { randomInt } from 'node:crypto';
import { simulate } from '../explore/random-walk.ts';
import { withCheckedProperties } from '../explore/history.ts';
import { fileHash, machine, synodVersion } from '../experiments/environment.ts';
import type { Progress } from '../explore/result.ts';
import { UsageError } from '../report/errors.ts';
import { formatSimulationReport, longestRunSteps, simulationJson, type SimulationReport } from '../report/simulation.ts';
import { formatCount, plural } from '../report/numbers.ts';
import { exitStatus } from '../report/run-report.ts';
import { replayPath, replayToError } from '../trace/replay.ts';
import { SIMULATE_FLAGS, numberFlag, parseArguments, refuseExtraPositionals, type FlagValues } from './arguments.ts';
import { armStuckRunDeadline, buildModel, loadSpecWithinTimeLimit, optionalNotChecked, propertyNames, sayModelError, withinTimeLimit, type CommandIO } from './check-command.ts';
import { limitFlags, validateModelOptions } from './experiment-flags.ts';
import { descriptionReplacer } from '../trace/description.ts';

const DEFAULT_RUNS = 1000;
const DEFAULT_DEPTH = 100;

/** `--seed S`: a whole number 0..2^32-1; a random one (printed with the results) when absent. */
function seedFlag(flags: FlagValues): number {
  const raw = flags.seed;
  if (raw === undefined) return randomInt(0x1_0000_0000);
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (!/^\d+$/.test(text) || Number(text) > 0xffff_ffff) {
    throw new UsageError('bad-flag-value', `--seed must be a whole number from 0 to 4294967295, got '${raw}'`);
  }
  return Number(text);
}

export async function simulateCommand(specPath: string, argv: readonly string[], io: CommandIO): Promise<number> {
  const spec = await loadSpecWithinTimeLimit(specPath, argv, io);
  const { flags, parameters: raw, positionals } = parseArguments(argv, spec.parameters, SIMULATE_FLAGS);
  refuseExtraPositionals(positionals, 1);
  const { parameters, model } = withinTimeLimit(flags, io, () => buildModel(spec, raw));
  const properties = propertyNames(flags, model.properties);
  validateModelOptions(model, [], properties);
  const runs = numberFlag(flags, 'runs', true) ?? DEFAULT_RUNS;
  const depth = numberFlag(flags, 'depth', true) ?? DEFAULT_DEPTH;
  const seed = seedFlag(flags);
  // The properties checked, with the history some of them track (as checkModel does).
  const checked = withCheckedProperties(model, properties);
  const limits = limitFlags(flags);
  const disarm = armStuckRunDeadline(io, limits.maxSeconds);
  const simulation = await simulate(checked, {
    runs,
    depth,
    seed,
    ...limits,
    ...(io.signal ? { signal: io.signal } : {}),
    ...(flags.quiet ? {} : { onProgress: (progress: Progress) => io.stderr(formatWalkProgress(progress)) }),
  }).finally(disarm);
  const path = simulation.result.violation?.path;
  const errorPath = simulation.result.error?.statePath;
  const errorRun = simulation.simulation.errorRun;
  const errorTrace = errorPath && errorRun !== undefined ? replayToError(checked, errorPath) : undefined;
  const report: SimulationReport = {
    specPath,
    specName: spec.name,
    specSha256: fileHash(resolve(specPath)),
    synod: synodVersion(),
    machine: machine(),
    parameters,
    model: checked,
    ...optionalNotChecked(model, checked),
    runs,
    depth,
    simulation,
    ...(path ? { counterexample: replayPath(checked, path) } : {}),
    // Who names a sometimes property wants to see the run that shows it (as synod check does).
    witnesses: simulation.simulation.witnesses
      .filter((witness) => properties?.includes(witness.property))
      .map((witness) => ({ property: witness.property, run: witness.run, trace: replayPath(checked, witness.path) })),
    ...(errorTrace ? { errorTrace: { run: errorRun!, trace: errorTrace } } : {}),
  };
  io.stdout(flags.json ? JSON.stringify(simulationJson(report), descriptionReplacer) : formatSimulationReport(report));
  sayModelError(simulation.result.error, io);
  return exitStatus({ result: simulation.result, model: checked });
}

/** A walk has no frontier: its progress counts the states seen and the longest run, in steps (as the report does). */
export function formatWalkProgress(progress: Progress): string {
  return (
    `progress: ${formatCount(progress.distinctStates)} distinct states seen, ${formatCount(progress.statesPerSecond)} states/s, ` +
    `longest run ${plural(longestRunSteps(progress.depth), 'step')}, ${progress.seconds.toFixed(0)} s`
  );
}
