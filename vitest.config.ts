import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // most tests wait on child processes (minishark, tshark): two files at a time even on 2 cores
    // (vitest's default there is one), which took npm test from 4 min 57 s to 3 min 46 s
    maxWorkers: Math.max(2, availableParallelism()),
  },
});
