/**
 * Crafted images and IDX files against the header checks (issue 16, items 1 and 4): a PNG whose
 * IHDR declares 8000×5000 or more pixels than its data can hold, JPEG frame headers declaring huge
 * sizes, the import's decoding budget, a corrupt IDX labels file, IDX labels of 255. Each gives its
 * exact message without decoding anything it should not.
 */
import { describe, expect, it } from 'vitest';
import { importImageFolder } from './imageFolder';
import { importFiles } from './importFiles';
import { nodeImageDecoder } from './nodeImageDecoder';
import { jpegSofOnly } from './testing/crafted';
import { makePng, makePngHeaderOnly, patternRgba } from './testing/images';
import { idxPixels, makeIdxImages, makeIdxLabels } from './testing/rawFormats';
import { DatasetImportError, type ImageDecoder, type InputFile } from './types';

/** A decoder that records what it was asked to decode and decodes with the Node decoder. */
function spyDecoder(): { decode: ImageDecoder; calls: string[] } {
  const calls: string[] = [];
  return { calls, decode: async (bytes, path) => (calls.push(path), nodeImageDecoder(bytes, path)) };
}
const progress = (): void => {};

describe('image headers', () => {
  it('refuses huge or impossible PNG and JPEG headers before decoding them', async () => {
    const spy = spyDecoder();
    const files: InputFile[] = [
      { path: 'c/a/ok.png', bytes: makePng(4, 4, patternRgba(4, 4)) },
      { path: 'c/a/ihdr.png', bytes: makePngHeaderOnly(8000, 5000) },
      { path: 'c/a/tiny.png', bytes: makePngHeaderOnly(4000, 4000) },
      { path: 'c/b/sof.jpg', bytes: jpegSofOnly(7000, 7000) },
      { path: 'c/b/sof40.jpg', bytes: jpegSofOnly(8000, 5000) },
    ];
    const r = await importFiles(files, { size: 4, decodeImage: spy.decode });
    expect(spy.calls).toEqual(['c/a/ok.png', 'c/b/sof40.jpg']); // the browser may decode 40 megapixels; Node refuses
    expect(r.skipped).toEqual([
      { path: 'c/a/ihdr.png', reason: `is damaged or crafted: its header says 8000×5000 pixels, which no PNG of ${files[1]!.bytes.length} bytes can hold; download or export it again (its pixels need 153 MB unpacked, more than 1032× the file)` },
      { path: 'c/a/tiny.png', reason: `is damaged or crafted: its header says 4000×4000 pixels, which no PNG of ${files[2]!.bytes.length} bytes can hold; download or export it again (its pixels need 61 MB unpacked, more than 1032× the file)` },
      { path: 'c/b/sof.jpg', reason: 'is 7000×7000 pixels, over the limit of 8192 px a side and 40 megapixels (kept to bound memory): shrink it first' },
      { path: 'c/b/sof40.jpg', reason: 'could not be decoded: is 8000×5000 pixels, too large to decode in Node within its memory limit: shrink it (to about 1672×1672 pixels or fewer) or import it in the browser (decoding it here would hold about 1.8 GB, the limit is 128 MB)' },
    ]);
  });

  it('refuses in Node, before decoding, a JPEG larger than the Node decoders may hold', async () => {
    await expect(nodeImageDecoder(jpegSofOnly(3000, 3000), 'big.jpg')).rejects.toThrow(
      'big.jpg: is 3000×3000 pixels, too large to decode in Node within its memory limit: shrink it (to about 1672×1672 pixels or fewer) or import it in the browser (decoding it here would hold about 412 MB, the limit is 128 MB)',
    );
  });

  it('stops decoding at the import\'s decoding budget in pixels', async () => {
    const spy = spyDecoder();
    const files = [0, 1, 2].map((i) => ({ file: { path: `set/${i}.png`, bytes: makePng(10, 10, patternRgba(10, 10, i)) }, path: `set/${i}.png` }));
    const r = await importImageFolder(
      files.map((f) => f.file),
      { size: 4, decodeImage: spy.decode, progress, maxPixels: 250 },
    );
    expect(r.set.numImages).toBe(2);
    expect(spy.calls).toEqual(['set/0.png', 'set/1.png']);
    expect(r.skipped).toEqual([
      {
        path: 'set/2.png',
        reason: 'not decoded: the images before it already add up to 200 pixels and it adds 10×10, past the 250 pixels one import decodes (32 pixels per byte of the files given, at least 67.1 megapixels, to bound decoding time); import fewer or smaller images, or set a lower image limit (maxImages)',
      },
    ]);
  });
});

describe('IDX labels', () => {
  const images = makeIdxImages(idxPixels(4, 4, 4), 4, 4, 4);
  const noDecoder: ImageDecoder = async () => {
    throw new Error('no image should be decoded in an IDX import');
  };

  it('refuses images whose labels file is corrupt instead of importing them unlabelled', async () => {
    const labels = makeIdxLabels([1, 2, 3, 4]);
    labels[2] = 0x0c; // int32 labels: not readable
    const run = importFiles(
      [
        { path: 'train-images-idx3-ubyte', bytes: images },
        { path: 'train-labels-idx1-ubyte', bytes: labels },
      ],
      { size: 4, decodeImage: noDecoder },
    );
    const err = (await run.catch((e: unknown) => e)) as DatasetImportError;
    expect(err).toBeInstanceOf(DatasetImportError);
    expect(err.skipped).toEqual([
      { path: 'train-labels-idx1-ubyte', reason: 'stores numbers this importer cannot read: only byte-valued IDX files like MNIST\'s can be imported (it stores int32 values, IDX type 0x0c; only type 0x08 is supported)' },
      { path: 'train-images-idx3-ubyte', reason: 'is not imported: its labels file train-labels-idx1-ubyte cannot be used (see the reason given for it); download that file again, or leave it out to import these images unlabelled' },
    ]);
  });

  it('refuses labels of 255 that would make 256 classes, and keeps a small sample of a real set', async () => {
    const labelled = (labels: number[]): InputFile[] => [
      { path: 'train-images-idx3-ubyte', bytes: images },
      { path: 'train-labels-idx1-ubyte', bytes: makeIdxLabels(labels) },
    ];
    const err = (await importFiles(labelled([0, 1, 255, 2]), { size: 4, decodeImage: noDecoder }).catch((e: unknown) => e)) as DatasetImportError;
    expect(err.skipped[0]).toEqual({
      path: 'train-labels-idx1-ubyte',
      reason: 'has labels up to 255 but only 4 different values (0, 1, 2, 255), so 252 of the 256 classes 0–255 would have no images: it is damaged or its labels are not class numbers; download it again, or number the classes 0, 1, 2, … (the classes are 0 to the largest label; a label file that leaves most of them empty does not hold class numbers)',
    });
    const sample = await importFiles(labelled([3, 7, 3, 7]), { size: 4, decodeImage: noDecoder });
    expect(sample.classNames.length).toBe(10);
  });
});
