// The dataset cache over an in-memory store: chunked round trip, listing order, quota checks
// that leave nothing behind, damaged records refused with a message, orphan cleanup, ids, and the
// set's normalisation in its meta (given, computed by put, or worked out on load for an old set).
import { describe, expect, it } from 'vitest';
import { computeNormalization, KNOWN_NORMALIZATIONS } from '../core/data/normalization';
import { createMemoryDatasetKv } from '../../tests/helpers/memoryDatasetKv';
import {
  CHUNK_BYTES, createDatasetCache, datasetIdTime, DatasetCorruptError, DatasetNotFoundError, DatasetQuotaError,
  imagesPerChunkFor, newDatasetId, ORPHAN_AGE_MS, type NewDatasetMeta,
} from './datasetCache';

function arrays(numImages: number, size: number, isLabelled = true) {
  const images = new Uint8Array(numImages * size * size * 3);
  for (let i = 0; i < images.length; i++) images[i] = (i * 31 + (i >> 10)) & 0xff;
  const labels = isLabelled ? Int32Array.from({ length: numImages }, (_, i) => i % 7) : null;
  const isSourceTest = Uint8Array.from({ length: numImages }, (_, i) => (i % 5 === 0 ? 1 : 0));
  return { images, labels, isSourceTest };
}

/** Index of the first differing element, -1 when equal (toEqual on megabyte arrays is too slow). */
function firstDiff(a: ArrayLike<number> | null, b: ArrayLike<number> | null): number {
  if (a === null || b === null) return a === b ? -1 : 0;
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

const meta = (id: string, numImages: number, size: number, over: Partial<NewDatasetMeta> = {}): NewDatasetMeta => ({
  id, name: `set ${id}`, format: 'image-folder', source: 'x/ (3 files)', numImages, classNames: ['a', 'b', 'c', 'd', 'e', 'f', 'g'],
  imageSize: size, numSkipped: 0, warnings: [], createdAt: 1000, ...over,
});

describe('dataset cache', () => {
  it('stores a set in whole-image chunks of at most CHUNK_BYTES and loads it back byte for byte', async () => {
    const kv = createMemoryDatasetKv();
    const cache = createDatasetCache(kv);
    const size = 64; // 12 KiB per image: 682 images per chunk
    const n = 1500;
    const a = arrays(n, size);
    const fractions: number[] = [];
    const stored = await cache.put(meta('s1', n, size), a, (f) => fractions.push(f));
    const perChunk = imagesPerChunkFor(size * size * 3);
    expect(perChunk).toBe(Math.floor(CHUNK_BYTES / (size * size * 3)));
    expect(stored).toMatchObject({ numChunks: Math.ceil(n / perChunk), imagesPerChunk: perChunk, isLabelled: true, numSourceTest: 300 });
    expect(stored.numBytes).toBe(a.images.length + 4 * n + n);
    for (const [k, v] of kv.chunks) if (k.includes('"images"')) expect(v.byteLength).toBeLessThanOrEqual(CHUNK_BYTES);
    expect(fractions.at(-1)).toBe(1);
    expect(fractions).toEqual([...fractions].sort((x, y) => x - y));

    const back = await cache.get('s1');
    expect(back.meta).toEqual(stored);
    expect(firstDiff(back.images, a.images)).toBe(-1);
    expect(firstDiff(back.labels, a.labels)).toBe(-1);
    expect(firstDiff(back.isSourceTest, a.isSourceTest)).toBe(-1);
  });

  it('keeps unlabelled sets unlabelled and drops all-zero test marks', async () => {
    const cache = createDatasetCache(createMemoryDatasetKv());
    const a = { ...arrays(10, 8, false), isSourceTest: new Uint8Array(10) };
    const m = await cache.put(meta('u', 10, 8, { classNames: [] }), a);
    expect(m).toMatchObject({ isLabelled: false, numSourceTest: 0, numBytes: 10 * 8 * 8 * 3 });
    const back = await cache.get('u');
    expect(back.labels).toBeNull();
    expect(back.isSourceTest).toBeNull();
  });

  it('lists newest first and deletes every record of a set', async () => {
    const kv = createMemoryDatasetKv();
    const cache = createDatasetCache(kv);
    await cache.put(meta('old', 4, 8, { createdAt: 1 }), arrays(4, 8));
    await cache.put(meta('new', 4, 8, { createdAt: 2 }), arrays(4, 8));
    expect((await cache.list()).map((m) => m.id)).toEqual(['new', 'old']);
    expect(await cache.delete('old')).toBe(true);
    expect(await cache.delete('old')).toBe(false);
    expect((await cache.list()).map((m) => m.id)).toEqual(['new']);
    expect([...kv.chunks.keys()].some((k) => k.includes('"old"'))).toBe(false);
    await expect(cache.get('old')).rejects.toBeInstanceOf(DatasetNotFoundError);
  });

  it('refuses a set the quota cannot hold before writing anything, naming the sizes', async () => {
    const kv = createMemoryDatasetKv();
    kv.quota = { usage: 900_000, quota: 1_000_000 };
    const cache = createDatasetCache(kv);
    const err = await cache.put(meta('big', 200, 32), arrays(200, 32)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatasetQuotaError);
    expect((err as Error).message).toMatch(/needs 6\d\d\.\d KB of browser storage, but only 97\.7 KB is free/);
    expect((err as DatasetQuotaError).hint).toMatch(/Delete stored datasets/);
    expect(kv.chunks.size).toBe(0);
  });

  it('rolls back a half-written set when the browser refuses a chunk for quota', async () => {
    const kv = createMemoryDatasetKv();
    const cache = createDatasetCache(kv);
    await cache.put(meta('keep', 4, 8), arrays(4, 8));
    kv.failWith = Object.assign(new Error('The quota has been exceeded.'), { name: 'QuotaExceededError' });
    kv.failAfterChunks = 3; // the 'keep' set wrote 3 records; the next one fails
    await expect(cache.put(meta('big', 1500, 64), arrays(1500, 64))).rejects.toBeInstanceOf(DatasetQuotaError);
    expect((await cache.list()).map((m) => m.id)).toEqual(['keep']);
    expect([...kv.chunks.keys()].some((k) => k.includes('"big"'))).toBe(false);
    expect(firstDiff((await cache.get('keep')).images, arrays(4, 8).images)).toBe(-1);
  });

  it('refuses damaged records with a message naming the set and the part', async () => {
    const kv = createMemoryDatasetKv();
    const cache = createDatasetCache(kv);
    await cache.put(meta('d', 6, 8), arrays(6, 8));
    kv.chunks.set(JSON.stringify(['d', 'images', 0]), new Uint8Array(5));
    await expect(cache.get('d')).rejects.toThrow(/set d": image chunk 1 of 1 is missing or has the wrong size/);
    await cache.put(meta('e', 6, 8), arrays(6, 8));
    kv.chunks.delete(JSON.stringify(['e', 'labels']));
    const err = await cache.get('e').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatasetCorruptError);
    expect((err as Error).message).toMatch(/labels are missing/);
  });

  it('refuses arrays that do not match the meta', async () => {
    const cache = createDatasetCache(createMemoryDatasetKv());
    await expect(cache.put(meta('x', 5, 8), arrays(4, 8))).rejects.toThrow(/do not make 5 images of 8×8×3/);
    await expect(cache.put(meta('y', 4, 8), { ...arrays(4, 8), labels: new Int32Array(3) })).rejects.toThrow(/3 labels for 4 images/);
  });

  it('removes leftovers of interrupted imports only once they are older than ORPHAN_AGE_MS', async () => {
    const kv = createMemoryDatasetKv();
    let now = 10 * ORPHAN_AGE_MS;
    const cache = createDatasetCache(kv, () => now);
    const id = newDatasetId(now - 1000);
    await kv.putChunk([id, 'images', 0], new Uint8Array(3));
    await cache.list();
    expect(kv.chunks.size).toBe(1); // maybe still being written by another tab
    now += ORPHAN_AGE_MS;
    await cache.list();
    expect(kv.chunks.size).toBe(0);
  });

  it('keeps the normalisation it is given, computes it when absent, and works it out on load for a set stored without it', async () => {
    const kv = createMemoryDatasetKv();
    const cache = createDatasetCache(kv);
    const a = arrays(20, 8);
    const given = { mean: [0.1, 0.2, 0.3] as [number, number, number], std: [0.4, 0.5, 0.6] as [number, number, number], source: 'computed' as const };
    expect((await cache.put(meta('g', 20, 8, { normalization: given }), a)).normalization).toEqual(given);
    expect((await cache.get('g')).meta.normalization).toEqual(given);

    const direct = computeNormalization({ images: a.images, numImages: 20 });
    expect(direct.mean[0]).not.toBeCloseTo(KNOWN_NORMALIZATIONS.cifar10.mean[0], 2);
    expect((await cache.put(meta('c', 20, 8), a)).normalization).toEqual(direct);

    // A meta record written before per-dataset normalisation (no field): computed on every load, not written back.
    const { normalization: _dropped, ...old } = (await kv.getMeta('c'))!;
    await kv.putMeta(old);
    expect((await cache.get('c')).meta.normalization).toEqual(direct);
    expect((await kv.getMeta('c'))!.normalization).toBeUndefined();
    // An old CIFAR-10 set gets the published statistics, not computed ones.
    await cache.put(meta('k', 20, 8, { format: 'cifar10' }), a);
    const { normalization: _k, ...oldCifar } = (await kv.getMeta('k'))!;
    await kv.putMeta(oldCifar);
    expect((await cache.get('k')).meta.normalization).toEqual(KNOWN_NORMALIZATIONS.cifar10);
  });

  it('makes sortable ids that carry their creation time', () => {
    const a = newDatasetId(1_700_000_000_000, () => 0.5);
    expect(a).toMatch(/^[0-9a-z]+-[0-9a-z]{8}$/);
    expect(datasetIdTime(a)).toBe(1_700_000_000_000);
    expect(datasetIdTime('not an id')).toBeNull();
    expect(newDatasetId(1_700_000_000_001) > a).toBe(true);
  });
});
