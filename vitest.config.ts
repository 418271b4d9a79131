import os from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Note: most end-to-end files wait on anvil, a local server or a child process rather than compute, and each
    // starts its own on ports the OS picks, so files run side by side beyond the core count.
    maxWorkers: Math.min(8, Math.max(3, os.availableParallelism() + 1)),
    minWorkers: 1,
    reporters: ['default', './test/support/summaryReporter.ts'],
  },
});
