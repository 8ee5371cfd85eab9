// Conformance of batchNormTrain (src/core/ops/batchNormTrain.ts, the closed-form BatchNorm backward) against
// tfjs's autodiff of tf.moments + tf.batchNorm in real Chromium WebGPU (SwiftShader on GPU-less machines):
// opens harness/batchNormTrain.html of the production build, waits for window.__batchNormTrainResults and
// asserts backend 'webgpu', no WebGPU errors and every check passed (tolerances: harness/batchNormTrain.ts).
// Run: npx vite build && npx playwright test e2e/batchNormTrain.spec.ts
import { test } from '@playwright/test';
import { expectKernelHarnessPasses } from './kernelHarness';

test('batchNormTrain matches the autodiff BatchNorm on every BN shape of the small config (WebGPU)', async ({ page }) => {
  test.setTimeout(5 * 60_000);
  await expectKernelHarnessPasses(page, {
    path: '/harness/batchNormTrain.html',
    resultsKey: '__batchNormTrainResults',
    numChecks: 2 * 10, // 10 cases × (y/stats/dγ/dβ, dx)
    timeoutMs: 4 * 60_000,
  });
});
