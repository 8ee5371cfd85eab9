// A run leaves the browser with its data and comes back (issue 13's "done when"): a CIFAR-10 set is
// imported into the page (a generated cifar-10-binary.tar.gz), a run trains 2 steps on it and is
// exported; the Node CLI continues it from the same .tar.gz (`resume --data`, steps 3–4); PyTorch
// continues the CLI's file under torchrun with 2 gloo processes (`python3 -m hvp_torch resume`,
// steps 5–6); the page imports PyTorch's checkpoint — its stored set found by the reference the run
// kept — shows all 6 steps of history and resumes it to step 7.
// Without a Python that has torch the PyTorch hop cannot run: skipped, except under CI=true.
import { expect, test, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeCheckpoint } from '../src/core/checkpoint/checkpointFile';
import { buildCli, runCli, type CliResult } from '../tests/helpers/cliProcess';
import { cifar10TarGz } from '../tests/helpers/datasetFiles';
import { findTorchPython, TORCH_MISSING } from '../tests/helpers/torchPython';
import { TINY_RUN, tinyQuery, watchConsole } from './helpers';

const RUN = { ...TINY_RUN, knnEvery: 0, probeEvery: 100, logEvery: 1, autosaveEvery: 0 };
const PY_DIR = join(import.meta.dirname, '..', 'python');
const python = findTorchPython();
const record = (path: string) => decodeCheckpoint(new Uint8Array(readFileSync(path)), path).record;
const expectOk = (r: CliResult) => expect(r.code, `CLI exit ${r.code}\n${r.stderr}`).toBe(0);

async function importDataset(page: Page, tarPath: string): Promise<void> {
  await page.getByTestId('dataset-file-input').setInputFiles(tarPath);
  await expect(page.getByTestId('dataset-progress')).toHaveCount(0, { timeout: 120_000 });
  await expect(page.getByTestId('dataset-report')).toContainText('Imported “cifar-10-binary”');
}

async function trainAndExport(page: Page, step: number, outPath: string): Promise<string> {
  await page.getByTestId('btn-start').click();
  await expect(page.getByTestId('run-state')).toHaveText('done', { timeout: 300_000 });
  await expect(page.getByTestId('status-step')).toHaveAttribute('data-step', String(step));
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('btn-export-checkpoint').click()]);
  await download.saveAs(outPath);
  return outPath;
}

/** `python3 -m hvp_torch resume …` under torchrun (Debian's torch 1.13 needs --redirects/--tee ≥ 1). */
function torchrunResume(args: string[]): { status: number | null; out: string } {
  const r = spawnSync(python!, ['-m', 'torch.distributed.run', '--standalone', '--nproc_per_node=2', '--redirects', '1', '--tee', '1', '-m', 'hvp_torch', 'resume', ...args],
    { cwd: PY_DIR, encoding: 'utf8', timeout: 300_000, env: { ...process.env, OMP_NUM_THREADS: '1' } });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}` };
}

test.beforeAll(() => buildCli());

test('browser → CLI --data → PyTorch under torchrun → browser, with the whole history', async ({ page }, info) => {
  test.skip(!python && !process.env.CI, TORCH_MISSING);
  expect(python, TORCH_MISSING).not.toBeNull();
  const consoleWatch = watchConsole(page);
  const out = (name: string) => info.outputPath(name);
  const tar = out('cifar-10-binary.tar.gz');
  writeFileSync(tar, cifar10TarGz({ numTrainPerBatch: 12, numTest: 20, seed: 5 }));

  // 1. The browser: import the set, train 2 steps on it, export.
  await page.goto(tinyQuery({ ...RUN, maxSteps: 2 }));
  await expect(page.getByTestId('status-backend')).toContainText('webgpu', { timeout: 120_000 });
  await importDataset(page, tar);
  const b2 = record(await trainAndExport(page, 2, out('browser2.safetensors')));
  expect(b2.config.dataset).toMatch(/^stored:/);
  expect(b2.dataset).toMatchObject({ name: 'cifar-10-binary', numTrain: 60, numTest: 20 });

  // 2. The CLI, from the same .tar.gz: steps 3–4.
  const cli = await runCli(['resume', out('browser2.safetensors'), '--steps', '4', '--out', out('cli4.safetensors'), '--backend', 'cpu', '--data', tar]);
  expectOk(cli);
  const c4 = record(out('cli4.safetensors'));
  expect(c4.config.dataset).toBe(b2.config.dataset);
  expect(c4.dataset.hash).toBe(b2.dataset.hash);

  // 3. PyTorch under torchrun, 2 processes: steps 5–6.
  const py = torchrunResume([out('cli4.safetensors'), '--data', tar, '--steps', '6', '--out', out('torch6.safetensors'), '--device', 'cpu', '--sync-bn']);
  expect(py.status, py.out).toBe(0);
  const t6 = record(out('torch6.safetensors'));
  expect(t6.backend).toBe('pytorch-cpu-ddp2');
  expect(t6.progress.step).toBe(6);
  expect(t6.config.dataset).toBe(b2.config.dataset);
  expect(t6.history.metrics.map((m) => m.step)).toEqual([1, 2, 3, 4, 5, 6]);
  expect(t6.history.metrics.slice(0, 4)).toEqual(c4.history.metrics);

  // 4. Back in the browser: the stored set is found, the history is whole, and the run resumes.
  await page.goto(tinyQuery({ ...RUN, maxSteps: 7 }));
  await expect(page.getByTestId('status-backend')).toContainText('webgpu', { timeout: 120_000 });
  await page.getByTestId('checkpoint-file-input').setInputFiles(out('torch6.safetensors'));
  await expect(page.getByTestId('run-state')).toHaveText('paused', { timeout: 120_000 });
  await expect(page.getByTestId('checkpoint-loaded')).toContainText('torch6.safetensors at step 6');
  await expect(page.getByTestId('chart-loss')).toHaveAttribute('data-points', '6');
  await page.getByTestId('btn-resume').click();
  await expect(page.getByTestId('run-state')).toHaveText('done', { timeout: 300_000 });
  await expect(page.getByTestId('status-step')).toHaveAttribute('data-step', '7');
  await expect(page.getByTestId('chart-loss')).toHaveAttribute('data-points', '7');
  expect(consoleWatch.errors).toEqual([]);
});
