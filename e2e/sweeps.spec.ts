// The Sweeps panel in the real app (Chromium), no training in the page: the real CLI sweeps the tiny
// config (wasm backend, 2 steps a cell) over cropScaleMin = 0.08, 0.2, 0.5 × seeds 1, 2 × HVP off /
// hard (12 cells, a few seconds) into a temp folder; the panel loads that file and plots kNN vs the
// RRC lower bound (Fig. 4) as two series of 3 points, each the mean of 2 seeds with a min–max bar,
// counts the cells and seeds and lists all 12 cells in its table; switching the metric to the hit
// rate leaves the baseline out (HVP off has none). Then a CSV, a file of another format and a file
// with a non-finite number are each refused with a message saying what is wrong and what to do.
import { expect, test } from '@playwright/test';
import { readFileSync, writeFileSync } from 'node:fs';
import { buildCli, runCli, setArgs } from '../tests/helpers/cliProcess';
import { tinyConfig } from '../tests/helpers/tinyConfig';
import { watchConsole } from './helpers';

test('a CLI sweep file is plotted and tabled; bad files get a clear message', async ({ page }, info) => {
  test.setTimeout(120_000);
  const consoleWatch = watchConsole(page);
  buildCli();
  const out = info.outputPath('sweep.json');
  const r = await runCli(['sweep', ...setArgs(tinyConfig()), '--grid', 'cropScaleMin=0.08,0.2,0.5', '--seeds', '1,2', '--steps', '2', '--backend', 'wasm', '--out', out, '--quiet']);
  expect(r.code, `sweep exit ${r.code}\n${r.stderr}`).toBe(0);

  await page.goto('/');
  const panel = page.getByTestId('panel-sweeps');
  await expect(panel.getByTestId('sweeps-empty')).toBeVisible();
  await panel.getByTestId('sweeps-file-input').setInputFiles(out);

  await expect(panel.getByTestId('sweeps-summary')).toHaveAttribute('data-cells', '12');
  await expect(panel.getByTestId('sweeps-summary')).toContainText('12 of 12 cells loaded, 2 seeds (1, 2), HVP off vs hard');
  await expect(panel.getByRole('button', { name: 'Fig. 4: RRC lower bound' })).toHaveAttribute('aria-pressed', 'true');
  await expect(panel.getByTestId('sweeps-x')).toHaveValue('cropScaleMin');
  await expect(panel).toHaveAttribute('data-points', '6');
  const chart = panel.locator('[data-series]');
  await expect(chart).toHaveAttribute('data-series', '2');
  await expect(chart.locator('.recharts-line-dot')).toHaveCount(6);
  await expect(chart.locator('.recharts-errorBar')).toHaveCount(6);
  await expect(chart.locator('.recharts-legend-item')).toHaveText(['baseline (HVP off)', 'HVP (hard)']);
  await expect(panel.getByTestId('sweeps-cell')).toHaveCount(12);
  await expect(panel.getByTestId('sweeps-plot-note')).toContainText('12 cells plotted');
  await panel.screenshot({ path: info.outputPath('sweeps-panel.png') });

  // Hit rate: HVP off selects nothing, so only the HVP series has points.
  await panel.getByTestId('sweeps-metric').selectOption('meanLowestIouHitRate');
  await expect(panel).toHaveAttribute('data-points', '3');
  await expect(panel.getByTestId('sweeps-plot-note')).toContainText('No lowest-IoU hit rate for baseline (HVP off)');

  // Bad files: each refused with what is wrong and what to do; the page keeps working.
  const error = panel.getByTestId('sweeps-error');
  const csv = out.replace(/\.json$/, '.csv');
  await panel.getByTestId('sweeps-file-input').setInputFiles(csv);
  await expect(error).toContainText('"sweep.csv" is not JSON');
  await expect(error).toContainText('npm run cli -- sweep');
  await expect(panel.getByTestId('sweeps-table')).toHaveCount(0);

  const other = info.outputPath('other.json');
  writeFileSync(other, JSON.stringify({ format: 'hvp-playground-checkpoint', version: 1 }));
  await panel.getByTestId('sweeps-file-input').setInputFiles(other);
  await expect(error).toContainText('"other.json" is not a sweep results file: its format is "hvp-playground-checkpoint"');

  const infinite = info.outputPath('infinite.json');
  writeFileSync(infinite, readFileSync(out, 'utf8').replace(/"wallMs": [0-9.e+]+/, '"wallMs": 1e999'));
  await panel.getByTestId('sweeps-file-input').setInputFiles(infinite);
  await expect(error).toContainText('cells[0]');
  await expect(error).toContainText('wallMs is Infinity; it must be a number ≥ 0');
  await expect(error).toContainText('Load the file `sweep` wrote, unedited');

  // A good file again clears the message.
  await panel.getByTestId('sweeps-file-input').setInputFiles(out);
  await expect(error).toHaveCount(0);
  await expect(panel.getByTestId('sweeps-cell')).toHaveCount(12);
  expect(consoleWatch.errors).toEqual([]);
});
