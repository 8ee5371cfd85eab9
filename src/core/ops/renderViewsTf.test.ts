// Parity of the tfjs view renderer with the reference renderer on the CPU backend, and no leaks.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../config/runConfig';
import { generateBuiltinDataset } from '../data/builtinDataset';
import type { ViewParams } from '../data/types';
import { augmentFromConfig, sampleBatchViewParams, type AugmentOptions } from '../data/viewParams';
import { createRng } from '../random';
import { CIFAR10_NORMALIZATION, KNOWN_NORMALIZATIONS } from '../data/normalization';
import { normalizeViewsReference, renderViewsReference } from './renderViews';
import { normalizeViews, renderViewsTf } from './renderViewsTf';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const SRC = 16;
const NUM_IMAGES = 6;
// Shape images plus one of uniform noise and one constant gray (hue/saturation edge cases).
const images: Uint8Array = (() => {
  const shapes = generateBuiltinDataset({ seed: 4, numTrain: NUM_IMAGES - 2, numTest: 0, size: SRC }).train.images;
  const rng = createRng(99);
  const noise = Uint8Array.from({ length: SRC * SRC * 3 }, () => rng.int(256));
  return Uint8Array.from([...shapes, ...noise, ...new Uint8Array(SRC * SRC * 3).fill(128)]);
})();
const IMAGE_IDX = [5, 0, 3, 4];

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

/** Renders with both implementations; returns the max abs difference. */
function parity(params: ViewParams[], outSize: number, dtype: 'float32' | 'int32' = 'float32'): number {
  const imgs = tf.tensor4d(Array.from(images), [NUM_IMAGES, SRC, SRC, 3], dtype);
  const idx = tf.tensor1d(IMAGE_IDX, 'int32');
  const out = renderViewsTf(imgs, idx, params, outSize);
  expect(out.shape).toEqual([params.length, outSize, outSize, 3]);
  expect(out.dtype).toBe('float32');
  const got = out.dataSync();
  tf.dispose([imgs, idx, out]);
  return maxAbsDiff(got, renderViewsReference(images, IMAGE_IDX, SRC, params, outSize));
}

const views = (aug: AugmentOptions, numViews: number, seed: number): ViewParams[] =>
  sampleBatchViewParams(createRng(seed), aug, numViews, IMAGE_IDX.length, SRC, SRC);

describe('renderViewsTf', () => {
  it('matches the reference with every option enabled', () => {
    const aug: AugmentOptions = {
      ...augmentFromConfig(DEFAULT_CONFIG), scaleMin: 0.08, flipProb: 0.5, jitterProb: 1, brightness: 0.8, contrast: 0.8,
      saturation: 0.8, hue: 0.5, grayscaleProb: 1, blurProb: 1, blurSigmaMin: 0.1, blurSigmaMax: 2, solarizeProb: 1,
    };
    expect(parity(views(aug, 4, 1), 12)).toBeLessThan(1e-4);
  });

  it('matches the reference with jitter but without grayscale (colour paths visible)', () => {
    const aug: AugmentOptions = {
      ...augmentFromConfig(DEFAULT_CONFIG), jitterProb: 1, brightness: 0.9, contrast: 0.9, saturation: 0.9, hue: 0.5,
      grayscaleProb: 0, blurProb: 0.5, solarizeProb: 0.5,
    };
    const params = views(aug, 6, 2);
    // All 24 jitter orders are not needed, but several distinct ones must be exercised.
    expect(new Set(params.map((p) => p.jitterOrder.join(''))).size).toBeGreaterThan(8);
    expect(parity(params, 10)).toBeLessThan(1e-4);
  });

  it('matches the reference under the default config, also for int32 images and upsampling', () => {
    const params = views(augmentFromConfig(DEFAULT_CONFIG), 4, 3);
    expect(parity(params, 8)).toBeLessThan(1e-4);
    expect(parity(params, 24, 'int32')).toBeLessThan(1e-4);
  });

  it('matches the reference when the blur radius exceeds a tiny view', () => {
    const aug: AugmentOptions = { ...augmentFromConfig(DEFAULT_CONFIG), blurProb: 1, blurSigmaMin: 2, blurSigmaMax: 5 };
    expect(parity(views(aug, 2, 4), 5)).toBeLessThan(1e-4);
  });

  it('leaks no tensors', () => {
    const aug: AugmentOptions = { ...augmentFromConfig(DEFAULT_CONFIG), jitterProb: 1, grayscaleProb: 0.5, blurProb: 1, solarizeProb: 1 };
    const imgs = tf.tensor4d(Array.from(images), [NUM_IMAGES, SRC, SRC, 3]);
    const idx = tf.tensor1d(IMAGE_IDX, 'int32');
    const before = tf.memory().numTensors;
    const out = renderViewsTf(imgs, idx, views(aug, 3, 5), 8);
    const normalized = normalizeViews(out, CIFAR10_NORMALIZATION);
    expect(tf.memory().numTensors).toBe(before + 2);
    tf.dispose([out, normalized]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([imgs, idx]);
  });

  it('rejects a params count that is not a multiple of the batch and boxes outside the image', () => {
    const imgs = tf.zeros([2, 4, 4, 3]) as tf.Tensor4D;
    const idx = tf.tensor1d([0, 1], 'int32');
    const p = views(augmentFromConfig(DEFAULT_CONFIG), 1, 6)[0]!;
    expect(() => renderViewsTf(imgs, idx, [p], 4)).toThrow(/multiple/);
    expect(() => renderViewsTf(imgs, idx, [p, p], 4)).toThrow(/crop box/); // sampled for 16 × 16
    tf.dispose([imgs, idx]);
  });
});

describe('normalizeViews', () => {
  it("matches normalizeViewsReference with CIFAR-10's and with other statistics", () => {
    const rng = createRng(7);
    const x = Float32Array.from({ length: 2 * 3 * 3 * 3 }, () => rng.next());
    const t = tf.tensor4d(x, [2, 3, 3, 3]);
    for (const n of [CIFAR10_NORMALIZATION, KNOWN_NORMALIZATIONS.mnist, { mean: [0.8, 0.1, 0.3] as [number, number, number], std: [0.05, 0.4, 0.12] as [number, number, number] }]) {
      const out = normalizeViews(t, n);
      expect(maxAbsDiff(out.dataSync(), normalizeViewsReference(x, n))).toBeLessThan(1e-5);
      out.dispose();
    }
    // Different statistics give different inputs (the test can fail).
    const a = normalizeViews(t, CIFAR10_NORMALIZATION);
    const b = normalizeViews(t, KNOWN_NORMALIZATIONS.mnist);
    expect(maxAbsDiff(a.dataSync(), b.dataSync())).toBeGreaterThan(0.5);
    tf.dispose([t, a, b]);
  });
});
