// Conformance of our Conv2DBackpropInput (dx as a forward conv, src/gpu/kernels/conv2dBackpropInput.ts)
// against tfjs's stock webgpu kernel in real Chromium WebGPU (SwiftShader on GPU-less machines): opens
// harness/convInputGrad.html of the production build, waits for window.__convInputGradResults and asserts
// backend 'webgpu', no WebGPU errors and every check passed (tolerances: harness/convInputGrad.ts).
// Run: npx vite build && npx playwright test e2e/convInputGrad.spec.ts
import { test } from '@playwright/test';
import { expectKernelHarnessPasses } from './kernelHarness';

test('Conv2DBackpropInput identity matches the stock kernel on every ResNet conv shape (WebGPU)', async ({ page }) => {
  test.setTimeout(8 * 60_000);
  await expectKernelHarnessPasses(page, {
    path: '/harness/convInputGrad.html',
    resultsKey: '__convInputGradResults',
    numChecks: 10 + 11 + 11 + 2, // 10 small cases + 11 ResNet-18 w16 shapes + 11 small-config shapes + registry + NCHW fallback
    timeoutMs: 7 * 60_000,
  });
});
