import { describe, expect, it } from 'vitest';
import { placeOf } from '../../places.ts';
import { GridError, MAX_GRID_POINTS, gridPoints, parseGrid, resolveGrid } from '../../../src/experiments/grid.ts';
import type { AnySpec, ParameterDeclarations } from '../../../src/model.ts';
import { RefuseFailed } from '../../../src/parameters.ts';

const declarations: ParameterDeclarations = {
  acceptors: { type: 'integer', min: 1, max: 9, default: 3, description: '' },
  proposers: { type: 'integer', min: 1, max: 5, default: 2, description: '' },
  maxBallot: { type: 'integer', min: 0, max: 5, default: 1, description: '' },
  network: { type: 'choice', choices: ['bag', 'dup', 'lossy'], default: 'bag', description: '' },
};
const spec: AnySpec = {
  name: 'grid-test',
  description: '',
  parameters: declarations,
  build: () => {
    throw new Error('a grid does not build models');
  },
};

describe('parameter grids', () => {
  it('reads ranges, lists and single values, and kebab-case names', () => {
    expect(parseGrid('acceptors=3..5, network=bag|lossy, max-ballot=2', declarations)).toEqual([
      { name: 'acceptors', values: [3, 4, 5] },
      { name: 'network', values: ['bag', 'lossy'] },
      { name: 'maxBallot', values: [2] },
    ]);
    expect(parseGrid('', declarations)).toEqual([]);
  });

  it('takes the cartesian product with the first parameter varying slowest', () => {
    const points = gridPoints(parseGrid('acceptors=3..4,proposers=1..2', declarations), { network: 'dup' });
    expect(points).toEqual([
      { network: 'dup', acceptors: 3, proposers: 1 },
      { network: 'dup', acceptors: 3, proposers: 2 },
      { network: 'dup', acceptors: 4, proposers: 1 },
      { network: 'dup', acceptors: 4, proposers: 2 },
    ]);
    expect(gridPoints([])).toEqual([{}]);
  });

  it('refuses unknown names, empty ranges, repeated names and malformed parts', () => {
    expect(() => parseGrid('learners=1..2', declarations)).toThrow(new GridError("the grid names 'learners', which is not a parameter of this spec (it takes: acceptors, proposers, max-ballot, network)"));
    // A matrix's grid, for the declarations of several specs merged.
    expect(() => parseGrid('learners=1..2', declarations, 3)).toThrow(
      new GridError("the grid names 'learners', which is not a parameter of any of the 3 specs (they take: acceptors, proposers, max-ballot, network)"),
    );
    expect(() => parseGrid('acceptors=5..3', declarations)).toThrow(/is empty/);
    // Named as the flag, however the grid wrote it.
    expect(() => parseGrid('maxBallot=2..1', declarations)).toThrow(new GridError('the range max-ballot=2..1 is empty (write the smaller bound first)'));
    expect(() => parseGrid('maxBallot=1,max-ballot=2', declarations)).toThrow(new GridError("the grid names 'max-ballot' twice"));
    expect(() => parseGrid('acceptors=3,acceptors=4', declarations)).toThrow(/twice/);
    // A value listed twice would check the same point twice.
    expect(() => parseGrid('acceptors=3|3', declarations)).toThrow(new GridError('acceptors=3|3 lists 3 twice'));
    expect(() => parseGrid('network=bag|dup|bag', declarations)).toThrow(new GridError('network=bag|dup|bag lists bag twice'));
    expect(() => parseGrid('acceptors', declarations)).toThrow(/is not NAME=VALUES/);
    expect(() => parseGrid('acceptors=3,,proposers=1', declarations)).toThrow(new GridError("'acceptors=3,,proposers=1' has an empty entry between commas"));
    expect(() => parseGrid('acceptors=3,', declarations)).toThrow(/has an empty entry between commas/);
    expect(parseGrid('  ', declarations)).toEqual([]);
    for (const broken of ['3..', '..5', '3..x', '3...5']) {
      expect(() => parseGrid(`acceptors=${broken}`, declarations)).toThrow(
        new GridError(`acceptors=${broken} is not a range: write both bounds as whole numbers, e.g. acceptors=1..3`),
      );
    }
  });

  it('refuses a grid of more than 10,000 points before making its values', () => {
    expect(MAX_GRID_POINTS).toBe(10_000);
    expect(parseGrid('acceptors=1..100,proposers=1..100', declarations).map((axis) => axis.values.length)).toEqual([100, 100]);
    expect(() => parseGrid('acceptors=1..100,proposers=1..101', declarations)).toThrow(
      new GridError('the grid has 10,100 points (100 x 101), more than the 10,000 one run may check: sweep a part of it at a time'),
    );
    // A billion values would fill the heap before the product could be counted.
    const started = performance.now();
    expect(() => parseGrid('acceptors=1..1000000000', declarations)).toThrow(
      new GridError('the grid has 1,000,000,000 points (acceptors=1..1000000000 alone), more than the 10,000 one run may check: sweep a part of it at a time'),
    );
    expect(() => parseGrid('acceptors=1..1000,proposers=1..1000,maxBallot=1..1000', declarations)).toThrow(/^the grid has 1,000,000,000 points \(1,000 x 1,000 x 1,000\)/);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('validates every point against the declarations, naming the bad one', () => {
    expect(resolveGrid(spec, [{ acceptors: 4 }])).toEqual({ points: [{ acceptors: 4, proposers: 2, maxBallot: 1, network: 'bag' }], refused: [] });
    expect(() => resolveGrid(spec, [{ acceptors: 3 }, { acceptors: 10 }])).toThrow(
      new GridError("grid point (acceptors=10): parameter 'acceptors' must be between 1 and 9, got 10"),
    );
    expect(() => resolveGrid(spec, [{ network: 'udp' }])).toThrow(/must be one of bag, dup, lossy/);
  });

  it("leaves out the points the spec's refuse turns down, with its reason, in grid order", () => {
    const refusing = { ...spec, refuse: ({ proposers, acceptors }: { proposers: number; acceptors: number }) => (proposers > acceptors ? `${proposers} proposers for ${acceptors} acceptors` : undefined) };
    const points = gridPoints(parseGrid('acceptors=1..2,proposers=1..3', declarations));
    const resolved = resolveGrid(refusing as AnySpec, points);
    expect(resolved.points.map(({ acceptors, proposers }) => [acceptors, proposers])).toEqual([[1, 1], [2, 1], [2, 2]]);
    expect(resolved.refused).toEqual([
      { parameters: { acceptors: 1, proposers: 2, maxBallot: 1, network: 'bag' }, reason: '2 proposers for 1 acceptors' },
      { parameters: { acceptors: 1, proposers: 3, maxBallot: 1, network: 'bag' }, reason: '3 proposers for 1 acceptors' },
      { parameters: { acceptors: 2, proposers: 3, maxBallot: 1, network: 'bag' }, reason: '3 proposers for 2 acceptors' },
    ]);
    // A value out of range refuses the grid even where refuse would turn the point down too.
    expect(() => resolveGrid(refusing as AnySpec, [{ acceptors: 1, proposers: 9 }])).toThrow(/grid point \(acceptors=1 proposers=9\): parameter 'proposers' must be between 1 and 5/);
    // A refuse that fails is the spec's fault, named with the point.
    const throwing = { ...spec, refuse: () => { throw new Error('no idea'); } };
    expect(() => resolveGrid(throwing as AnySpec, [{ acceptors: 2 }])).toThrow(new RefuseFailed(`at grid point (acceptors=2): it threw: no idea at ${placeOf('test/unit/experiments/grid.test.ts', "new Error('no idea')")}`));
    expect(() => resolveGrid(throwing as AnySpec, [{ acceptors: 2 }])).toThrow(RefuseFailed);
    const returningFalse = { ...spec, refuse: () => false };
    expect(() => resolveGrid(returningFalse as unknown as AnySpec, [{ acceptors: 2 }])).toThrow(
      new RefuseFailed('at grid point (acceptors=2): it returned false, where it must return a reason (a string) or undefined'),
    );
  });
});
