import { strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { CIFAR100_CLASS_NAMES, CIFAR10_CLASS_NAMES } from './classNames';
import { importFiles } from './importFiles';
import { resizeToSquareRgb } from './resize';
import { makeTarGz } from './testing/archives';
import { cifarRecordHwc, makeCifarBin } from './testing/rawFormats';
import { DatasetImportError, type ImageDecoder, type InputFile } from './types';

const noDecoder: ImageDecoder = async () => {
  throw new Error('no image should be decoded in a CIFAR import');
};
const opts = { size: 32, decodeImage: noDecoder };
const image = (images: Uint8Array, i: number, size = 32): number[] => Array.from(images.subarray(i * size * size * 3, (i + 1) * size * size * 3));
const range = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));

describe('CIFAR-10 binary', () => {
  // record r of every batch has pixels cifarPixel(r + base, …): base offsets keep batches distinct
  const batch = (base: number, labels: number[]): Uint8Array => makeCifarBin('cifar10', labels, (r, c, y, x) => (r + base) * 31 + c * 85 + y * 7 + x * 3);
  const labels1 = [6, 9, 9, 4, 1];
  const labels2 = [1, 2, 7, 8, 3];
  const labelsT = [3, 8, 0];
  const tgz = makeTarGz([
    { path: 'cifar-10-batches-bin/', type: '5' },
    { path: 'cifar-10-batches-bin/batches.meta.txt', bytes: strToU8('c0\nc1\nc2\nc3\nc4\nc5\nc6\nc7\nc8\nc9\n\n') },
    { path: 'cifar-10-batches-bin/test_batch.bin', bytes: batch(100, labelsT) },
    { path: 'cifar-10-batches-bin/data_batch_10.bin', bytes: batch(10, labels2) },
    { path: 'cifar-10-batches-bin/data_batch_2.bin', bytes: batch(0, labels1) },
    { path: 'cifar-10-batches-bin/readme.html', bytes: strToU8('<html></html>') },
  ]);

  it('imports the .tar.gz as downloaded: HWC pixels and labels exact, test_batch marked, names from batches.meta.txt', async () => {
    const r = await importFiles([{ path: 'cifar-10-binary.tar.gz', bytes: tgz }], opts);
    expect(r.format).toBe('cifar10');
    expect(r.name).toBe('cifar-10-binary');
    expect(r.classNames).toEqual(range(10, (i) => `c${i}`));
    expect(r.set.numImages).toBe(13);
    expect([r.set.height, r.set.width, r.set.images.length]).toEqual([32, 32, 13 * 3072]);
    // order: data_batch_2, data_batch_10 (natural order), then test_batch
    expect(Array.from(r.set.labels!)).toEqual([...labels1, ...labels2, ...labelsT]);
    expect(Array.from(r.isSourceTest!)).toEqual([...range(10, () => 0), 1, 1, 1]);
    const bases = [...range(5, (i) => i), ...range(5, (i) => 10 + i), ...range(3, (i) => 100 + i)];
    bases.forEach((base, i) => expect(image(r.set.images, i)).toEqual(Array.from(cifarRecordHwc(base, (rr, c, y, x) => (rr * 31 + c * 85 + y * 7 + x * 3) & 255))));
    expect(r.skipped).toEqual([{ path: 'cifar-10-batches-bin/readme.html', reason: expect.stringMatching(/ignored/) }]);
    expect(r.warnings).toEqual([]);
  });

  it('imports loose .bin batches with the standard names and no test marking when there is no test batch', async () => {
    const r = await importFiles([{ path: 'data_batch_1.bin', bytes: batch(0, labels1) }], opts);
    expect(r.classNames).toEqual(CIFAR10_CLASS_NAMES);
    expect(r.isSourceTest).toBeNull();
    expect(Array.from(r.set.labels!)).toEqual(labels1);
  });

  it('resizes records to the run size by area averaging', async () => {
    const r = await importFiles([{ path: 'data_batch_1.bin', bytes: batch(0, labels1) }], { ...opts, size: 16 });
    expect(r.set.images.length).toBe(5 * 16 * 16 * 3);
    const hwc = cifarRecordHwc(3, (rr, c, y, x) => (rr * 31 + c * 85 + y * 7 + x * 3) & 255);
    // pixel (row 5, col 7), green: mean of the 2×2 block at rows 10–11, cols 14–15
    const block = [hwc[(10 * 32 + 14) * 3 + 1]!, hwc[(10 * 32 + 15) * 3 + 1]!, hwc[(11 * 32 + 14) * 3 + 1]!, hwc[(11 * 32 + 15) * 3 + 1]!];
    expect(r.set.images[3 * 768 + (5 * 16 + 7) * 3 + 1]).toBe(Math.round(block.reduce((a, b) => a + b) / 4));
    const expected = new Uint8Array(768);
    resizeToSquareRgb(hwc, 32, 32, 3, 16, expected);
    expect(image(r.set.images, 3, 16)).toEqual(Array.from(expected));
  });

  it('skips a batch whose size is not whole records, naming it, and keeps the others', async () => {
    const good = batch(0, labels1);
    const bad = new Uint8Array(good.length + 1);
    bad.set(good);
    const r = await importFiles(
      [
        { path: 'd/data_batch_1.bin', bytes: good },
        { path: 'd/data_batch_2.bin', bytes: bad },
      ],
      opts,
    );
    expect(r.set.numImages).toBe(5);
    expect(r.skipped).toEqual([{ path: 'd/data_batch_2.bin', reason: expect.stringMatching(/^is incomplete or not a CIFAR-10 batch: it does not hold a whole number of images; download it again \(.*3073-byte CIFAR-10 records .*15366 bytes = 5 records \+ 1 bytes\)$/) }]);
  });

  it('throws DatasetImportError naming the file when the only batch is truncated', async () => {
    const cut = batch(0, labels1).subarray(0, 3073 * 4 + 1000);
    const run = importFiles([{ path: 'data_batch_1.bin', bytes: cut }], opts);
    await expect(run).rejects.toBeInstanceOf(DatasetImportError);
    await expect(run).rejects.toThrow(/data_batch_1\.bin: is incomplete or not a CIFAR-10 batch: .*not a whole number of 3073-byte CIFAR-10 records/);
    const err = (await run.then(() => null, (e: unknown) => e)) as DatasetImportError;
    expect(err.skipped.map((s) => s.path)).toEqual(['data_batch_1.bin']);
  });

  it('skips a batch with a label out of range, naming the record', async () => {
    const r = importFiles([{ path: 'data_batch_1.bin', bytes: batch(0, [1, 12, 3]) }], opts);
    await expect(r).rejects.toThrow(/data_batch_1\.bin: is damaged or not a CIFAR-10 batch: it holds a label CIFAR-10 does not have \(record 2 has label 12, but CIFAR-10 labels are 0–9; a CIFAR-100 file renamed\?\)/);
  });

  it('reports a truncated .tar.gz by its name', async () => {
    await expect(importFiles([{ path: 'cifar-10-binary.tar.gz', bytes: tgz.subarray(0, tgz.length - 200) }], opts)).rejects.toThrow(
      /No usable images in cifar-10-binary\.tar\.gz[\s\S]*cifar-10-binary\.tar\.gz: .*cut off/,
    );
  });

  it('warns and uses the standard names when batches.meta.txt lists the wrong number', async () => {
    const r = await importFiles(
      [
        { path: 'b/data_batch_1.bin', bytes: batch(0, labels1) },
        { path: 'b/batches.meta.txt', bytes: strToU8('a\nb\n') },
      ],
      opts,
    );
    expect(r.classNames).toEqual(CIFAR10_CLASS_NAMES);
    expect(r.warnings).toEqual([expect.stringMatching(/b\/batches\.meta\.txt lists 2 class names, CIFAR-10 has 10/)]);
  });

  it('keeps maxImages images, shared over batches in proportion, and says what it left out', async () => {
    const r = await importFiles([{ path: 'cifar-10-binary.tar.gz', bytes: tgz }], { ...opts, maxImages: 6 });
    expect(r.set.numImages).toBe(6);
    expect(r.set.images.length).toBe(6 * 3072);
    // 5 + 5 + 3 records: quotas 2, 2, 2 (largest remainder)
    expect(Array.from(r.set.labels!)).toEqual([6, 9, 1, 2, 3, 8]);
    expect(Array.from(r.isSourceTest!)).toEqual([0, 0, 0, 0, 1, 1]);
    expect(r.skipped.filter((s) => /maxImages/.test(s.reason)).map((s) => s.path)).toEqual([
      'cifar-10-batches-bin/data_batch_2.bin',
      'cifar-10-batches-bin/data_batch_10.bin',
      'cifar-10-batches-bin/test_batch.bin',
    ]);
  });
});

describe('CIFAR-100 binary', () => {
  const fine = [0, 99, 42, 7, 58];
  const coarse = [4, 19, 0, 7, 18];
  const train = makeCifarBin('cifar100', fine, undefined, coarse);
  const test = makeCifarBin('cifar100', [11, 12], (r, c, y, x) => (r * 5 + c + y + x) & 255);

  it('uses the fine labels (100 classes), the standard names, and marks test.bin', async () => {
    const tgz = makeTarGz([
      { path: 'cifar-100-binary/train.bin', bytes: train },
      { path: 'cifar-100-binary/test.bin', bytes: test },
      { path: 'cifar-100-binary/coarse_label_names.txt', bytes: strToU8('x\n') },
    ]);
    const r = await importFiles([{ path: 'cifar-100-binary.tar.gz', bytes: tgz }], { size: 32, decodeImage: noDecoder });
    expect(r.format).toBe('cifar100');
    expect(r.classNames).toEqual(CIFAR100_CLASS_NAMES);
    expect(r.classNames).toHaveLength(100);
    expect(Array.from(r.set.labels!)).toEqual([...fine, 11, 12]);
    expect(Array.from(r.isSourceTest!)).toEqual([0, 0, 0, 0, 0, 1, 1]);
    expect(image(r.set.images, 2)).toEqual(Array.from(cifarRecordHwc(2)));
    expect(image(r.set.images, 6)).toEqual(Array.from(cifarRecordHwc(1, (rr, c, y, x) => (rr * 5 + c + y + x) & 255)));
  });

  it('reads names from fine_label_names.txt and rejects coarse labels over 19', async () => {
    const names = range(100, (i) => `f${i}`).join('\n');
    const r = await importFiles(
      [
        { path: 'train.bin', bytes: train },
        { path: 'fine_label_names.txt', bytes: strToU8(names) },
      ],
      { size: 32, decodeImage: noDecoder },
    );
    expect(r.classNames[99]).toBe('f99');
    const bad = makeCifarBin('cifar100', [1, 2], undefined, [3, 25]);
    await expect(importFiles([{ path: 'train.bin', bytes: bad }], { size: 32, decodeImage: noDecoder })).rejects.toThrow(/train\.bin: is damaged or not a CIFAR-100 batch: .*\(record 2 has coarse label 25/);
  });

  it('does not mix CIFAR-10 and CIFAR-100 batches in one import', async () => {
    const files: InputFile[] = [
      { path: 'train.bin', bytes: train },
      { path: 'data_batch_1.bin', bytes: makeCifarBin('cifar10', [1, 2]) },
    ];
    const r = await importFiles(files, { size: 32, decodeImage: noDecoder });
    expect(r.format).toBe('cifar100');
    expect(r.skipped).toEqual([{ path: 'data_batch_1.bin', reason: expect.stringMatching(/is a CIFAR-10 batch, but this import is CIFAR-100/) }]);
  });
});
