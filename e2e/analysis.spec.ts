// End-to-end: the "Why are hard views hard?" panel on a real view log. Before a run, "This run" has
// nothing to fit. The CLI trains 12 tiny hard-HVP steps on the CPU with `--log-views views.csv`
// (a browser run would cost ~30 s of SwiftShader compiles; the live window's rows take the same worker
// path, src/worker/analysisHandler.test.ts); the panel loads the file, fits what drives the loss
// (7 features, each beside the paper's Fig. 8 bar) and whether the choice can be predicted (held-out
// accuracy vs chance 1/6), exports the rows again as CSV, and refuses a corrupted copy with a message
// naming the row and column.
import { readFileSync, writeFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { buildCli, runCli, setArgs } from '../tests/helpers/cliProcess';
import { TINY_RUN, tinyQuery, watchConsole } from './helpers';

const RUN = { ...TINY_RUN, knnEvery: 0, probeEvery: 100, logEvery: 10, autosaveEvery: 0, hvpMode: 'hard' as const, numViews: 4 };
const STEPS = 12;
const ROWS = STEPS * TINY_RUN.batchSize * 6; // C(4, 2) candidates per image

test.beforeAll(() => buildCli());

test('loads a CLI view log, fits both analyses, exports it, and refuses a corrupt copy', async ({ page }, info) => {
  const consoleWatch = watchConsole(page);
  const out = (name: string) => info.outputPath(name);
  const cliDone = runCli(['train', ...setArgs(RUN), '--steps', String(STEPS), '--backend', 'cpu', '--out', out('run.safetensors'), '--log-views', out('views.csv'), '--quiet']);

  // This run, before any step: nothing to fit yet.
  await page.goto(tinyQuery({ ...RUN, maxSteps: 1 }));
  const panel = page.getByTestId('analysis');
  await expect(page.getByTestId('analysis-source')).toHaveText('this run: 0 selection steps, 0 pairs, 0 dropped');
  await expect(page.getByTestId('analysis-source-run')).toBeChecked();
  await expect(page.getByTestId('analysis-fit-choice')).toBeDisabled();
  await expect(page.getByTestId('analysis-fit-drivers')).toBeDisabled();
  await expect(page.getByTestId('analysis-export-csv')).toBeDisabled();

  // A view log of the CLI.
  const cli = await cliDone;
  expect(cli.code, `CLI exit ${cli.code}\n${cli.stderr}`).toBe(0);
  await page.getByTestId('analysis-file-input').setInputFiles(out('views.csv'));
  await expect(page.getByTestId('analysis-source')).toHaveText(`views.csv: ${STEPS} selection steps (steps 0–${STEPS - 1}), ${ROWS} pairs`);
  await expect(page.getByTestId('analysis-source-file')).toBeChecked();

  // What drives the loss: 7 features, ours ± SD beside the paper's Fig. 8.
  await page.getByTestId('analysis-fit-drivers').click();
  const chart = page.getByTestId('analysis-drivers-chart');
  await expect(chart).toHaveAttribute('data-features', '7');
  await expect(page.getByTestId('analysis-drivers-summary')).toContainText('fANOVA first-order shares over a random forest');
  await expect(page.getByTestId('analysis-drivers-summary')).toContainText(`out-of-bag R²`);
  await expect(page.getByTestId('analysis-drivers-summary')).toContainText(`${ROWS} rows`);
  const table = page.getByTestId('analysis-drivers-table');
  await expect(table.locator('tbody tr')).toHaveCount(7);
  await expect(table.locator('tbody th')).toHaveText(['IoU', 'brightness', 'relative distance', 'colour distance', 'contrast', 'saturation', 'hue']);
  await expect(table.locator('tr[data-feature="iou"] td').nth(1)).toHaveText('15.2 %');
  await expect(chart).toContainText('HVP paper, Fig. 8');
  const paperBars = chart.locator('.recharts-bar').nth(1).locator('.recharts-bar-rectangle');
  await expect(paperBars).toHaveCount(7);
  await page.getByTestId('analysis-method').selectOption('permutation');
  await page.getByTestId('analysis-fit-drivers').click();
  await expect(page.getByTestId('analysis-drivers-summary')).toContainText('permutation importance over a random forest');
  await expect(chart).toHaveAttribute('data-features', '7');

  // Can the choice be predicted: a percentage vs chance 1/6.
  await page.getByTestId('analysis-fit-choice').click();
  await expect(page.getByTestId('analysis-choice')).toContainText('views.csv');
  await expect(page.getByTestId('analysis-choice-accuracy')).toHaveText(/^\d+\.\d % held-out accuracy vs chance 16\.7 % \(1\/6\)$/);
  await expect(page.getByTestId('analysis-choice-weights').locator('li')).toHaveCount(6);
  await panel.screenshot({ path: out('analysis.png') });

  // Export: the same rows as a documented CSV.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('analysis-export-csv').click()]);
  expect(download.suggestedFilename()).toBe('views.csv');
  await download.saveAs(out('exported.csv'));
  const exported = readFileSync(out('exported.csv'), 'utf8').trimEnd().split('\n');
  expect(exported[0]).toMatch(/^# hvp-playground-view-log version 1:/);
  expect(exported.filter((l) => !l.startsWith('#')).length).toBe(ROWS + 1);

  // A corrupt copy: one loss cell is text.
  const lines = readFileSync(out('views.csv'), 'utf8').split('\n');
  const h = lines.findIndex((l) => !l.startsWith('#'));
  const col = lines[h]!.split(',').indexOf('loss');
  const cells = lines[h + 3]!.split(',');
  cells[col] = 'oops';
  lines[h + 3] = cells.join(',');
  writeFileSync(out('corrupt.csv'), lines.join('\n'));
  await page.getByTestId('analysis-file-input').setInputFiles(out('corrupt.csv'));
  const problem = page.getByTestId('analysis-load-error');
  await expect(problem).toContainText(`corrupt.csv, line ${h + 4} (row 3), column loss: "oops" is not a finite number.`);
  await expect(problem).toContainText('--log-views FILE');
  await expect(page.getByTestId('analysis-source-run')).toBeChecked();
  expect(consoleWatch.errors).toEqual([]);
});
