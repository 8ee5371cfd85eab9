// Test helpers: real dataset files as users download them, with deterministic pseudo-random pixels
// and labels, for the CLI and PyTorch data-parity tests:
//   cifar10TarGz      → cifar-10-binary.tar.gz (cifar-10-batches-bin/data_batch_1..5.bin, test_batch.bin, batches.meta.txt)
//   cifar100TarGz     → cifar-100-binary.tar.gz (cifar-100-binary/train.bin, test.bin, fine_label_names.txt)
//   cifar10BulkTarGz  → 5 CIFAR-10 batches of 10,000 records with hard-to-compress pixels (importer workload)
//   mnistGzFiles      → train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-… (optionally not gzipped)
//   pngClassFolder    → "<root>/<class>/<i>.png" files; pngClassZip → the same folder as a .zip
//   writeFiles        → writes any of these into a directory and returns the paths
// Builds on the importer test generators in src/core/data/formats/testing/ (tar writer, CIFAR and IDX
// records, PNG encoder); gzip through Node's zlib, as the real downloads are gzip files. Also used by
// bench/cpu/speedGuards.ts.
// Must not import: tfjs, DOM.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { makeTar, makeZip } from '../../src/core/data/formats/testing/archives';
import { makePng } from '../../src/core/data/formats/testing/images';
import { makeCifarBin, makeIdxImages, makeIdxLabels } from '../../src/core/data/formats/testing/rawFormats';
import { CIFAR10_CLASS_NAMES } from '../../src/core/data/formats/classNames';

/** Path (relative, "/"-separated) → file bytes. */
export type FileMap = Record<string, Uint8Array>;

/** Deterministic byte hash of (seed, a, b, c, d): a splitmix-style mix, uniform enough for pixels. */
export function hashByte(seed: number, a: number, b = 0, c = 0, d = 0): number {
  let h = (seed * 0x9e3779b1 + a * 0x85ebca6b + b * 0xc2b2ae35 + c * 0x27d4eb2f + d * 0x165667b1) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return (h ^ (h >>> 16)) & 255;
}

/** Options of the CIFAR generators. */
export interface CifarFileOptions {
  /** Records in each of data_batch_1..5 (CIFAR-10) or in train.bin (CIFAR-100). Default 60 / 300. */
  numTrainPerBatch?: number;
  /** Records in test_batch.bin / test.bin. Default 50. */
  numTest?: number;
  /** Changes every pixel and label. Default 1. */
  seed?: number;
}

/** Labels of a batch: pseudo-random in [0, numClasses). */
const labelsOf = (n: number, numClasses: number, seed: number, batch: number): number[] =>
  Array.from({ length: n }, (_, r) => hashByte(seed, 7, batch, r) % numClasses);

/** Pixel function of batch `batch`: (record, channel, y, x) → byte. */
const cifarPixels =
  (seed: number, batch: number) =>
  (r: number, c: number, y: number, x: number): number =>
    hashByte(seed, batch * 100_000 + r, c, y, x);

/** The CIFAR-10 batch files as in cifar-10-binary.tar.gz, under `cifar-10-batches-bin/`. */
export function cifar10Files(opts: CifarFileOptions = {}): FileMap {
  const { numTrainPerBatch = 60, numTest = 50, seed = 1 } = opts;
  const dir = 'cifar-10-batches-bin';
  const files: FileMap = { [`${dir}/batches.meta.txt`]: new TextEncoder().encode(`${CIFAR10_CLASS_NAMES.join('\n')}\n\n`) };
  for (let b = 1; b <= 5; b++) files[`${dir}/data_batch_${b}.bin`] = makeCifarBin('cifar10', labelsOf(numTrainPerBatch, 10, seed, b), cifarPixels(seed, b));
  files[`${dir}/test_batch.bin`] = makeCifarBin('cifar10', labelsOf(numTest, 10, seed, 0), cifarPixels(seed, 0));
  return files;
}

/** cifar-10-binary.tar.gz bytes (tar of cifar10Files, gzip through Node's zlib). */
export function cifar10TarGz(opts: CifarFileOptions = {}): Uint8Array {
  return tarGz(cifar10Files(opts));
}

/** cifar-100-binary.tar.gz bytes: cifar-100-binary/train.bin (numTrainPerBatch records) and test.bin. */
export function cifar100TarGz(opts: CifarFileOptions = {}): Uint8Array {
  const { numTrainPerBatch = 300, numTest = 50, seed = 1 } = opts;
  const train = labelsOf(numTrainPerBatch, 100, seed, 1);
  const test = labelsOf(numTest, 100, seed, 0);
  return tarGz({
    'cifar-100-binary/train.bin': makeCifarBin('cifar100', train, cifarPixels(seed, 1)),
    'cifar-100-binary/test.bin': makeCifarBin('cifar100', test, cifarPixels(seed, 0)),
  });
}

/**
 * `cifar-10-batches-bin/data_batch_1..5.bin` of `recordsPerBatch` records each (record r of batch b has
 * label (r + b) % 10), tarred and gzipped at level 1, and the members. Pixels have 5 random bits each:
 * like real CIFAR batches (170 → 163 MB) deflate codes them as Huffman literals, so gunzip does real
 * decoding work rather than copying stored blocks.
 */
export function cifar10BulkTarGz(recordsPerBatch = 10_000): { members: { path: string; bytes: Uint8Array }[]; tgz: Uint8Array } {
  let s = 0x9e3779b9;
  const members = [1, 2, 3, 4, 5].map((b) => {
    const bytes = new Uint8Array(recordsPerBatch * 3073);
    const words = new Uint32Array(bytes.buffer, 0, bytes.length >> 2);
    for (let i = 0; i < words.length; i++) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      words[i] = (s & 0x1f1f1f1f) + 0x40404040;
    }
    for (let r = 0; r < recordsPerBatch; r++) bytes[r * 3073] = (r + b) % 10;
    return { path: `cifar-10-batches-bin/data_batch_${b}.bin`, bytes };
  });
  return { members, tgz: new Uint8Array(gzipSync(makeTar(members), { level: 1 })) };
}

/** A tar.gz of `files` in insertion order (ustar through the importer tests' tar writer, gzip through zlib). */
export function tarGz(files: FileMap): Uint8Array {
  const tar = makeTar(Object.entries(files).map(([path, bytes]) => ({ path, bytes })));
  return new Uint8Array(gzipSync(tar));
}

/** Options of the IDX generator. */
export interface IdxFileOptions {
  numTrain?: number;
  numTest?: number;
  /** Image side (MNIST: 28). */
  rows?: number;
  cols?: number;
  /** Gzip each file (".gz" names), as the MNIST downloads. Default true. */
  isGzip?: boolean;
  /** Folder the files sit in ("" = none). Default "". */
  dir?: string;
  seed?: number;
}

/** MNIST-style IDX files: train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-… (+ ".gz"). */
export function mnistFiles(opts: IdxFileOptions = {}): FileMap {
  const { numTrain = 200, numTest = 60, rows = 28, cols = 28, isGzip = true, dir = '', seed = 1 } = opts;
  const files: FileMap = {};
  const put = (name: string, bytes: Uint8Array): void => {
    files[`${dir ? `${dir}/` : ''}${name}${isGzip ? '.gz' : ''}`] = isGzip ? new Uint8Array(gzipSync(bytes)) : bytes;
  };
  for (const [part, n, salt] of [['train', numTrain, 1], ['t10k', numTest, 2]] as const) {
    const pixels = new Uint8Array(n * rows * cols);
    for (let i = 0; i < pixels.length; i++) pixels[i] = hashByte(seed, salt, i);
    put(`${part}-images-idx3-ubyte`, makeIdxImages(pixels, n, rows, cols));
    put(`${part}-labels-idx1-ubyte`, makeIdxLabels(labelsOf(n, 10, seed, salt)));
  }
  return files;
}

/** Options of the PNG class-folder generator. */
export interface PngFolderOptions {
  /** Top folder. Default "shapes". */
  root?: string;
  classes?: readonly string[];
  /** Images per class. Default 4. */
  perClass?: number;
  /** Image sizes cycle through these [width, height] (non-square ones exercise the resize). */
  sizes?: readonly (readonly [number, number])[];
  seed?: number;
}

/** "<root>/<class>/<i>.png" files with pseudo-random opaque RGB pixels. */
export function pngClassFolder(opts: PngFolderOptions = {}): FileMap {
  const { root = 'shapes', classes = ['circle', 'square', 'star'], perClass = 4, sizes = [[20, 20], [37, 23], [16, 40]], seed = 1 } = opts;
  const files: FileMap = {};
  classes.forEach((cls, c) => {
    for (let i = 0; i < perClass; i++) {
      const [w, h] = sizes[(c * perClass + i) % sizes.length]!;
      const rgba = new Uint8Array(w * h * 4);
      for (let p = 0; p < w * h; p++) {
        for (let k = 0; k < 3; k++) rgba[p * 4 + k] = hashByte(seed, 1000 * c + i, p, k);
        rgba[p * 4 + 3] = 255;
      }
      files[`${root}/${cls}/${String(i).padStart(3, '0')}.png`] = makePng(w, h, rgba, i % 2 ? 'rgb' : 'rgba');
    }
  });
  return files;
}

/** A .zip of `files` (fflate). */
export function zipOf(files: FileMap): Uint8Array {
  return makeZip(files);
}

/** Writes `files` under `dir` (creating folders) and returns their absolute paths in order. */
export function writeFiles(dir: string, files: FileMap): string[] {
  return Object.entries(files).map(([path, bytes]) => {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, bytes);
    return full;
  });
}
