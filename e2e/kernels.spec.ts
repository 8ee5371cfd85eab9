// GPU kernel conformance in real Chromium WebGPU (SwiftShader on GPU-less machines): opens the harness
// page of the production build, waits for window.__kernelResults and asserts that the backend is 'webgpu'
// and every check passed. Tolerances and their reasons live next to each check in harness/*.ts.
// Run: npx vite build && npx playwright test e2e/kernels.spec.ts
import { expect, test } from '@playwright/test';
import type { KernelResults } from '../harness/compare';

test('fused optimizers and conv2dFastGrad match their references on WebGPU', async ({ page }) => {
  test.setTimeout(8 * 60_000);
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  await page.goto('/harness/kernels.html');
  await page.waitForFunction(
    () => (window as unknown as { __kernelResults?: KernelResults }).__kernelResults?.done === true,
    null,
    { timeout: 7 * 60_000, polling: 500 },
  );
  const results = await page.evaluate(
    () => (window as unknown as { __kernelResults: KernelResults }).__kernelResults,
  );
  console.log(`adapter: ${JSON.stringify(results.adapter)}; ${results.elapsedMs?.toFixed(0)} ms`);
  for (const c of results.checks) {
    console.log(
      `${c.pass ? 'PASS' : 'FAIL'} ${c.name}: max abs err ${c.maxAbsErr.toExponential(2)} ` +
        `(tolerance ${c.tolerance.toExponential(2)})`,
    );
  }
  expect(results.error, 'harness threw').toBeUndefined();
  expect(results.backend).toBe('webgpu');
  expect(results.adapter, 'navigator.gpu adapter').not.toBeNull();
  expect(results.gpuErrors).toEqual([]);
  // 6 optimizer cases × 3–4 checks, the conv cases, 1 error check: a silently skipped group would show here.
  expect(results.checks.length).toBeGreaterThanOrEqual(30);
  for (const c of results.checks) {
    expect.soft(c.pass, `${c.name}: max abs err ${c.maxAbsErr} > tolerance ${c.tolerance} (${c.note})`).toBe(true);
  }
  expect(consoleErrors.filter((t) => /webgpu|wgsl|shader|pipeline|bind ?group/i.test(t))).toEqual([]);
});
