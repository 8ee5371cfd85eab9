// The content hash of a stored set and the search for an import's duplicate among stored sets.
import { describe, expect, it } from 'vitest';
import type { StoredArrays, StoredDatasetMeta } from './datasetCache';
import { datasetContentHash, findDuplicate, type DatasetContent } from './datasetDuplicate';

const content = (over: Partial<DatasetContent> = {}): DatasetContent => ({
  images: Uint8Array.from({ length: 2 * 4 * 4 * 3 }, (_, i) => (i * 37) & 0xff),
  labels: Int32Array.from([0, 1]),
  isSourceTest: null,
  imageSize: 4,
  classNames: ['cat', 'dog'],
  ...over,
});

describe('datasetContentHash', () => {
  it('is 16 hex digits, the same for the same content, whatever the arrays\' offsets', () => {
    const a = content();
    const shifted = new Uint8Array(a.images.length + 1);
    shifted.set(a.images, 1);
    expect(datasetContentHash(a)).toMatch(/^[0-9a-f]{16}$/);
    expect(datasetContentHash(content({ images: shifted.subarray(1) }))).toBe(datasetContentHash(a));
    // No test marks and marks that mark nothing are the same (put stores the latter as none).
    expect(datasetContentHash(content({ isSourceTest: new Uint8Array(2) }))).toBe(datasetContentHash(a));
  });

  it('changes with one pixel, a label, the marks, the size, the class names, or labels vs none', () => {
    const base = datasetContentHash(content());
    const pixel = content();
    pixel.images[pixel.images.length - 1]! ^= 1;
    const variants = [
      pixel,
      content({ labels: Int32Array.from([1, 1]) }),
      content({ isSourceTest: Uint8Array.from([0, 1]) }),
      content({ imageSize: 2, images: content().images }),
      content({ classNames: ['cat', 'kitten'] }),
      content({ labels: null, classNames: [] }),
    ];
    const hashes = variants.map(datasetContentHash);
    for (const h of hashes) expect(h).not.toBe(base);
    expect(new Set(hashes).size).toBe(hashes.length);
  });
});

describe('findDuplicate', () => {
  const meta = (id: string, over: Partial<StoredDatasetMeta> = {}): StoredDatasetMeta => ({
    id, name: id, format: 'image-folder', source: id, numImages: 2, classNames: ['cat', 'dog'], isLabelled: true, imageSize: 4,
    numBytes: 100, numSourceTest: 0, numSkipped: 0, warnings: [], createdAt: 1, imagesPerChunk: 2, numChunks: 1, ...over,
  });
  const hash = datasetContentHash(content());
  const wanted = { numImages: 2, imageSize: 4, classNames: ['cat', 'dog'], isLabelled: true, contentHash: hash };

  it('compares stored hashes, and loads only sets without one whose count, size and classes match', async () => {
    const loaded: string[] = [];
    const load = async (id: string): Promise<StoredArrays> => {
      loaded.push(id);
      if (id === 'broken') throw new Error('corrupt');
      return id === 'old-same' ? content() : content({ labels: Int32Array.from([1, 0]) });
    };
    const stored = [
      meta('bigger', { numImages: 3 }), meta('other-classes', { classNames: ['a', 'b'] }), meta('other-hash', { contentHash: '0'.repeat(16) }),
      meta('broken'), meta('old-other'), meta('old-same'), meta('same', { contentHash: hash }),
    ];
    expect((await findDuplicate(wanted, stored, load))?.id).toBe('old-same');
    expect(loaded).toEqual(['broken', 'old-other', 'old-same']);
    expect((await findDuplicate(wanted, [meta('same', { contentHash: hash })], load))?.id).toBe('same');
    expect(await findDuplicate(wanted, stored.slice(0, 5), load)).toBeNull();
  });
});
