// Page layout in the real app (Chromium), no training: at 800 px, on a 1280×720 projector and at
// 1920×1080 the page never scrolls sideways and the loss and IoU panels fit the viewport; at
// 1280×720 the charts start on the first screen and, with the introduction and the software-GPU
// banner put away, the settings, the loss chart and the gallery start within reach; `?classroom=1` hides
// the settings, checkpoint and dataset panels, enlarges the charts, survives the URL rewrite and
// has an exit link; a refused URL value is named in a notice at the top of the first screen.
// Each case saves a screenshot to the temp folder (hvp-layout-*.png) for a look by eye.
import { expect, test, type Page } from '@playwright/test';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tinyQuery, watchConsole } from './helpers';

const VIEWPORTS = [
  { width: 800, height: 900 },
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
] as const;

const shotPath = (name: string): string => join(tmpdir(), `hvp-layout-${name}.png`);

/** The page is up: header, controls and the first live panels are rendered. */
async function openPage(page: Page, query: string): Promise<void> {
  await page.goto(query);
  await expect(page.getByTestId('btn-start')).toBeVisible();
  await expect(page.getByTestId('chart-iou')).toBeVisible();
}

/** Hides the introduction and, once the backend is up, dismisses the software-GPU banner if
 * there is one (as a returning visitor's page looks). */
async function hideNotices(page: Page): Promise<void> {
  await page.getByTestId('intro-hide').click();
  await expect(page.getByTestId('btn-start')).toBeEnabled();
  const gpuBanner = page.getByTestId('banner-software-gpu');
  if (await gpuBanner.isVisible()) await page.getByRole('button', { name: 'Dismiss: software GPU' }).click();
  await expect(gpuBanner).toBeHidden();
}

/** Height of a panel's body (its chart or empty state), without the title and caption. */
async function bodyHeight(page: Page, testId: string): Promise<number> {
  return page.getByTestId(testId).evaluate((el) => el.lastElementChild?.getBoundingClientRect().height ?? 0);
}

/** Page box of a test id (scroll-independent: y is from the top of the document). */
async function boxOf(page: Page, testId: string): Promise<{ x: number; y: number; width: number; height: number }> {
  return page.getByTestId(testId).evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height };
  });
}

for (const viewport of VIEWPORTS) {
  test(`no sideways scroll and the charts fit at ${viewport.width}×${viewport.height}`, async ({ page }) => {
    const consoleWatch = watchConsole(page);
    await page.setViewportSize(viewport);
    await openPage(page, tinyQuery());
    const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    expect(widths.scroll).toBeLessThanOrEqual(widths.client);
    for (const id of ['chart-loss', 'chart-iou', 'gallery', 'config-panel']) {
      const box = await boxOf(page, id);
      expect(box.x, id).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, id).toBeLessThanOrEqual(widths.client);
    }
    await page.screenshot({ path: shotPath(`${viewport.width}`) });
    if (viewport.width === 1280) {
      // The projector, first visit (introduction and any software-GPU banner shown): the charts
      // start on the first screen.
      expect((await boxOf(page, 'chart-loss')).y).toBeLessThan(viewport.height);
      // With those put away: settings and the loss chart high on the first screen, the gallery soon after.
      await hideNotices(page);
      expect((await boxOf(page, 'config-panel')).y).toBeLessThan(viewport.height * 0.7);
      expect((await boxOf(page, 'chart-loss')).y).toBeLessThan(viewport.height * 0.5);
      expect((await boxOf(page, 'gallery')).y).toBeLessThan(viewport.height * 1.25);
      await page.screenshot({ path: shotPath(`${viewport.width}-returning`) });
    }
    expect(consoleWatch.errors).toEqual([]);
  });
}

test('classroom=1 hides the settings and enlarges the charts; the exit link brings them back', async ({ page }) => {
  const consoleWatch = watchConsole(page);
  await page.setViewportSize({ width: 1280, height: 720 });
  await openPage(page, tinyQuery());
  const normal = { ...(await boxOf(page, 'chart-loss')), bodyHeight: await bodyHeight(page, 'chart-loss') };

  await openPage(page, `${tinyQuery()}&classroom=1`);
  for (const id of ['config-panel', 'checkpoint-panel', 'dataset-panel']) await expect(page.getByTestId(id)).toBeHidden();
  await expect(page.getByTestId('btn-start')).toBeVisible();
  await expect(page.getByTestId('gallery')).toBeVisible();
  const big = await boxOf(page, 'chart-loss');
  expect(big.width).toBeGreaterThan(normal.width * 1.2);
  expect(await bodyHeight(page, 'chart-loss')).toBeGreaterThan(normal.bodyHeight + 60);
  // The address bar is rewritten (normalised config) and keeps the flag.
  expect(new URL(page.url()).searchParams.get('classroom')).toBe('1');
  const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  expect(widths.scroll).toBeLessThanOrEqual(widths.client);
  await page.screenshot({ path: shotPath('classroom-1280') });

  await page.getByRole('button', { name: 'Exit classroom mode' }).click();
  await expect(page.getByTestId('config-panel')).toBeVisible();
  expect(new URL(page.url()).searchParams.has('classroom')).toBe(false);
  expect(consoleWatch.errors).toEqual([]);
});

test('a refused URL value is named at the top of the first screen and can be dismissed', async ({ page }) => {
  const consoleWatch = watchConsole(page);
  await page.setViewportSize({ width: 1280, height: 720 });
  await openPage(page, tinyQuery({ maxSteps: 'abc' }));
  const note = page.getByTestId('url-warnings');
  await expect(note).toBeVisible();
  await expect(note).toContainText('maxSteps="abc" is not a whole number');
  const box = await boxOf(page, 'url-warnings');
  expect(box.y + box.height).toBeLessThanOrEqual(720);
  expect(box.y).toBeLessThan((await boxOf(page, 'config-panel')).y);
  // The address bar no longer carries the refused value; the valid ones stay.
  const params = new URL(page.url()).searchParams;
  expect(params.has('maxSteps')).toBe(false);
  expect(params.get('seed')).toBe('3');
  await page.screenshot({ path: shotPath('warning-1280') });

  await page.getByRole('button', { name: 'Dismiss link warnings' }).click();
  await expect(note).toHaveCount(0);
  expect(consoleWatch.errors).toEqual([]);
});
