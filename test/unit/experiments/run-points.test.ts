/** The queue of an experiment's checks: its progress reports, and points a Ctrl-C leaves unstarted. */
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { runPoints, type PointsProgress } from '../../../src/experiments/run-points.ts';

const PING = fileURLToPath(new URL('../../../specs/examples/ping.ts', import.meta.url));
const format = (progress: PointsProgress) => `${progress.done}/${progress.running}/${progress.left}/${progress.notStarted}`;

describe('runPoints', () => {
  it('reports each point as it starts and ends, counting the points still waiting', async () => {
    const seen: string[] = [];
    const requests = [2, 3, 4].map((pings) => ({ specPath: PING, parameters: { pings } }));
    const outcomes = await runPoints(requests, { concurrency: 1, onProgress: (progress) => seen.push(format(progress)) });
    expect(outcomes.map((outcome) => outcome.result.status)).toEqual(['ok', 'ok', 'ok']);
    // Once-a-second reports may come between these, repeating the one before.
    expect([...new Set(seen)]).toEqual(['0/1/2/0', '1/0/2/0', '1/1/1/0', '2/0/1/0', '2/1/0/0', '3/0/0/0']);
  });

  it('reports points that start together once', async () => {
    const seen: string[] = [];
    const requests = [2, 3].map((pings) => ({ specPath: PING, parameters: { pings } }));
    await runPoints(requests, { concurrency: 2, onProgress: (progress) => seen.push(format(progress)) });
    expect(seen[0]).toBe('0/2/0/0');
    expect(seen[1]).not.toBe('0/2/0/0');
  });

  it('counts the points an interrupted run never started apart from those it finished', async () => {
    const controller = new AbortController();
    const seen: PointsProgress[] = [];
    const requests = [2, 3, 4].map((pings) => ({ specPath: PING, parameters: { pings } }));
    const outcomes = await runPoints(requests, {
      concurrency: 1,
      signal: controller.signal,
      onProgress: (progress) => {
        seen.push(progress);
        if (progress.done === 1) controller.abort();
      },
    });
    expect(outcomes.map((outcome) => outcome.result.status)).toEqual(['ok', 'incomplete', 'incomplete']);
    expect(outcomes.map((outcome) => outcome.notStarted === true)).toEqual([false, true, true]);
    expect(format(seen.at(-1)!)).toBe('1/0/0/2');
    // The points set aside are one line, not one each.
    expect(seen.filter((progress) => progress.notStarted > 0)).toHaveLength(1);
  });
});
