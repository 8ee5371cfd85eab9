// Conformance of our Conv2DBackpropInput (dx as a forward conv, src/gpu/kernels/conv2dBackpropInput.ts)
// against tfjs's stock webgpu kernel in real Chromium WebGPU (SwiftShader on GPU-less machines): opens
// harness/convInputGrad.html of the production build, waits for window.__convInputGradResults and asserts
// backend 'webgpu', no WebGPU errors and every check passed (tolerances: harness/convInputGrad.ts).
// Run: npx vite build && npx playwright test e2e/convInputGrad.spec.ts
import { expect, test } from '@playwright/test';
import type { KernelResults } from '../harness/compare';

test('Conv2DBackpropInput identity matches the stock kernel on every ResNet conv shape (WebGPU)', async ({ page }) => {
  test.setTimeout(8 * 60_000);
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  await page.goto('/harness/convInputGrad.html');
  await page.waitForFunction(
    () => (window as unknown as { __convInputGradResults?: KernelResults }).__convInputGradResults?.done === true,
    null,
    { timeout: 7 * 60_000, polling: 500 },
  );
  const results = await page.evaluate(() => (window as unknown as { __convInputGradResults: KernelResults }).__convInputGradResults);
  console.log(`adapter: ${JSON.stringify(results.adapter)}; ${results.elapsedMs?.toFixed(0)} ms`);
  for (const c of results.checks) {
    console.log(`${c.pass ? 'PASS' : 'FAIL'} ${c.name}: max abs err ${c.maxAbsErr.toExponential(2)} (tolerance ${c.tolerance.toExponential(2)})`);
  }
  expect(results.error, 'harness threw').toBeUndefined();
  expect(results.backend).toBe('webgpu');
  expect(results.gpuErrors).toEqual([]);
  // 10 small cases + 11 ResNet-18 w16 shapes + 11 small-config shapes + registry + NCHW fallback.
  expect(results.checks.length).toBe(10 + 11 + 11 + 2);
  for (const c of results.checks) expect.soft(c.pass, `${c.name}: ${c.maxAbsErr} vs ${c.tolerance} (${c.note})`).toBe(true);
  expect(consoleErrors.filter((t) => /webgpu|wgsl|shader|pipeline|bind ?group/i.test(t))).toEqual([]);
});
