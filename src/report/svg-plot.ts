/**
 * A small SVG line chart with a logarithmic y axis: enough to plot state-space growth, and a
 * self-contained file any browser opens. (No charting library that renders SVG under Node without
 * a DOM is a dependency of synod; this writer is a hundred lines and tested.)
 */

export interface PlotPoint {
  readonly x: number;
  readonly y: number;
  /** Drawn hollow: the value is a lower bound (the check stopped before it explored every state). */
  readonly hollow?: boolean;
  /** The tooltip. */
  readonly label: string;
}

export interface PlotSeries {
  readonly name: string;
  readonly points: readonly PlotPoint[];
  readonly dashed?: boolean;
  /** Index into the palette; series that belong together (e.g. with and without a reduction) share one. Default: the series' index. */
  readonly colour?: number;
}

export interface LogChart {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly PlotSeries[];
  /** A line under the chart (e.g. "hollow: stopped at a limit"). */
  readonly note?: string;
}

const WIDTH = 760;
const HEIGHT = 440;
const LEFT = 80;
const RIGHT = 250;
const TOP = 40;
const BOTTOM = 70;
const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** 1e3 reads badly in a paper: write 1,000 up to ten million, then 1e8. */
function decadeLabel(exponent: number): string {
  return exponent <= 7 ? (10 ** exponent).toLocaleString('en-US') : `1e${exponent}`;
}

function round(value: number): string {
  return value.toFixed(1);
}

export function logChartSvg(chart: LogChart): string {
  const points = chart.series.flatMap((series) => series.points).filter((point) => point.y > 0);
  const xs = [...new Set(points.map((point) => point.x))].sort((a, b) => a - b);
  const lowExponent = points.length ? Math.floor(Math.log10(Math.min(...points.map((point) => point.y)))) : 0;
  let highExponent = points.length ? Math.ceil(Math.log10(Math.max(...points.map((point) => point.y)))) : 1;
  if (highExponent === lowExponent) highExponent++;
  const xMin = xs[0] ?? 0;
  const xMax = xs[xs.length - 1] ?? 1;
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const xPosition = (x: number) => LEFT + (xMax === xMin ? plotWidth / 2 : ((x - xMin) / (xMax - xMin)) * plotWidth);
  const yPosition = (y: number) => TOP + plotHeight - ((Math.log10(y) - lowExponent) / (highExponent - lowExponent)) * plotHeight;

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
  );
  out.push(`<rect x="0" y="0" width="${WIDTH}" height="${HEIGHT}" fill="white"/>`);
  out.push(`<text x="${WIDTH / 2 - RIGHT / 2}" y="22" text-anchor="middle" font-size="15">${escapeXml(chart.title)}</text>`);
  // Decades, and the minor ticks 2..9 between them.
  for (let exponent = lowExponent; exponent <= highExponent; exponent++) {
    const y = round(yPosition(10 ** exponent));
    out.push(`<line x1="${LEFT}" y1="${y}" x2="${LEFT + plotWidth}" y2="${y}" stroke="#ccc"/>`);
    out.push(`<text x="${LEFT - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${decadeLabel(exponent)}</text>`);
    if (exponent < highExponent) {
      for (let minor = 2; minor <= 9; minor++) {
        const minorY = round(yPosition(minor * 10 ** exponent));
        out.push(`<line x1="${LEFT}" y1="${minorY}" x2="${LEFT + 5}" y2="${minorY}" stroke="#999"/>`);
      }
    }
  }
  for (const x of xs) {
    const position = round(xPosition(x));
    out.push(`<line x1="${position}" y1="${TOP}" x2="${position}" y2="${TOP + plotHeight}" stroke="#eee"/>`);
    out.push(`<text x="${position}" y="${TOP + plotHeight + 18}" text-anchor="middle">${x}</text>`);
  }
  out.push(`<rect x="${LEFT}" y="${TOP}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#333"/>`);
  out.push(`<text x="${LEFT + plotWidth / 2}" y="${TOP + plotHeight + 40}" text-anchor="middle">${escapeXml(chart.xLabel)}</text>`);
  out.push(
    `<text x="18" y="${TOP + plotHeight / 2}" text-anchor="middle" transform="rotate(-90 18 ${TOP + plotHeight / 2})">${escapeXml(chart.yLabel)}</text>`,
  );
  chart.series.forEach((series, index) => {
    const colour = COLOURS[(series.colour ?? index) % COLOURS.length]!;
    const drawn = series.points.filter((point) => point.y > 0).sort((a, b) => a.x - b.x);
    const dash = series.dashed ? ' stroke-dasharray="6 4"' : '';
    if (drawn.length > 1) {
      const path = drawn.map((point) => `${round(xPosition(point.x))},${round(yPosition(point.y))}`).join(' ');
      out.push(`<polyline points="${path}" fill="none" stroke="${colour}" stroke-width="2"${dash}/>`);
    }
    for (const point of drawn) {
      const fill = point.hollow ? 'white' : colour;
      out.push(
        `<circle cx="${round(xPosition(point.x))}" cy="${round(yPosition(point.y))}" r="4" fill="${fill}" stroke="${colour}" stroke-width="2"><title>${escapeXml(point.label)}</title></circle>`,
      );
    }
    const legendY = TOP + 10 + index * 20;
    const legendX = LEFT + plotWidth + 16;
    out.push(`<line x1="${legendX}" y1="${legendY}" x2="${legendX + 24}" y2="${legendY}" stroke="${colour}" stroke-width="2"${dash}/>`);
    out.push(`<text x="${legendX + 30}" y="${legendY}" dominant-baseline="middle">${escapeXml(series.name)}</text>`);
  });
  if (chart.note) out.push(`<text x="${LEFT}" y="${HEIGHT - 12}" fill="#555">${escapeXml(chart.note)}</text>`);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
