// The evaluation records through the worker handler (real core trainer, tfjs CPU backend): online
// probe + health + PCA at every kNN point (thumbnails once), the offline probe with progress that
// leaves the backbone unchanged, unlabelled datasets, and checkpoints with and without the records.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinDatasetFor } from '../../tests/helpers/builtinDatasetFor';
import { messagesOf, type Msg, nodeHandlerDeps, waitForType } from '../../tests/helpers/handlerHarness';
import { tinyConfig } from '../../tests/helpers/tinyConfig';
import { encodeCheckpoint } from '../core/checkpoint/checkpointFile';
import { fingerprintDataset } from '../core/data/fingerprint';
import type { Dataset } from '../core/data/types';
import { createRng } from '../core/random';
import { historyUpTo } from '../core/run/runHistory';
import { createTrainer, type Trainer } from '../core/train/trainer';
import { APP_VERSION } from '../core/version';
import { createHandler, type HandlerDeps } from './handler';
import { OFFLINE_PROBE_STAGE, type FromWorker } from './protocol';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function setup(overrides: Partial<HandlerDeps> = {}) {
  const msgs: FromWorker[] = [];
  const trainers: Trainer[] = [];
  const handle = createHandler({
    ...nodeHandlerDeps((m) => msgs.push(m)),
    makeTrainer: (c, d, r) => {
      const t = createTrainer(c, d, { resumeFrom: r });
      trainers.push(t);
      return t;
    },
    ...overrides,
  });
  const until = <T extends FromWorker['type']>(type: T, pred: (m: Msg<T>) => boolean = () => true, timeoutMs = 60_000) =>
    waitForType(msgs, type, pred, { timeoutMs });
  const of = <T extends FromWorker['type']>(type: T) => messagesOf(msgs, type);
  return { msgs, handle, until, of, trainers };
}

describe('evaluation records', () => {
  it('evaluate gets one final reply: the ack after its kNN record, or one error without a run', async () => {
    const { msgs, handle, until } = setup();
    handle({ type: 'evaluate', id: 7 });
    await until('error', (m) => m.id === 7);
    handle({ type: 'start', id: 1, config: tinyConfig({ knnEvery: 100 }), maxSteps: 2 });
    await until('done');
    const from = msgs.length;
    handle({ type: 'evaluate', id: 8 });
    await until('ack', (m) => m.id === 8);
    const replies = msgs.slice(from).filter((m) => (m.type === 'ack' || m.type === 'error') && m.id === 8);
    expect(replies.map((m) => m.type)).toEqual(['ack']);
    const knnAt = msgs.findIndex((m, i) => i >= from && m.type === 'knn');
    expect(knnAt).toBeGreaterThanOrEqual(from);
    expect(knnAt).toBeLessThan(msgs.indexOf(replies[0]!));
    expect(msgs.filter((m) => (m.type === 'ack' || m.type === 'error') && m.id === 7).map((m) => m.type)).toEqual(['error']);
  });

  it('emits probe, health and PCA at every kNN point, thumbnails only with the first', async () => {
    const { handle, until, of } = setup();
    handle({ type: 'start', id: 1, config: tinyConfig({ knnEvery: 2 }), maxSteps: 4 });
    await until('done');
    const evals = of('evaluation').map((m) => m.evaluation);
    expect(evals.map((e) => e.step)).toEqual([2, 4]);
    expect(evals[0]!.thumbnails).toBeDefined();
    expect(evals[0]!.thumbnails!.count).toBe(16);
    expect(evals[0]!.thumbnails!.pixels.length).toBe(16 * evals[0]!.thumbnails!.size ** 2 * 3);
    expect(evals[1]!.thumbnails).toBeUndefined();
    for (const e of evals) {
      expect(e.linearProbe!.top1).toBeGreaterThanOrEqual(0);
      expect(e.linearProbe!.top1).toBeLessThanOrEqual(1);
      expect(e.linearProbe!.numTest).toBe(16);
      expect(e.health.numSamples).toBe(16);
      expect(e.health.uniformStd).toBeCloseTo(1 / Math.sqrt(e.health.dim), 6);
      expect(e.health.effectiveRank).toBeGreaterThanOrEqual(1);
      expect(e.health.effectiveRank).toBeLessThanOrEqual(e.health.maxRank + 1e-6);
      expect(Number.isFinite(e.health.meanStd)).toBe(true);
      expect(e.pca.coords).toHaveLength(32);
      expect(e.pca.labels.every((l) => l >= 0)).toBe(true);
    }
    // kNN still comes, from the same embeddings.
    expect(of('knn').map((m) => m.knn.step)).toEqual([2, 4]);
  });

  it('runs the offline probe with progress while leaving the backbone unchanged', async () => {
    const { handle, until, of, trainers } = setup();
    handle({ type: 'start', id: 1, config: tinyConfig({ knnEvery: 0 }), maxSteps: 2 });
    await until('done');
    const model = trainers[0]!.model;
    const before = [...model.params].map(([k, v]) => [k, Array.from(v.dataSync())] as const);
    handle({ type: 'linearProbe', id: 2 });
    const res = await until('offlineProbe', (m) => m.id === 2);
    expect(res.result.step).toBe(2);
    expect(res.result.top1).toBeGreaterThanOrEqual(0);
    expect(res.result.trainTop1).toBeGreaterThan(0.5); // 32 images, standardised features: a linear fit does far better than chance (1/numClasses)
    expect(res.result.numTrain).toBe(32);
    const fractions = of('progress').filter((p) => p.stage === OFFLINE_PROBE_STAGE).map((p) => p.fraction);
    expect(fractions.length).toBeGreaterThan(5);
    expect(fractions.at(-1)).toBe(1);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    const after = new Map([...model.params].map(([k, v]) => [k, Array.from(v.dataSync())]));
    for (const [k, v] of before) expect(after.get(k)).toEqual(v);
  });

  it('works on an unlabelled dataset: health and PCA, no probe; the offline probe says why not', async () => {
    const unlabelled = (d: Dataset): Dataset => ({ ...d, train: { ...d.train, labels: null }, test: { ...d.test, labels: null } });
    const { handle, until, of, msgs } = setup({
      makeDataset: (c, p) => unlabelled(builtinDatasetFor(c, p)),
    });
    handle({ type: 'start', id: 1, config: tinyConfig({ knnEvery: 2 }), maxSteps: 2 });
    await until('done');
    const [e] = of('evaluation').map((m) => m.evaluation);
    expect(e!.linearProbe).toBeNull();
    expect(e!.pca.labels.every((l) => l === -1)).toBe(true);
    expect(Number.isFinite(e!.health.effectiveRank)).toBe(true);
    expect(of('knn')).toHaveLength(0);
    handle({ type: 'linearProbe', id: 5 });
    const err = await until('error', (m) => m.id === 5);
    expect(err.error.message).toMatch(/no usable labels/);
    expect(err.hint).toMatch(/labelled dataset/);
    expect(msgs.some((m) => m.type === 'offlineProbe')).toBe(false);
  });

  it('keeps the records in the checkpoint; an older checkpoint without them still loads', async () => {
    const config = tinyConfig({ knnEvery: 2 });
    const a = setup();
    a.handle({ type: 'start', id: 1, config, maxSteps: 2 });
    await a.until('done');
    a.handle({ type: 'exportCheckpoint', id: 2 });
    const exported = await a.until('exported');
    const b = setup();
    b.handle({ type: 'loadCheckpoint', id: 1, source: { kind: 'file', name: 'run.safetensors', bytes: exported.files[0]!.bytes }, maxSteps: 4 });
    const loaded = await b.until('loaded');
    expect(loaded.history.evaluations!.map((e) => e.step)).toEqual([2]);
    expect(historyUpTo(loaded.history, 1).evaluations).toEqual([]);

    // A checkpoint written before evaluations existed: history has only metrics and knn.
    const data = builtinDatasetFor(config);
    const t = createTrainer(config, data);
    t.releaseStep(t.trainStep());
    const old = encodeCheckpoint({ appVersion: APP_VERSION, createdAt: new Date(0).toISOString(), config, probeRng: createRng(5).getState(), dataset: fingerprintDataset(data), history: { metrics: [], knn: [] }, backend: 'cpu' }, await t.snapshot());
    t.dispose();
    const c = setup();
    c.handle({ type: 'loadCheckpoint', id: 1, source: { kind: 'file', name: 'old.safetensors', bytes: old.slice().buffer }, maxSteps: 2 });
    const oldLoaded = await c.until('loaded');
    expect(oldLoaded.history.evaluations).toBeUndefined();
    c.handle({ type: 'resume', id: 2 });
    await c.until('done');
    expect(c.of('evaluation').map((m) => m.evaluation.step)).toEqual([2]);
    c.handle({ type: 'exportCheckpoint', id: 3 });
    const re = await c.until('exported');
    const d = setup();
    d.handle({ type: 'loadCheckpoint', id: 1, source: { kind: 'file', name: 're.safetensors', bytes: re.files[0]!.bytes }, maxSteps: 2 });
    expect((await d.until('loaded')).history.evaluations!.map((e) => e.step)).toEqual([2]);
  });
});
