/**
 * The tfjs view renderer used by the trainer: the pipeline of `renderViews.ts` (crop + bilinear
 * resize, flip, colour jitter, grayscale, blur, solarize) composed of standard tfjs ops, so it runs
 * on the webgpu, webgl and cpu backends with the source images already on the device. It matches
 * renderViewsReference within float32 rounding.
 *
 * How each step maps to tensors (V = N·M views, S = outSize):
 *   crop/resize/flip: the CPU builds, from the ViewParams, a table of the 4 bilinear neighbours of
 *     every output pixel (offsets inside the source image, flip folded in) and their weights;
 *     the device adds each view's image offset (from the int32 imageIdx tensor), gathers the
 *     pixels and sums the 4 weighted neighbours. (tf.image.cropAndResize uses another sampling
 *     convention, so it is not used.)
 *   jitter, grayscale: renderViewsTfColor.ts (per-view factor tensors and masks).
 *   blur: one [S, S] banded matrix per view with the Gaussian taps and the reflect padding folded
 *     in (identity for views without blur), applied along rows and columns with batched matMul.
 *   solarize: tf.where with a per-view mask.
 * Only CPU-side ViewParams decide which steps run; nothing is read back from the device.
 * Must not import: DOM, anything outside core.
 */
import * as tf from '@tensorflow/tfjs';
import type { Normalization } from '../data/normalization';
import type { ViewParams } from '../data/types';
import { gaussianKernel, reflectIndex } from './renderViews';
import { grayscaleTf, jitterTf, perViewMask } from './renderViewsTfColor';

/** Bilinear neighbour table: offsets (row · W + col inside one image) and weights, [4, V, S, S]. */
interface SampleTable {
  offsets: Int32Array;
  weights: Float32Array;
}

/** Bilinear sample along one axis (reference convention): neighbours and the weight of the second. */
function axisSample(out: number, start: number, length: number, outSize: number): [number, number, number] {
  const last = start + length - 1;
  const pos = Math.min(Math.max(start + ((out + 0.5) * length) / outSize - 0.5, start), last);
  const i0 = Math.floor(pos);
  return [i0, Math.min(i0 + 1, last), pos - i0];
}

function buildSampleTable(params: ViewParams[], srcWidth: number, S: number): SampleTable {
  const V = params.length;
  const plane = V * S * S; // entries per neighbour
  const offsets = new Int32Array(4 * plane);
  const weights = new Float32Array(4 * plane);
  params.forEach((p, v) => {
    for (let oy = 0; oy < S; oy++) {
      const [y0, y1, wy] = axisSample(oy, p.top, p.height, S);
      for (let ox = 0; ox < S; ox++) {
        const [x0, x1, wx] = axisSample(p.isFlipped ? S - 1 - ox : ox, p.left, p.width, S);
        const e = (v * S + oy) * S + ox;
        const corners: Array<[number, number, number]> = [
          [y0, x0, (1 - wy) * (1 - wx)], [y0, x1, (1 - wy) * wx], [y1, x0, wy * (1 - wx)], [y1, x1, wy * wx],
        ];
        corners.forEach(([row, col, w], k) => {
          offsets[k * plane + e] = row * srcWidth + col;
          weights[k * plane + e] = w;
        });
      }
    }
  });
  return { offsets, weights };
}

/** Per-view [S, S] blur matrices B with out = B · in along one axis; identity when blurSigma is 0. */
function buildBlurMatrices(params: ViewParams[], S: number): Float32Array {
  const mats = new Float32Array(params.length * S * S); // [V, S, S]
  params.forEach((p, v) => {
    const w = gaussianKernel(p.blurSigma);
    const r = (w.length - 1) / 2;
    for (let y = 0; y < S; y++) {
      for (let i = -r; i <= r; i++) mats[(v * S + y) * S + reflectIndex(y + i, S)] += w[i + r]!;
    }
  });
  return mats;
}

/** Gaussian blur of [V, S, S, 3] with per-view matrices [V, S, S]: along x first, then along y (as the reference). */
function blurTf(x: tf.Tensor4D, params: ViewParams[]): tf.Tensor4D {
  if (!params.some((p) => p.blurSigma > 0)) return x;
  const [V, S] = [x.shape[0], x.shape[1]];
  const mats = tf.tensor3d(buildBlurMatrices(params, S), [V, S, S]);
  // Along x (rows of the image): put x first in each view.
  const xFirst = tf.transpose(x, [0, 2, 1, 3]).reshape([V, S, S * 3]); // [V, S(x), S(y)·3]
  const rowsBlurred = tf.matMul(mats, xFirst).reshape([V, S, S, 3]); // [V, S(x), S(y), 3]
  // Along y: back to y first.
  const yFirst = tf.transpose(rowsBlurred, [0, 2, 1, 3]).reshape([V, S, S * 3]); // [V, S(y), S(x)·3]
  return tf.matMul(mats, yFirst).reshape([V, S, S, 3]) as tf.Tensor4D; // [V, S, S, 3]
}

/** Solarize (x ≥ 0.5 → 1 − x) for the views with isSolarized. */
function solarizeTf(x: tf.Tensor4D, params: ViewParams[]): tf.Tensor4D {
  if (!params.some((p) => p.isSolarized)) return x;
  const fires = tf.logicalAnd(perViewMask(params.map((p) => p.isSolarized)), tf.greaterEqual(x, 0.5));
  return tf.where(fires, tf.sub(1, x), x) as tf.Tensor4D;
}

/**
 * Renders the views of a batch on the current backend (pipeline in renderViews.ts).
 * @param images source images [numImages, H, W, 3], float32 in 0..255 or int32, on the device
 * @param imageIdx int32 [M]: the batch's source-image indices; view v uses imageIdx[v mod M].
 *   Indices are not range-checked (that would need a readback); the cpu backend throws on a bad
 *   index, GPU backends read zeros.
 * @param params N·M view parameters, view-major (v = k·M + m), boxes inside H × W
 * @returns views [N·M, outSize, outSize, 3] float32 in [0, 1], not normalised. The caller owns it.
 */
export function renderViewsTf(images: tf.Tensor4D, imageIdx: tf.Tensor1D, params: ViewParams[], outSize: number): tf.Tensor4D {
  const [numImages, H, W] = images.shape;
  const M = imageIdx.shape[0];
  if (M === 0 || params.length % M !== 0) {
    throw new RangeError(`renderViewsTf: ${params.length} view params is not a multiple of ${M} images`);
  }
  params.forEach((p, v) => {
    if (p.top < 0 || p.left < 0 || p.height < 1 || p.width < 1 || p.top + p.height > H || p.left + p.width > W) {
      throw new RangeError(`renderViewsTf: crop box of view ${v} leaves the ${H}×${W} image`);
    }
  });
  const V = params.length, S = outSize;
  const table = buildSampleTable(params, W, S);
  return tf.tidy(() => {
    // Image offset of every view: imageIdx[v mod M] · H · W, on the device.
    const viewImage = tf.tensor1d(Int32Array.from({ length: V }, (_, v) => v % M), 'int32');
    const viewBase = tf.gather(imageIdx, viewImage).mul(tf.scalar(H * W, 'int32')).reshape([1, V, 1, 1]); // [1, V, 1, 1]
    const index = viewBase.add(tf.tensor4d(table.offsets, [4, V, S, S], 'int32')); // [4, V, S, S]
    const pixels = images.reshape([numImages * H * W, 3]); // [numImages·H·W, 3]
    const neighbours = tf.cast(tf.gather(pixels, index), 'float32'); // [4, V, S, S, 3]
    const weights = tf.tensor(table.weights, [4, V, S, S, 1]); // [4, V, S, S, 1]
    // Sum of the 4 weighted neighbours as adds: tfjs-webgpu reduces sum(0) with one workgroup per
    // output value, which was the bulk of this path's time (bench/viewKernel/README.md).
    const terms = tf.unstack(neighbours.mul(weights)); // 4 × [V, S, S, 3]
    let x = tf.addN(terms).div(255) as tf.Tensor4D; // [V, S, S, 3]
    x = jitterTf(x, params);
    x = grayscaleTf(x, params);
    x = blurTf(x, params);
    return solarizeTf(x, params);
  });
}

/** Per-channel normalisation (x − mean) / std of views [V, S, S, 3] with the run's statistics (data/normalization.ts). */
export function normalizeViews(x: tf.Tensor4D, n: Pick<Normalization, 'mean' | 'std'>): tf.Tensor4D {
  return tf.tidy(() => x.sub(tf.tensor1d([...n.mean])).div(tf.tensor1d([...n.std]))); // [V, S, S, 3]
}
