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

/** Each property's name, whether it holds and whether it was witnessed, in declaration order. */
export function verdicts(report: CheckReport<unknown, unknown>) {
  return report.result.properties.map((property) => [property.name, property.holds, property.witnessed]);
}

/** The verdicts of classic Paxos when every property holds and ValueChosen is witnessed. */
export const PAXOS_ALL_HOLD = [
  ['Agreement', true, true],
  ['LearnerAgreement', true, true],
  ['Validity', true, true],
  ['ValueChosen', true, true],
];
