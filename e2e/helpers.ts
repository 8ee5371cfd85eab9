// Shared Playwright helpers: a tiny run config for SwiftShader, and console-error capture.
import type { Page } from '@playwright/test';

/** A run small enough for WebGPU on SwiftShader (CPU): 16×16 views, batch 8, width 4. */
export const TINY_RUN = {
  numTrainImages: 64,
  numTestImages: 40,
  numKnnBankImages: 64,
  imageSize: 16,
  batchSize: 8,
  backboneWidth: 4,
  projDim: 32,
  predHiddenDim: 8,
  knnEvery: 4,
  knnK: 5,
  probeEvery: 2,
  numProbeImages: 2,
  totalSteps: 400,
  warmupSteps: 0,
  learningRate: 0.05,
  seed: 3,
};

/** URL query of TINY_RUN plus overrides. */
export function tinyQuery(overrides: Record<string, string | number> = {}): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...TINY_RUN, ...overrides })) p.set(k, String(v));
  return `/?${p.toString()}`;
}

/** Collects console errors and page errors; call `.errors` at the end of a test. */
export function watchConsole(page: Page): { errors: string[] } {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  return { errors };
}
