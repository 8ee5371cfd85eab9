// Checkpoints in the real app (Chromium, WebGPU on SwiftShader): a 4-step run equals a 2-step run
// that is exported, followed by a page reload and (a) the autosave offer or (b) importing the file,
// then 2 more steps — losses within 1e-5 (the fused GPU kernels run in both). A damaged file and a
// wrong file get a message naming them and change nothing, until a good file clears those banners;
// the backbone exports as a tfjs model. An import says what it is doing, and Resume is ready before
// the first gallery probe of the loaded run.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync, writeFileSync } from 'node:fs';
import { decodeSafetensors } from '../src/core/checkpoint/safetensors';
import { seenMoments, watchMoments } from './domMoments';
import { tinyQuery, watchConsole } from './helpers';

const query = (maxSteps: number) => tinyQuery({ maxSteps, knnEvery: 0, probeEvery: 100, logEvery: 1, autosaveEvery: 2 });

/** Clicks export and returns the downloaded file's path. */
async function exportCheckpoint(page: Page, outPath: string): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('btn-export-checkpoint').click()]);
  expect(download.suggestedFilename()).toMatch(/^hvp-simsiam-hard-step\d+\.safetensors$/);
  await download.saveAs(outPath);
  return outPath;
}

/** Losses of the run history stored in a checkpoint file. */
function historyLosses(path: string): number[] {
  const { metadata } = decodeSafetensors(new Uint8Array(readFileSync(path)));
  const record = JSON.parse(metadata['hvp.record']!) as { history: { metrics: { step: number; loss: number }[] } };
  return record.history.metrics.map((m) => m.loss);
}

async function runUntilDone(page: Page, step: number): Promise<void> {
  await expect(page.getByTestId('run-state')).toHaveText('done', { timeout: 300_000 });
  await expect(page.getByTestId('status-step')).toContainText(String(step));
}

test('export → reload → autosave or file import → resume equals an uninterrupted run', async ({ page }, info) => {
  const consoleWatch = watchConsole(page);
  const out = (name: string) => info.outputPath(name);

  // The uninterrupted reference: 4 steps.
  await page.goto(query(4));
  await expect(page.getByTestId('status-backend')).toContainText('webgpu', { timeout: 120_000 });
  await page.getByTestId('btn-start').click();
  await runUntilDone(page, 4);
  const reference = historyLosses(await exportCheckpoint(page, out('a4.safetensors')));
  expect(reference).toHaveLength(4);

  // 2 steps, exported.
  await page.goto(query(2));
  await expect(page.getByTestId('btn-start')).toBeEnabled({ timeout: 120_000 });
  await page.getByTestId('btn-start').click();
  await runUntilDone(page, 2);
  const b2 = await exportCheckpoint(page, out('b2.safetensors'));
  expect(historyLosses(b2)).toEqual(reference.slice(0, 2).map((x) => expect.closeTo(x, 5)));

  // (a) Reload: the autosave (saved when the run finished at step 2) is offered; load and resume.
  await page.goto(query(4));
  await expect(page.getByTestId('autosave-offer')).toContainText('step 2 of 400', { timeout: 120_000 });
  await page.getByTestId('btn-offer-resume').click();
  await expect(page.getByTestId('run-state')).toHaveText('paused', { timeout: 120_000 });
  await expect(page.getByTestId('status-step')).toContainText('2');
  await expect(page.getByTestId('chart-loss')).toHaveAttribute('data-points', '2');
  await page.getByTestId('btn-resume').click();
  await runUntilDone(page, 4);
  const viaAutosave = historyLosses(await exportCheckpoint(page, out('b4-autosave.safetensors')));
  expect(viaAutosave).toHaveLength(4);
  viaAutosave.forEach((x, i) => expect(Math.abs(x - reference[i]!)).toBeLessThan(1e-5));

  // (b) Reload again, leave the offer, import the exported step-2 file and resume.
  await page.goto(query(4));
  await page.getByTestId('btn-offer-dismiss').click({ timeout: 120_000 });
  await watchMoments(page, [
    { name: 'loading words', selector: '[data-testid="checkpoint-progress"], [data-testid="status-progress"]', text: 'Loading the checkpoint' },
    { name: 'resume enabled', selector: '[data-testid="btn-resume"]', isEnabled: true },
    { name: 'gallery', selector: '[data-testid="gallery-probe"]' },
  ]);
  await page.getByTestId('checkpoint-file-input').setInputFiles(b2);
  await expect(page.getByTestId('run-state')).toHaveText('paused', { timeout: 120_000 });
  await expect(page.getByTestId('checkpoint-loaded')).toContainText('b2.safetensors at step 2');
  // The load said what it was doing, and Resume was ready before the first gallery probe (which compiles the GPU programs).
  await expect.poll(() => seenMoments(page), { timeout: 120_000 }).toEqual(['loading words', 'resume enabled', 'gallery']);
  await page.getByTestId('btn-resume').click();
  await runUntilDone(page, 4);
  const viaFile = historyLosses(await exportCheckpoint(page, out('b4-file.safetensors')));
  viaFile.forEach((x, i) => expect(Math.abs(x - reference[i]!)).toBeLessThan(1e-5));
  console.log(`checkpoint resume on WebGPU: reference ${reference.join(', ')}; max |Δloss| autosave ${Math.max(...viaAutosave.map((x, i) => Math.abs(x - reference[i]!)))}, file ${Math.max(...viaFile.map((x, i) => Math.abs(x - reference[i]!)))}`);

  // The backbone as a tfjs LayersModel: two files.
  const downloads: string[] = [];
  page.on('download', (d) => downloads.push(d.suggestedFilename()));
  await page.getByTestId('btn-export-backbone').click();
  await expect.poll(() => downloads.length, { timeout: 120_000 }).toBe(2);
  expect(downloads.sort()).toEqual(['hvp-simsiam-backbone-step4.json', 'hvp-simsiam-backbone-step4.weights.bin']);

  // Bad files: named in the message, the finished run stays as it was.
  const bytes = readFileSync(b2);
  writeFileSync(out('cut.safetensors'), bytes.subarray(0, bytes.length - 1000));
  await page.getByTestId('checkpoint-file-input').setInputFiles(out('cut.safetensors'));
  await expect(page.getByTestId('banner-error-message').last()).toContainText('cut.safetensors is incomplete: it was cut off', { timeout: 120_000 });
  writeFileSync(out('empty.safetensors'), '');
  await page.getByTestId('checkpoint-file-input').setInputFiles(out('empty.safetensors'));
  await expect(page.getByTestId('banner-error-message').last()).toContainText('empty.safetensors is empty');
  await expect(page.getByTestId('run-state')).toHaveText('done');
  await expect(page.getByTestId('status-step')).toContainText('4');
  await page.screenshot({ path: out('checkpoint-panel.png'), fullPage: true });

  // A later good import clears the banners of the failed ones; the event log keeps them.
  await expect(page.getByTestId('banner-error')).toHaveCount(2);
  await page.getByTestId('checkpoint-file-input').setInputFiles(b2);
  await expect(page.getByTestId('run-state')).toHaveText('paused', { timeout: 120_000 });
  await expect(page.getByTestId('banner-error')).toHaveCount(0);
  expect(consoleWatch.errors).toEqual([]);
});
