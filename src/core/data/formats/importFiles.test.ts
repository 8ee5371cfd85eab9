import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { cifar10BulkTarGz } from '../../../../tests/helpers/datasetFiles';
import { computeNormalization, KNOWN_NORMALIZATIONS } from '../normalization';
import { importFiles } from './importFiles';
import { nodeImageDecoder } from './nodeImageDecoder';
import { makeTar } from './testing/archives';
import { makePng, patternRgba } from './testing/images';
import { makeCifarBin, makeIdxImages, makeIdxLabels, idxPixels } from './testing/rawFormats';
import { DatasetImportError, type ImageDecoder } from './types';

const noDecoder: ImageDecoder = async () => {
  throw new Error('not expected');
};

describe('importFiles', () => {
  it('rejects an empty selection and invalid options', async () => {
    await expect(importFiles([], { size: 32, decodeImage: noDecoder })).rejects.toBeInstanceOf(DatasetImportError);
    await expect(importFiles([], { size: 32, decodeImage: noDecoder })).rejects.toThrow(/^No files were given/);
    const f = [{ path: 'a.bin', bytes: new Uint8Array(3073) }];
    await expect(importFiles(f, { size: 0, decodeImage: noDecoder })).rejects.toThrow(RangeError);
    await expect(importFiles(f, { size: 32, decodeImage: noDecoder, maxImages: 0 })).rejects.toThrow(/maxImages/);
  });

  it('names the dataset after the archive, the common top folder, or the format', async () => {
    const batch = makeCifarBin('cifar10', [1, 2]);
    const name = async (paths: string[]): Promise<string> => (await importFiles(paths.map((path) => ({ path, bytes: batch })), { size: 32, decodeImage: noDecoder })).name;
    expect(await name(['data_batch_1.bin'])).toBe('CIFAR-10');
    expect(await name(['my-cifar/data_batch_1.bin', 'my-cifar/data_batch_2.bin'])).toBe('my-cifar');
    expect(await name(['a/data_batch_1.bin', 'b/data_batch_2.bin'])).toBe('CIFAR-10');
  });

  it('names a file that claims to be an archive but is not', async () => {
    const run = importFiles([{ path: 'data.zip', bytes: Uint8Array.of(1, 2, 3, 4, 5) }], { size: 8, decodeImage: noDecoder });
    await expect(run).rejects.toThrow(/^No usable images in data\.zip\.[\s\S]*\ndata\.zip: is named \.zip but is not a zip archive/);
  });

  it('falls back to the image importer when stray .bin files hold no CIFAR data', async () => {
    const png = makePng(4, 4, patternRgba(4, 4));
    const r = await importFiles(
      [
        { path: 'd/cats/a.png', bytes: png },
        { path: 'd/dogs/b.png', bytes: png },
        { path: 'd/cache.bin', bytes: Uint8Array.of(1, 2, 3) },
      ],
      { size: 4, decodeImage: nodeImageDecoder },
    );
    expect(r.format).toBe('image-folder');
    expect(r.classNames).toEqual(['cats', 'dogs']);
    expect(r.skipped).toEqual([{ path: 'd/cache.bin', reason: expect.stringMatching(/not an image/) }]);
  });

  it('prefers IDX data over loose images and lists the images as ignored', async () => {
    const r = await importFiles(
      [
        { path: 'train-images-idx3-ubyte', bytes: makeIdxImages(idxPixels(2, 4, 4), 2, 4, 4) },
        { path: 'train-labels-idx1-ubyte', bytes: makeIdxLabels([3, 4]) },
        { path: 'preview.png', bytes: makePng(4, 4, patternRgba(4, 4)) },
      ],
      { size: 4, decodeImage: noDecoder },
    );
    expect(r.format).toBe('idx');
    expect(r.skipped).toEqual([{ path: 'preview.png', reason: expect.stringMatching(/ignored: not part of the IDX data/) }]);
  });

  it('gives CIFAR and MNIST/Fashion imports their published statistics and computes those of image folders', async () => {
    const cifar = await importFiles([{ path: 'data_batch_1.bin', bytes: makeCifarBin('cifar10', [1, 2, 3]) }], { size: 32, decodeImage: noDecoder });
    expect(cifar.normalization).toEqual(KNOWN_NORMALIZATIONS.cifar10);
    const cifar100 = await importFiles([{ path: 'train.bin', bytes: makeCifarBin('cifar100', [1, 2]) }], { size: 32, decodeImage: noDecoder });
    expect(cifar100.normalization).toEqual(KNOWN_NORMALIZATIONS.cifar100);
    const idx = (dir: string) => [
      { path: `${dir}/train-images-idx3-ubyte`, bytes: makeIdxImages(idxPixels(3, 4, 4), 3, 4, 4) },
      { path: `${dir}/train-labels-idx1-ubyte`, bytes: makeIdxLabels([0, 7, 9]) },
    ];
    expect((await importFiles(idx('mnist'), { size: 4, decodeImage: noDecoder })).normalization).toEqual(KNOWN_NORMALIZATIONS.mnist);
    expect((await importFiles(idx('fashion'), { size: 4, decodeImage: noDecoder })).normalization).toEqual(KNOWN_NORMALIZATIONS['fashion-mnist']);
    const kmnist = await importFiles(idx('kmnist'), { size: 4, decodeImage: noDecoder });
    expect(kmnist.normalization).toEqual(computeNormalization(kmnist.set));
    const png = (seed: number) => makePng(4, 4, patternRgba(4, 4, seed));
    const folder = await importFiles([{ path: 'd/cats/a.png', bytes: png(1) }, { path: 'd/dogs/b.png', bytes: png(2) }], { size: 4, decodeImage: nodeImageDecoder });
    expect(folder.normalization!.source).toBe('computed');
    expect(folder.normalization).toEqual(computeNormalization(folder.set));
  });

  it('reports progress from unpacking to 1, non-decreasing', async () => {
    const tgz = new Uint8Array(gzipSync(makeTar([{ path: 'c/data_batch_1.bin', bytes: makeCifarBin('cifar10', Array.from({ length: 50 }, (_, i) => i % 10)) }])));
    const seen: [string, number][] = [];
    await importFiles([{ path: 'c.tar.gz', bytes: tgz }], { size: 32, decodeImage: noDecoder, onProgress: (s, f) => seen.push([s, f]) });
    expect(seen[0]![0]).toBe('Unpacking c.tar.gz');
    expect(seen.some(([s]) => s === 'Reading data_batch_1.bin')).toBe(true);
    const fr = seen.map(([, f]) => f);
    expect(fr.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= fr[i - 1]!))).toBe(true);
    expect(fr.at(-1)).toBe(1);
  });

  it('imports 50,000 CIFAR-10 records from a 5-batch .tar.gz (its time: bench/cpu/speedGuards.ts)', async () => {
    const { members, tgz } = cifar10BulkTarGz();
    const r = await importFiles([{ path: 'cifar-10-binary.tar.gz', bytes: tgz }], { size: 32, decodeImage: noDecoder });
    expect(r.set.numImages).toBe(50_000);
    expect(r.set.images.length).toBe(50_000 * 3072);
    expect(r.set.labels![10_000 + 7]).toBe((7 + 2) % 10);
    // spot check: record 123 of batch 3, pixel (row 4, col 9), blue = plane 2
    expect(r.set.images[(20_000 + 123) * 3072 + (4 * 32 + 9) * 3 + 2]).toBe(members[2]!.bytes[123 * 3073 + 1 + 2048 + 4 * 32 + 9]);
  });
});
