/** A check whose spec code never returns: its thread is terminated after the grace period. */
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { experimentRow } from '../../../src/experiments/record.ts';
import { runPoints } from '../../../src/experiments/run-points.ts';

const LOOPS = fileURLToPath(new URL('../../e2e/fixtures/loops-forever-at.ts', import.meta.url));

describe('a point whose spec code never returns', () => {
  it('is stopped after its --max-seconds and the grace period, incomplete, beside the points that finished', async () => {
    const requests = [0, 2].map((loopsAt) => ({ specPath: LOOPS, parameters: { loopsAt, network: 'bag' }, maxSeconds: 0.5 }));
    const started = performance.now();
    const outcomes = await runPoints(requests, { concurrency: 2, returnGraceSeconds: 0.5 });
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(outcomes.map((outcome) => [outcome.result.status, outcome.result.incompleteReason, outcome.notReturned])).toEqual([
      ['ok', undefined, undefined],
      ['incomplete', 'max-seconds', true],
    ]);
    const row = experimentRow('loops-forever-at', requests[1]!, outcomes[1]!);
    expect(row.incompleteReason).toBe('max-seconds');
    expect(row.specCodeDidNotReturn).toBe(true);
    // Measured by the thread that stopped it: at least the limit and the grace.
    expect(row.seconds).toBeGreaterThanOrEqual(1);
  });

  it('is stopped the grace period after an interrupt, and the points not started are set aside', async () => {
    const controller = new AbortController();
    const requests = [1, 0].map((loopsAt) => ({ specPath: LOOPS, parameters: { loopsAt, network: 'bag' } }));
    const outcomes = await runPoints(requests, {
      concurrency: 1,
      signal: controller.signal,
      returnGraceSeconds: 0.5,
      onProgress: (progress) => {
        if (progress.running === 1) setTimeout(() => controller.abort(), 200);
      },
    });
    expect(outcomes.map((outcome) => [outcome.result.incompleteReason, outcome.notReturned, outcome.notStarted])).toEqual([
      ['interrupted', true, undefined],
      ['interrupted', undefined, true],
    ]);
  });
});
