/**
 * Geometry of view pairs: intersection-over-union of crop boxes and distance of their centres, per
 * pair in pairList order. HVP's telemetry reports the IoU of the selected pair (hard pairs overlap
 * less) and the analysis compares it with random pairs.
 *
 * Boxes are the integer source-pixel crop boxes of ViewParams: rows [top, top + height) ×
 * columns [left, left + width). IoU = inter / (A + B − inter), as the authors' analysis code
 * (automl/hvp, analysis branch, utils/__init__.py calc_iou on (i, i+h, j, j+w)). The flip and the
 * colour operations do not change a box.
 * Must not import: tfjs, DOM, anything outside core.
 */
import { numPairs, pairList } from './pairs';
import type { ViewParams } from '../data/types';

/** The crop-box fields of ViewParams, all a box function needs. */
export type CropBox = Pick<ViewParams, 'top' | 'left' | 'height' | 'width'>;

/** IoU of two crop boxes in [0, 1]: 1 for identical boxes, 0 for disjoint or edge-touching ones. */
export function boxIou(a: CropBox, b: CropBox): number {
  const interH = Math.max(0, Math.min(a.top + a.height, b.top + b.height) - Math.max(a.top, b.top));
  const interW = Math.max(0, Math.min(a.left + a.width, b.left + b.width) - Math.max(a.left, b.left));
  const inter = interH * interW;
  return inter / (a.height * a.width + b.height * b.width - inter);
}

/**
 * Distance between the centres of two crop boxes, with rows divided by srcHeight and columns by
 * srcWidth (so 0 = same centre, √2 ≈ 1.414 = opposite corners of the image).
 */
export function centerDistance(a: CropBox, b: CropBox, srcHeight: number, srcWidth: number): number {
  const dy = (a.top + a.height / 2 - (b.top + b.height / 2)) / srcHeight;
  const dx = (a.left + a.width / 2 - (b.left + b.width / 2)) / srcWidth;
  return Math.sqrt(dy * dy + dx * dx);
}

/** Applies `fn` to both views of every pair of every image; out[m·P + p] for pair p of image m. */
function perPair(
  params: CropBox[], numViews: number, numImages: number, fn: (a: CropBox, b: CropBox) => number,
): Float32Array {
  if (params.length !== numViews * numImages) {
    throw new RangeError(`Expected ${numViews} × ${numImages} = ${numViews * numImages} view params, got ${params.length}`);
  }
  const pairs = pairList(numViews);
  const P = numPairs(numViews);
  const out = new Float32Array(numImages * P); // [M, P]
  for (let m = 0; m < numImages; m++) {
    pairs.forEach(([k, l], p) => {
      // View-major layout: view k of image m is params[k·M + m].
      out[m * P + p] = fn(params[k * numImages + m]!, params[l * numImages + m]!);
    });
  }
  return out;
}

/**
 * IoU of every view pair of every image: [numImages, numPairs(numViews)] row-major, pairs in
 * pairList order; `params` is view-major (v = k·numImages + m).
 */
export function pairIous(params: CropBox[], numViews: number, numImages: number): Float32Array {
  return perPair(params, numViews, numImages, boxIou);
}

/** centerDistance of every view pair of every image, laid out as pairIous. */
export function pairCenterDistances(
  params: CropBox[], numViews: number, numImages: number, srcHeight: number, srcWidth: number,
): Float32Array {
  return perPair(params, numViews, numImages, (a, b) => centerDistance(a, b, srcHeight, srcWidth));
}
