// Parity of the WGSL pair-select kernel (HvpPairSelect) with its references in real Chromium WebGPU
// (SwiftShader on GPU-less machines): opens harness/pairKernel.html of the production build, waits for
// window.__pairKernelResults and asserts backend 'webgpu', no WebGPU errors and every check passed.
// Tolerances and their derivation live in harness/pairKernel.ts.
// Run: npx vite build && npx playwright test e2e/pairKernel.spec.ts
import { expect, test } from '@playwright/test';
import type { PairKernelResults } from '../harness/pairKernel';

test('pair-select kernel matches the reference on WebGPU (losses, argmax/argmin, ties, NaN; SimSiam, DINO, SimCLR scores)', async ({ page }) => {
  test.setTimeout(8 * 60_000);
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  await page.goto('/harness/pairKernel.html');
  await page.waitForFunction(
    () => (window as unknown as { __pairKernelResults?: PairKernelResults }).__pairKernelResults?.done === true,
    null,
    { timeout: 7 * 60_000, polling: 500 },
  );
  const results = await page.evaluate(
    () => (window as unknown as { __pairKernelResults: PairKernelResults }).__pairKernelResults,
  );
  console.log(`adapter: ${JSON.stringify(results.adapter)}; ${results.elapsedMs?.toFixed(0)} ms`);
  let nearTies = 0;
  for (const c of results.checks) {
    nearTies += c.nearTies;
    console.log(
      `${c.pass ? 'PASS' : 'FAIL'} ${c.name}: max abs err ${c.maxAbsErr.toExponential(2)} ` +
        `(tolerance ${c.tolerance.toExponential(2)}); ${c.note}`,
    );
  }
  console.log(`near-ties among random cases: ${nearTies}`);
  expect(results.error, 'harness threw').toBeUndefined();
  expect(results.backend).toBe('webgpu');
  expect(results.adapter, 'navigator.gpu adapter').not.toBeNull();
  expect(results.gpuErrors).toEqual([]);
  // 27 random shapes × 2 scores × 2 modes + 9 random SimCLR logit cases × 2 modes + 9 tie/NaN cases
  // × 2 modes: a skipped group would show here.
  expect(results.checks.length).toBe(27 * 2 * 2 + 9 * 2 + 9 * 2);
  for (const c of results.checks) {
    expect.soft(c.pass, `${c.name}: max abs err ${c.maxAbsErr} vs tolerance ${c.tolerance} (${c.note})`).toBe(true);
  }
  // Constructed ties and NaN rows have one right answer: no near-tie allowance there.
  for (const c of results.checks.filter((x) => /^(tie|NaN)/.test(x.name))) {
    expect.soft(c.argmaxEqual, `${c.name}: ${c.note}`).toBe(true);
  }
  expect(consoleErrors.filter((t) => /webgpu|wgsl|shader|pipeline|bind ?group/i.test(t))).toEqual([]);
});
