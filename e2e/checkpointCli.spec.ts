// Checkpoints cross between the browser and the headless CLI in both directions. CLI → browser: the
// CLI (child process, tfjs CPU backend) trains 2 steps of the page's tiny config; the page imports
// the file, resumes and reaches step 4 with the CLI's history kept. Browser → CLI: the page (WebGPU,
// SwiftShader here) trains 2 steps and exports; `cli resume` continues the download to step 4.
// Steps 3–4 are compared with an uninterrupted run of the other side within a tolerance, since the
// CPU and WebGPU backends round differently.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { decodeCheckpoint } from '../src/core/checkpoint/checkpointFile';
import { buildCli, jsonLines, runCli, setArgs, type CliResult } from '../tests/helpers/cliProcess';
import { TINY_RUN, tinyQuery, watchConsole } from './helpers';

const RUN = { ...TINY_RUN, knnEvery: 0, probeEvery: 100, logEvery: 1, autosaveEvery: 0 };
const query = (maxSteps: number) => tinyQuery({ ...RUN, maxSteps });
const CLI_RUN = setArgs(RUN);
/** Largest |Δloss| allowed between a CPU step and the same step on WebGPU after 2 steps on the other. */
const CROSS_BACKEND_TOLERANCE = 1e-5; // measured: ~1.6e-7 (tiny run, 2 steps on each side)

const record = (path: string) => decodeCheckpoint(new Uint8Array(readFileSync(path)), path).record;
const losses = (path: string) => record(path).history.metrics.map((m) => m.loss);
const cliLosses = (r: CliResult) => jsonLines(r.stdout).filter((l) => l.type === 'metrics').map((l) => l.loss as number);
const expectOk = (r: CliResult) => expect(r.code, `CLI exit ${r.code}\n${r.stderr}`).toBe(0);

async function exportCheckpoint(page: Page, outPath: string): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('btn-export-checkpoint').click()]);
  await download.saveAs(outPath);
  return outPath;
}

async function runUntilDone(page: Page, step: number): Promise<void> {
  await expect(page.getByTestId('run-state')).toHaveText('done', { timeout: 300_000 });
  await expect(page.getByTestId('status-step')).toHaveAttribute('data-step', String(step));
}

test.beforeAll(() => buildCli());

test('a CLI checkpoint resumes in the browser', async ({ page }, info) => {
  const consoleWatch = watchConsole(page);
  const out = (name: string) => info.outputPath(name);
  const [cli2, cli4] = await Promise.all([
    runCli(['train', ...CLI_RUN, '--steps', '2', '--out', out('cli2.safetensors'), '--backend', 'cpu', '--json', '--quiet']),
    runCli(['train', ...CLI_RUN, '--steps', '4', '--out', out('cli4.safetensors'), '--backend', 'cpu', '--json', '--quiet']),
  ]);
  expectOk(cli2);
  expectOk(cli4);
  expect(record(out('cli2.safetensors')).backend).toBe('cpu');

  await page.goto(query(4));
  await expect(page.getByTestId('status-backend')).toContainText('webgpu', { timeout: 120_000 });
  await page.getByTestId('checkpoint-file-input').setInputFiles(out('cli2.safetensors'));
  await expect(page.getByTestId('run-state')).toHaveText('paused', { timeout: 120_000 });
  await expect(page.getByTestId('checkpoint-loaded')).toContainText('cli2.safetensors at step 2');
  await expect(page.getByTestId('status-step')).toHaveAttribute('data-step', '2');
  await expect(page.getByTestId('chart-loss')).toHaveAttribute('data-points', '2');
  await page.getByTestId('btn-resume').click();
  await runUntilDone(page, 4);

  const browser4 = losses(await exportCheckpoint(page, out('browser4.safetensors')));
  const reference = cliLosses(cli4);
  expect(browser4).toHaveLength(4);
  expect(browser4.slice(0, 2)).toEqual(cliLosses(cli2)); // the CLI's history, carried over unchanged
  const delta = Math.max(...[2, 3].map((i) => Math.abs(browser4[i]! - reference[i]!)));
  console.log(`CLI → browser: CLI-only losses ${reference.join(', ')}; browser steps 3–4 ${browser4.slice(2).join(', ')}; max |Δ| ${delta}`);
  expect(delta).toBeLessThan(CROSS_BACKEND_TOLERANCE);
  expect(consoleWatch.errors).toEqual([]);
});

test('a browser checkpoint resumes in the CLI', async ({ page }, info) => {
  const consoleWatch = watchConsole(page);
  const out = (name: string) => info.outputPath(name);

  // The uninterrupted browser reference: 4 steps.
  await page.goto(query(4));
  await expect(page.getByTestId('status-backend')).toContainText('webgpu', { timeout: 120_000 });
  await page.getByTestId('btn-start').click();
  await runUntilDone(page, 4);
  const reference = losses(await exportCheckpoint(page, out('browser4.safetensors')));

  // 2 steps in the browser, exported, continued by the CLI.
  await page.goto(query(2));
  await expect(page.getByTestId('btn-start')).toBeEnabled({ timeout: 120_000 });
  await page.getByTestId('btn-start').click();
  await runUntilDone(page, 2);
  const b2 = await exportCheckpoint(page, out('browser2.safetensors'));
  expect(record(b2).backend).toBe('webgpu');

  const resumed = await runCli(['resume', b2, '--steps', '4', '--out', out('cli4.safetensors'), '--backend', 'cpu', '--json']);
  expectOk(resumed);
  expect(resumed.stderr).toMatch(/Resuming .*browser2\.safetensors at step 2 of 400; training to step 4\./);
  expect(jsonLines(resumed.stdout).filter((l) => l.type === 'metrics').map((l) => l.step)).toEqual([3, 4]);
  const cli4 = record(out('cli4.safetensors'));
  expect(cli4.progress.step).toBe(4);
  expect(cli4.backend).toBe('cpu');
  const resumedLosses = cli4.history.metrics.map((m) => m.loss);
  expect(resumedLosses.slice(0, 2)).toEqual(losses(b2)); // the browser's history, carried over unchanged
  const delta = Math.max(...[2, 3].map((i) => Math.abs(resumedLosses[i]! - reference[i]!)));
  console.log(`browser → CLI: browser-only losses ${reference.join(', ')}; CLI steps 3–4 ${resumedLosses.slice(2).join(', ')}; max |Δ| ${delta}`);
  expect(delta).toBeLessThan(CROSS_BACKEND_TOLERANCE);
  expect(consoleWatch.errors).toEqual([]);
});
