// End-to-end with the ViT backbone: the app in Chromium with WebGPU (SwiftShader here) shows the
// ViT settings only for the ViT, trains 2 steps of SimSiam + HVP (drop_path on, so the selection
// and training forwards draw their seeded masks on the GPU path), the loss chart gains both points,
// the tfjs backbone export button is disabled with "export the checkpoint instead", and nothing is logged
// to the console as an error. A second test runs harness/vitParity.html: the same ViT on WebGPU
// (our kernels registered) and on the CPU backend give the same features and gradients.
import { expect, test } from '@playwright/test';
import type { KernelResults } from '../harness/compare';
import { tinyQuery, watchConsole } from './helpers';

const VIT = { backbone: 'vit', vitPatchSize: 4, vitDim: 16, vitDepth: 2, vitHeads: 2, vitDropPath: 0.1 };

test('trains SimSiam + HVP with the ViT backbone on WebGPU', async ({ page }) => {
  const consoleWatch = watchConsole(page);
  await page.goto(tinyQuery({ ...VIT, maxSteps: 2, knnEvery: 0, probeEvery: 100, autosaveEvery: 0 }));
  await expect(page.getByTestId('status-backend')).toContainText('webgpu', { timeout: 120_000 });
  await expect(page.getByTestId('banner-backend')).toHaveCount(0);
  await expect(page.getByTestId('url-warnings')).toHaveCount(0);
  await expect(page.getByTestId('config-field-vitDim')).toBeVisible();
  await expect(page.getByTestId('config-field-backboneWidth')).toHaveCount(0);

  await page.getByTestId('btn-start').click();
  await expect(page.getByTestId('run-state')).toHaveText('done', { timeout: 300_000 });
  await expect(page.getByTestId('chart-loss')).toHaveAttribute('data-points', '2');
  await expect(page.getByTestId('status-step')).toContainText('2');

  // The tfjs export is for ResNets: the button is disabled with the reason; the checkpoint exports.
  await expect(page.getByTestId('btn-export-backbone')).toBeDisabled();
  await expect(page.getByTestId('backbone-export-blocked')).toContainText('export the checkpoint instead');
  await expect(page.getByTestId('btn-export-checkpoint')).toBeEnabled();
  await page.screenshot({ path: 'test-results/vit-done.png', fullPage: true });
  expect(consoleWatch.errors).toEqual([]);
});

test('the ViT on WebGPU matches the CPU backend: features, drop_path forward, gradients', async ({ page }) => {
  const consoleWatch = watchConsole(page);
  await page.goto('/harness/vitParity.html');
  await page.waitForFunction(() => (window as unknown as { __kernelResults?: KernelResults }).__kernelResults?.done === true, null, { timeout: 5 * 60_000, polling: 500 });
  const results = await page.evaluate(() => (window as unknown as { __kernelResults: KernelResults }).__kernelResults);
  for (const c of results.checks) console.log(`${c.pass ? 'PASS' : 'FAIL'} ${c.name}: max abs err ${c.maxAbsErr.toExponential(2)} (tolerance ${c.tolerance.toExponential(2)}; ${c.note})`);
  expect(results.error, 'harness threw').toBeUndefined();
  expect(results.backend).toBe('webgpu');
  expect(results.checks).toHaveLength(5);
  for (const c of results.checks) expect.soft(c.pass, `${c.name}: ${c.maxAbsErr} > ${c.tolerance} (${c.note})`).toBe(true);
  expect(consoleWatch.errors).toEqual([]);
});
