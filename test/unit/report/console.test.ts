import { describe, expect, it } from 'vitest';
import { checkModel } from '../../../src/check.ts';
import { formatConsoleReport } from '../../../src/report/console.ts';
import { jsonReport } from '../../../src/report/json.ts';
import type { RunReport } from '../../../src/report/run-report.ts';
import throwsWhileExploring from '../../e2e/fixtures/throws-while-exploring.ts';

describe('formatConsoleReport after the model threw', () => {
  it('does not call properties checked only up to the error "holds", and agrees with the JSON', async () => {
    const report = (await checkModel(throwsWhileExploring.build({}))) as RunReport['report'];
    expect(report.result.status).toBe('error');
    const run: RunReport = { specPath: 'throws-while-exploring.ts', specName: 'throws-while-exploring', parameters: {}, model: report.model, report };
    const lines = formatConsoleReport(run).split('\n');
    expect(lines.slice(lines.indexOf('properties') + 1)).toEqual([
      '  BelowTen             always    holds so far, not fully checked (the run stopped at an error)',
      '  ReachesTen           sometimes not witnessed so far, not fully checked (the run stopped at an error)',
      '  ReachesOne           sometimes witnessed',
    ]);
    const json = jsonReport(run);
    expect(json.status).toBe('error');
    expect(json.properties).toEqual([
      { name: 'BelowTen', kind: 'always', holds: true, witnessed: true },
      { name: 'ReachesTen', kind: 'sometimes', holds: false, witnessed: false },
      { name: 'ReachesOne', kind: 'sometimes', holds: true, witnessed: true },
    ]);
  });
});
