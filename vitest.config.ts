import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // One test file per core, up to four. Vitest's default leaves a core to itself (cores - 1),
    // which on a 2-core machine runs the files one at a time: most of them (CLI runs, one thread
    // each) then leave the second core idle. The main vitest process does little while files run.
    // Past four, the files that time a run or start threads would share the machine with too
    // many others (and some explore millions of states, a gigabyte each).
    maxWorkers: Math.min(availableParallelism(), 4),
  },
});
