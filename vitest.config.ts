// Vitest: unit tests next to the code, Node environment, tfjs CPU backend.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    coverage: {
      include: ['src/core/**/*.ts'],
      thresholds: { lines: 70, functions: 70 },
    },
  },
});
