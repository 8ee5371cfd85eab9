// Per-dataset normalisation in the trainer (tfjs CPU backend): a run on a set whose statistics differ
// from CIFAR-10's renders its training, kNN and probe views normalised with them; the built-in set
// keeps CIFAR-10's; a resumed run uses its snapshot's statistics (CIFAR-10's when it has none).
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { builtinDatasetFor } from '../../../tests/helpers/builtinDatasetFor';
import { tinyConfig } from '../../../tests/helpers/tinyConfig';
import { CIFAR10_NORMALIZATION, computeNormalization, type Normalization } from '../data/normalization';
import type { Dataset } from '../data/types';
import { normalizeViewsReference, renderViewsReference } from '../ops/renderViews';
import { RENDER_VIEWS_KERNEL, type RenderViewsAttrs } from '../ops/renderViewsOp';
import { createRng } from '../random';
import { captureProbe, evaluateKnn } from '../eval/evaluate';
import { createTrainer } from './trainer';

// Records the statistics the probe's tfjs normalisation (renderViewsTf.normalizeViews) is called with.
const probeSeen = vi.hoisted(() => [] as unknown[]);
vi.mock('../ops/renderViewsTf', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../ops/renderViewsTf')>();
  return {
    ...orig,
    normalizeViews: (x: tf.Tensor4D, n: Pick<Normalization, 'mean' | 'std'>) => {
      probeSeen.push(n);
      return orig.normalizeViews(x, n);
    },
  };
});

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const config = tinyConfig({ hvpMode: 'hard', numViews: 3, numTrainImages: 16, batchSize: 4, knnK: 2 });
const builtin = builtinDatasetFor(config);

/** The built-in images darkened to a quarter: a set whose own statistics are far from CIFAR-10's. */
function darkDataset(): Dataset {
  const dark = (s: Dataset['train']) => ({ ...s, images: s.images.map((v) => v >> 2) });
  const train = dark(builtin.train);
  return { ...builtin, name: 'dark', train, test: dark(builtin.test), normalization: computeNormalization(train) };
}

/** Wraps the cpu view kernel to record the attributes and outputs of every call. */
interface KernelCall {
  attrs: RenderViewsAttrs;
  out: Float32Array;
}
let calls: KernelCall[] = [];
let original: tf.KernelConfig;
beforeEach(() => {
  calls = [];
  probeSeen.length = 0;
  original = tf.getKernel(RENDER_VIEWS_KERNEL, 'cpu')!;
  tf.unregisterKernel(RENDER_VIEWS_KERNEL, 'cpu');
  tf.registerKernel({
    ...original,
    kernelFunc: (args) => {
      const out = original.kernelFunc(args) as tf.TensorInfo;
      const backend = args.backend as { readSync(id: object): unknown };
      calls.push({ attrs: { ...(args.attrs as unknown as RenderViewsAttrs) }, out: (backend.readSync(out.dataId) as Float32Array).slice() });
      return out;
    },
  });
});
afterEach(() => {
  tf.unregisterKernel(RENDER_VIEWS_KERNEL, 'cpu');
  tf.registerKernel(original);
});

const close = (a: readonly number[], b: readonly number[]) => a.every((x, i) => Math.abs(x - b[i]!) < 1e-12);

describe('per-dataset normalisation in the trainer', () => {
  it("normalises a new run's training, kNN and probe views with its dataset's statistics", async () => {
    const data = darkDataset();
    const n = data.normalization;
    expect(Math.abs(n.mean[0] - CIFAR10_NORMALIZATION.mean[0])).toBeGreaterThan(0.2); // the set differs
    const t = createTrainer(config, data);
    expect(t.normalization).toEqual(n);
    await t.readStepMetrics(t.trainStep());
    await evaluateKnn(t);
    await captureProbe(t, createRng(4));
    const normalised = calls.filter((c) => c.attrs.normalize);
    expect(normalised.length).toBeGreaterThanOrEqual(3); // training views, kNN bank, kNN queries
    for (const c of normalised) {
      expect(close(c.attrs.mean, n.mean) && close(c.attrs.std, n.std), JSON.stringify(c.attrs)).toBe(true);
    }
    expect(probeSeen.length).toBeGreaterThan(0);
    for (const p of probeSeen) expect(p).toEqual(n);
    // The kNN bank's values are exactly (x − mean) / std of the reference render with those statistics.
    const bank = normalised[1]!;
    const S = config.imageSize;
    const full = { top: 0, left: 0, height: 8, width: 8, isFlipped: false, hasJitter: false, brightness: 1, contrast: 1, saturation: 1, hue: 0, jitterOrder: [0, 1, 2, 3] as [number, number, number, number], isGrayscale: false, blurSigma: 0, isSolarized: false };
    const numBank = bank.out.length / (S * S * 3);
    const idx = Array.from({ length: numBank }, (_, i) => i);
    const raw = renderViewsReference(data.train.images, idx, data.train.height, idx.map(() => ({ ...full, height: data.train.height, width: data.train.width })), S);
    const want = normalizeViewsReference(raw, n);
    let maxDiff = 0;
    for (let i = 0; i < want.length; i++) maxDiff = Math.max(maxDiff, Math.abs(want[i]! - bank.out[i]!));
    expect(maxDiff).toBe(0);
    t.dispose();
  });

  it("keeps CIFAR-10's statistics for the built-in set", async () => {
    const t = createTrainer(config, builtin);
    expect(t.normalization).toEqual(CIFAR10_NORMALIZATION);
    await t.readStepMetrics(t.trainStep());
    const c = calls.find((k) => k.attrs.normalize)!;
    expect(c.attrs.mean).toEqual(CIFAR10_NORMALIZATION.mean);
    expect(c.attrs.std).toEqual(CIFAR10_NORMALIZATION.std);
    t.dispose();
  });

  it("resumes with the snapshot's statistics, and with CIFAR-10's when the snapshot has none", async () => {
    const data = darkDataset();
    const first = createTrainer(config, data);
    await first.readStepMetrics(first.trainStep());
    const snap = await first.snapshot();
    first.dispose();
    expect(snap.normalization).toEqual(data.normalization);
    // The same pixels, offered with other statistics: the snapshot's win.
    const resumed = createTrainer(config, { ...data, normalization: CIFAR10_NORMALIZATION }, { resumeFrom: snap });
    expect(resumed.normalization).toEqual(data.normalization);
    resumed.dispose();
    const { normalization: _, ...old } = snap;
    const fromOld = createTrainer(config, data, { resumeFrom: old });
    expect(fromOld.normalization).toEqual(CIFAR10_NORMALIZATION);
    calls = [];
    await fromOld.readStepMetrics(fromOld.trainStep());
    expect(calls.find((k) => k.attrs.normalize)!.attrs.mean).toEqual(CIFAR10_NORMALIZATION.mean);
    fromOld.dispose();
  });
});
