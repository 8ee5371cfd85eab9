// Conformance of the dispatch-cutting WebGPU kernels of issue 12 (gpu/register.ts set 'lean': training
// BatchNorm forward/backward, …) against their pure-tfjs references in core/ops, in real Chromium WebGPU
// (SwiftShader on GPU-less machines): opens harness/leanKernels.html of the production build, waits for
// window.__leanKernelResults and asserts backend 'webgpu', no WebGPU errors and every check passed
// (cases and tolerances: harness/leanKernels.ts).
// Run: npx vite build && npx playwright test e2e/leanKernels.spec.ts
import { expect, test } from '@playwright/test';
import type { KernelResults } from '../harness/compare';

test('lean kernels (training BatchNorm, EMA, ReLU gradient) match their pure-tfjs references (WebGPU)', async ({ page }) => {
  test.setTimeout(6 * 60_000);
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  await page.goto('/harness/leanKernels.html');
  await page.waitForFunction(
    () => (window as unknown as { __leanKernelResults?: KernelResults }).__leanKernelResults?.done === true,
    null,
    { timeout: 5 * 60_000, polling: 500 },
  );
  const results = await page.evaluate(() => (window as unknown as { __leanKernelResults: KernelResults }).__leanKernelResults);
  console.log(`adapter: ${JSON.stringify(results.adapter)}; ${results.elapsedMs?.toFixed(0)} ms`);
  for (const c of results.checks) {
    console.log(`${c.pass ? 'PASS' : 'FAIL'} ${c.name}: max abs err ${c.maxAbsErr.toExponential(2)} (tolerance ${c.tolerance.toExponential(2)})`);
  }
  expect(results.error, 'harness threw').toBeUndefined();
  expect(results.backend).toBe('webgpu');
  expect(results.gpuErrors).toEqual([]);
  expect(results.checks.length).toBe(1 + 3 * 12 + 5 + 3); // kernel paths + 12 BN cases × (forward, dx, dγ/dβ) + 5 EMA + 3 ReLU-gradient cases
  for (const c of results.checks) expect.soft(c.pass, `${c.name}: ${c.maxAbsErr} vs ${c.tolerance} (${c.note})`).toBe(true);
  expect(consoleErrors.filter((t) => /webgpu|wgsl|shader|pipeline|bind ?group/i.test(t))).toEqual([]);
});
