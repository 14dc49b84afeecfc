/**
 * The largest golden counts of classic Paxos in the suite: 3 acceptors, 2 proposers with 2 rounds
 * each (4 ballots), under `bag` and `dup`. They leave learners out (`learners: 0`): learners take
 * no part in choosing a value, and with one learner this configuration passes 115 million states,
 * more than a test may explore. These runs (22 and 8 million states) use both cores.
 */
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import paxos from '../../specs/paxos.ts';
import type { AnyModel } from '../../src/model.ts';
import { resolveParameters } from '../../src/parameters.ts';
import { checkModel } from '../../src/check.ts';
import { PAXOS_ALL_HOLD, counts, verdicts } from './helpers.ts';

const specPath = fileURLToPath(new URL('../../specs/paxos.ts', import.meta.url));

describe('classic Paxos, 3 acceptors, 2 proposers, 2 rounds, no learners (golden state counts)', () => {
  const cases = [
    { network: 'bag', expected: { distinctStates: 22_024_249, transitions: 58_618_650, depth: 37 } },
    { network: 'dup', expected: { distinctStates: 8_232_217, transitions: 32_754_762, depth: 37 } },
  ] as const;

  for (const { network, expected } of cases) {
    it(`network=${network}: every property holds`, async () => {
      const parameters = resolveParameters(paxos.parameters, { proposers: 2, rounds: 2, learners: 0, network });
      const model: AnyModel = paxos.build(parameters);
      const report = await checkModel(model, { workers: 2, source: { specPath, parameters } });
      expect(counts(report)).toEqual({ status: 'ok', ...expected });
      expect(verdicts(report)).toEqual(PAXOS_ALL_HOLD);
    }, 600_000);
  }
});
