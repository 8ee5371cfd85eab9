// PyTorch data parity (python/hvp_torch/data/): real-format files written to a temp dir (CIFAR-10
// and CIFAR-100 .tar.gz, loose CIFAR .bin batches, MNIST IDX .gz and raw, a PNG class folder and a
// .zip of it, plus junk files) are imported here through the real importers (importFiles with the
// Node decoder and the dataset worker's image budget) and split as the browser's run dataset
// (buildStoredRunDataset), and in Python through import_run_dataset. Both must give the same dataset
// name, fingerprint, train/test pixels and labels (SHA-256), class names, skipped files with their
// reasons, and warnings; a changed file gives another fingerprint on both sides.
// Runs tests/python/data_parity.py with a Python that has torch (tests/helpers/torchPython.ts);
// skipped without one, except under CI=true.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type RunConfig } from '../src/core/config/runConfig';
import { fingerprintDataset, type DatasetFingerprint } from '../src/core/data/fingerprint';
import { importFiles } from '../src/core/data/formats/importFiles';
import { nodeImageDecoder } from '../src/core/data/formats/nodeImageDecoder';
import type { InputFile, SkippedFile } from '../src/core/data/formats/types';
import type { Dataset } from '../src/core/data/types';
import { MAX_DATASET_BYTES } from '../src/worker/datasetHandler';
import type { StoredDataset } from '../src/worker/datasetCache';
import { buildStoredRunDataset } from '../src/worker/runDataset';
import { cifar100TarGz, cifar10Files, cifar10TarGz, mnistFiles, pngClassFolder, tarGz, writeFiles, zipOf } from './helpers/datasetFiles';
import { findTorchPython, TORCH_MISSING } from './helpers/torchPython';

const SCRIPT = join(import.meta.dirname, 'python', 'data_parity.py');
const python = findTorchPython();
if (!python && !process.env.CI) console.warn(`torchDataParity: skipped, ${TORCH_MISSING}`);

interface Case { label: string; paths: string[]; config: RunConfig; name?: string }
interface Summary {
  name: string;
  /** The importer's suggested name (pickName). */
  sourceName: string;
  fingerprint: DatasetFingerprint;
  train: { n: number; images: string; labels: string | null };
  test: { n: number; images: string; labels: string | null };
  classNames: string[];
  skipped: SkippedFile[];
  warnings: string[];
}

const sha = (a: Uint8Array | Int32Array | null): string | null => (a ? createHash('sha256').update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).digest('hex') : null);

/** The files as the browser's file picker gives them: a file by its name, a folder's files as "folder/…". */
function browserInputs(paths: string[]): InputFile[] {
  const out: InputFile[] = [];
  for (const p of paths) {
    if (!statSync(p).isDirectory()) {
      out.push({ path: basename(p), bytes: new Uint8Array(readFileSync(p)) });
      continue;
    }
    const walk = (d: string): void => {
      for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const full = join(d, e.name);
        if (e.isDirectory()) walk(full);
        else out.push({ path: `${basename(p)}/${relative(p, full).split('\\').join('/')}`, bytes: new Uint8Array(readFileSync(full)) });
      }
    };
    walk(p);
  }
  return out;
}

/** The run dataset as the browser builds it: dataset worker import, stored, then buildStoredRunDataset. */
async function browserRunDataset(c: Case): Promise<{ dataset: Dataset; sourceName: string; skipped: SkippedFile[]; warnings: string[] }> {
  const size = c.config.imageSize;
  const result = await importFiles(browserInputs(c.paths), { size, decodeImage: nodeImageDecoder, maxImages: Math.floor(MAX_DATASET_BYTES / (size * size * 3)) });
  const isLabelled = result.set.labels !== null;
  const stored = {
    meta: { id: 'x', name: c.name ?? result.name, format: result.format, source: '', numImages: result.set.numImages, classNames: isLabelled ? result.classNames : [], isLabelled, imageSize: size, numBytes: 0, numSourceTest: 0, numSkipped: 0, warnings: [], createdAt: 0, imagesPerChunk: 1, numChunks: 1 },
    images: result.set.images, labels: result.set.labels, isSourceTest: result.isSourceTest,
  } satisfies StoredDataset;
  return { dataset: buildStoredRunDataset(stored, c.config), sourceName: result.name, skipped: result.skipped, warnings: result.warnings };
}

function summarize(d: Dataset, sourceName: string, skipped: SkippedFile[], warnings: string[]): Summary {
  return {
    name: d.name, sourceName, fingerprint: fingerprintDataset(d),
    train: { n: d.train.numImages, images: sha(d.train.images)!, labels: sha(d.train.labels) },
    test: { n: d.test.numImages, images: sha(d.test.images)!, labels: sha(d.test.labels) },
    classNames: d.classNames, skipped, warnings,
  };
}

const cfg = (o: Partial<RunConfig>): RunConfig => ({ ...DEFAULT_CONFIG, batchSize: 8, knnEvery: 0, ...o });
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hvp-dp-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Writes every case's files and returns the cases (paths absolute). */
function makeCases(): Case[] {
  const at = (sub: string): string => {
    const d = join(dir, sub);
    mkdirSync(d, { recursive: true });
    return d;
  };
  const cifarTgz = join(at('cifar'), 'cifar-10-binary.tar.gz');
  writeFileSync(cifarTgz, cifar10TarGz({ numTrainPerBatch: 60, numTest: 50, seed: 1 }));
  const changed = cifar10Files({ numTrainPerBatch: 60, numTest: 50, seed: 1 });
  const batch3 = changed['cifar-10-batches-bin/data_batch_3.bin']!;
  const pixel = 3073 * 17 + 1 + 3; // record 17, red channel, row 0, column 3
  batch3[pixel] = batch3[pixel]! ^ 1;
  const changedTgz = join(at('cifar-changed'), 'cifar-10-binary.tar.gz');
  writeFileSync(changedTgz, tarGz(changed));

  const loose = cifar10Files({ numTrainPerBatch: 40, numTest: 30, seed: 2 });
  const looseDir = at('loose');
  const loosePaths = writeFiles(looseDir, {
    ...Object.fromEntries(Object.entries(loose).map(([p, b]) => [basename(p), b])),
    'data_batch_9.bin': loose['cifar-10-batches-bin/data_batch_1.bin']!.subarray(0, 3073 * 5 + 100), // truncated
    'notes.txt': enc('hello'),
    '.DS_Store': enc('junk'),
  });

  const mnistDir = at('mnist');
  const mnistPaths = writeFiles(mnistDir, {
    ...mnistFiles({ numTrain: 150, numTest: 40, seed: 3 }),
    'extra-labels-idx1-ubyte.gz': mnistFiles({ numTrain: 5, numTest: 5, seed: 4 })['train-labels-idx1-ubyte.gz']!,
    'broken-images-idx3-ubyte.gz': mnistFiles({ numTrain: 5, numTest: 5, seed: 4 })['train-images-idx3-ubyte.gz']!.subarray(0, 60),
  });
  const fashion = join(at('raw'), 'fashion-mnist');
  writeFiles(fashion, mnistFiles({ numTrain: 120, numTest: 30, isGzip: false, seed: 5 }));

  const pngs = pngClassFolder({ root: 'shapes', perClass: 6, seed: 6 });
  const folderRoot = at('folder');
  writeFiles(folderRoot, {
    ...pngs,
    'shapes/readme.txt': enc('not an image'),
    'shapes/circle/broken.png': enc('not a png at all'),
    'shapes/square/anim.gif': enc('GIF89a............'),
    'shapes/loose.png': pngs['shapes/star/000.png']!,
    'shapes/__MACOSX/._x.png': enc('junk'),
  });
  const zipPath = join(at('zip'), 'shapes.zip');
  writeFileSync(zipPath, zipOf({ ...pngClassFolder({ root: 'pets', classes: ['cat', 'dog'], perClass: 7, sizes: [[33, 33], [12, 30], [64, 48]], seed: 7 }), 'pets/dog/empty.png': new Uint8Array(0) }));
  const c100 = join(at('c100'), 'cifar-100-binary.tar.gz');
  writeFileSync(c100, cifar100TarGz({ numTrainPerBatch: 260, numTest: 60, seed: 8 }));

  return [
    { label: 'CIFAR-10 tar.gz, 32 px, train subset and test subset', paths: [cifarTgz], config: cfg({ imageSize: 32, datasetSeed: 3, numTrainImages: 200, numTestImages: 30 }) },
    { label: 'CIFAR-10 tar.gz, resized to 20 px, renamed set', paths: [cifarTgz], config: cfg({ imageSize: 20, datasetSeed: 1, numTrainImages: 5000, numTestImages: 1000 }), name: 'cifar-10-binary (2)' },
    { label: 'CIFAR-10 tar.gz, every image kept', paths: [cifarTgz], config: cfg({ imageSize: 32, datasetSeed: 3, numTrainImages: 5000, numTestImages: 1000 }) },
    { label: 'CIFAR-10 tar.gz with one pixel changed', paths: [changedTgz], config: cfg({ imageSize: 32, datasetSeed: 3, numTrainImages: 5000, numTestImages: 1000 }) },
    { label: 'loose CIFAR .bin files + junk', paths: loosePaths, config: cfg({ imageSize: 32, datasetSeed: 9, numTrainImages: 150, numTestImages: 20 }) },
    { label: 'MNIST .gz files + junk, upscaled to 32 px', paths: mnistPaths, config: cfg({ imageSize: 32, datasetSeed: 4, numTrainImages: 100, numTestImages: 25 }) },
    { label: 'Fashion-MNIST raw IDX folder, 28 px', paths: [fashion], config: cfg({ imageSize: 28, datasetSeed: 5, numTrainImages: 5000, numTestImages: 1000 }) },
    { label: 'PNG class folder + junk, 16 px (held-out split)', paths: [join(folderRoot, 'shapes')], config: cfg({ imageSize: 16, datasetSeed: 6, numTrainImages: 5000, numTestImages: 1000 }) },
    { label: 'zip of a PNG class folder, 24 px', paths: [zipPath], config: cfg({ imageSize: 24, datasetSeed: 7, numTrainImages: 10, numTestImages: 2 }) },
    { label: 'CIFAR-100 tar.gz, 32 px', paths: [c100], config: cfg({ imageSize: 32, datasetSeed: 8, numTrainImages: 5000, numTestImages: 40 }) },
  ];
}

describe('PyTorch data parity', () => {
  it.runIf(python || process.env.CI)(`import + split + fingerprint match hvp_torch.data${python ? '' : ` (fails: ${TORCH_MISSING})`}`, async () => {
    expect(python, TORCH_MISSING).not.toBeNull();
    const cases = makeCases();
    writeFileSync(join(dir, 'cases.json'), JSON.stringify(cases));
    const run = spawnSync(python!, [SCRIPT, join(dir, 'cases.json')], { encoding: 'utf8', timeout: 300_000, maxBuffer: 1 << 26 });
    expect(run.status, `data_parity.py failed:\n${run.stderr}`).toBe(0);
    const py = JSON.parse(run.stdout) as (Summary | { error: string })[];
    expect(py).toHaveLength(cases.length);

    const ours: Summary[] = [];
    for (const [i, c] of cases.entries()) {
      const got = py[i]!;
      expect('error' in got ? got.error : null, c.label).toBeNull();
      const { dataset, sourceName, skipped, warnings } = await browserRunDataset(c);
      const s = summarize(dataset, sourceName, skipped, warnings);
      ours.push(s);
      expect(got, c.label).toEqual(s);
    }
    // the cases exercise what they say
    const [tgz32, tgz20, full, changed, loose, mnist, fashion, folder, zip, c100] = ours as [Summary, Summary, Summary, Summary, Summary, Summary, Summary, Summary, Summary, Summary];
    expect(tgz32.name).toBe('cifar-10-binary');
    expect([tgz32.train.n, tgz32.test.n]).toEqual([200, 30]);
    expect([tgz20.name, tgz20.sourceName]).toEqual(['cifar-10-binary (2)', 'cifar-10-binary']);
    expect([tgz20.train.n, tgz20.test.n, tgz20.fingerprint.height]).toEqual([300, 50, 20]);
    expect(changed.fingerprint.hash, 'a changed pixel changes the fingerprint').not.toBe(full.fingerprint.hash);
    expect(changed.train.images).not.toBe(full.train.images);
    expect(changed.train.labels).toBe(full.train.labels);
    expect(loose.skipped.map((s) => s.path).sort()).toEqual(['data_batch_9.bin', 'notes.txt']);
    expect(loose.name).toBe('CIFAR-10');
    expect(mnist.skipped.length).toBeGreaterThanOrEqual(2);
    expect(mnist.name).toBe('MNIST');
    expect(fashion.classNames[0]).toBe('T-shirt/top');
    expect(fashion.name).toBe('fashion-mnist');
    expect(folder.classNames).toEqual(['circle', 'square', 'star']);
    expect(folder.skipped.length).toBeGreaterThanOrEqual(4);
    expect(folder.test.n).toBeGreaterThan(0);
    expect(zip.name).toBe('shapes');
    expect(zip.skipped.map((s) => s.path)).toEqual(['pets/dog/empty.png']);
    expect(c100.classNames).toHaveLength(100);
    console.log(`torchDataParity: ${cases.length} cases identical; e.g. ${tgz32.name} ${tgz32.fingerprint.hash}, ${folder.name} ${folder.fingerprint.hash}; skipped reasons compared: ${ours.reduce((a, s) => a + s.skipped.length, 0)}`);
  });
});

describe('PyTorch data parity: unusable inputs', () => {
  it.runIf(python || process.env.CI)(`the same DatasetImportError messages${python ? '' : ` (fails: ${TORCH_MISSING})`}`, async () => {
    expect(python, TORCH_MISSING).not.toBeNull();
    const bad = join(dir, 'bad');
    mkdirSync(bad, { recursive: true });
    const full = cifar10TarGz({ numTrainPerBatch: 20, numTest: 10, seed: 11 });
    writeFileSync(join(bad, 'cifar-10-binary.tar.gz'), full.subarray(0, Math.floor(full.length / 2))); // interrupted download
    const flipped = full.slice();
    flipped[Math.floor(full.length / 3)]! ^= 0x40;
    writeFileSync(join(bad, 'flipped.tar.gz'), flipped); // a flipped bit: corrupt deflate data or a failed CRC
    writeFileSync(join(bad, 'garbage.tar.gz'), new Uint8Array(gzipSync(Buffer.alloc(3000, 7)))); // gzip of no tar
    const junk = join(bad, 'junk');
    writeFiles(junk, { 'readme.txt': enc('x'), 'a/anim.gif': enc('GIF89a.............'), 'a/empty.png': new Uint8Array(0), 'b/big.png': bigPngHeader() });
    const cfg32 = cfg({ imageSize: 32 });
    const cases: Case[] = [
      { label: 'truncated tar.gz', paths: [join(bad, 'cifar-10-binary.tar.gz')], config: cfg32 },
      { label: 'tar.gz with a flipped bit', paths: [join(bad, 'flipped.tar.gz')], config: cfg32 },
      { label: 'gzip that holds no tar', paths: [join(bad, 'garbage.tar.gz')], config: cfg32 },
      { label: 'a folder of junk', paths: [junk], config: cfg32 },
    ];
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(cases));
    const run = spawnSync(python!, [SCRIPT, join(dir, 'bad.json')], { encoding: 'utf8', timeout: 300_000 });
    expect(run.status, `data_parity.py failed:\n${run.stderr}`).toBe(0);
    const py = JSON.parse(run.stdout) as { error?: string }[];
    for (const [i, c] of cases.entries()) {
      const ours = await browserRunDataset(c).then(() => 'no error', (e: Error) => `${e.name}: ${e.message}`);
      expect(ours, c.label).toMatch(/^DatasetImportError: No usable images/);
      expect(py[i]!.error, c.label).toBe(ours);
      console.log(`torchDataParity: ${c.label} → ${ours.split("\n").slice(1).join(" | ")}`);
    }
  });
});

/** A PNG header claiming 9000 × 9000 pixels (refused before decoding). */
function bigPngHeader(): Uint8Array {
  const png = pngClassFolder({ classes: ['x'], perClass: 1, sizes: [[2, 2]] })['shapes/x/000.png']!.slice();
  new DataView(png.buffer).setUint32(16, 9000, false);
  new DataView(png.buffer).setUint32(20, 9000, false);
  return png;
}
