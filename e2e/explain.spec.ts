// End-to-end: "Explain the next step" on a paused tiny run (WebGPU on SwiftShader): the panel shows
// the four stages (views, pair-loss matrices, chosen pairs, loss before/after the update), the step
// counter moves by exactly one, and Resume trains on.
import { expect, test } from '@playwright/test';
import { tinyQuery, watchConsole } from './helpers';

const stepOf = async (page: import('@playwright/test').Page) => Number(await page.getByTestId('status-step').getAttribute('data-step'));

test('explains one step of a paused run, advancing it by one', async ({ page }) => {
  const consoleWatch = watchConsole(page);
  await page.goto(tinyQuery({ knnEvery: 0, probeEvery: 1000, numViews: 3 }));
  await expect(page.getByTestId('status-backend')).toContainText('webgpu', { timeout: 120_000 });
  await expect(page.getByTestId('btn-explain')).toBeDisabled();

  await page.getByTestId('btn-start').click();
  await expect(page.getByTestId('run-state')).toHaveText('running', { timeout: 120_000 });
  await expect(page.getByTestId('btn-explain')).toBeDisabled();
  await expect.poll(() => stepOf(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(1);
  await page.getByTestId('btn-pause').click();
  await expect(page.getByTestId('run-state')).toHaveText('paused', { timeout: 120_000 });
  const pausedAt = await stepOf(page);

  await page.getByTestId('btn-explain').click();
  const stages = page.getByTestId('explain-stages');
  await expect(stages).toBeVisible({ timeout: 120_000 });
  await expect(stages).toHaveAttribute('data-step', String(pausedAt));
  for (const id of ['explain-stage-views', 'explain-stage-losses', 'explain-stage-choice', 'explain-stage-update']) await expect(page.getByTestId(id)).toBeVisible();
  // 4 shown images × 3 views in stage 1; one matrix and one chosen pair per image.
  await expect(page.getByTestId('explain-stage-views').getByTestId('gallery-view')).toHaveCount(12);
  await expect(page.getByTestId('explain-stage-losses').getByTestId('pair-matrix')).toHaveCount(4);
  await expect(page.getByTestId('explain-choice')).toHaveCount(4);
  await expect(page.getByTestId('explain-update-summary')).toContainText('→');
  await expect.poll(() => stepOf(page), { timeout: 60_000 }).toBe(pausedAt + 1);
  await expect(page.getByTestId('run-state')).toHaveText('paused');
  await page.screenshot({ path: 'test-results/explain-step.png', fullPage: true });

  await page.getByTestId('btn-resume').click();
  await expect(page.getByTestId('run-state')).toHaveText('running', { timeout: 60_000 });
  await expect.poll(() => stepOf(page), { timeout: 120_000 }).toBeGreaterThan(pausedAt + 1);
  await page.getByTestId('btn-stop').click();
  await expect(page.getByTestId('run-state')).toHaveText('stopped', { timeout: 120_000 });
  expect(consoleWatch.errors).toEqual([]);
});
