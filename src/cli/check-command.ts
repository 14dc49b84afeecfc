/** `synod check <spec.ts> [flags]`: explore every reachable state and report the verdict. */
import type { AnySpec, AnyModel } from '../model.ts';
import { ParameterError, resolveParameters } from '../parameters.ts';
import { checkModel } from '../check.ts';
import type { ExploreOptions, Progress } from '../explore/result.ts';
import { UsageError, formatUsageError } from '../report/errors.ts';
import { formatConsoleReport } from '../report/console.ts';
import { jsonReport } from '../report/json.ts';
import { exitStatus, type RunReport } from '../report/run-report.ts';
import { formatCount } from '../report/numbers.ts';
import { bytesFlag, numberFlag, parseArguments } from './arguments.ts';
import { loadSpec } from './load-spec.ts';

export interface CommandIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Aborted on Ctrl-C. */
  readonly signal?: AbortSignal;
}

export function buildModel(spec: AnySpec, raw: Record<string, string | number | undefined>) {
  let parameters: Record<string, string | number>;
  try {
    parameters = resolveParameters(spec.parameters, raw);
  } catch (error) {
    if (error instanceof ParameterError) throw new UsageError('bad-parameter', error.message);
    throw error;
  }
  let model: AnyModel;
  try {
    model = spec.build(parameters as never);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError('spec-build-failed', `the spec ${spec.name} failed to build its model: ${reason}`);
  }
  return { parameters, model };
}

export async function checkCommand(specPath: string, argv: readonly string[], io: CommandIO): Promise<number> {
  const spec = await loadSpec(specPath);
  const { flags, parameters: raw, positionals } = parseArguments(argv, spec.parameters);
  if (positionals.length > 2) throw new UsageError('usage', `unexpected argument '${positionals[2]}'`);
  const { parameters, model } = buildModel(spec, raw);
  const showProgress = !flags.quiet;
  const maxStates = numberFlag(flags, 'max-states', true);
  const maxSeconds = numberFlag(flags, 'max-seconds', false);
  const maxMemoryBytes = bytesFlag(flags, 'max-memory');
  const maxDepth = numberFlag(flags, 'max-depth', true);
  const options: ExploreOptions = {
    ...(maxStates !== undefined ? { maxStates } : {}),
    ...(maxSeconds !== undefined ? { maxSeconds } : {}),
    ...(maxMemoryBytes !== undefined ? { maxMemoryBytes } : {}),
    ...(maxDepth !== undefined ? { maxDepth } : {}),
    ...(io.signal ? { signal: io.signal } : {}),
    ...(showProgress ? { onProgress: (progress: Progress) => io.stderr(formatProgress(progress)) } : {}),
  };
  const report = await checkModel(model, options);
  const run: RunReport = { specPath, specName: spec.name, parameters, model, report };
  if (flags.json) io.stdout(JSON.stringify(jsonReport(run)));
  else io.stdout(formatConsoleReport(run));
  if (report.result.error) io.stderr(formatUsageError(new UsageError('model-threw', `the spec threw: ${report.result.error.message}`)));
  return exitStatus(report);
}

export function formatProgress(progress: Progress): string {
  return (
    `progress: ${formatCount(progress.distinctStates)} states, ${formatCount(progress.statesPerSecond)} states/s, ` +
    `depth ${progress.depth}, frontier ${formatCount(progress.frontier)}, ${progress.seconds.toFixed(0)} s`
  );
}
