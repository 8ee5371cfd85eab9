import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DIGIT_CLASS_NAMES, FASHION_MNIST_CLASS_NAMES } from './classNames';
import { importFiles } from './importFiles';
import { makeTarGz } from './testing/archives';
import { idxPixels, makeIdxImages, makeIdxLabels } from './testing/rawFormats';
import type { ImageDecoder, InputFile } from './types';

const noDecoder: ImageDecoder = async () => {
  throw new Error('no image should be decoded in an IDX import');
};
const gz = (b: Uint8Array): Uint8Array => new Uint8Array(gzipSync(b));

/** Expected RGB [size, size, 3] of gray image i of `pixels` ([n, size, size]). */
const grayToRgb = (pixels: Uint8Array, i: number, size: number): number[] =>
  Array.from(pixels.subarray(i * size * size, (i + 1) * size * size)).flatMap((v) => [v, v, v]);

describe('IDX (MNIST-style)', () => {
  const trainPx = idxPixels(6, 8, 8);
  const testPx = idxPixels(3, 8, 8).map((v) => 255 - v);
  const trainLabels = [5, 0, 4, 1, 9, 2];
  const testLabels = [7, 2, 1];
  const mnist: InputFile[] = [
    { path: 't10k-images-idx3-ubyte.gz', bytes: gz(makeIdxImages(testPx, 3, 8, 8)) },
    { path: 'train-labels-idx1-ubyte.gz', bytes: gz(makeIdxLabels(trainLabels)) },
    { path: 'train-images-idx3-ubyte.gz', bytes: gz(makeIdxImages(trainPx, 6, 8, 8)) },
    { path: 't10k-labels-idx1-ubyte.gz', bytes: gz(makeIdxLabels(testLabels)) },
  ];

  it('pairs images with labels from .gz files, gray → RGB exact, t10k marked as test, digit names', async () => {
    const r = await importFiles(mnist, { size: 8, decodeImage: noDecoder });
    expect(r.format).toBe('idx');
    expect(r.name).toBe('MNIST');
    expect(r.classNames).toEqual(DIGIT_CLASS_NAMES);
    expect(r.set.numImages).toBe(9);
    expect(Array.from(r.set.labels!)).toEqual([...trainLabels, ...testLabels]);
    expect(Array.from(r.isSourceTest!)).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1]);
    for (let i = 0; i < 6; i++) expect(Array.from(r.set.images.subarray(i * 192, (i + 1) * 192))).toEqual(grayToRgb(trainPx, i, 8));
    for (let i = 0; i < 3; i++) expect(Array.from(r.set.images.subarray((6 + i) * 192, (7 + i) * 192))).toEqual(grayToRgb(testPx, i, 8));
    expect(r.skipped).toEqual([]);
  });

  it('reads raw (un-gzipped) files in a tar.gz, and Fashion-MNIST names from the archive name', async () => {
    const tgz = makeTarGz([
      { path: 'data/train-images-idx3-ubyte', bytes: makeIdxImages(trainPx, 6, 8, 8) },
      { path: 'data/train-labels-idx1-ubyte', bytes: makeIdxLabels(trainLabels) },
    ]);
    const r = await importFiles([{ path: 'fashion-mnist.tar.gz', bytes: tgz }], { size: 8, decodeImage: noDecoder });
    expect(r.classNames).toEqual(FASHION_MNIST_CLASS_NAMES);
    expect(r.name).toBe('fashion-mnist');
    expect(r.isSourceTest).toBeNull();
    const byPath = await importFiles(
      mnist.map((f) => ({ ...f, path: `fashion/${f.path}` })),
      { size: 8, decodeImage: noDecoder },
    );
    expect(byPath.classNames).toEqual(FASHION_MNIST_CLASS_NAMES);
  });

  it('resizes 28×28 to the run size (bilinear when enlarging)', async () => {
    const px = new Uint8Array(28 * 28).fill(200);
    const r = await importFiles(
      [
        { path: 'train-images-idx3-ubyte', bytes: makeIdxImages(px, 1, 28, 28) },
        { path: 'train-labels-idx1-ubyte', bytes: makeIdxLabels([3]) },
      ],
      { size: 32, decodeImage: noDecoder },
    );
    expect(r.set.images.length).toBe(32 * 32 * 3);
    expect(r.set.images.every((v) => v === 200)).toBe(true);
  });

  it('rejects a wrong magic number, naming the file', async () => {
    const bad = makeIdxImages(trainPx, 6, 8, 8, 0x08080803);
    await expect(importFiles([{ path: 'train-images-idx3-ubyte', bytes: bad }], { size: 8, decodeImage: noDecoder })).rejects.toThrow(
      /train-images-idx3-ubyte: is not an MNIST-style IDX file: it holds another kind of data; choose .*\(it starts with 0x08080803/,
    );
    const float = makeIdxImages(trainPx, 6, 8, 8, 0x00000d03);
    await expect(importFiles([{ path: 'train-images-idx3-ubyte', bytes: float }], { size: 8, decodeImage: noDecoder })).rejects.toThrow(
      /train-images-idx3-ubyte: stores numbers this importer cannot read: .*\(it stores float32 values, IDX type 0x0d; only type 0x08 is supported\)/,
    );
  });

  it('rejects dims that do not match the byte length, naming the file', async () => {
    const full = makeIdxImages(trainPx, 6, 8, 8);
    await expect(importFiles([{ path: 'x/train-images-idx3-ubyte', bytes: full.subarray(0, full.length - 10) }], { size: 8, decodeImage: noDecoder })).rejects.toThrow(
      /x\/train-images-idx3-ubyte: is incomplete: .*cut off.*; download it again \(header says 6×8×8 = 384 bytes of data, but the file holds 374 after its 16-byte header\)/,
    );
    const long = new Uint8Array(full.length + 3);
    long.set(full);
    await expect(importFiles([{ path: 'train-images-idx3-ubyte', bytes: long }], { size: 8, decodeImage: noDecoder })).rejects.toThrow(/: is damaged: it holds more than its header announces; download it again \(.*it has 3 extra bytes\)/);
  });

  it('rejects a count mismatch between images and labels, naming both files', async () => {
    const files: InputFile[] = [
      { path: 'train-images-idx3-ubyte', bytes: makeIdxImages(trainPx, 6, 8, 8) },
      { path: 'train-labels-idx1-ubyte', bytes: makeIdxLabels([1, 2, 3, 4, 5]) },
    ];
    const run = importFiles(files, { size: 8, decodeImage: noDecoder });
    await expect(run).rejects.toThrow(/train-images-idx3-ubyte: has 6 images but its labels file train-labels-idx1-ubyte has 5 labels/);
  });

  it('imports images without any labels file as an unlabelled set, with a warning', async () => {
    const r = await importFiles([{ path: 'train-images-idx3-ubyte', bytes: makeIdxImages(trainPx, 6, 8, 8) }], { size: 8, decodeImage: noDecoder });
    expect(r.set.labels).toBeNull();
    expect(r.classNames).toEqual([]);
    expect(r.warnings).toEqual([expect.stringMatching(/unlabelled/)]);
  });

  it('skips unmatched files when other files are paired, and keeps maxImages in proportion', async () => {
    const files = [...mnist, { path: 'extra-labels-idx1-ubyte', bytes: makeIdxLabels([1]) }];
    const r = await importFiles(files, { size: 8, decodeImage: noDecoder, maxImages: 3 });
    expect(Array.from(r.set.labels!)).toEqual([5, 0, 7]);
    expect(Array.from(r.isSourceTest!)).toEqual([0, 0, 1]);
    expect(r.skipped.map((s) => s.path).sort()).toEqual(['extra-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 'train-images-idx3-ubyte']);
    expect(r.skipped.find((s) => s.path === 'extra-labels-idx1-ubyte')!.reason).toMatch(/no matching images file/);
  });
});
