import { describe, expect, it } from 'vitest';
import ping from '../../specs/examples/ping.ts';
import { checkSpec, counts } from './helpers.ts';

describe('the README example (specs/examples/ping.ts)', () => {
  it('has the hand-counted 10 states with 2 pings on a bag network', async () => {
    // (sent, answers, in flight): (0,0,{}) (1,0,{Ping}) (1,0,{Pong}) (1,1,{}) (2,0,{Ping,Ping})
    // (2,0,{Ping,Pong}) (2,0,{Pong,Pong}) (2,1,{Ping}) (2,1,{Pong}) (2,2,{})
    const report = await checkSpec(ping, { pings: 2 });
    expect(counts(report)).toEqual({ status: 'ok', distinctStates: 10, transitions: 12, depth: 7 });
  });

  it('counts a duplicated Pong twice on a dup network: 4 steps to the violation', async () => {
    const report = await checkSpec(ping, { network: 'dup' });
    expect(report.result.violation?.property).toBe('NoExtraAnswers');
    expect(report.counterexample?.steps.map((step) => step.actionText ?? 'initial')).toEqual([
      'initial',
      'pinger1 Ping',
      'ponger1 receives Ping from pinger1',
      'pinger1 receives Pong from ponger1',
      'pinger1 receives Pong from ponger1',
    ]);
  });
});
