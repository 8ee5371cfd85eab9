/**
 * Colour steps of the tfjs view renderer: per-view colour jitter in per-view order, and grayscale,
 * on a batch of views [V, S, S, 3] in [0, 1]. Same formulas as the reference
 * (`renderViewsColor.ts`, torchvision's tensor ColorJitter), written with standard tfjs ops so
 * they run on every backend.
 *
 * Per-view order without branching on data: at each of the 4 jitter positions every operation
 * that some view uses there is evaluated on the whole batch, and each view keeps the result of its
 * own operation (tf.where with a [V, 1, 1, 1] mask). Views without jitter keep their input. The
 * masks and factors come from the CPU-side ViewParams, so nothing is read back from the device.
 * Callers run these inside tf.tidy (they allocate intermediates freely).
 * Must not import: DOM, anything outside core.
 */
import * as tf from '@tensorflow/tfjs';
import type { ViewParams } from '../data/types';
import { GRAY_WEIGHTS, JITTER_BRIGHTNESS, JITTER_CONTRAST, JITTER_HUE, JITTER_SATURATION } from './renderViewsColor';

/** Clamp to [0, 1], typed as the [V, S, S, C] tensors of this file. */
const clamp01 = (t: tf.Tensor): tf.Tensor4D => tf.clipByValue(t, 0, 1) as tf.Tensor4D;

/** A [V, 1, 1, 1] float32 tensor of one number per view. */
export function perView(values: ArrayLike<number>): tf.Tensor4D {
  return tf.tensor4d(Float32Array.from(values), [values.length, 1, 1, 1]);
}

/** A [V, 1, 1, 1] bool tensor of one flag per view. */
export function perViewMask(flags: boolean[]): tf.Tensor4D {
  return tf.tensor4d(Uint8Array.from(flags, (f) => (f ? 1 : 0)), [flags.length, 1, 1, 1], 'bool');
}

/** Luma 0.299 r + 0.587 g + 0.114 b: [V, S, S, 3] → [V, S, S, 1]. */
export function grayTf(x: tf.Tensor4D): tf.Tensor4D {
  const [r, g, b] = tf.split(x, 3, 3) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D]; // 3 × [V, S, S, 1]
  return r.mul(GRAY_WEIGHTS[0]).add(g.mul(GRAY_WEIGHTS[1])).add(b.mul(GRAY_WEIGHTS[2]));
}

/** RGB → HSV as torchvision _rgb2hsv; returns h, s, v, each [V, S, S, 1]. */
function rgbToHsvTf(x: tf.Tensor4D): [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D] {
  const [r, g, b] = tf.split(x, 3, 3) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D]; // 3 × [V, S, S, 1]
  const maxc = tf.max(x, 3, true) as tf.Tensor4D; // [V, S, S, 1]
  const minc = tf.min(x, 3, true) as tf.Tensor4D;
  const isGray = tf.equal(maxc, minc);
  const one = tf.onesLike(maxc);
  const cr = maxc.sub(minc);
  const s = cr.div(tf.where(isGray, one, maxc));
  const crDivisor = tf.where(isGray, one, cr);
  const rc = maxc.sub(r).div(crDivisor);
  const gc = maxc.sub(g).div(crDivisor);
  const bc = maxc.sub(b).div(crDivisor);
  const isR = tf.equal(maxc, r);
  const isG = tf.equal(maxc, g);
  // Branches in torchvision's priority: r, then g, then b.
  const hB = gc.sub(rc).add(4);
  const hG = rc.sub(bc).add(2);
  const hR = bc.sub(gc);
  const h6 = tf.where(isR, hR, tf.where(isG, hG, hB));
  const h = h6.div(6).add(1);
  return [h.sub(tf.floor(h)), s as tf.Tensor4D, maxc];
}

/** HSV → RGB as torchvision _hsv2rgb: [V, S, S, 1] each → [V, S, S, 3]. */
function hsvToRgbTf(h: tf.Tensor4D, s: tf.Tensor4D, v: tf.Tensor4D): tf.Tensor4D {
  const h6 = h.mul(6);
  const i = tf.floor(h6);
  const f = h6.sub(i);
  const p = clamp01(v.mul(tf.sub(1, s)));
  const q = clamp01(v.mul(tf.sub(1, s.mul(f))));
  const t = clamp01(v.mul(tf.sub(1, s.mul(tf.sub(1, f)))));
  const sector = i.sub(tf.floor(i.div(6)).mul(6)); // i mod 6, exact for small integers
  // Per sector k = 0 … 5 the (r, g, b) sources, as the reference switch (sector 5 is the default).
  const table: Array<[tf.Tensor4D, tf.Tensor4D, tf.Tensor4D]> = [[v, t, p], [q, v, p], [p, v, t], [p, q, v], [t, p, v]];
  let [r, g, b] = [v, p, q];
  table.forEach(([tr, tg, tb], k) => {
    const isK = tf.equal(sector, k);
    r = tf.where(isK, tr, r);
    g = tf.where(isK, tg, g);
    b = tf.where(isK, tb, b);
  });
  return tf.concat([r, g, b], 3) as tf.Tensor4D; // [V, S, S, 3]
}

/** One jitter operation applied to every view with that view's factor ([V, 1, 1, 1]). */
function jitterOpTf(op: number, x: tf.Tensor4D, factor: tf.Tensor4D): tf.Tensor4D {
  switch (op) {
    case JITTER_BRIGHTNESS:
      return clamp01(x.mul(factor));
    case JITTER_CONTRAST: {
      const mean = tf.mean(grayTf(x), [1, 2, 3], true); // [V, 1, 1, 1]
      return clamp01(x.mul(factor).add(tf.sub(1, factor).mul(mean)));
    }
    case JITTER_SATURATION:
      return clamp01(x.mul(factor).add(tf.sub(1, factor).mul(grayTf(x))));
    case JITTER_HUE: {
      const [h, s, v] = rgbToHsvTf(x);
      const shifted = h.add(factor);
      return hsvToRgbTf(shifted.sub(tf.floor(shifted)), s, v);
    }
    default:
      throw new RangeError(`Unknown jitter op ${op}; expected 0–3`);
  }
}

/** Colour jitter of every view in its own jitterOrder; views without hasJitter pass unchanged. */
export function jitterTf(x: tf.Tensor4D, params: ViewParams[]): tf.Tensor4D {
  if (!params.some((p) => p.hasJitter)) return x;
  const factors = [
    perView(params.map((p) => p.brightness)),
    perView(params.map((p) => p.contrast)),
    perView(params.map((p) => p.saturation)),
    perView(params.map((p) => p.hue)),
  ];
  let current = x;
  for (let position = 0; position < 4; position++) {
    const input = current;
    for (let op = 0; op < 4; op++) {
      const uses = params.map((p) => p.hasJitter && p.jitterOrder[position] === op);
      if (!uses.some(Boolean)) continue;
      current = tf.where(perViewMask(uses), jitterOpTf(op, input, factors[op]!), current);
    }
  }
  return current;
}

/** Grayscale (three equal channels) for the views with isGrayscale; others pass unchanged. */
export function grayscaleTf(x: tf.Tensor4D, params: ViewParams[]): tf.Tensor4D {
  if (!params.some((p) => p.isGrayscale)) return x;
  return tf.where(perViewMask(params.map((p) => p.isGrayscale)), grayTf(x), x); // [V, S, S, 1] broadcast to 3
}
