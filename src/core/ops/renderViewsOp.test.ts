// Tests of the view-renderer op contract on the tfjs CPU backend: packing, upload format choice,
// the cpu kernel against renderViewsReference, the float32 fallback, normalisation and errors.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../random';
import { CIFAR10_NORMALIZATION, type Normalization } from '../data/normalization';
import type { ViewParams } from '../data/types';
import { sampleBatchViewParams, unpackViewParams, packViewParams, type AugmentOptions } from '../data/viewParams';
import { normalizeViewsReference, renderViewsReference } from './renderViews';
import {
  hasRenderViewsKernel, identityViewParams, packSourceImages, packedWordsPerImage, renderViews, uploadSourceImages,
} from './renderViewsOp';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Deterministic pseudo-random uint8 images [n, S, S, 3]. */
function randomImages(n: number, S: number, seed: number): Uint8Array {
  const rng = createRng(seed);
  return Uint8Array.from({ length: n * S * S * 3 }, () => Math.floor(rng.next() * 256));
}

/** Every augmentation on (probability 1), strong enough to move most pixels. */
const ALL_ON: AugmentOptions = {
  scaleMin: 0.2, scaleMax: 1, ratioMin: 3 / 4, ratioMax: 4 / 3, flipProb: 1, jitterProb: 1, brightness: 0.4,
  contrast: 0.4, saturation: 0.4, hue: 0.1, grayscaleProb: 0.3, blurProb: 1, blurSigmaMin: 0.1, blurSigmaMax: 2,
  solarizeProb: 0.5,
};

/** Statistics far from CIFAR-10's (a dark, red-heavy set). */
const OTHER: Normalization = { mean: [0.6, 0.2, 0.35], std: [0.1, 0.3, 0.15], source: 'computed' };

/** The parameters as the kernel sees them (factors rounded to float32). */
const asF32 = (params: ViewParams[]): ViewParams[] => params.map((_, v) => unpackViewParams(packViewParams(params), v));

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('packSourceImages', () => {
  it('packs four bytes per little-endian int32 word, without copying when aligned', () => {
    const u8 = Uint8Array.from({ length: 2 * 2 * 2 * 3 }, (_, i) => (i * 37) % 256); // [2, 2, 2, 3]
    const words = packSourceImages(u8, 2, 2, 2);
    expect(words.buffer).toBe(u8.buffer);
    expect(words.length).toBe(2 * packedWordsPerImage(2, 2));
    expect(words[1]! >>> 0).toBe(u8[4]! | (u8[5]! << 8) | (u8[6]! << 16) | ((u8[7]! << 24) >>> 0));
  });

  it('pads every image to a word boundary when H·W·3 is not a multiple of 4', () => {
    const u8 = Uint8Array.from({ length: 3 * 3 * 3 * 3 }, (_, i) => i + 1); // [3, 3, 3, 3], 27 bytes per image
    const words = packSourceImages(u8, 3, 3, 3);
    expect(words.length).toBe(3 * 7);
    const bytes = new Uint8Array(words.buffer);
    expect(Array.from(bytes.subarray(28, 28 + 27))).toEqual(Array.from(u8.subarray(27, 54)));
    expect(bytes[27]).toBe(0);
  });

  it('copies when the bytes are not 4-aligned', () => {
    const backing = new Uint8Array(1 + 12);
    const u8 = backing.subarray(1);
    u8.set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const words = packSourceImages(u8, 1, 2, 2);
    expect(words.buffer).not.toBe(backing.buffer);
    expect(words[0]).toBe(1 | (2 << 8) | (3 << 16) | (4 << 24));
  });
});

describe('renderViews on the cpu backend', () => {
  const S0 = 8;
  const n = 5;
  const images = randomImages(n, S0, 7);

  it('has the kernel on cpu, so uploads are packed', () => {
    expect(hasRenderViewsKernel('cpu')).toBe(true);
    const src = uploadSourceImages(images, n, S0, S0);
    expect(src.format).toBe('packedU8');
    expect(src.tensor.dtype).toBe('int32');
    expect(src.tensor.shape).toEqual([n, packedWordsPerImage(S0, S0)]);
    src.tensor.dispose();
  });

  it('matches renderViewsReference with every augmentation on, for several sizes', () => {
    const src = uploadSourceImages(images, n, S0, S0);
    for (const outSize of [4, 8, 11]) {
      const params = sampleBatchViewParams(createRng(outSize), ALL_ON, 3, 2, S0, S0);
      const idx = tf.tensor1d([4, 1], 'int32');
      const out = renderViews(src, idx, params, outSize);
      expect(out.shape).toEqual([6, outSize, outSize, 3]);
      const expected = renderViewsReference(images, [4, 1], S0, asF32(params), outSize);
      expect(maxAbsDiff(out.dataSync(), expected)).toBe(0);
      tf.dispose([out, idx]);
    }
    src.tensor.dispose();
  });

  it('packed (kernel) and float32 (renderViewsTf) sources agree, with and without normalisation', () => {
    const packed = uploadSourceImages(images, n, S0, S0, 'packedU8');
    const float = uploadSourceImages(images, n, S0, S0, 'float32');
    expect(float.tensor.shape).toEqual([n, S0, S0, 3]);
    const params = sampleBatchViewParams(createRng(3), ALL_ON, 2, 3, S0, S0);
    const idx = tf.tensor1d([0, 2, 3], 'int32');
    for (const normalization of [undefined, CIFAR10_NORMALIZATION, OTHER]) {
      const a = renderViews(packed, idx, params, 6, { normalization });
      const b = renderViews(float, idx, params, 6, { normalization });
      expect(maxAbsDiff(a.dataSync(), b.dataSync())).toBeLessThan(normalization ? 2e-4 : 5e-6);
      tf.dispose([a, b]);
    }
    tf.dispose([packed.tensor, float.tensor, idx]);
  });

  it("normalises with (x − mean) / std of the given statistics, CIFAR-10's or another set's", () => {
    const src = uploadSourceImages(images, n, S0, S0);
    const params = sampleBatchViewParams(createRng(9), ALL_ON, 2, 1, S0, S0);
    const idx = tf.tensor1d([2], 'int32');
    const raw = renderViews(src, idx, params, 5);
    const cifar = renderViews(src, idx, params, 5, { normalization: CIFAR10_NORMALIZATION });
    const other = renderViews(src, idx, params, 5, { normalization: OTHER });
    expect(maxAbsDiff(cifar.dataSync(), normalizeViewsReference(raw.dataSync() as Float32Array, CIFAR10_NORMALIZATION))).toBe(0);
    expect(maxAbsDiff(other.dataSync(), normalizeViewsReference(raw.dataSync() as Float32Array, OTHER))).toBe(0);
    expect(maxAbsDiff(cifar.dataSync(), other.dataSync())).toBeGreaterThan(1);
    tf.dispose([src.tensor, idx, raw, cifar, other]);
  });

  it('renders unaligned (padded) sources identically to the reference', () => {
    const odd = randomImages(3, 5, 11); // 75 bytes per image
    const src = uploadSourceImages(odd, 3, 5, 5);
    const params = sampleBatchViewParams(createRng(5), ALL_ON, 2, 3, 5, 5);
    const idx = tf.tensor1d([2, 0, 1], 'int32');
    const out = renderViews(src, idx, params, 7);
    expect(maxAbsDiff(out.dataSync(), renderViewsReference(odd, [2, 0, 1], 5, asF32(params), 7))).toBe(0);
    tf.dispose([src.tensor, idx, out]);
  });

  it('identity params reproduce the image (S = H) and a half-pixel resize (S < H)', () => {
    const src = uploadSourceImages(images, n, S0, S0);
    const idx = tf.tensor1d([3], 'int32');
    const same = renderViews(src, idx, [identityViewParams(S0, S0)], S0);
    expect(maxAbsDiff(same.dataSync(), Array.from(images.subarray(3 * S0 * S0 * 3, 4 * S0 * S0 * 3), (v) => v / 255))).toBeLessThan(1e-7);
    const half = renderViews(src, idx, [identityViewParams(S0, S0)], S0 / 2);
    const resized = tf.image.resizeBilinear(tf.tensor4d(images.subarray(3 * S0 * S0 * 3, 4 * S0 * S0 * 3), [1, S0, S0, 3]), [S0 / 2, S0 / 2], false, true).div(255);
    expect(maxAbsDiff(half.dataSync(), resized.dataSync())).toBeLessThan(1e-6);
    tf.dispose([src.tensor, idx, same, half, resized]);
  });

  it('does not leak tensors', () => {
    const src = uploadSourceImages(images, n, S0, S0);
    const idx = tf.tensor1d([0], 'int32');
    const params = sampleBatchViewParams(createRng(1), ALL_ON, 2, 1, S0, S0);
    renderViews(src, idx, params, 4).dispose();
    const before = tf.memory().numTensors;
    renderViews(src, idx, params, 4, { normalization: OTHER }).dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([src.tensor, idx]);
  });

  it('rejects bad crop boxes, view counts and image indices with clear errors', () => {
    const src = uploadSourceImages(images, n, S0, S0);
    const idx = tf.tensor1d([0, 1], 'int32');
    const ok = identityViewParams(S0, S0);
    expect(() => renderViews(src, idx, [ok, ok, ok], 4)).toThrow(/multiple/);
    expect(() => renderViews(src, idx, [ok, { ...ok, top: 1 }], 4)).toThrow(/crop box of view 1/);
    expect(() => renderViews(src, idx, [ok, ok], 0)).toThrow(/outSize/);
    const bad = tf.tensor1d([0, n], 'int32');
    expect(() => renderViews(src, bad, [ok, ok], 4)).toThrow(/image index/);
    tf.dispose([src.tensor, idx, bad]);
  });
});
