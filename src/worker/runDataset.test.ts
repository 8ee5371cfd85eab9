// The training worker's dataset for a config: built-in vs stored, the held-out split fixed by
// datasetSeed, the numTrainImages / numTestImages caps, and sets too small for the config.
import { describe, expect, it } from 'vitest';
import { createMemoryDatasetKv } from '../../tests/helpers/memoryDatasetKv';
import { tinyConfig } from '../../tests/helpers/tinyConfig';
import { storedDatasetRef } from '../core/config/runConfig';
import { computeNormalization } from '../core/data/normalization';
import { createDatasetCache, DatasetNotFoundError, type StoredDataset, type StoredDatasetMeta } from './datasetCache';
import { fingerprintDataset } from '../core/data/fingerprint';
import { buildStoredRunDataset, createRunDatasetMaker, createRunDatasets, DatasetTooSmallError, HELD_OUT_FRACTION } from './runDataset';

/** A stored 8×8 set whose image i has every byte = i (so images can be identified). */
function stored(n: number, opts: { numClasses?: number; numSourceTest?: number } = {}): StoredDataset {
  const numClasses = opts.numClasses ?? 4;
  const images = new Uint8Array(n * 8 * 8 * 3);
  for (let i = 0; i < n; i++) images.fill(i & 0xff, i * 192, (i + 1) * 192);
  const labels = numClasses > 0 ? Int32Array.from({ length: n }, (_, i) => i % numClasses) : null;
  const numSourceTest = opts.numSourceTest ?? 0;
  const isSourceTest = numSourceTest > 0 ? Uint8Array.from({ length: n }, (_, i) => (i >= n - numSourceTest ? 1 : 0)) : null;
  const meta: StoredDatasetMeta = {
    id: 'abc', name: 'mine', format: 'image-folder', source: 'mine/', numImages: n, classNames: labels ? Array.from({ length: numClasses }, (_, c) => `c${c}`) : [],
    isLabelled: labels !== null, imageSize: 8, numBytes: images.length, numSourceTest, numSkipped: 0, warnings: [], createdAt: 1, imagesPerChunk: n, numChunks: 1,
  };
  return { meta, images, labels, isSourceTest };
}

const ids = (set: { images: Uint8Array; numImages: number }) => Array.from({ length: set.numImages }, (_, i) => set.images[i * 192]!);

describe('stored run dataset', () => {
  it('holds out a seeded, stratified 10 % fixed by datasetSeed', () => {
    const config = tinyConfig({ dataset: storedDatasetRef('abc'), numTrainImages: 1000, numTestImages: 1000 });
    const a = buildStoredRunDataset(stored(200), config);
    expect(a.test.numImages).toBe(200 * HELD_OUT_FRACTION);
    expect(a.train.numImages).toBe(180);
    expect(a.numClasses).toBe(4);
    expect(a.name).toBe('mine');
    const again = buildStoredRunDataset(stored(200), config);
    expect(ids(again.test)).toEqual(ids(a.test));
    const other = buildStoredRunDataset(stored(200), { ...config, datasetSeed: 2 });
    expect(ids(other.test)).not.toEqual(ids(a.test));
    expect(new Set([...ids(a.train), ...ids(a.test)]).size).toBe(200); // disjoint, nothing lost
    const perClass = [0, 1, 2, 3].map((c) => Array.from(a.test.labels!).filter((l) => l === c).length);
    expect(perClass).toEqual([5, 5, 5, 5]);
  });

  it('uses the source test split and caps both parts by the config', () => {
    const config = tinyConfig({ numTrainImages: 50, numTestImages: 16 });
    const d = buildStoredRunDataset(stored(200, { numSourceTest: 40 }), config);
    expect(d.test.numImages).toBe(16);
    expect(ids(d.test).every((v) => v >= 160)).toBe(true);
    expect(d.train.numImages).toBe(50);
    expect(ids(d.train).every((v) => v < 160)).toBe(true);
    expect(ids(d.train)).toEqual([...ids(d.train)].sort((x, y) => x - y));
    expect(ids(buildStoredRunDataset(stored(200, { numSourceTest: 40 }), config).train)).toEqual(ids(d.train));
  });

  it('keeps an unlabelled set unlabelled', () => {
    const d = buildStoredRunDataset(stored(40, { numClasses: 0 }), tinyConfig());
    expect(d.train.labels).toBeNull();
    expect(d.test.labels).toBeNull();
    expect(d.numClasses).toBe(0);
  });

  it("normalises with the statistics in the stored set's meta, or the whole set's when the meta has none", () => {
    const s = stored(40);
    const own = { mean: [0.3, 0.2, 0.1] as [number, number, number], std: [0.5, 0.6, 0.7] as [number, number, number], source: 'computed' as const };
    expect(buildStoredRunDataset({ ...s, meta: { ...s.meta, normalization: own } }, tinyConfig()).normalization).toEqual(own);
    expect(buildStoredRunDataset(s, tinyConfig()).normalization).toEqual(computeNormalization({ images: s.images, numImages: 40 }));
  });

  it('refuses sets too small for the batch or for kNN, saying which setting to change', () => {
    const small = stored(12);
    const err = (() => { try { buildStoredRunDataset(small, tinyConfig({ batchSize: 16 })); } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(DatasetTooSmallError);
    expect((err as Error).message).toMatch(/“mine” gives 11 training and 1 held-out images; a batch of 16 needs at least 16/);
    expect((err as DatasetTooSmallError).hint).toMatch(/Lower “Batch size” to 11 or less/);
    expect(() => buildStoredRunDataset(small, tinyConfig({ batchSize: 4, knnEvery: 5, knnK: 20 }))).toThrow(/kNN with k = 20 needs a bank of at least 20/);
    expect(() => buildStoredRunDataset(stored(12, { numClasses: 0 }), tinyConfig({ batchSize: 4, knnEvery: 5, knnK: 20 }))).not.toThrow();
  });
});

describe('createRunDatasetMaker', () => {
  it('generates the built-in set or loads the stored one from the cache', async () => {
    const kv = createMemoryDatasetKv();
    const cache = createDatasetCache(kv);
    const s = stored(60);
    const { meta } = s;
    await cache.put({ id: meta.id, name: meta.name, format: meta.format, source: meta.source, numImages: 60, classNames: meta.classNames, imageSize: 8, numSkipped: 0, warnings: [], createdAt: 1 }, s);
    let numOpens = 0;
    const make = createRunDatasetMaker(async () => { numOpens++; return cache; });
    const builtin = await make(tinyConfig(), () => {});
    expect(builtin.name).toBe('shapes-10');
    const fractions: number[] = [];
    const mine = await make(tinyConfig({ dataset: storedDatasetRef('abc') }), (f) => fractions.push(f));
    expect(mine.name).toBe('mine');
    expect([mine.train.numImages, mine.test.numImages]).toEqual([32, 6]); // 54 + 6, train capped at numTrainImages = 32
    expect(fractions.at(-1)).toBe(1);
    await expect(make(tinyConfig({ dataset: storedDatasetRef('gone') }), () => {})).rejects.toBeInstanceOf(DatasetNotFoundError);
    expect(numOpens).toBe(1);
  });
});

describe('createRunDatasets().findByFingerprint', () => {
  it('finds the stored set with the fingerprint, named as the checkpoint names it, loading only sets of its size', async () => {
    const cache = createDatasetCache(createMemoryDatasetKv());
    const s = stored(60);
    const put = (id: string, createdAt: number, imageSize: number, images: Uint8Array) =>
      cache.put({ id, name: 'renamed', format: 'image-folder', source: `${id}/`, numImages: 60, classNames: s.meta.classNames, imageSize, numSkipped: 0, warnings: [], createdAt }, { images, labels: s.labels, isSourceTest: null });
    await put('same', 1, 8, s.images);
    await put('other', 2, 8, s.images.map((v) => 255 - v));
    await put('big', 3, 16, new Uint8Array(60 * 16 * 16 * 3));
    const loadedIds: string[] = [];
    const spied = { ...cache, get: (id: string, p?: (f: number) => void) => { loadedIds.push(id); return cache.get(id, p); } };
    const config = tinyConfig({ dataset: storedDatasetRef('gone') });
    const want = fingerprintDataset(buildStoredRunDataset(s, config)); // named 'mine', as the run that saved it
    const { findByFingerprint } = createRunDatasets(async () => spied);
    const found = await findByFingerprint(config, want, () => {});
    expect(found?.meta.id).toBe('same');
    expect(found && fingerprintDataset(found.dataset)).toEqual(want);
    expect(loadedIds).toEqual(['other', 'same']); // newest first; the 16×16 set is never loaded
    expect(await findByFingerprint(config, { ...want, hash: '00000000' }, () => {})).toBeNull();
  });
});
