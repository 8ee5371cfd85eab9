// Conformance of the dispatch-cutting WebGPU kernels of issue 12 (gpu/register.ts set 'lean': training
// BatchNorm forward/backward, …) against their pure-tfjs references in core/ops, in real Chromium WebGPU
// (SwiftShader on GPU-less machines): opens harness/leanKernels.html of the production build, waits for
// window.__leanKernelResults and asserts backend 'webgpu', no WebGPU errors and every check passed
// (cases and tolerances: harness/leanKernels.ts).
// Run: npx vite build && npx playwright test e2e/leanKernels.spec.ts
import { test } from '@playwright/test';
import { expectKernelHarnessPasses } from './kernelHarness';

test('lean kernels (training BatchNorm, EMA, ReLU gradient) match their pure-tfjs references (WebGPU)', async ({ page }) => {
  test.setTimeout(6 * 60_000);
  await expectKernelHarnessPasses(page, {
    path: '/harness/leanKernels.html',
    resultsKey: '__leanKernelResults',
    numChecks: 1 + 3 * 12 + 5 + 3, // kernel paths + 12 BN cases × (forward, dx, dγ/dβ) + 5 EMA + 3 ReLU-gradient cases
    timeoutMs: 5 * 60_000,
  });
});
