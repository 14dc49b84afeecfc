/** Shared helpers for spec tests: build a bundled spec with parameters and check it. */
import type { AnySpec } from '../../src/model.ts';
import { resolveParameters } from '../../src/parameters.ts';
import { checkModel, type CheckReport } from '../../src/check.ts';

export async function checkSpec(
  spec: AnySpec,
  parameters: Record<string, string | number> = {},
): Promise<CheckReport<unknown, unknown>> {
  const model = spec.build(resolveParameters(spec.parameters, parameters));
  return checkModel(model);
}

/** The figures a golden test pins. */
export function counts(report: CheckReport<unknown, unknown>) {
  const { distinctStates, transitions, depth } = report.result.statistics;
  return { status: report.result.status, distinctStates, transitions, depth };
}
