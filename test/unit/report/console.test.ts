import { describe, expect, it } from 'vitest';
import { placeOf } from '../../places.ts';
import { checkModel } from '../../../src/check.ts';
import { formatConsoleReport, formatParameters, formatWorkers } from '../../../src/report/console.ts';
import { jsonReport } from '../../../src/report/json.ts';
import type { RunReport } from '../../../src/report/run-report.ts';
import throwsWhileExploring from '../../e2e/fixtures/throws-while-exploring.ts';
import { countersModel } from '../../toys/counters.ts';
import { PropertyDeclarationError } from '../../../src/explore/select-properties.ts';

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
      '',
      "trace to the state where the spec's code threw (3 steps; replay token 0/0/0/0)",
      '  0. initial state',
      '       state: 0',
      '  1. Increment from 0',
      '       state: 0 -> 1',
      '  2. Increment from 1',
      '       state: 1 -> 2',
      '  3. Increment from 2',
      '       state: 2 -> 3',
    ]);
    const json = jsonReport(run);
    expect(json.status).toBe('error');
    // The path to the state stays in the error; the trace to it comes apart, in a counterexample's form.
    expect(json.error).toEqual({
      code: 'model-threw',
      message: `counter overflow at ${placeOf('test/e2e/fixtures/throws-while-exploring.ts', "new Error('counter overflow')")} (in action Increment from 3, expanding a state at depth 4)`,
      depth: 4,
      action: 'Increment from 3',
      path: { initial: 0, actions: [0, 0, 0] },
    });
    expect(json.errorTrace).toEqual({
      length: 3,
      replayToken: '0/0/0/0',
      steps: [
        { action: 'initial state', state: 0 },
        { action: 'Increment from 0', state: 1 },
        { action: 'Increment from 1', state: 2 },
        { action: 'Increment from 2', state: 3 },
      ],
    });
    expect(json.properties).toEqual([
      { name: 'BelowTen', kind: 'always', holds: true, witnessed: true },
      { name: 'ReachesTen', kind: 'sometimes', holds: false, witnessed: false },
      { name: 'ReachesOne', kind: 'sometimes', holds: true, witnessed: true },
    ]);
  });
});

describe('formatConsoleReport after a violation or with no properties', () => {
  const runOf = (checked: unknown): RunReport => {
    const report = checked as RunReport['report'];
    return { specPath: 'counters.ts', specName: report.model.name, parameters: {}, model: report.model, report };
  };

  it('says the other properties were checked only up to the violation, which stopped the run', async () => {
    const model = countersModel({
      maxX: 5,
      maxY: 5,
      properties: [
        { name: 'NotTwoThree', kind: 'always', holds: (state) => !(state.x === 2 && state.y === 3) },
        { name: 'NotFiveFive', kind: 'always', holds: (state) => !(state.x === 5 && state.y === 5) },
        { name: 'ReachesFiveFive', kind: 'sometimes', holds: (state) => state.x === 5 && state.y === 5 },
        { name: 'ReachesOneOne', kind: 'sometimes', holds: (state) => state.x === 1 && state.y === 1 },
      ],
    });
    const lines = formatConsoleReport(runOf(await checkModel(model))).split('\n');
    expect(lines.slice(lines.indexOf('properties') + 1, lines.indexOf('properties') + 5)).toEqual([
      '  NotTwoThree          always    VIOLATED',
      '  NotFiveFive          always    holds so far, not fully checked (the run stopped at the violation of NotTwoThree)',
      '  ReachesFiveFive      sometimes not witnessed so far, not fully checked (the run stopped at the violation of NotTwoThree)',
      '  ReachesOneOne        sometimes witnessed',
    ]);
  });

  it('a never-witnessed sometimes property is found after every state: the others were fully checked', async () => {
    const model = countersModel({
      maxX: 2,
      maxY: 2,
      properties: [
        { name: 'Small', kind: 'always', holds: (state) => state.x < 3 },
        { name: 'Never', kind: 'sometimes', holds: () => false },
      ],
    });
    const lines = formatConsoleReport(runOf(await checkModel(model))).split('\n');
    expect(lines.slice(lines.indexOf('properties') + 1, lines.indexOf('properties') + 3)).toEqual([
      '  Small                always    holds',
      '  Never                sometimes not witnessed',
    ]);
  });

  it('does not say "all properties hold" of a spec that has none', async () => {
    const lines = formatConsoleReport(runOf(await checkModel(countersModel({ maxX: 2, maxY: 2 })))).split('\n');
    expect(lines[1]).toBe('OK: every state explored; the spec has no properties to check');
  });

  it('names the optional properties of a spec that has only those, left out unless --property names them', async () => {
    const holds = () => true;
    const model = countersModel({ maxX: 1, maxY: 1, properties: [{ name: 'Opt', kind: 'always', optional: true, holds }, { name: 'Seen', kind: 'sometimes', optional: true, holds }] });
    const lines = formatConsoleReport({ ...runOf(await checkModel(model)), optionalNotChecked: ['Opt', 'Seen'] }).split('\n');
    expect(lines[1]).toBe("OK: every state explored; no property checked: the spec's properties are optional (Opt, Seen), checked only when --property names them");
  });

  it('refuses two properties of one name', async () => {
    const holds = () => true;
    const model = countersModel({ maxX: 1, maxY: 1, properties: [{ name: 'Same', kind: 'always', holds }, { name: 'Same', kind: 'sometimes', holds }] });
    await expect(checkModel(model)).rejects.toThrow(new PropertyDeclarationError("two properties are named 'Same'"));
  });
});

describe('the header and counts of the text report', () => {
  it('names parameters as their flags, leaves out () for a spec with none, and says "1 step"', async () => {
    expect(formatParameters({ maxBallot: 2, network: 'bag' })).toBe('max-ballot=2 network=bag');
    const model = countersModel({ maxX: 3, maxY: 3, properties: [{ name: 'XStaysZero', kind: 'always', holds: (state) => state.x === 0 }] });
    const report = (await checkModel(model)) as RunReport['report'];
    const lines = formatConsoleReport({ specPath: 'counters.ts', specName: model.name, parameters: {}, model: report.model, report }).split('\n');
    expect(lines[0]).toBe('synod check counters.ts');
    expect(lines[1]).toBe('VIOLATION: XStaysZero (always) fails after 1 step');
    expect(lines).toContain('counterexample (1 step; replay token 0/0)');
  });
});

describe('formatWorkers', () => {
  it('says why a run allowed several threads used one', () => {
    expect(formatWorkers({})).toBe('1 worker');
    expect(formatWorkers({ workers: 2, workersUsed: 2 })).toBe('2 workers');
    expect(formatWorkers({ workers: 4, workersUsed: 3 })).toBe('3 of 4 workers');
    expect(formatWorkers({ workers: 2, workersUsed: 1, soloReason: 'short' })).toBe('1 of 2 workers: the run ended before more threads paid off');
    expect(formatWorkers({ workers: 2, workersUsed: 1, soloReason: 'narrow' })).toBe('1 of 2 workers: its levels were too narrow to share between threads');
    expect(formatWorkers({ workers: 2, workersUsed: 1, soloReason: 'memory' })).toBe(
      '1 of 2 workers: moving its visited set into a shared one would have passed --max-memory',
    );
    expect(formatWorkers({ workers: 2, workersUsed: 1, soloReason: 'no threads' })).toBe('1 of 2 workers: worker threads could not be started, or could not build the model checked');
  });
});
