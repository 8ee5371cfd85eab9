// End-to-end: the evaluation panels in real Chromium with WebGPU (SwiftShader here). A tiny run
// with knnEvery 2 and maxSteps 4 shows the online linear-probe accuracy, the collapse-health values,
// and the PCA map with points and thumbnails; the offline probe button trains a probe with a
// progress bar and shows its result.
import { expect, test } from '@playwright/test';
import { tinyQuery, watchConsole } from './helpers';

test('probe accuracy, collapse health, PCA map and the offline probe', async ({ page }) => {
  const consoleWatch = watchConsole(page);
  await page.goto(tinyQuery({ knnEvery: 2, maxSteps: 4, probeEvery: 100, autostart: 1 }));
  await expect(page.getByTestId('status-backend')).toContainText('webgpu', { timeout: 120_000 });
  await expect(page.getByTestId('run-state')).toHaveText('done', { timeout: 120_000 });

  // Online probe: a value at step 4, and two points (steps 2 and 4) next to kNN.
  const probeValue = Number(await page.getByTestId('probe-value').getAttribute('data-value'));
  expect(probeValue).toBeGreaterThanOrEqual(0);
  expect(probeValue).toBeLessThanOrEqual(1);
  await expect(page.getByTestId('probe-value')).toContainText('%');
  expect(Number(await page.getByTestId('chart-linear-probe').getAttribute('data-points'))).toBe(2);

  // Health: std·√d and effective rank with a verdict.
  const health = page.getByTestId('health-values');
  await expect(health).toHaveAttribute('data-state', /^(healthy|collapsed)$/);
  expect(Number(await health.getAttribute('data-std-ratio'))).toBeGreaterThan(0);
  expect(Number(await health.getAttribute('data-effective-rank'))).toBeGreaterThanOrEqual(1);
  expect(Number(await page.getByTestId('panel-health').getAttribute('data-points'))).toBe(2);

  // PCA map: one point per held-out image (40), thumbnails of the first 32.
  await expect(page.getByTestId('embedding-point')).toHaveCount(40);
  await expect(page.getByTestId('embedding-thumb')).toHaveCount(32);

  // Offline probe: progress, then a result.
  // Records every progress value the bar shows (the probe may finish between two polls).
  await page.evaluate(() => {
    const seen: number[] = [];
    (window as unknown as { probeProgress: number[] }).probeProgress = seen;
    new MutationObserver(() => {
      const bar = document.querySelector('[data-testid="offline-probe-progress"]') as HTMLProgressElement | null;
      if (bar && seen.at(-1) !== bar.value) seen.push(bar.value);
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  await page.getByTestId('offline-probe-button').click();
  await expect(page.getByTestId('offline-probe-result')).toBeVisible({ timeout: 120_000 });
  const top1 = Number(await page.getByTestId('offline-probe-result').getAttribute('data-value'));
  expect(top1).toBeGreaterThanOrEqual(0);
  expect(top1).toBeLessThanOrEqual(1);
  await expect(page.getByTestId('offline-probe-result')).toContainText('step-4 backbone');
  await expect(page.getByTestId('offline-probe-button')).toBeEnabled();
  const seen = await page.evaluate(() => (window as unknown as { probeProgress: number[] }).probeProgress);
  expect(seen.length).toBeGreaterThanOrEqual(2);
  expect(Math.max(...seen)).toBeGreaterThan(0);
  await page.screenshot({ path: 'test-results/evaluation-panels.png', fullPage: true });
  expect(consoleWatch.errors).toEqual([]);
});
