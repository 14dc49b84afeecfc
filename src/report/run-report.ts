/** What the reporters are given: the run's inputs and its outcome. */
import type { AnyModel } from '../model.ts';
import type { CheckReport } from '../check.ts';

export interface RunReport {
  /** The spec as the user named it (a path). */
  readonly specPath: string;
  readonly specName: string;
  readonly parameters: Readonly<Record<string, string | number>>;
  readonly model: AnyModel;
  readonly report: CheckReport<unknown, unknown>;
  /** The spec's optional properties the run left out (not named with --property), for a verdict that checked none. */
  readonly optionalNotChecked?: readonly string[];
}

export const EXIT_OK = 0;
export const EXIT_VIOLATION = 1;
export const EXIT_USAGE = 2;
export const EXIT_INCOMPLETE = 3;

export function exitStatus(report: CheckReport<unknown, unknown>): number {
  switch (report.result.status) {
    case 'ok':
      return EXIT_OK;
    case 'violation':
      return EXIT_VIOLATION;
    case 'error':
      return EXIT_USAGE;
    case 'incomplete':
      return EXIT_INCOMPLETE;
  }
}
