import { describe, expect, it } from 'vitest';
import { logChartSvg } from '../../../src/report/svg-plot.ts';
import { expectWellFormedSvg } from './well-formed-xml.ts';

describe('the SVG line chart', () => {
  const chart = logChartSvg({
    title: 'states <by> acceptors & more',
    xLabel: 'acceptors',
    yLabel: 'distinct states (log scale)',
    series: [
      { name: 'proposers=1', points: [{ x: 3, y: 183, label: 'a' }, { x: 4, y: 721, label: 'b' }, { x: 5, y: 2_000, label: 'c' }] },
      { name: 'proposers=2', dashed: true, points: [{ x: 3, y: 33_489, label: 'd' }, { x: 4, y: 519_841, label: 'e', hollow: true }] },
      { name: 'empty point', points: [{ x: 5, y: 0, label: 'left out' }] },
    ],
  });

  it('is a well-formed, self-contained SVG document', () => {
    expect(chart.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expectWellFormedSvg(chart);
    expect(chart).toContain('states &lt;by&gt; acceptors &amp; more');
  });

  it('draws one circle per point with a positive value, hollow ones white', () => {
    expect(chart.match(/<circle /g)).toHaveLength(5);
    expect(chart.match(/<circle [^>]*fill="white"/g)).toHaveLength(1);
    expect(chart).not.toContain('left out');
    expect(chart.match(/<polyline /g)).toHaveLength(2);
  });

  it('labels whole decades from below the least value to above the greatest', () => {
    for (const label of ['100', '1,000', '10,000', '100,000', '1,000,000']) expect(chart).toContain(`>${label}</text>`);
    expect(chart).not.toContain('>10</text>');
    expect(chart).not.toContain('>1e7</text>');
  });
});

describe('the well-formedness check the SVG tests rely on', () => {
  it('rejects unclosed elements, wrongly nested ones, bare ampersands and two roots', () => {
    expect(() => expectWellFormedSvg('<svg><g></svg>')).toThrow();
    expect(() => expectWellFormedSvg('<svg><g><text></g></text></svg>')).toThrow();
    expect(() => expectWellFormedSvg('<svg><text>a & b</text></svg>')).toThrow();
    expect(() => expectWellFormedSvg('<svg/><svg/>')).toThrow();
    expect(() => expectWellFormedSvg('<svg><rect x=1/></svg>')).toThrow();
    expectWellFormedSvg('<svg xmlns="x"><g><text>a &amp; b</text><rect x="1"/></g></svg>');
  });
});

describe('experimentPlots', () => {
  it('draws hollow every check whose count is a lower bound: a limit, a violation, an error, the last witness', async () => {
    const { experimentPlots } = await import('../../../src/report/experiment-plots.ts');
    const row = (acceptors: number, rest: object) => ({ spec: 'paxos', parameters: { acceptors }, symmetry: [], distinctStates: 10 ** acceptors, ...rest });
    const rows = [
      row(1, { status: 'ok' }),
      row(2, { status: 'violation', property: 'ValueChosen', propertyKind: 'sometimes' }),
      row(3, { status: 'ok', settledEarly: true }),
      row(4, { status: 'violation', property: 'Agreement', propertyKind: 'always' }),
      row(5, { status: 'error', error: 'boom' }),
      row(6, { status: 'incomplete', incompleteReason: 'max-states' }),
    ];
    const record = { rows, swept: ['acceptors'], specs: [{ name: 'paxos' }], options: { symmetry: 'off' } } as never;
    const [plot] = experimentPlots(record);
    expect(plot!.svg.match(/<circle /g)).toHaveLength(6);
    expect(plot!.svg.match(/<circle [^>]*fill="white"/g)).toHaveLength(4);
    expect(plot!.svg).toContain('hollow: stopped early, at a limit, an interrupt, a violation, an error or the last witness (a lower bound)');
  });

  it('names the sets the checks reduced by, not the sets requested', async () => {
    const { experimentPlots } = await import('../../../src/report/experiment-plots.ts');
    // --symmetry both over acceptors and learners with --learners 0: only acceptors are reduced.
    const row = (acceptors: number, symmetry: string[], distinctStates = 10 ** acceptors) => ({ spec: 'paxos', parameters: { acceptors }, symmetry, distinctStates, status: 'ok' });
    // The last was never started (interrupted): its row has the sets requested.
    const rows = [row(3, []), row(3, ['acceptors']), row(4, []), row(4, ['acceptors']), row(5, ['acceptors', 'learners'], 0)];
    const record = { rows, swept: ['acceptors'], specs: [{ name: 'paxos' }], options: { symmetry: 'both', symmetrySets: ['acceptors', 'learners'] } } as never;
    const [plot] = experimentPlots(record);
    expect(plot!.svg).toContain('>dashed: symmetry over acceptors<');
  });
});
