/**
 * The reference view renderer: plain TypeScript (float64 arithmetic), one output pixel at a time.
 * Given the source images of a batch and each view's sampled ViewParams it produces the views
 * [N·M, S, S, 3] in [0, 1]. It defines the op that `renderViewsTf.ts` (tfjs, used by the trainer)
 * and the fused WGSL view kernel must match within a small tolerance, so every formula is explicit.
 *
 * Pipeline of one view v (view k of image m, v = k·M + m, source image imageIdx[m]):
 *   (a) crop + bilinear resize to S × S, half-pixel centres (align_corners = False): output row y
 *       samples source row sy = top + (y + 0.5) · height / S − 0.5, clamped to [top, top + height − 1];
 *       neighbours y0 = floor(sy), y1 = min(y0 + 1, top + height − 1), weight sy − y0 (same for
 *       columns). Samples never leave the crop box (torchvision crops, then resizes). No antialias.
 *   (b) horizontal flip: output column x takes the resized column S − 1 − x.
 *   (c) colour jitter in jitterOrder (renderViewsColor.ts), only when hasJitter.
 *   (d) grayscale: all three channels ← 0.299 r + 0.587 g + 0.114 b.
 *   (e) Gaussian blur when blurSigma > 0: separable, radius r = min(ceil(3σ), 8), weights
 *       exp(−i² / 2σ²) normalised to sum 1, reflect padding (torch 'reflect': −1 → 1, S → S − 2),
 *       rows (along x) first, then columns.
 *   (f) solarize: x ≥ 0.5 → 1 − x (torchvision solarize with threshold 0.5 of the [0, 1] range).
 * Normalisation ((x − mean) / std with the run's per-channel statistics, data/normalization.ts) is
 * a separate step, normalizeViewsReference.
 * Must not import: tfjs, DOM, anything outside core.
 */
import type { Normalization } from '../data/normalization';
import type { ViewParams } from '../data/types';
import { applyJitter, toGrayscale } from './renderViewsColor';

/** Largest Gaussian blur radius in output pixels (kernel of at most 17 taps). */
export const MAX_BLUR_RADIUS = 8;

/** Blur radius for sigma: min(ceil(3σ), MAX_BLUR_RADIUS); 0 when sigma ≤ 0 (no blur). */
export function blurRadius(sigma: number): number {
  return sigma > 0 ? Math.min(Math.ceil(3 * sigma), MAX_BLUR_RADIUS) : 0;
}

/** Normalised 1-D Gaussian weights for offsets −r … r (length 2r + 1); [1] when sigma ≤ 0. */
export function gaussianKernel(sigma: number): Float64Array {
  const r = blurRadius(sigma);
  const w = new Float64Array(2 * r + 1);
  if (r === 0) {
    w[0] = 1;
    return w;
  }
  let total = 0;
  for (let i = -r; i <= r; i++) total += w[i + r] = Math.exp(-(i * i) / (2 * sigma * sigma));
  for (let i = 0; i < w.length; i++) w[i]! /= total;
  return w;
}

/**
 * Reflect padding index (torch 'reflect', edge pixel not repeated) of i into [0, n). Radii larger
 * than n − 1 (only for views smaller than 9 px) keep reflecting back and forth.
 */
export function reflectIndex(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  const k = ((i % period) + period) % period;
  return k < n ? k : period - k;
}

/** Bilinear source sample along one axis: neighbours i0, i1 and the weight of i1. */
function sourceAxis(out: number, start: number, length: number, outSize: number): [number, number, number] {
  const last = start + length - 1;
  const s = Math.min(Math.max(start + ((out + 0.5) * length) / outSize - 0.5, start), last);
  const i0 = Math.floor(s);
  return [i0, Math.min(i0 + 1, last), s - i0];
}

/** Steps (a) and (b): the cropped, resized, flipped view in [0, 1], interleaved RGB [S·S·3]. */
function cropResizeFlip(images: Uint8Array, imageIdx: number, srcSize: number, p: ViewParams, S: number): Float64Array {
  const x = new Float64Array(S * S * 3);
  const base = imageIdx * srcSize * srcSize * 3;
  const px = (row: number, col: number, c: number): number => images[base + (row * srcSize + col) * 3 + c]! / 255;
  for (let oy = 0; oy < S; oy++) {
    const [y0, y1, wy] = sourceAxis(oy, p.top, p.height, S);
    for (let ox = 0; ox < S; ox++) {
      const [x0, x1, wx] = sourceAxis(p.isFlipped ? S - 1 - ox : ox, p.left, p.width, S);
      for (let c = 0; c < 3; c++) {
        const top = (1 - wx) * px(y0, x0, c) + wx * px(y0, x1, c);
        const bottom = (1 - wx) * px(y1, x0, c) + wx * px(y1, x1, c);
        x[(oy * S + ox) * 3 + c] = (1 - wy) * top + wy * bottom;
      }
    }
  }
  return x;
}

/** Step (e): separable Gaussian blur with reflect padding. Returns a new array. */
export function blurView(x: Float64Array, S: number, sigma: number): Float64Array {
  const w = gaussianKernel(sigma);
  const r = (w.length - 1) / 2;
  const rows = new Float64Array(x.length);
  for (let y = 0; y < S; y++) {
    for (let ox = 0; ox < S; ox++) {
      for (let c = 0; c < 3; c++) {
        let acc = 0;
        for (let i = -r; i <= r; i++) acc += w[i + r]! * x[(y * S + reflectIndex(ox + i, S)) * 3 + c]!;
        rows[(y * S + ox) * 3 + c] = acc;
      }
    }
  }
  const out = new Float64Array(x.length);
  for (let oy = 0; oy < S; oy++) {
    for (let xx = 0; xx < S; xx++) {
      for (let c = 0; c < 3; c++) {
        let acc = 0;
        for (let i = -r; i <= r; i++) acc += w[i + r]! * rows[(reflectIndex(oy + i, S) * S + xx) * 3 + c]!;
        out[(oy * S + xx) * 3 + c] = acc;
      }
    }
  }
  return out;
}

/**
 * Renders the views of a batch (see the file header for the exact pipeline).
 * @param images uint8 RGB source images [numImages, srcSize, srcSize, 3]
 * @param imageIdx the M source-image indices of the batch; view v uses image imageIdx[v mod M]
 * @param params N·M view parameters, view-major (v = k·M + m)
 * @returns views [N·M, outSize, outSize, 3] in [0, 1], not normalised
 */
export function renderViewsReference(
  images: Uint8Array, imageIdx: ArrayLike<number>, srcSize: number, params: ViewParams[], outSize: number,
): Float32Array {
  const M = imageIdx.length;
  if (M === 0 || params.length % M !== 0) {
    throw new RangeError(`renderViews: ${params.length} view params is not a multiple of ${M} images`);
  }
  const numImages = images.length / (srcSize * srcSize * 3);
  for (let m = 0; m < M; m++) {
    if (!(imageIdx[m]! >= 0 && imageIdx[m]! < numImages)) throw new RangeError(`renderViews: image index ${imageIdx[m]} outside [0, ${numImages})`);
  }
  const S = outSize;
  const out = new Float32Array(params.length * S * S * 3); // [N·M, S, S, 3]
  params.forEach((p, v) => {
    if (p.top < 0 || p.left < 0 || p.height < 1 || p.width < 1 || p.top + p.height > srcSize || p.left + p.width > srcSize) {
      throw new RangeError(`renderViews: crop box of view ${v} leaves the ${srcSize}×${srcSize} image`);
    }
    let x = cropResizeFlip(images, imageIdx[v % M]!, srcSize, p, S);
    if (p.hasJitter) applyJitter(x, p.jitterOrder, p.brightness, p.contrast, p.saturation, p.hue);
    if (p.isGrayscale) toGrayscale(x);
    if (p.blurSigma > 0) x = blurView(x, S, p.blurSigma);
    if (p.isSolarized) for (let i = 0; i < x.length; i++) if (x[i]! >= 0.5) x[i] = 1 - x[i]!;
    out.set(x, v * S * S * 3);
  });
  return out;
}

/** Per-channel normalisation (x − mean[c]) / std[c] of interleaved RGB views (float64, rounded once to float32). */
export function normalizeViewsReference(x: Float32Array, n: Pick<Normalization, 'mean' | 'std'>): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = (x[i]! - n.mean[i % 3]!) / n.std[i % 3]!;
  return out;
}
