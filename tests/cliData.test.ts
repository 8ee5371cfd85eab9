// The CLI on real dataset files (`--data`), in child processes on the tfjs CPU backend: train on a
// generated cifar-10-binary.tar.gz, info names the set, resume with the same file continues, other
// files are refused by fingerprint with what differs, IDX .gz files, an image folder and a .zip of it
// import as in the browser (junk listed as skipped), and the fingerprint a CLI run stores is the one
// the browser's import path gives for the same file — so the run goes back to the browser.
import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCheckpoint, encodeCheckpoint, type LoadedCheckpoint } from '../src/core/checkpoint/checkpointFile';
import { decodeSafetensors } from '../src/core/checkpoint/safetensors';
import { fingerprintDataset } from '../src/core/data/fingerprint';
import { KNOWN_NORMALIZATIONS } from '../src/core/data/normalization';
import { importFiles } from '../src/core/data/formats/importFiles';
import { nodeImageDecoder } from '../src/core/data/formats/nodeImageDecoder';
import { buildCli, runCli, setArgs, type CliResult } from './helpers/cliProcess';
import { cifar10TarGz, mnistFiles, pngClassFolder, writeFiles, zipOf } from './helpers/datasetFiles';
import { buildRunDataset } from './helpers/runDatasetOf';
import { tinyConfig } from './helpers/tinyConfig';

const CONFIG = tinyConfig({ imageSize: 16, batchSize: 8, numTrainImages: 200, numTestImages: 20, backbone: 'resnet10', backboneWidth: 2 });
const TINY = setArgs(CONFIG);
let dir = '';
const at = (name: string) => join(dir, name);
const load = (name: string): LoadedCheckpoint => decodeCheckpoint(readFileSync(at(name)), name);
const expectOk = (r: CliResult) => expect(r.code, `exit ${r.code}\nstderr:\n${r.stderr}`).toBe(0);

beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = mkdtempSync(join(tmpdir(), 'hvp-cli-data-'));
  writeFileSync(at('cifar-10-binary.tar.gz'), cifar10TarGz({ numTrainPerBatch: 12, numTest: 20, seed: 3 }));
  writeFileSync(at('other.tar.gz'), cifar10TarGz({ numTrainPerBatch: 12, numTest: 20, seed: 4 }));
  buildCli();
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('CLI --data: train and resume on dataset files', () => {
  let trained: CliResult;
  beforeAll(async () => {
    trained = await runCli(['train', ...TINY, '--steps', '2', '--out', at('cifar.safetensors'), '--backend', 'cpu', '--data', at('cifar-10-binary.tar.gz')]);
    expectOk(trained);
  });

  it('trains on a CIFAR-10 .tar.gz with the fingerprint the browser import gives, and names the set', async () => {
    const ck = load('cifar.safetensors');
    expect(trained.stderr).toMatch(/on cifar-10-binary:/);
    expect(ck.record.config.dataset).toBe(`stored:files-${ck.record.dataset.hash}`);
    const result = await importFiles([{ path: 'cifar-10-binary.tar.gz', bytes: readFileSync(at('cifar-10-binary.tar.gz')) }], { size: 16, decodeImage: nodeImageDecoder });
    expect(ck.record.dataset).toMatchObject(fingerprintDataset(buildRunDataset(result, CONFIG)));
    expect(ck.record.dataset).toMatchObject({ name: 'cifar-10-binary', numTrain: 60, numTest: 20 });
    expect(ck.record.dataset.normalization).toEqual(KNOWN_NORMALIZATIONS.cifar10); // CIFAR-10's published statistics
    const info = await runCli(['info', at('cifar.safetensors')]);
    expectOk(info);
    expect(info.stdout).toMatch(/cifar-10-binary: 60 training \+ 20 held-out images of 16×16, fingerprint [0-9a-f]{8}/);
  });

  it('resumes with the same file, and refuses other files or none with what to do', async () => {
    const resumed = await runCli(['resume', at('cifar.safetensors'), '--steps', '3', '--out', at('cifar3.safetensors'), '--backend', 'cpu', '--data', at('cifar-10-binary.tar.gz')]);
    expectOk(resumed);
    const ck = load('cifar3.safetensors');
    expect(ck.record.progress.step).toBe(3);
    expect(ck.record.dataset).toEqual(load('cifar.safetensors').record.dataset);
    expect(ck.record.history.metrics.map((m) => m.step)).toEqual([1, 2, 3]);

    const other = await runCli(['resume', at('cifar.safetensors'), '--steps', '3', '--out', at('never.safetensors'), '--backend', 'cpu', '--data', at('other.tar.gz')]);
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/does not fit the data: The checkpoint was trained on "cifar-10-binary" \(60 training \+ 20 held-out images of 16×16, fingerprint [0-9a-f]{8}\), but the loaded dataset is "cifar-10-binary" \(60 training \+ 20 held-out images of 16×16, fingerprint [0-9a-f]{8}\)/);
    expect(other.stderr).toMatch(/Pass the files the set was imported from/);
    expect(existsSync(at('never.safetensors'))).toBe(false);

    const none = await runCli(['resume', at('cifar.safetensors'), '--steps', '3', '--out', at('never.safetensors'), '--backend', 'cpu']);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/trained on the imported dataset "cifar-10-binary"; the CLI builds it again from its files/);
    expect(none.stderr).toMatch(/Pass --data with the files the set was imported from/);
  });

  it('a browser checkpoint of a stored set resumes from the files it was imported from, keeping its reference', async () => {
    const ck = load('cifar.safetensors');
    const browserConfig = { ...ck.record.config, dataset: 'stored:abc123' as const };
    writeFileSync(at('browser.safetensors'), encodeCheckpoint({ ...ck.record, config: browserConfig }, ck.snapshot));
    const r = await runCli(['resume', at('browser.safetensors'), '--steps', '3', '--out', at('browser3.safetensors'), '--backend', 'cpu', '--data', at('cifar-10-binary.tar.gz')]);
    expectOk(r);
    expect(load('browser3.safetensors').record.config.dataset).toBe('stored:abc123');
  });

  it('--data on a built-in run, or --set dataset, is a usage error', async () => {
    const builtin = await runCli(['train', ...setArgs(tinyConfig()), '--steps', '1', '--out', at('b.safetensors'), '--backend', 'cpu']);
    expectOk(builtin);
    const r = await runCli(['resume', at('b.safetensors'), '--steps', '2', '--backend', 'cpu', '--data', at('cifar-10-binary.tar.gz')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/trained on the built-in dataset, so --data has nothing to replace/);
    const s = await runCli(['train', '--set', 'dataset=stored:x', '--steps', '1', '--out', at('s.safetensors'), '--backend', 'cpu']);
    expect(s.code).toBe(2);
    expect(s.stderr).toMatch(/from the files given with --data/);
    const both = await runCli(['train', '--set', 'dataset=builtin', '--steps', '1', '--out', at('s.safetensors'), '--backend', 'cpu', '--data', at('cifar-10-binary.tar.gz')]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--set dataset=builtin and --data both name the run's data/);
  });
});

describe('CLI --data: the other formats the browser imports', () => {
  it('MNIST IDX .gz files (several paths after one --data) with a junk file listed as skipped', async () => {
    const paths = writeFiles(join(dir, 'mnist'), mnistFiles({ numTrain: 60, numTest: 20 }));
    writeFileSync(at('notes.txt'), 'not a dataset');
    const r = await runCli(['train', ...TINY, '--set', 'numTestImages=20', '--steps', '1', '--out', at('mnist.safetensors'), '--backend', 'cpu', '--data', ...paths, at('notes.txt')]);
    expectOk(r);
    expect(r.stderr).toMatch(/1 file\(s\) skipped, as the browser's import would:\n {2}notes\.txt: /);
    expect(load('mnist.safetensors').record.dataset).toMatchObject({ name: 'MNIST', numTrain: 60, numTest: 20, normalization: KNOWN_NORMALIZATIONS.mnist });
  });

  it('an image folder (sub-folder = class) and a .zip of it give the same images', async () => {
    const files = pngClassFolder({ root: 'toys', classes: ['cat', 'dog'], perClass: 30 });
    writeFiles(dir, files);
    writeFileSync(at('toys.zip'), zipOf(files));
    const folder = await runCli(['train', ...TINY, '--steps', '1', '--out', at('folder.safetensors'), '--backend', 'cpu', '--data', at('toys')]);
    expectOk(folder);
    const zip = await runCli(['train', ...TINY, '--steps', '1', '--out', at('zip.safetensors'), '--backend', 'cpu', '--data', at('toys.zip')]);
    expectOk(zip);
    const a = load('folder.safetensors').record.dataset;
    const b = load('zip.safetensors').record.dataset;
    expect(a).toMatchObject({ name: 'toys', numTrain: 54, numTest: 6 });
    expect(b.hash).toBe(a.hash);
    // statistics computed over the imported images, as the browser's import computes them, and exported with the backbone
    const imported = await importFiles(Object.entries(files).map(([path, bytes]) => ({ path, bytes })), { size: 16, decodeImage: nodeImageDecoder });
    expect(imported.normalization!.source).toBe('computed');
    expect(a.normalization).toEqual(imported.normalization);
    expect(b.normalization).toEqual(a.normalization);
    const exported = await runCli(['export', at('folder.safetensors'), '--format', 'safetensors-backbone', '--out', at('folder-backbone')]);
    expectOk(exported);
    const meta = JSON.parse(decodeSafetensors(readFileSync(at('folder-backbone/backbone.safetensors'))).metadata['hvp.backbone']!);
    expect(meta).toMatchObject({ normalizeMean: a.normalization!.mean, normalizeStd: a.normalization!.std, normalizationSource: 'computed' });
  });

  it('a path that does not exist, or holds nothing usable, fails with the reason', async () => {
    const r = await runCli(['train', ...TINY, '--steps', '1', '--out', at('x.safetensors'), '--backend', 'cpu', '--data', at('missing.tar.gz')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/None of the --data paths could be read \(missing\.tar\.gz: cannot be read \(ENOENT\)/);
    const junk = await runCli(['train', ...TINY, '--steps', '1', '--out', at('x.safetensors'), '--backend', 'cpu', '--data', at('notes.txt')]);
    expect(junk.code).toBe(1);
    expect(junk.stderr).toMatch(/No usable images in notes\.txt/);
  });
});
