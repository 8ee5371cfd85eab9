// End-to-end: a tiny 4-step hard-HVP run fills "What HVP picks" (three paired histograms with bars,
// window of 4 selection steps), the IoU chart draws the random-pair baseline line, and the Analysis
// panel's view-log window holds those steps' pairs and fits on them.
import { expect, test } from '@playwright/test';
import { tinyQuery, watchConsole } from './helpers';

const QUERY = tinyQuery({ maxSteps: 4, logEvery: 1, knnEvery: 0, probeEvery: 100, autosaveEvery: 0, hvpMode: 'hard', numViews: 4 });

test('shows what HVP picks and the random-pair IoU after a tiny run', async ({ page }) => {
  const consoleWatch = watchConsole(page);
  await page.goto(QUERY);
  await expect(page.getByTestId('status-backend')).toContainText('webgpu', { timeout: 120_000 });
  const panel = page.getByTestId('pair-stats');
  await expect(panel).toContainText('appear after the first logged selection step');

  await page.getByTestId('btn-start').click();
  await expect(page.getByTestId('run-state')).toHaveText('done', { timeout: 120_000 });

  // Four logged selection steps fill the window; each property has 10 bins with drawn bars.
  await expect(panel).toHaveAttribute('data-points', '4');
  await expect(page.getByTestId('pair-stats-steps')).toContainText('4');
  for (const name of ['cropScale', 'centerDistance', 'jitterDistance']) {
    const hist = page.getByTestId(`pair-hist-${name}`);
    await expect(hist).toHaveAttribute('data-bins', '10');
    await expect.poll(() => hist.locator('.recharts-bar-rectangle path').count()).toBeGreaterThan(1);
  }
  await expect(panel).toContainText('selected pairs');
  await expect(panel).toContainText('all pairs');

  // The IoU chart has the random-pair line, drawn through the logged steps.
  const iou = page.getByTestId('chart-iou');
  await expect(iou).toContainText('IoU of a random pair');
  const randomLine = iou.locator('path.recharts-line-curve[stroke="#8c8c8c"]');
  await expect(randomLine).toHaveCount(1);
  await expect.poll(async () => ((await randomLine.getAttribute('d')) ?? '').split('L').length).toBeGreaterThanOrEqual(4);

  // The same steps fill the Analysis panel's view-log window (rows posted by the worker), and a fit runs on it.
  const batch = Number(new URLSearchParams(QUERY.split('?')[1]).get('batchSize'));
  await expect(page.getByTestId('analysis-source')).toHaveText(`this run: 4 selection steps, ${4 * batch * 6} pairs, 0 dropped`);
  await page.getByTestId('analysis-fit-choice').click();
  await expect(page.getByTestId('analysis-choice')).toContainText('vs chance 16.7 % (1/6)');

  await panel.screenshot({ path: test.info().outputPath('pair-stats.png') });
  expect(consoleWatch.errors).toEqual([]);
});
