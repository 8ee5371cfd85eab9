// UI tools in the real app (Chromium, WebGPU on SwiftShader): a 3-step run's metrics export as
// CSV and JSON with the expected rows and config, the loss chart saves as a real PNG, the step
// slider scrubs the gallery back to step 1 and Live returns to the last step, and a paper preset
// changes the settings and the URL.
import { expect, test, type Download, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { tinyQuery, watchConsole } from './helpers';

const QUERY = tinyQuery({ maxSteps: 3, probeEvery: 1, knnEvery: 2, logEvery: 1, autosaveEvery: 0 });

/** RFC 4180 parser (quoted fields may hold commas). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inQuotes) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') inQuotes = false; else field += c;
    } else if (c === '"') inQuotes = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; }
    else field += c;
  }
  return rows;
}

async function download(page: Page, testId: string, within?: string): Promise<{ file: Download; bytes: Buffer }> {
  const scope = within ? page.getByTestId(within) : page;
  const [file] = await Promise.all([page.waitForEvent('download'), scope.getByTestId(testId).click()]);
  const path = await file.path();
  return { file, bytes: readFileSync(path) };
}

test('exports CSV, JSON and PNG, scrubs the gallery back, applies a preset', async ({ page }) => {
  const consoleWatch = watchConsole(page);
  await page.goto(QUERY);
  await expect(page.getByTestId('btn-export-csv')).toBeDisabled();
  await expect(page.getByTestId('btn-start')).toBeEnabled({ timeout: 120_000 });
  await page.getByTestId('btn-start').click();
  await expect(page.getByTestId('run-state')).toHaveText('done', { timeout: 120_000 });
  await expect(page.getByTestId('status-step')).toContainText('3');

  // CSV: header + one row per logged step, kNN merged at steps 2 and 3.
  const csv = await download(page, 'btn-export-csv');
  expect(csv.file.suggestedFilename()).toBe('hvp-metrics-simsiam-hard-N4-seed3-step3.csv');
  const rows = parseCsv(csv.bytes.toString('utf8'));
  const header = rows[0]!;
  expect(header.slice(0, 2)).toEqual(['step', 'loss']);
  expect(rows.every((r) => r.length === header.length)).toBe(true);
  expect(rows.slice(1).map((r) => r[0])).toEqual(['1', '2', '3']);
  const top1Col = header.indexOf('knn_top1');
  expect(top1Col).toBeGreaterThan(0);
  expect(rows[1]![top1Col]).toBe('');
  expect(Number(rows[2]![top1Col])).toBeGreaterThanOrEqual(0);
  expect(rows[2]![top1Col]).not.toBe('');
  expect(Number.isFinite(Number(rows[1]![1]))).toBe(true);

  // JSON: the run's config with its seed, the same steps, the kNN records.
  const json = await download(page, 'btn-export-json');
  const doc = JSON.parse(json.bytes.toString('utf8')) as {
    format: string; seed: number; config: { seed: number; imageSize: number; numViews: number };
    steps: Array<{ step: number; loss: number }>; knn: Array<{ step: number; top1: number }>;
  };
  expect(doc.format).toBe('hvp-playground-metrics');
  expect(doc.seed).toBe(3);
  expect(doc.config).toMatchObject({ seed: 3, imageSize: 16, numViews: 4 });
  expect(doc.steps.map((m) => m.step)).toEqual([1, 2, 3]);
  expect(doc.knn.map((k) => k.step)).toEqual([2, 3]);

  // PNG of the loss chart: PNG signature, a real image (not a blank few hundred bytes).
  const png = await download(page, 'panel-png', 'chart-loss');
  expect(png.file.suggestedFilename()).toBe('hvp-loss.png');
  await png.file.saveAs(test.info().outputPath('hvp-loss.png'));
  expect([...png.bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(png.bytes.length).toBeGreaterThan(5000);
  const width = png.bytes.readUInt32BE(16);
  const chartWidth = await page.getByTestId('chart-loss').locator('.recharts-wrapper > svg').first().evaluate((e) => e.getBoundingClientRect().width);
  expect(width).toBe(2 * Math.round(chartWidth));

  // Step slider: back to step 1, the gallery shows that step's probe and the charts mark it.
  await expect(page.getByTestId('gallery-step')).toHaveAttribute('data-step', '3');
  await page.getByTestId('step-slider-input').fill('1');
  await expect(page.getByTestId('gallery-step')).toHaveAttribute('data-step', '1');
  await expect(page.getByTestId('step-slider')).toContainText('Viewing step 1 of 3');
  await expect(page.getByTestId('chart-loss').locator('.recharts-reference-line')).toHaveCount(1);
  await page.getByTestId('step-slider-live').click();
  await expect(page.getByTestId('gallery-step')).toHaveAttribute('data-step', '3');
  await expect(page.getByTestId('chart-loss').locator('.recharts-reference-line')).toHaveCount(0);

  // Preset: N=8 hard HVP at playground scale; fields and URL follow, maxSteps stays.
  await page.getByTestId('preset-select').selectOption('simsiam-hvp-hard-n8');
  await expect(page.getByTestId('preset-description')).toContainText('More views is not always better');
  await expect(page.getByTestId('config-field-numViews')).toHaveValue('8');
  await expect(page.getByTestId('config-field-imageSize')).toHaveValue('32');
  await expect.poll(() => new URL(page.url()).searchParams.get('numViews')).toBe('8');
  expect(new URL(page.url()).searchParams.get('maxSteps')).toBe('3');
  expect(new URL(page.url()).searchParams.get('imageSize')).toBeNull(); // back to the default

  await page.screenshot({ path: test.info().outputPath('ui-tools.png'), fullPage: true });
  expect(consoleWatch.errors).toEqual([]);
});
