import { describe, expect, it } from 'vitest';
import { PRESETS, runMatrix } from '../../../src/experiments/matrix.ts';
import ping from '../../../specs/examples/ping.ts';
import { GridError } from '../../../src/experiments/grid.ts';

describe('runMatrix presets', () => {
  it('checks a spec with a network parameter but no crashes parameter under every network preset', async () => {
    expect(Object.keys(ping.parameters)).toContain('network');
    expect(Object.keys(ping.parameters)).not.toContain('crashes');
    const record = await runMatrix({
      specs: [{ spec: ping, path: 'specs/examples/ping.ts' }],
      gridText: '',
      axes: [],
      presets: PRESETS,
      perProperty: false,
      concurrency: 2,
      command: 'synod matrix specs/examples/ping.ts',
    });
    const cells = Object.fromEntries(record.cells.map((cell) => [cell.preset, cell]));
    for (const preset of ['bag', 'dup', 'lossy']) {
      expect(cells[preset]!.applicable).toBe(true);
      expect(cells[preset]!.parameters).toMatchObject({ network: preset });
      expect(cells[preset]!.note).toBeUndefined();
    }
    // A duplicated Pong counts twice: dup breaks ping, as it should.
    expect(['bag', 'dup', 'lossy'].map((preset) => [cells[preset]!.check?.status, cells[preset]!.check?.property])).toEqual([
      ['ok', undefined],
      ['violation', 'NoExtraAnswers'],
      ['ok', undefined],
    ]);
    expect(cells.crash!.applicable).toBe(false);
    expect(cells.crash!.note).toBe('ping has no parameter crashes');
    expect(record.options.concurrency).toBe(2);
  });

  it('records no more checks at a time than it had cells to check', async () => {
    const record = await runMatrix({
      specs: [{ spec: ping, path: 'specs/examples/ping.ts' }],
      gridText: '',
      axes: [],
      presets: PRESETS.filter((preset) => preset.name === 'bag'),
      perProperty: false,
      concurrency: 2,
      command: 'synod matrix specs/examples/ping.ts --presets bag',
    });
    expect(record.options.concurrency).toBe(1);
  });

  it('refuses a grid value out of the range of a spec that declares it, before any check', async () => {
    const options = {
      specs: [{ spec: ping, path: 'specs/examples/ping.ts' }],
      gridText: 'pings=5..6',
      presets: PRESETS.filter((preset) => preset.name === 'bag'),
      perProperty: false,
      concurrency: 1,
      command: 'synod matrix specs/examples/ping.ts --grid pings=5..6',
    };
    await expect(runMatrix({ ...options, axes: [{ name: 'pings', values: [5, 6] }] })).rejects.toThrow(
      new GridError("grid value pings=6 for specs/examples/ping.ts: parameter 'pings' must be between 1 and 5, got 6"),
    );
    // An axis the spec does not declare is another spec's: its cells are checked at the spec's own values.
    const record = await runMatrix({ ...options, axes: [{ name: 'acceptors', values: [0] }] });
    expect(record.cells.map((cell) => cell.check?.status)).toEqual(['ok']);
  });

  it('refuses a matrix whose every cell is n/a, naming the first, and checks one with a cell left', async () => {
    const options = {
      specs: [{ spec: ping, path: 'specs/examples/ping.ts' }],
      gridText: '',
      axes: [],
      perProperty: false,
      concurrency: 1,
      command: 'synod matrix specs/examples/ping.ts',
    };
    const crash = PRESETS.filter((preset) => preset.name === 'crash');
    await expect(runMatrix({ ...options, presets: crash })).rejects.toThrow(
      new GridError('every cell of the matrix is n/a, so nothing would be checked: ping: ping has no parameter crashes'),
    );
    await expect(runMatrix({ ...options, presets: PRESETS.filter((preset) => preset.name === 'bag'), properties: ['Agreement'] })).rejects.toThrow(
      new GridError('every cell of the matrix is n/a, so nothing would be checked: ping: ping declares none of the properties named'),
    );
    // Each distinct reason once (crash and lossy both say nothing to ping), and past three a count.
    await expect(runMatrix({ ...options, presets: PRESETS.filter((preset) => preset.name === 'crash'), properties: ['Agreement'], specs: [options.specs[0]!, { spec: ping, path: 'other/ping.ts' }] })).rejects.toThrow(
      new GridError('every cell of the matrix is n/a, so nothing would be checked: ping: ping declares none of the properties named'),
    );
    const counter = { ...ping, name: 'counter' };
    const many = [ping, counter, { ...ping, name: 'third' }, { ...ping, name: 'fourth' }, { ...ping, name: 'fifth' }].map((spec) => ({ spec, path: `specs/examples/${spec.name}.ts` }));
    await expect(runMatrix({ ...options, specs: many, presets: PRESETS.filter((preset) => preset.name === 'crash') })).rejects.toThrow(
      new GridError(
        'every cell of the matrix is n/a, so nothing would be checked: ping: ping has no parameter crashes; counter: counter has no parameter crashes; third: third has no parameter crashes; and 2 other reasons',
      ),
    );
    // No spec at all is no cell, not a refusal.
    expect((await runMatrix({ ...options, specs: [], presets: PRESETS })).cells).toEqual([]);
    const record = await runMatrix({ ...options, presets: PRESETS.filter((preset) => preset.name === 'crash' || preset.name === 'bag') });
    expect(record.cells.map((cell) => [cell.preset, cell.applicable, cell.check?.status])).toEqual([
      ['bag', true, 'ok'],
      ['crash', false, undefined],
    ]);
  });
});
