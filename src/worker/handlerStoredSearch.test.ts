// A checkpoint whose stored set is not in this browser (trained in another browser, by the CLI or in
// PyTorch on the same files): the handler finds a stored set with the same images by fingerprint,
// runs on it (config.dataset names it, loaded.notes says so), and refuses with what to import when
// none matches — one final reply per request either way. Fake post, real trainer, tfjs CPU backend,
// dataset caches on in-memory key-value stores.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeHandlerDeps, waitForMessage } from '../../tests/helpers/handlerHarness';
import { createMemoryDatasetKv } from '../../tests/helpers/memoryDatasetKv';
import { tinyConfig } from '../../tests/helpers/tinyConfig';
import { storedDatasetRef } from '../core/config/runConfig';
import { decodeCheckpoint } from '../core/checkpoint/checkpointFile';
import { createDatasetCache, type DatasetCache } from './datasetCache';
import { createHandler } from './handler';
import type { FromWorker } from './protocol';
import { createRunDatasets } from './runDataset';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A cache holding, per entry, a labelled 8×8 set of 60 images with pixels from `seed`. */
async function cacheWith(sets: { id: string; name: string; seed: number; createdAt: number }[]): Promise<DatasetCache> {
  const cache = createDatasetCache(createMemoryDatasetKv());
  for (const s of sets) {
    const images = Uint8Array.from({ length: 60 * 8 * 8 * 3 }, (_, i) => (Math.imul(i + 1, 2654435761 + s.seed) >>> 24) & 0xff);
    const labels = Int32Array.from({ length: 60 }, (_, i) => i % 3);
    await cache.put({ id: s.id, name: s.name, format: 'image-folder', source: `${s.name}/`, numImages: 60, classNames: ['a', 'b', 'c'], imageSize: 8, numSkipped: 0, warnings: [], createdAt: s.createdAt },
      { images, labels, isSourceTest: null });
  }
  return cache;
}

function setup(cache: DatasetCache) {
  const msgs: FromWorker[] = [];
  const datasets = createRunDatasets(async () => cache);
  const handle = createHandler({ ...nodeHandlerDeps((m) => msgs.push(m)), makeDataset: datasets.make, findDataset: datasets.findByFingerprint });
  const until = (pred: (m: FromWorker) => boolean, timeoutMs = 60_000) => waitForMessage(msgs, pred, { timeoutMs });
  return { msgs, handle, until };
}

/** The replies to request `id` that end it (ack, error, loaded). */
const finalReplies = (msgs: FromWorker[], id: number) => msgs.filter((m) => 'id' in m && m.id === id && (m.type === 'ack' || m.type === 'error'));

const config = tinyConfig({ dataset: storedDatasetRef('aaa'), knnEvery: 0, autosaveEvery: 0 });

describe('loading a checkpoint whose stored set is elsewhere', () => {
  let bytes: ArrayBuffer;
  beforeAll(async () => {
    const a = setup(await cacheWith([{ id: 'aaa', name: 'toys', seed: 1, createdAt: 1 }]));
    a.handle({ type: 'start', id: 1, config, maxSteps: 1 });
    await a.until((m) => m.type === 'done');
    a.handle({ type: 'exportCheckpoint', id: 2 });
    const ex = await a.until((m) => m.type === 'exported');
    if (ex.type !== 'exported') throw new Error('unreachable');
    bytes = ex.files[0]!.bytes;
  });

  it('finds the stored set with the same images, names it in the config and says so', async () => {
    // Newest first: the other-pixels set is tried first and passed over.
    const b = setup(await cacheWith([{ id: 'bbb', name: 'toys', seed: 1, createdAt: 2 }, { id: 'ccc', name: 'toys', seed: 2, createdAt: 3 }]));
    b.handle({ type: 'loadCheckpoint', id: 1, source: { kind: 'file', name: 'run.safetensors', bytes } });
    const loaded = await b.until((m) => m.type === 'loaded');
    if (loaded.type !== 'loaded') throw new Error('unreachable');
    expect(loaded.config).toEqual({ ...config, dataset: 'stored:bbb' });
    expect(loaded.step).toBe(1);
    expect(loaded.notes.at(-1)).toMatch(/"stored:aaa" is not in this browser; the stored set “toys” \(toys\/\) has the same images \(fingerprint [0-9a-f]{8}\), so the run now uses "stored:bbb"/);
    expect(finalReplies(b.msgs, 1).map((m) => m.type)).toEqual(['ack']);
    await b.until((m) => m.type === 'state' && m.state === 'paused');
    b.handle({ type: 'exportCheckpoint', id: 2 });
    const ex = await b.until((m) => m.type === 'exported');
    if (ex.type !== 'exported') throw new Error('unreachable');
    const again = decodeCheckpoint(new Uint8Array(ex.files[0]!.bytes), 'again');
    expect(again.record.config.dataset).toBe('stored:bbb');
    expect(again.record.dataset).toEqual(decodeCheckpoint(new Uint8Array(bytes), 'run').record.dataset);
  });

  it('refuses, naming what to import, when no stored set has the images', async () => {
    const c = setup(await cacheWith([{ id: 'ccc', name: 'toys', seed: 2, createdAt: 3 }]));
    c.handle({ type: 'loadCheckpoint', id: 1, source: { kind: 'file', name: 'run.safetensors', bytes } });
    const err = await c.until((m) => m.type === 'error' && m.id === 1);
    expect(err).toMatchObject({
      isFatal: false,
      error: { name: 'CheckpointDatasetMissingError', message: expect.stringMatching(/run\.safetensors was trained on the imported dataset "toys" \(32 training \+ 6 held-out images of 8×8, fingerprint [0-9a-f]{8}\), stored as "stored:aaa", which is not in this browser; no stored set of 8×8 images gives that fingerprint/) },
      hint: expect.stringMatching(/Import the files the run was trained on \(the “toys” files.*at view size 8, then load the checkpoint again/),
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(finalReplies(c.msgs, 1)).toHaveLength(1);
    expect(c.msgs.some((m) => m.type === 'loaded')).toBe(false);
  });
});
