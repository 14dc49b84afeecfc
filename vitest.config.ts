import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // One test file per core. Vitest's default leaves a core to itself (cores - 1), which on a
    // 2-core machine runs the files one at a time: most of them (CLI runs, one thread each) then
    // leave the second core idle. The main vitest process does little while files run.
    maxWorkers: availableParallelism(),
  },
});
