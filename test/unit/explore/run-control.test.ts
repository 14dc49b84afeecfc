import { describe, it, expect } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { RunControl } from '../../../src/explore/run-control.ts';

describe('RunControl', () => {
  it('asks for a pause only on every 1024th tick, and only once 50 ms have passed', async () => {
    const control = new RunControl({});
    await sleep(60);
    let early = 0;
    for (let i = 0; i < 1023; i++) if (control.tick()) early++;
    expect(early).toBe(0);
    expect(control.tick()).toBe(true);
    // The tick counter restarts after the 1024th tick.
    expect(control.tick()).toBe(false);
  });

  it('after a pause, waits another 50 ms before asking again', async () => {
    const control = new RunControl({});
    expect(await control.pause(() => ({ distinctStates: 0, transitions: 0, depth: 0, frontier: 0 }))).toBeUndefined();
    let asked = 0;
    for (let i = 0; i < 1024; i++) if (control.tick()) asked++;
    // Far less than 50 ms after the pause (a loop of 1024 ticks).
    expect(asked).toBe(0);
  });

  it('checkLimits names the limit hit', () => {
    expect(new RunControl({}).checkLimits()).toBeUndefined();
    expect(new RunControl({ signal: AbortSignal.abort() }).checkLimits()).toBe('interrupted');
    expect(new RunControl({ maxSeconds: 0 }).checkLimits()).toBe('max-seconds');
    expect(new RunControl({ maxSeconds: 3600 }).checkLimits()).toBeUndefined();
    expect(new RunControl({ maxMemoryBytes: 1 }).checkLimits()).toBe('max-memory');
    expect(new RunControl({ maxMemoryBytes: Number.MAX_SAFE_INTEGER }).checkLimits()).toBeUndefined();
    const both = new RunControl({ signal: AbortSignal.abort(), maxSeconds: 0 });
    expect(both.checkLimits()).toBe('interrupted');
    expect(both.stopReason).toBe('interrupted');
  });

  it('pause reports progress once a second has passed, and returns the stop reason', async () => {
    const seen: number[] = [];
    const controller = new AbortController();
    const control = new RunControl({ signal: controller.signal, onProgress: (progress) => seen.push(progress.distinctStates) });
    const progress = () => ({ distinctStates: 42, transitions: 1, depth: 1, frontier: 1 });
    expect(await control.pause(progress)).toBeUndefined();
    expect(seen).toEqual([]);
    await sleep(1010);
    controller.abort();
    expect(await control.pause(progress)).toBe('interrupted');
    expect(seen).toEqual([42]);
  });
});
