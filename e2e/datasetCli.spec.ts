// Runs on imported dataset files cross between the browser and the CLI (`--data`), without PyTorch
// (runLeavesBrowser.spec.ts adds the torchrun hop where torch is installed). Browser → CLI: the page
// imports a generated cifar-10-binary.tar.gz, trains 2 steps and exports; `cli resume --data` the same
// file continues to step 3 with the browser's stored:<id> and fingerprint kept. CLI → browser: runs
// trained by `cli train --data` on a CIFAR .tar.gz and on MNIST IDX .gz files are refused by a page
// that lacks the set (the message names it), then, once the page imports the same files, load with
// the stored set found by fingerprint (config.dataset rewritten, a note says so) and their history.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync, writeFileSync } from 'node:fs';
import { decodeCheckpoint } from '../src/core/checkpoint/checkpointFile';
import { buildCli, runCli, setArgs, type CliResult } from '../tests/helpers/cliProcess';
import { cifar10TarGz, mnistFiles, writeFiles } from '../tests/helpers/datasetFiles';
import { TINY_RUN, tinyQuery, watchConsole } from './helpers';

const RUN = { ...TINY_RUN, knnEvery: 0, probeEvery: 100, logEvery: 1, autosaveEvery: 0 };
const record = (path: string) => decodeCheckpoint(new Uint8Array(readFileSync(path)), path).record;
const expectOk = (r: CliResult) => expect(r.code, `CLI exit ${r.code}\n${r.stderr}`).toBe(0);

async function openPage(page: Page, maxSteps: number): Promise<void> {
  await page.goto(tinyQuery({ ...RUN, maxSteps }));
  await expect(page.getByTestId('status-backend')).toContainText('webgpu', { timeout: 120_000 });
}

async function importDataset(page: Page, paths: string[], name: string): Promise<void> {
  await page.getByTestId('dataset-file-input').setInputFiles(paths);
  await expect(page.getByTestId('dataset-progress')).toHaveCount(0, { timeout: 120_000 });
  await expect(page.getByTestId('dataset-report')).toContainText(`Imported “${name}”`);
}

/** Loads a checkpoint file into the page and waits for the paused run. */
async function loadCheckpoint(page: Page, path: string): Promise<void> {
  await page.getByTestId('checkpoint-file-input').setInputFiles(path);
  await expect(page.getByTestId('run-state')).toHaveText('paused', { timeout: 120_000 });
}

test.beforeAll(() => buildCli());

test('a browser run on an imported CIFAR .tar.gz resumes in the CLI from the same file', async ({ page }, info) => {
  const consoleWatch = watchConsole(page);
  const out = (name: string) => info.outputPath(name);
  const tar = out('cifar-10-binary.tar.gz');
  writeFileSync(tar, cifar10TarGz({ numTrainPerBatch: 12, numTest: 20, seed: 7 }));

  await openPage(page, 2);
  await importDataset(page, [tar], 'cifar-10-binary');
  await page.getByTestId('btn-start').click();
  await expect(page.getByTestId('run-state')).toHaveText('done', { timeout: 300_000 });
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('btn-export-checkpoint').click()]);
  await download.saveAs(out('browser2.safetensors'));
  const b2 = record(out('browser2.safetensors'));
  expect(b2.config.dataset).toMatch(/^stored:/);
  expect(b2.dataset).toMatchObject({ name: 'cifar-10-binary', numTrain: 60, numTest: 20 });

  const cli = await runCli(['resume', out('browser2.safetensors'), '--steps', '3', '--out', out('cli3.safetensors'), '--backend', 'cpu', '--data', tar]);
  expectOk(cli);
  const c3 = record(out('cli3.safetensors'));
  expect(c3.config.dataset).toBe(b2.config.dataset);
  expect(c3.dataset.hash).toBe(b2.dataset.hash);
  expect(c3.history.metrics.map((m) => m.step)).toEqual([1, 2, 3]);
  expect(consoleWatch.errors).toEqual([]);
});

test('CLI runs on CIFAR and IDX files load in a browser that imported the same files, found by fingerprint', async ({ page }, info) => {
  const consoleWatch = watchConsole(page);
  const out = (name: string) => info.outputPath(name);
  const tar = out('cifar-10-binary.tar.gz');
  writeFileSync(tar, cifar10TarGz({ numTrainPerBatch: 12, numTest: 20, seed: 8 }));
  const idx = writeFiles(out('mnist'), mnistFiles({ numTrain: 60, numTest: 20, seed: 2 }));
  const train = (data: string[], file: string) => runCli(['train', ...setArgs(RUN), '--steps', '2', '--out', out(file), '--backend', 'cpu', '--json', '--quiet', '--data', ...data]);
  const [cifarRun, mnistRun] = await Promise.all([train([tar], 'cifar.safetensors'), train(idx, 'mnist.safetensors')]);
  expectOk(cifarRun);
  expectOk(mnistRun);
  const cifar = record(out('cifar.safetensors'));
  expect(cifar.config.dataset).toBe(`stored:files-${cifar.dataset.hash}`);

  // Without the set: refused, naming the set and what to import; nothing loaded.
  await openPage(page, 3);
  await page.getByTestId('checkpoint-file-input').setInputFiles(out('cifar.safetensors'));
  await expect(page.getByTestId('banner-error-message').last()).toContainText('trained on the imported dataset "cifar-10-binary"', { timeout: 120_000 });
  await expect(page.getByTestId('banner-error-hint').last()).toContainText('Import the files the run was trained on');
  await expect(page.getByTestId('checkpoint-loaded')).toHaveCount(0);

  // After importing the same .tar.gz: found by fingerprint, history shown, and it trains on.
  await importDataset(page, [tar], 'cifar-10-binary');
  await loadCheckpoint(page, out('cifar.safetensors'));
  const loaded = page.getByTestId('checkpoint-loaded');
  await expect(loaded).toContainText('cifar.safetensors at step 2');
  await expect(loaded).toContainText(`"${cifar.config.dataset}" is not in this browser; the stored set “cifar-10-binary”`);
  await expect(loaded).toContainText(`same images (fingerprint ${cifar.dataset.hash})`);
  await expect(page.getByTestId('chart-loss')).toHaveAttribute('data-points', '2');
  await page.getByTestId('btn-resume').click();
  await expect(page.getByTestId('run-state')).toHaveText('done', { timeout: 300_000 });
  await expect(page.getByTestId('status-step')).toHaveAttribute('data-step', '3');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('btn-export-checkpoint').click()]);
  await download.saveAs(out('browser3.safetensors'));
  const b3 = record(out('browser3.safetensors'));
  expect(b3.config.dataset).toMatch(/^stored:/);
  expect(b3.config.dataset).not.toBe(cifar.config.dataset);
  expect(b3.dataset.hash).toBe(cifar.dataset.hash);
  expect(b3.history.metrics.map((m) => m.step)).toEqual([1, 2, 3]);

  // The IDX run: the same from the four .gz files.
  const mnist = record(out('mnist.safetensors'));
  expect(mnist.dataset).toMatchObject({ name: 'MNIST', numTrain: 60, numTest: 20 });
  await importDataset(page, idx, 'MNIST');
  await loadCheckpoint(page, out('mnist.safetensors'));
  await expect(page.getByTestId('checkpoint-loaded')).toContainText('mnist.safetensors at step 2');
  await expect(page.getByTestId('checkpoint-loaded')).toContainText(`the stored set “MNIST”`);
  await expect(page.getByTestId('chart-loss')).toHaveAttribute('data-points', '2');
  expect(consoleWatch.errors).toEqual([]);
});
