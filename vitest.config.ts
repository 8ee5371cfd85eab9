// Vitest: unit tests next to the code, Node environment, tfjs CPU backend.
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // One fork per core (vitest's default leaves one idle: 1 fork on a 2-core CI machine). Measured on
    // this 2-core VM: the whole unit suite took 297 s with 2 forks against about 426 s with 1.
    maxWorkers: availableParallelism(),
    coverage: {
      include: ['src/core/**/*.ts'],
      thresholds: { lines: 70, functions: 70 },
    },
  },
});
