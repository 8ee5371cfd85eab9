// URL round trip in the real app (Chromium, WebGPU on SwiftShader): settings edited in the panel go
// into the address bar; a fresh page opened with that address shows the same settings and a run
// from it reproduces the first steps' losses exactly; bad and unknown URL values fall back to the
// defaults with a visible note naming each of them, and the address is cleaned of them.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { tinyQuery, watchConsole } from './helpers';

const STEPS = 3;
const QUERY = tinyQuery({ batchSize: 4, maxSteps: STEPS, knnEvery: 0, logEvery: 1, probeEvery: 1000, autosaveEvery: 0 });

/** The edited fields and their new values (number inputs and one select). */
const EDITS = { seed: '11', numViews: '3', learningRate: '0.03', batchSize: '6' } as const;
const HVP_MODE = 'easy';

/** Runs the page's config for STEPS steps and returns the loss column of its CSV export. */
async function runLosses(page: Page): Promise<string[]> {
  await expect(page.getByTestId('btn-start')).toBeEnabled({ timeout: 120_000 });
  await page.getByTestId('btn-start').click();
  await expect(page.getByTestId('run-state')).toHaveText('done', { timeout: 180_000 });
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId('btn-export-csv').click()]);
  const [head, ...rows] = readFileSync(await file.path(), 'utf8').trimEnd().split('\r\n').map((l) => l.split(','));
  const stepCol = head!.indexOf('step');
  const lossCol = head!.indexOf('loss');
  expect(rows.map((r) => r[stepCol])).toEqual(['1', '2', '3']);
  return rows.map((r) => r[lossCol]!);
}

test('settings → URL → fresh page: same settings, same losses', async ({ page, context }) => {
  const consoleWatch = watchConsole(page);
  await page.goto(QUERY);
  await expect(page.getByTestId('url-warnings')).toHaveCount(0);
  for (const [key, value] of Object.entries(EDITS)) {
    const input = page.getByTestId(`config-field-${key}`);
    await input.fill(value);
    await input.blur();
  }
  await page.getByTestId('config-field-hvpMode').selectOption(HVP_MODE);

  // The address bar follows every edit; the app's own maxSteps stays.
  const params = () => new URL(page.url()).searchParams;
  for (const [key, value] of Object.entries(EDITS)) await expect.poll(() => params().get(key)).toBe(value);
  await expect.poll(() => params().get('hvpMode')).toBe(HVP_MODE);
  expect(params().get('maxSteps')).toBe(String(STEPS));
  const url = page.url();
  const losses = await runLosses(page);
  expect(losses.every((l) => Number.isFinite(Number(l)))).toBe(true);

  // A fresh page with that address: the same settings, and the run reproduces the losses.
  const fresh = await context.newPage();
  const freshConsole = watchConsole(fresh);
  await fresh.goto(url);
  for (const [key, value] of Object.entries(EDITS)) await expect(fresh.getByTestId(`config-field-${key}`)).toHaveValue(value);
  await expect(fresh.getByTestId('config-field-hvpMode')).toHaveValue(HVP_MODE);
  await expect(fresh.getByTestId('url-warnings')).toHaveCount(0);
  expect(fresh.url()).toBe(url);
  expect(await runLosses(fresh)).toEqual(losses);
  expect(consoleWatch.errors).toEqual([]);
  expect(freshConsole.errors).toEqual([]);
});

test('bad and unknown URL values fall back to the defaults with a note naming them', async ({ page }) => {
  const consoleWatch = watchConsole(page);
  // learningRate comes twice (tinyQuery sets 0.05): the last, bad value wins and falls back to the default.
  await page.goto(`${tinyQuery({ batchSize: 4, maxSteps: STEPS, numViews: 'abc', hvpMode: 'hardest', colour: 'blue', seed: 12 })}&learningRate=-5`);
  const note = page.getByTestId('url-warnings');
  await expect(note).toBeVisible({ timeout: 120_000 });
  await expect(note.locator('li')).toHaveCount(4);
  await expect(note).toContainText('Views per image (N): "abc" is not a number. Using the default 4.');
  await expect(note).toContainText('Learning rate: -5 is out of range');
  await expect(note).toContainText('Using the default 0.06.');
  await expect(note).toContainText('HVP mode: "hardest" is not one of off, hard, easy, random, iouPolicy. Using the default hard.');
  await expect(note).toContainText('Unknown URL setting "colour" was ignored.');

  // The fields show the defaults; the valid values of the same link are kept.
  await expect(page.getByTestId('config-field-numViews')).toHaveValue('4');
  await expect(page.getByTestId('config-field-learningRate')).toHaveValue('0.06');
  await expect(page.getByTestId('config-field-hvpMode')).toHaveValue('hard');
  await expect(page.getByTestId('config-field-seed')).toHaveValue('12');
  await expect(page.getByTestId('config-field-imageSize')).toHaveValue('16');

  // The address is cleaned of the refused values; the note can be dismissed.
  const params = new URL(page.url()).searchParams;
  for (const key of ['numViews', 'learningRate', 'hvpMode', 'colour']) expect(params.get(key)).toBeNull();
  expect(params.get('seed')).toBe('12');
  expect(params.get('maxSteps')).toBe(String(STEPS));
  await page.getByRole('button', { name: 'Dismiss link warnings' }).click();
  await expect(note).toHaveCount(0);
  expect(consoleWatch.errors).toEqual([]);
});
