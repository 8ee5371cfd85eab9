// Conformance of batchNormTrain (src/core/ops/batchNormTrain.ts, the closed-form BatchNorm backward) against
// tfjs's autodiff of tf.moments + tf.batchNorm in real Chromium WebGPU (SwiftShader on GPU-less machines):
// opens harness/batchNormTrain.html of the production build, waits for window.__batchNormTrainResults and
// asserts backend 'webgpu', no WebGPU errors and every check passed (tolerances: harness/batchNormTrain.ts).
// Run: npx vite build && npx playwright test e2e/batchNormTrain.spec.ts
import { expect, test } from '@playwright/test';
import type { KernelResults } from '../harness/compare';

test('batchNormTrain matches the autodiff BatchNorm on every BN shape of the small config (WebGPU)', async ({ page }) => {
  test.setTimeout(5 * 60_000);
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  await page.goto('/harness/batchNormTrain.html');
  await page.waitForFunction(
    () => (window as unknown as { __batchNormTrainResults?: KernelResults }).__batchNormTrainResults?.done === true,
    null,
    { timeout: 4 * 60_000, polling: 500 },
  );
  const results = await page.evaluate(() => (window as unknown as { __batchNormTrainResults: KernelResults }).__batchNormTrainResults);
  console.log(`adapter: ${JSON.stringify(results.adapter)}; ${results.elapsedMs?.toFixed(0)} ms`);
  for (const c of results.checks) {
    console.log(`${c.pass ? 'PASS' : 'FAIL'} ${c.name}: max abs err ${c.maxAbsErr.toExponential(2)} (tolerance ${c.tolerance.toExponential(2)})`);
  }
  expect(results.error, 'harness threw').toBeUndefined();
  expect(results.backend).toBe('webgpu');
  expect(results.gpuErrors).toEqual([]);
  expect(results.checks.length).toBe(2 * 10); // 10 cases × (y/stats/dγ/dβ, dx)
  for (const c of results.checks) expect.soft(c.pass, `${c.name}: ${c.maxAbsErr} vs ${c.tolerance} (${c.note})`).toBe(true);
  expect(consoleErrors.filter((t) => /webgpu|wgsl|shader|pipeline|bind ?group/i.test(t))).toEqual([]);
});
