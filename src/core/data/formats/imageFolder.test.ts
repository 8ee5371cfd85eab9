import { strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { importFiles } from './importFiles';
import { nodeImageDecoder } from './nodeImageDecoder';
import { resizeToSquareRgb } from './resize';
import { makeZip } from './testing/archives';
import { makeJpeg, makePng, makePngHeaderOnly, makeWebpHeaderOnly, patternRgba } from './testing/images';
import { DatasetImportError, type ImageDecoder, type InputFile } from './types';

/** RGB of an RGBA buffer. */
const rgbOf = (rgba: Uint8Array): number[] => Array.from(rgba).filter((_, i) => i % 4 !== 3);
const slot = (images: Uint8Array, i: number, size: number): Uint8Array => images.subarray(i * size * size * 3, (i + 1) * size * size * 3);

/** Node decoder that records which paths it was asked to decode. */
function spyDecoder(): { decode: ImageDecoder; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    decode: async (bytes, path) => {
      calls.push(path);
      return nodeImageDecoder(bytes, path);
    },
  };
}

const img = (seed: number): Uint8Array => makePng(8, 8, patternRgba(8, 8, seed));

describe('image folder import', () => {
  it('labels by first-level class folder (sorted), PNG exact at the same size, JPEG within tolerance', async () => {
    const jpegRgba = patternRgba(8, 8, 5).map((v, i) => (i % 4 === 3 ? 255 : 60 + (v >> 2)));
    const files: InputFile[] = [
      { path: 'pets/dogs/deep/d.png', bytes: img(4) },
      { path: 'pets/cats/b.jpg', bytes: await makeJpeg(8, 8, jpegRgba, 95) },
      { path: 'pets/cats/a.png', bytes: img(1) },
      { path: 'pets/dogs/c.png', bytes: img(3) },
    ];
    const r = await importFiles(files, { size: 8, decodeImage: nodeImageDecoder });
    expect(r.format).toBe('image-folder');
    expect(r.name).toBe('pets');
    expect(r.classNames).toEqual(['cats', 'dogs']);
    expect(r.isSourceTest).toBeNull();
    expect(r.set.numImages).toBe(4);
    expect(r.set.images.length).toBe(4 * 192);
    expect(Array.from(r.set.labels!)).toEqual([0, 0, 1, 1]); // cats/a, cats/b, dogs/c, dogs/deep/d
    expect(Array.from(slot(r.set.images, 0, 8))).toEqual(rgbOf(patternRgba(8, 8, 1)));
    expect(Array.from(slot(r.set.images, 2, 8))).toEqual(rgbOf(patternRgba(8, 8, 3)));
    expect(Array.from(slot(r.set.images, 3, 8))).toEqual(rgbOf(patternRgba(8, 8, 4)));
    const jpeg = slot(r.set.images, 1, 8);
    const want = rgbOf(jpegRgba);
    expect(Math.max(...want.map((v, i) => Math.abs(v - jpeg[i]!)))).toBeLessThanOrEqual(12);
    expect(r.skipped).toEqual([]);
    expect(r.warnings).toEqual([]);
  });

  it('resizes non-square images to the whole size × size square', async () => {
    const rgba = patternRgba(12, 6, 2);
    const r = await importFiles(
      [
        { path: 'a/x.png', bytes: makePng(12, 6, rgba) },
        { path: 'b/y.png', bytes: img(0) },
      ],
      { size: 4, decodeImage: nodeImageDecoder },
    );
    const expected = new Uint8Array(48);
    resizeToSquareRgb(rgba, 12, 6, 4, 4, expected);
    expect(Array.from(slot(r.set.images, 0, 4))).toEqual(Array.from(expected));
  });

  it('skips non-images, empty, renamed, unsupported, undecodable and oversized files with reasons, before decoding them', async () => {
    const png = img(2);
    const corrupt = png.slice();
    corrupt.fill(0x55, 40, png.length - 12); // IDAT data destroyed, header intact
    const spy = spyDecoder();
    const files: InputFile[] = [
      { path: 'set/cats/ok.png', bytes: img(1) },
      { path: 'set/dogs/ok.png', bytes: png },
      { path: 'set/cats/notes.txt', bytes: strToU8('hello') },
      { path: 'set/cats/empty.png', bytes: new Uint8Array(0) },
      { path: 'set/cats/fake.jpg', bytes: strToU8('this is not a jpeg') },
      { path: 'set/cats/anim.gif', bytes: strToU8('GIF89a....') },
      { path: 'set/dogs/broken.png', bytes: corrupt },
      { path: 'set/dogs/huge.png', bytes: makePngHeaderOnly(20000, 20000) },
      { path: 'set/dogs/wide.png', bytes: makePngHeaderOnly(9000, 10) },
      { path: 'set/dogs/photo.webp', bytes: makeWebpHeaderOnly(50, 40) },
      { path: 'set/dogs/big.webp', bytes: makeWebpHeaderOnly(8000, 8000) },
    ];
    const r = await importFiles(files, { size: 8, decodeImage: spy.decode });
    expect(r.set.numImages).toBe(2);
    const reasons = Object.fromEntries(r.skipped.map((s) => [s.path, s.reason]));
    expect(reasons).toEqual({
      'set/cats/notes.txt': expect.stringMatching(/not an image/),
      'set/cats/empty.png': 'is empty (0 bytes)',
      'set/cats/fake.jpg': expect.stringMatching(/named \.jpg but its bytes are not a PNG, JPEG or WebP image/),
      'set/cats/anim.gif': expect.stringMatching(/GIF image; only PNG, JPEG and WebP/),
      'set/dogs/broken.png': expect.stringMatching(/could not be decoded: is a corrupt or unsupported PNG/),
      'set/dogs/huge.png': expect.stringMatching(/is 20000×20000 pixels, over the limit/),
      'set/dogs/wide.png': expect.stringMatching(/is 9000×10 pixels, over the limit/),
      'set/dogs/photo.webp': expect.stringMatching(/could not be decoded: is a WebP image: WebP needs the browser/),
      'set/dogs/big.webp': expect.stringMatching(/is 8000×8000 pixels, over the limit of 8192 px a side and 40 megapixels/),
    });
    expect(spy.calls.sort()).toEqual(['set/cats/ok.png', 'set/dogs/broken.png', 'set/dogs/ok.png', 'set/dogs/photo.webp']);
  });

  it('flags duplicate paths and keeps the first', async () => {
    const r = await importFiles(
      [
        { path: 'c/a/1.png', bytes: img(1) },
        { path: 'c/b/1.png', bytes: img(2) },
        { path: 'c\\a\\1.png', bytes: img(3) },
      ],
      { size: 8, decodeImage: nodeImageDecoder },
    );
    expect(r.set.numImages).toBe(2);
    expect(Array.from(slot(r.set.images, 0, 8))).toEqual(rgbOf(patternRgba(8, 8, 1)));
    expect(r.skipped).toEqual([{ path: 'c/a/1.png', reason: expect.stringMatching(/duplicate path/) }]);
  });

  it('imports images with no class folders as an unlabelled set', async () => {
    for (const paths of [['1.png', '2.png'], ['photos/1.png', 'photos/2.png']]) {
      const r = await importFiles(
        paths.map((path, i) => ({ path, bytes: img(i) })),
        { size: 8, decodeImage: nodeImageDecoder },
      );
      expect(r.set.labels).toBeNull();
      expect(r.classNames).toEqual([]);
      expect(r.set.numImages).toBe(2);
      expect(r.warnings).toEqual([expect.stringMatching(/not in class folders.*unlabelled/)]);
    }
  });

  it('keeps a single class labelled, with the kNN warning', async () => {
    const r = await importFiles(
      [
        { path: 'pets/cats/1.png', bytes: img(1) },
        { path: 'pets/cats/2.png', bytes: img(2) },
      ],
      { size: 8, decodeImage: nodeImageDecoder },
    );
    expect(r.classNames).toEqual(['cats']);
    expect(Array.from(r.set.labels!)).toEqual([0, 0]);
    expect(r.warnings).toEqual([expect.stringMatching(/Only one class \("cats"\): kNN accuracy is meaningless/)]);
  });

  it('skips images lying beside the class folders', async () => {
    const r = await importFiles(
      [
        { path: 'x.png', bytes: img(0) },
        { path: 'cats/a.png', bytes: img(1) },
        { path: 'dogs/b.png', bytes: img(2) },
      ],
      { size: 8, decodeImage: nodeImageDecoder },
    );
    expect(r.classNames).toEqual(['cats', 'dogs']);
    expect(r.skipped).toEqual([{ path: 'x.png', reason: expect.stringMatching(/outside the class folders/) }]);
  });

  it('imports a zip of class folders, ignoring folder entries and macOS junk', async () => {
    const zip = makeZip({
      'animals/': new Uint8Array(0),
      'animals/cats/': new Uint8Array(0),
      'animals/cats/1.png': img(1),
      'animals/dogs/2.png': img(2),
      'animals/dogs/3.png': img(3),
      '__MACOSX/animals/cats/._1.png': strToU8('junk'),
      'animals/.DS_Store': strToU8('junk'),
    });
    const r = await importFiles([{ path: 'animals.zip', bytes: zip }], { size: 8, decodeImage: nodeImageDecoder });
    expect(r.name).toBe('animals');
    expect(r.classNames).toEqual(['cats', 'dogs']);
    expect(Array.from(r.set.labels!)).toEqual([0, 1, 1]);
    expect(r.skipped).toEqual([]);
  });

  it('throws DatasetImportError naming the zip and its files when it holds no images', async () => {
    const zip = makeZip({ 'docs/readme.txt': strToU8('read me'), 'docs/empty.png': new Uint8Array(0) });
    const run = importFiles([{ path: 'docs.zip', bytes: zip }], { size: 8, decodeImage: nodeImageDecoder });
    await expect(run).rejects.toBeInstanceOf(DatasetImportError);
    const err = (await run.then(() => null, (e: unknown) => e)) as DatasetImportError;
    expect(err.message).toMatch(/^No usable images in docs\.zip\./);
    expect(err.message).toMatch(/docs\/readme\.txt: is not an image/);
    expect(err.message).toMatch(/docs\/empty\.png: is empty \(0 bytes\)/);
    expect(err.skipped.map((s) => s.path).sort()).toEqual(['docs/empty.png', 'docs/readme.txt']);
  });

  it('keeps maxImages images round-robin over classes and reports progress up to 1', async () => {
    const files: InputFile[] = [
      ...[1, 2, 3, 4].map((i) => ({ path: `s/cats/${i}.png`, bytes: img(i) })),
      ...[5, 6].map((i) => ({ path: `s/dogs/${i}.png`, bytes: img(i) })),
    ];
    const seen: [string, number][] = [];
    const r = await importFiles(files, { size: 8, decodeImage: nodeImageDecoder, maxImages: 3, onProgress: (s, f) => seen.push([s, f]) });
    expect(Array.from(r.set.labels!)).toEqual([0, 0, 1]);
    expect(Array.from(slot(r.set.images, 2, 8))).toEqual(rgbOf(patternRgba(8, 8, 5)));
    expect(r.skipped).toEqual([
      { path: 'cats', reason: expect.stringMatching(/2 of 4 images in class folder "cats" not imported: .*at most 3 images \(maxImages\)/) },
      { path: 'dogs', reason: expect.stringMatching(/1 of 2 images in class folder "dogs"/) },
    ]);
    const fractions = seen.map(([, f]) => f);
    expect(fractions.every((f, i) => i === 0 || f >= fractions[i - 1]!)).toBe(true);
    expect(fractions.at(-1)).toBe(1);
    expect(seen.some(([s]) => /Decoding images/.test(s))).toBe(true);
  });

  it('skips an image whose decoder returns too few pixels', async () => {
    const bad: ImageDecoder = async (bytes, path) => (path.endsWith('b.png') ? { data: new Uint8Array(10), width: 8, height: 8 } : nodeImageDecoder(bytes, path));
    const r = await importFiles(
      [
        { path: 'a/a.png', bytes: img(1) },
        { path: 'b/b.png', bytes: img(2) },
      ],
      { size: 8, decodeImage: bad },
    );
    expect(r.set.numImages).toBe(1);
    expect(r.set.images.length).toBe(192);
    expect(r.set.labels!.length).toBe(1);
    expect(r.skipped).toEqual([{ path: 'b/b.png', reason: expect.stringMatching(/decoder returned 10 values for 8×8 RGBA/) }]);
    expect(r.warnings).toEqual([expect.stringMatching(/"b" ended up with no usable images/), expect.stringMatching(/Only one class \("a"\)/)]);
  });
});
