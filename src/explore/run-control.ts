/**
 * Time, memory, interruption and progress for a running exploration. Explorers call `tick` once
 * per expanded state; it does real work only every few thousand calls, so the hot loop pays for
 * a counter and a comparison.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { ExploreOptions, IncompleteReason, Progress } from './result.ts';

const TICK_INTERVAL = 1024;
const YIELD_EVERY_MS = 50;
const PROGRESS_EVERY_MS = 1000;

export class RunControl {
  readonly startedAt = performance.now();
  private ticks = 0;
  private lastYield = this.startedAt;
  private lastProgress = this.startedAt;
  peakMemoryBytes = process.memoryUsage.rss();
  stopReason: IncompleteReason | undefined;

  constructor(
    private readonly options: ExploreOptions,
    private readonly tickInterval = TICK_INTERVAL,
  ) {}

  seconds(): number {
    return (performance.now() - this.startedAt) / 1000;
  }

  /** True when the caller should await {@link pause} (rarely: about every 50 ms). */
  tick(): boolean {
    if (++this.ticks < this.tickInterval) return false;
    this.ticks = 0;
    const now = performance.now();
    return now - this.lastYield >= YIELD_EVERY_MS;
  }

  /**
   * Samples memory, checks limits, reports progress and lets the event loop run (so Ctrl-C and
   * timers are seen). Returns the reason to stop, if any.
   */
  async pause(progress: () => Omit<Progress, 'seconds' | 'statesPerSecond'>): Promise<IncompleteReason | undefined> {
    const now = performance.now();
    this.lastYield = now;
    this.sampleMemory();
    if (now - this.lastProgress >= PROGRESS_EVERY_MS && this.options.onProgress) {
      this.lastProgress = now;
      const snapshot = progress();
      const seconds = (now - this.startedAt) / 1000;
      this.options.onProgress({ ...snapshot, seconds, statesPerSecond: snapshot.distinctStates / seconds });
    }
    await yieldToEventLoop();
    return this.checkLimits();
  }

  sampleMemory(): void {
    const rss = process.memoryUsage.rss();
    if (rss > this.peakMemoryBytes) this.peakMemoryBytes = rss;
  }

  checkLimits(): IncompleteReason | undefined {
    const options = this.options;
    if (options.signal?.aborted) return (this.stopReason = 'interrupted');
    if (options.maxSeconds !== undefined && this.seconds() >= options.maxSeconds) return (this.stopReason = 'max-seconds');
    if (options.maxMemoryBytes !== undefined && this.peakMemoryBytes >= options.maxMemoryBytes) {
      return (this.stopReason = 'max-memory');
    }
    return undefined;
  }
}
