// Fallback: in a Chromium without WebGPU (the unsafe-WebGPU switch is off and the feature is
// disabled) the app shows a banner saying why, skips WebGL because its renderer here is software
// (SwiftShader), runs on wasm — threaded SIMD, the page being cross-origin isolated — and still trains.
import { expect, test } from '@playwright/test';
import { CHROMIUM_ARGS } from '../playwright.config';
import { tinyQuery, watchConsole } from './helpers';

test.use({
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS.filter((a) => !a.includes('webgpu') && !a.includes('Vulkan')), '--disable-features=WebGPU'],
  },
});

test('without WebGPU a banner explains the fallback, wasm runs with SIMD and threads, and training still runs', async ({ page }) => {
  const consoleWatch = watchConsole(page);
  await page.goto(tinyQuery({ knnEvery: 0, probeEvery: 1000, numViews: 2, maxSteps: 6 }));
  const banner = page.getByTestId('banner-backend');
  await expect(banner).toBeVisible({ timeout: 120_000 });
  await expect(banner).toContainText('WebGPU');
  const backend = page.getByTestId('status-backend');
  await expect(backend).toHaveAttribute('data-backend', 'wasm');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  // tfjs-backend-wasm runs min(8, max(1, ⌊logical processors / 2⌋)) threads (it assumes two per core)
  const threads = Math.min(8, Math.max(1, Math.floor((await page.evaluate(() => navigator.hardwareConcurrency)) / 2)));
  await expect(backend).toContainText(`wasm · SIMD, ${threads} thread${threads === 1 ? '' : 's'}`);
  expect(await backend.getAttribute('title')).toMatch(/WebGL: the renderer is software \(.*SwiftShader.*\), slower than wasm/i);

  await page.getByTestId('btn-start').click();
  await expect.poll(async () => Number(await page.getByTestId('chart-loss').getAttribute('data-points')), { timeout: 300_000 }).toBeGreaterThanOrEqual(2);
  await page.screenshot({ path: 'test-results/fallback.png', fullPage: true });
  await expect(page.getByTestId('run-state')).toHaveText('done', { timeout: 120_000 });
  await expect(page.getByTestId('status-step')).toHaveAttribute('data-step', '6');
  expect(consoleWatch.errors).toEqual([]);
});
