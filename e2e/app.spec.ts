// End-to-end: the app in real Chromium with WebGPU (SwiftShader here) trains a tiny SimSiam+HVP
// run in the worker; charts gain points, the gallery shows views with a highlighted pair, kNN
// accuracy appears, pause and resume work, and nothing is logged to the console as an error. Every
// wait has words: the status line says what the first step is doing before the first point, and
// "pausing" between Pause and the end of the step in flight.
import { expect, test } from '@playwright/test';
import { seenMoments, watchMoments } from './domMoments';
import { tinyQuery, watchConsole } from './helpers';

const points = async (page: import('@playwright/test').Page, id: string) =>
  Number(await page.getByTestId(id).getAttribute('data-points'));

test('trains SimSiam + HVP on WebGPU with live panels, pause and resume', async ({ page }) => {
  const consoleWatch = watchConsole(page);
  await page.goto(tinyQuery());
  await expect(page.getByTestId('status-backend')).toContainText('webgpu', { timeout: 120_000 });
  await expect(page.getByTestId('banner-backend')).toHaveCount(0);

  await watchMoments(page, [
    { name: 'first-step words', selector: '[data-testid="status-message"]', text: 'first step' },
    { name: 'first point', selector: '[data-testid="chart-loss"]:not([data-points="0"])' },
    { name: 'pausing', selector: '[data-testid="run-state"]', text: 'pausing' },
    { name: 'paused', selector: '[data-testid="run-state"]', text: 'paused' },
  ]);
  await page.getByTestId('btn-start').click();
  await expect(page.getByTestId('run-state')).toHaveText('running', { timeout: 120_000 });

  // charts gain points; before the first one the status line said what the page was doing
  await expect.poll(() => points(page, 'chart-loss'), { timeout: 240_000 }).toBeGreaterThanOrEqual(3);
  expect((await seenMoments(page)).slice(0, 2)).toEqual(['first-step words', 'first point']);
  await expect(page.getByTestId('status-eta')).toContainText('left');
  await expect.poll(() => points(page, 'chart-iou'), { timeout: 120_000 }).toBeGreaterThanOrEqual(3);

  // gallery: 2 probes × 4 views, one highlighted pair per probe
  await expect(page.getByTestId('gallery-probe')).toHaveCount(2, { timeout: 120_000 });
  await expect(page.getByTestId('gallery-view')).toHaveCount(8);
  await expect(page.locator('[data-testid="gallery-view"][data-selected="true"]')).toHaveCount(4);
  await expect(page.getByTestId('pair-matrix')).toHaveCount(2);

  // kNN accuracy appears (every 4 steps)
  await expect(page.getByTestId('knn-value')).toContainText('%', { timeout: 240_000 });
  await expect.poll(() => points(page, 'chart-knn'), { timeout: 60_000 }).toBeGreaterThanOrEqual(1);

  // pause: "pausing" until the step in flight ends, then the step counter stops
  await page.getByTestId('btn-pause').click();
  await expect(page.getByTestId('run-state')).toHaveText('paused', { timeout: 120_000 });
  expect((await seenMoments(page)).slice(2)).toEqual(['pausing', 'paused']);
  const pausedAt = await page.getByTestId('status-step').textContent();
  await page.waitForTimeout(3000);
  expect(await page.getByTestId('status-step').textContent()).toBe(pausedAt);

  await page.screenshot({ path: 'test-results/app-paused.png', fullPage: true });

  // resume: it moves on
  const lossPoints = await points(page, 'chart-loss');
  await page.getByTestId('btn-resume').click();
  await expect(page.getByTestId('run-state')).toHaveText('running');
  await expect.poll(() => points(page, 'chart-loss'), { timeout: 120_000 }).toBeGreaterThan(lossPoints);

  await page.getByTestId('btn-stop').click();
  await expect(page.getByTestId('run-state')).toHaveText('stopped', { timeout: 120_000 });
  await page.screenshot({ path: 'test-results/app-stopped.png', fullPage: true });
  expect(consoleWatch.errors).toEqual([]);
});
