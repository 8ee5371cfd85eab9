// Twin run in the real app (Chromium, WebGPU on SwiftShader): a tiny config (resnet10 width 4, 16×16
// views, batch 4, 4 steps, kNN every 2) trained once as a plain HVP-off single run, then as a twin run
// (HVP off vs HVP hard). Both twins' curves appear overlaid, the summary table fills with numbers for
// both, the HVP-off twin's first-step loss equals the single run's, the single run's charts are kept,
// the single-run Start is refused while the twin runs, and the twin's CSV / JSON exports download.
// A second test runs a twin beside a paused single run: pause / resume / stop the twin, then the single
// run resumes from where it paused with its charts intact.
import { expect, test, type Download, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { tinyQuery, watchConsole } from './helpers';

const STEPS = 4;
const QUERY = tinyQuery({ batchSize: 4, backboneWidth: 4, imageSize: 16, hvpMode: 'off', maxSteps: STEPS, knnEvery: 2, logEvery: 1, probeEvery: 1000, autosaveEvery: 0 });

/** Plain CSV (the exports here hold numbers only: no quoted fields) → header-keyed rows. */
function parseCsv(text: string): Array<Record<string, string>> {
  const [head, ...lines] = text.trimEnd().split('\r\n').map((l) => l.split(','));
  return lines.map((l) => Object.fromEntries(head!.map((h, i) => [h, l[i] ?? ''])));
}

async function download(page: Page, testId: string): Promise<{ file: Download; text: string }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  return { file, text: readFileSync(await file.path(), 'utf8') };
}

const num = async (page: Page, testId: string) => Number(await page.getByTestId(testId).getAttribute('data-value'));

test('twin run: overlaid curves, a filled summary table, the same first step as a single run, exports', async ({ page }) => {
  const consoleWatch = watchConsole(page);
  await page.goto(QUERY);
  await expect(page.getByTestId('twin-state')).toHaveText('not started');
  await expect(page.getByTestId('btn-start')).toBeEnabled({ timeout: 120_000 });

  // A plain single run with HVP off: its first-step loss is the reference.
  await page.getByTestId('btn-start').click();
  await expect(page.getByTestId('twin-start')).toBeDisabled();
  await expect(page.getByTestId('twin-blocked')).toContainText('The single run is running. Pause or stop it to start a twin run');
  await expect(page.getByTestId('run-state')).toHaveText('done', { timeout: 180_000 });
  const single = parseCsv((await download(page, 'btn-export-csv')).text);
  expect(single.map((r) => r.step)).toEqual(['1', '2', '3', '4']);
  const singleFirstLoss = single[0]!.loss!;
  expect(Number.isFinite(Number(singleFirstLoss))).toBe(true);

  // The twin run: while it runs the single-run Start is refused with a message.
  await expect(page.getByTestId('twin-start')).toBeEnabled();
  await expect(page.getByTestId('twin-single-note')).toContainText('The single run (done at step 4) is kept as it is');
  await page.getByTestId('twin-start').click();
  await expect(page.getByTestId('btn-start')).toBeDisabled();
  await expect(page.getByTestId('start-blocked')).toContainText('A twin run is in progress');
  await expect(page.getByTestId('twin-state')).toHaveAttribute('data-phase', 'done', { timeout: 240_000 });
  await expect(page.getByTestId('twin-step')).toHaveText(`step ${STEPS} / ${STEPS}`);

  // Curves overlaid: two lines per chart, both in the legend.
  const panel = page.getByTestId('twin-panel');
  await expect(page.getByTestId('twin-chart-loss')).toHaveAttribute('data-points', String(STEPS));
  await expect(page.getByTestId('twin-chart-knn')).toHaveAttribute('data-points', '2');
  await expect(page.getByTestId('twin-chart-probe')).toHaveAttribute('data-points', '2');
  for (const id of ['twin-chart-loss', 'twin-chart-knn', 'twin-chart-probe']) {
    await expect(page.getByTestId(id).locator('.recharts-line')).toHaveCount(2);
    await expect(page.getByTestId(id).locator('.recharts-legend-wrapper')).toContainText('HVP off');
    await expect(page.getByTestId(id).locator('.recharts-legend-wrapper')).toContainText('HVP on (hard, N=4)');
  }
  await expect(page.getByTestId('twin-chart-loss').locator('.recharts-line path[stroke-dasharray]')).toHaveCount(1);

  // Summary table: numbers for both twins.
  for (const arm of ['off', 'on']) {
    for (const what of ['knn', 'probe']) {
      const v = await num(page, `twin-${what}-${arm}`);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
      await expect(page.getByTestId(`twin-${what}-${arm}`)).toContainText('%');
    }
    expect(await num(page, `twin-wall-${arm}`)).toBeGreaterThan(0);
    expect(await num(page, `twin-ms-${arm}`)).toBeGreaterThan(0);
  }
  const overhead = await num(page, 'twin-overhead');
  expect(overhead).toBeGreaterThan(0);
  expect(overhead).toBeCloseTo((await num(page, 'twin-ms-on')) / (await num(page, 'twin-ms-off')), 9);
  await expect(page.getByTestId('twin-overhead')).toContainText('×');
  expect(await num(page, 'twin-steps')).toBe(STEPS);

  // The single run's charts are kept, and it can start again now.
  await expect(page.getByTestId('chart-loss')).toHaveAttribute('data-points', String(STEPS));
  await expect(page.getByTestId('run-state')).toHaveText('done');
  await expect(page.getByTestId('btn-start')).toBeEnabled();

  // Exports: CSV with both twins side by side; the HVP-off twin's first step is the single run's.
  const csv = await download(page, 'twin-export-csv');
  expect(csv.file.suggestedFilename()).toBe(`hvp-twin-simsiam-off-vs-hard-N4-seed3-step${STEPS}.csv`);
  const twinRows = parseCsv(csv.text);
  expect(twinRows.map((r) => r.step)).toEqual(['1', '2', '3', '4']);
  expect(twinRows[0]!.off_loss).toBe(singleFirstLoss);
  expect(twinRows[0]!.on_loss).not.toBe(singleFirstLoss);
  expect(Number(twinRows[1]!.on_knnTop1)).toBeGreaterThanOrEqual(0);
  expect(twinRows[0]!.on_knnTop1).toBe('');
  const json = await download(page, 'twin-export-json');
  expect(json.file.suggestedFilename()).toBe(`hvp-twin-simsiam-off-vs-hard-N4-seed3-step${STEPS}.json`);
  const doc = JSON.parse(json.text) as { format: string; seed: number; hvpModes: { off: string; on: string }; steps: Array<{ step: number; off: { loss: number } }>; evaluations: Array<{ step: number }>; summary: { numSteps: number } };
  expect(doc.format).toBe('hvp-playground-twin-metrics');
  expect(doc).toMatchObject({ seed: 3, hvpModes: { off: 'off', on: 'hard' }, summary: { numSteps: STEPS } });
  expect(doc.steps.map((s) => s.step)).toEqual([1, 2, 3, 4]);
  expect(String(doc.steps[0]!.off.loss)).toBe(singleFirstLoss);
  expect(doc.evaluations.map((e) => e.step)).toEqual([2, 4]);

  await panel.screenshot({ path: test.info().outputPath('twin-panel.png') });
  expect(consoleWatch.errors).toEqual([]);
});

test('a twin beside a paused single run: pause, resume, stop; the single run resumes intact', async ({ page }) => {
  const consoleWatch = watchConsole(page);
  const points = async (id: string) => Number(await page.getByTestId(id).getAttribute('data-points'));
  await page.goto(tinyQuery({ batchSize: 4, backboneWidth: 4, imageSize: 16, maxSteps: 60, knnEvery: 0, logEvery: 1, probeEvery: 1000, autosaveEvery: 0 }));
  await expect(page.getByTestId('btn-start')).toBeEnabled({ timeout: 120_000 });
  await page.getByTestId('btn-start').click();
  await expect.poll(() => points('chart-loss'), { timeout: 180_000 }).toBeGreaterThanOrEqual(2);
  await page.getByTestId('btn-pause').click();
  await expect(page.getByTestId('run-state')).toHaveText('paused', { timeout: 120_000 });
  const pausedStep = await page.getByTestId('status-step').getAttribute('data-step');
  const pausedPoints = await points('chart-loss');

  await expect(page.getByTestId('twin-single-note')).toContainText(`paused at step ${pausedStep}`);
  await expect(page.getByTestId('twin-single-note')).toContainText('it stays paused and can be resumed once the twin run ends');
  await page.getByTestId('twin-start').click();
  await expect(page.getByTestId('twin-state')).toHaveAttribute('data-phase', 'running', { timeout: 120_000 });
  await expect(page.getByTestId('btn-resume')).toBeDisabled();
  await expect(page.getByTestId('btn-explain')).toBeDisabled();
  await expect(page.getByTestId('config-locked')).toBeVisible();
  await expect.poll(() => points('twin-chart-loss'), { timeout: 180_000 }).toBeGreaterThanOrEqual(2);

  await page.getByTestId('twin-pause').click();
  await expect(page.getByTestId('twin-state')).toHaveAttribute('data-phase', 'paused', { timeout: 120_000 });
  const twinPaused = await points('twin-chart-loss');
  await page.waitForTimeout(2000);
  expect(await points('twin-chart-loss')).toBe(twinPaused);
  await page.getByTestId('twin-resume').click();
  await expect.poll(() => points('twin-chart-loss'), { timeout: 180_000 }).toBeGreaterThan(twinPaused);
  await page.getByTestId('twin-stop').click();
  await expect(page.getByTestId('twin-state')).toHaveAttribute('data-phase', 'stopped', { timeout: 120_000 });
  expect(await num(page, 'twin-steps')).toBe(await points('twin-chart-loss')); // logEvery 1: one row per step

  // The single run did not move and kept its charts; it resumes from where it paused.
  await expect(page.getByTestId('run-state')).toHaveText('paused');
  await expect(page.getByTestId('status-step')).toHaveAttribute('data-step', pausedStep!);
  expect(await points('chart-loss')).toBe(pausedPoints);
  await expect(page.getByTestId('btn-resume')).toBeEnabled();
  await page.getByTestId('btn-resume').click();
  await expect.poll(() => points('chart-loss'), { timeout: 180_000 }).toBeGreaterThan(pausedPoints);
  await page.getByTestId('btn-stop').click();
  await expect(page.getByTestId('run-state')).toHaveText('stopped', { timeout: 120_000 });
  expect(consoleWatch.errors).toEqual([]);
});
