// Fallback: in a Chromium without WebGPU (the unsafe-WebGPU switch is off and the feature is
// disabled) the app shows a banner saying why, runs on WebGL or the CPU instead, and still trains.
import { expect, test } from '@playwright/test';
import { CHROMIUM_ARGS } from '../playwright.config';
import { tinyQuery, watchConsole } from './helpers';

test.use({
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS.filter((a) => !a.includes('webgpu') && !a.includes('Vulkan')), '--disable-features=WebGPU'],
  },
});

test('without WebGPU a banner explains the fallback and training still runs', async ({ page }) => {
  const consoleWatch = watchConsole(page);
  await page.goto(tinyQuery({ knnEvery: 0, probeEvery: 1000, numViews: 2 }));
  const banner = page.getByTestId('banner-backend');
  await expect(banner).toBeVisible({ timeout: 60_000 });
  await expect(banner).toContainText('WebGPU');
  const backend = page.getByTestId('status-backend');
  await expect(backend).toContainText(/webgl|cpu/);

  await page.getByTestId('btn-start').click();
  await expect.poll(async () => Number(await page.getByTestId('chart-loss').getAttribute('data-points')), { timeout: 300_000 }).toBeGreaterThanOrEqual(2);
  await page.screenshot({ path: 'test-results/fallback.png', fullPage: true });
  await page.getByTestId('btn-stop').click();
  await expect(page.getByTestId('run-state')).toHaveText('stopped', { timeout: 120_000 });
  expect(consoleWatch.errors).toEqual([]);
});
