/** The queue of an experiment's checks: its progress reports, and points a Ctrl-C leaves unstarted. */
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { runPoints, type PointsProgress } from '../../../src/experiments/run-points.ts';

const PING = fileURLToPath(new URL('../../../specs/examples/ping.ts', import.meta.url));
const format = (progress: PointsProgress) => `${progress.done}/${progress.running}/${progress.left}/${progress.notStarted}`;

describe('runPoints', () => {
  it('reports at most once a second, and the last counts once, however fast the points are', async () => {
    const seen: { counts: string; at: number }[] = [];
    // Points of a few milliseconds each: one line a point would be hundreds of lines a minute.
    const requests = Array.from({ length: 40 }, (_, index) => ({ specPath: PING, parameters: { pings: 1 + (index % 3), network: 'bag' } }));
    const outcomes = await runPoints(requests, { concurrency: 2, onProgress: (progress) => seen.push({ counts: format(progress), at: performance.now() }) });
    expect(outcomes.every((outcome) => outcome.result.status === 'ok')).toBe(true);
    expect(seen[0]!.counts).toBe('0/2/38/0');
    expect(seen.at(-1)!.counts).toBe('40/0/0/0');
    expect(seen.filter((report) => report.counts === '40/0/0/0')).toHaveLength(1);
    // While points wait, both slots run one: a line counted between a point's end and the next
    // one's start would say 1 running. (With none left, one running is right.)
    expect(seen.filter((report) => report.counts.split('/')[2] !== '0' && report.counts.split('/')[1] !== '2')).toEqual([]);
    // Every line but the last at least (nearly) a second after the one before.
    const gaps = seen.slice(1, -1).map((report, index) => report.at - seen[index]!.at);
    expect(gaps.every((gap) => gap >= 850)).toBe(true);
    expect(seen.length).toBeLessThanOrEqual(2 + Math.ceil((seen.at(-1)!.at - seen[0]!.at) / 850));
  });

  it('reports points that start together once', async () => {
    const seen: string[] = [];
    const requests = [2, 3].map((pings) => ({ specPath: PING, parameters: { pings, network: 'bag' } }));
    await runPoints(requests, { concurrency: 2, onProgress: (progress) => seen.push(format(progress)) });
    expect(seen[0]).toBe('0/2/0/0');
    expect(seen[1]).not.toBe('0/2/0/0');
  });

  it('counts the points an interrupted run never started apart from those it finished', async () => {
    const controller = new AbortController();
    const seen: PointsProgress[] = [];
    const requests = [2, 3, 4].map((pings) => ({ specPath: PING, parameters: { pings, network: 'bag' } }));
    const outcomes = await runPoints(requests, {
      concurrency: 1,
      signal: controller.signal,
      onProgress: (progress) => {
        seen.push(progress);
        // While the first point runs (it may end ok or interrupted, whichever comes first).
        if (progress.running === 1) controller.abort();
      },
    });
    expect(outcomes.slice(1).map((outcome) => outcome.result.status)).toEqual(['incomplete', 'incomplete']);
    expect(outcomes.map((outcome) => outcome.notStarted === true)).toEqual([false, true, true]);
    expect(format(seen.at(-1)!)).toBe('1/0/0/2');
    // The points set aside are one line, not one each.
    expect(seen.filter((progress) => progress.notStarted > 0)).toHaveLength(1);
  });
});
