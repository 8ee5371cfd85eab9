// Checkpoint protocol of the worker handler (fake post, real trainer, tfjs CPU backend, in-memory
// autosaves): export → load → resume continues exactly like an uninterrupted run; autosaves every
// K steps and on stop, listed and deletable; a bad file or a load during a run changes nothing.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeHandlerDeps, waitForMessage } from '../../tests/helpers/handlerHarness';
import { tinyConfig } from '../../tests/helpers/tinyConfig';
import { generateBuiltinDataset } from '../core/data/builtinDataset';
import { createMemoryAutosaveStore } from './autosaveStore';
import { createHandler, type HandlerDeps } from './handler';
import type { FromWorker } from './protocol';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function setup(overrides: Partial<HandlerDeps> = {}) {
  const msgs: FromWorker[] = [];
  const handle = createHandler({ ...nodeHandlerDeps((m) => msgs.push(m)), ...overrides });
  const until = (pred: (m: FromWorker) => boolean, from = 0, timeoutMs = 60_000) => waitForMessage(msgs, pred, { from, timeoutMs });
  const losses = (from = 0) => msgs.slice(from).flatMap((m) => (m.type === 'metrics' ? [m.metrics.loss] : []));
  return { msgs, handle, until, losses };
}

const config = tinyConfig({ hvpMode: 'hard', numViews: 3, momentum: 0.9, autosaveEvery: 2, knnEvery: 0 });

describe('worker checkpoints', () => {
  it('export at step 3, load in a fresh worker, resume to step 6 = an uninterrupted 6-step run', async () => {
    const straight = setup();
    straight.handle({ type: 'start', id: 1, config, maxSteps: 6 });
    await straight.until((m) => m.type === 'done');
    const all = straight.losses();
    expect(all).toHaveLength(6);

    const a = setup();
    a.handle({ type: 'start', id: 1, config, maxSteps: 3 });
    await a.until((m) => m.type === 'done');
    a.handle({ type: 'exportCheckpoint', id: 2 });
    const exported = await a.until((m) => m.type === 'exported');
    if (exported.type !== 'exported') throw new Error('unreachable');
    expect(exported.step).toBe(3);
    expect(exported.files[0]!.name).toBe('hvp-simsiam-hard-step3.safetensors');

    const b = setup();
    b.handle({ type: 'loadCheckpoint', id: 1, source: { kind: 'file', name: 'x.safetensors', bytes: exported.files[0]!.bytes }, maxSteps: 6 });
    const loaded = await b.until((m) => m.type === 'loaded');
    expect(loaded).toMatchObject({ step: 3, config, sourceName: 'x.safetensors' });
    if (loaded.type === 'loaded') expect(loaded.history.metrics.map((m) => m.loss)).toEqual(all.slice(0, 3));
    await b.until((m) => m.type === 'state' && m.state === 'paused');
    const mark = b.msgs.length;
    b.handle({ type: 'resume', id: 2 });
    await b.until((m) => m.type === 'done', mark);
    expect([...all.slice(0, 3), ...b.losses(mark)]).toEqual(all);
  });

  it('autosaves every K steps and on stop, keeps the newest runs, and resumes from an autosave', async () => {
    const autosaves = createMemoryAutosaveStore();
    const a = setup({ autosaves });
    a.handle({ type: 'start', id: 1, config, maxSteps: 5 });
    await a.until((m) => m.type === 'done');
    await a.until((m) => m.type === 'autosaves' && m.entries[0]?.step === 5);
    const saves = a.msgs.flatMap((m) => (m.type === 'autosaves' ? [m.entries[0]!.step] : []));
    expect(saves).toEqual([2, 4, 5]);
    const [entry] = await autosaves.list();
    const b = setup({ autosaves });
    b.handle({ type: 'loadCheckpoint', id: 1, source: { kind: 'autosave', runId: entry!.runId }, maxSteps: 6 });
    await b.until((m) => m.type === 'loaded');
    b.handle({ type: 'resume', id: 2 });
    await b.until((m) => m.type === 'done');
    expect(b.losses()).toHaveLength(1);
    b.handle({ type: 'deleteAutosave', id: 3, runId: entry!.runId });
    await b.until((m) => m.type === 'autosaves' && m.entries.length === 0);
  });

  it('refuses a damaged file and a load during a run, leaving the run untouched', async () => {
    const a = setup();
    a.handle({ type: 'start', id: 1, config, maxSteps: 4 });
    await a.until((m) => m.type === 'metrics');
    a.handle({ type: 'loadCheckpoint', id: 2, source: { kind: 'file', name: 'y.safetensors', bytes: new Uint8Array(16).buffer } });
    const busy = await a.until((m) => m.type === 'error' && m.id === 2);
    expect(busy).toMatchObject({ error: { message: expect.stringMatching(/run is in progress.*untouched/) } });
    await a.until((m) => m.type === 'done');
    expect(a.losses()).toHaveLength(4);

    a.handle({ type: 'exportCheckpoint', id: 3 });
    const ex = await a.until((m) => m.type === 'exported');
    const bytes = new Uint8Array(ex.type === 'exported' ? ex.files[0]!.bytes : new ArrayBuffer(0));
    a.handle({ type: 'loadCheckpoint', id: 4, source: { kind: 'file', name: 'cut.safetensors', bytes: bytes.slice(0, bytes.length - 7).buffer } });
    const bad = await a.until((m) => m.type === 'error' && m.id === 4);
    expect(bad).toMatchObject({ error: { message: expect.stringMatching(/cut\.safetensors/) }, hint: expect.stringMatching(/nothing was changed/) });
    // The old run is still there: it can still be exported.
    a.handle({ type: 'exportCheckpoint', id: 5 });
    await a.until((m) => m.type === 'exported' && m.id === 5);
  });

  it('refuses a checkpoint of another dataset', async () => {
    const a = setup();
    a.handle({ type: 'start', id: 1, config, maxSteps: 1 });
    await a.until((m) => m.type === 'done');
    a.handle({ type: 'exportCheckpoint', id: 2 });
    const ex = await a.until((m) => m.type === 'exported');
    const other = setup({ makeDataset: (c) => generateBuiltinDataset({ seed: c.datasetSeed + 1, numTrain: c.numTrainImages, numTest: c.numTestImages }) });
    other.handle({ type: 'loadCheckpoint', id: 1, source: { kind: 'file', name: 'z.safetensors', bytes: ex.type === 'exported' ? ex.files[0]!.bytes : new ArrayBuffer(0) } });
    const err = await other.until((m) => m.type === 'error');
    expect(err).toMatchObject({ error: { message: expect.stringMatching(/trained on "shapes-10".*but the loaded dataset is/) } });
  });
});

describe('worker backbone export', () => {
  it('exports model.json + weights that tfjs loads and that embed like the run’s model', async () => {
    const a = setup();
    a.handle({ type: 'start', id: 1, config, maxSteps: 2 });
    await a.until((m) => m.type === 'done');
    a.handle({ type: 'exportBackbone', id: 2 });
    const ex = await a.until((m) => m.type === 'exported');
    if (ex.type !== 'exported') throw new Error('unreachable');
    expect(ex.kind).toBe('backbone');
    expect(ex.files.map((f) => f.name)).toEqual(['hvp-simsiam-backbone-step2.json', 'hvp-simsiam-backbone-step2.weights.bin']);
    const modelJson = JSON.parse(new TextDecoder().decode(ex.files[0]!.bytes)) as tf.io.ModelJSON;
    expect(modelJson.weightsManifest[0]!.paths).toEqual(['hvp-simsiam-backbone-step2.weights.bin']);
    const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs: modelJson.weightsManifest[0]!.weights, weightData: ex.files[1]!.bytes }));
    const x = tf.randomNormal([2, config.imageSize, config.imageSize, 3], 0, 1, 'float32', 3);
    const y = model.predict(x) as tf.Tensor;
    expect(y.shape).toEqual([2, 8 * config.backboneWidth]);
    expect(Array.from(y.dataSync()).every(Number.isFinite)).toBe(true);
    tf.dispose([x, y]);
    model.dispose();
  });
});
