/**
 * "What HVP picks": per-step histograms of pair properties, selected pairs vs all pairs, computed
 * on the CPU from the kept view parameters and the selected pair indices (no device reads).
 *
 * Three properties, each binned with fixed edges (PAIR_STAT_BINS):
 *   - crop scale: crop area / source image area, one value per view of a pair (two per pair);
 *   - centre distance: distance of the two crop centres, rows / H and columns / W (iou.ts);
 *   - colour-jitter distance: L2 distance of the two views' (brightness, contrast, saturation, hue)
 *     factor vectors (jitterDistance below). A view without jitter has the identity (1, 1, 1, 0).
 * A value outside [lo, hi) goes into the nearest end bin, so the last bin of a histogram holds
 * everything ≥ its lower edge (e.g. jitter distances ≥ 1.8) and the counts always sum to the
 * number of values.
 * Bin counts are small integer arrays, so they travel with the step metrics and the UI sums them
 * over a rolling window.
 * Must not import: tfjs, DOM.
 */
import { centerDistance, type CropBox } from './iou';
import type { ViewParams } from '../data/types';
import { numPairs, pairList } from './pairs';

/** Fixed bins of one histogram: numBins equal bins over [lo, hi]. */
export interface BinSpec {
  lo: number;
  hi: number;
  numBins: number;
}

/** Bin counts of one property: the selected pairs and all pairs, over the same bins. */
export interface PairHistogram {
  /** Lower edge of the first bin. */
  lo: number;
  /** Upper edge of the last bin; the bin count is `selected.length` (= `all.length`). */
  hi: number;
  /** Counts over the selected pair of each image. */
  selected: number[];
  /** Counts over every pair of every image. */
  all: number[];
}

/** The three histograms of one step. */
export interface PairStats {
  cropScale: PairHistogram;
  centerDistance: PairHistogram;
  jitterDistance: PairHistogram;
}

/** Names of the histogrammed properties. */
export type PairStatName = keyof PairStats;

/** Bins of each property. Crop scale lies in (0, 1]; centre distances below √2; jitter distances
 * of the default strengths (0.4, 0.4, 0.4, 0.1) below 1.2 — stronger jitter fills the last bin. */
export const PAIR_STAT_BINS: Readonly<Record<PairStatName, BinSpec>> = {
  cropScale: { lo: 0, hi: 1, numBins: 10 },
  centerDistance: { lo: 0, hi: Math.SQRT2, numBins: 10 },
  jitterDistance: { lo: 0, hi: 2, numBins: 10 },
};

/** Bin edges lo, lo + w, …, hi (numBins + 1 values). */
export function binEdges(spec: BinSpec): number[] {
  const w = (spec.hi - spec.lo) / spec.numBins;
  return Array.from({ length: spec.numBins + 1 }, (_, i) => (i === spec.numBins ? spec.hi : spec.lo + i * w));
}

/** Bin of `value`: floor((value − lo) / width), clamped to [0, numBins − 1]; NaN throws. */
export function binIndex(value: number, spec: BinSpec): number {
  if (Number.isNaN(value)) throw new RangeError(`Cannot bin NaN into [${spec.lo}, ${spec.hi}]`);
  const i = Math.floor(((value - spec.lo) / (spec.hi - spec.lo)) * spec.numBins);
  return Math.min(spec.numBins - 1, Math.max(0, i));
}

/** Crop area / source image area, in (0, 1]. */
export function cropScale(box: CropBox, srcHeight: number, srcWidth: number): number {
  return (box.height * box.width) / (srcHeight * srcWidth);
}

/** The colour-jitter fields of ViewParams. */
export type JitterFactors = Pick<ViewParams, 'brightness' | 'contrast' | 'saturation' | 'hue'>;

/**
 * Colour-jitter distance of two views: the L2 norm of the difference of their (brightness,
 * contrast, saturation, hue) vectors. Hue is a shift in turns, so its difference is taken around
 * the circle (a shift of +0.5 equals −0.5): min(|Δh| mod 1, 1 − |Δh| mod 1). Two views without
 * jitter are 0 apart. Grayscale, blur and solarize are not part of it.
 */
export function jitterDistance(a: JitterFactors, b: JitterFactors): number {
  const db = a.brightness - b.brightness;
  const dc = a.contrast - b.contrast;
  const ds = a.saturation - b.saturation;
  const turn = Math.abs(a.hue - b.hue) % 1;
  const dh = Math.min(turn, 1 - turn);
  return Math.sqrt(db * db + dc * dc + ds * ds + dh * dh);
}

function emptyHistogram(spec: BinSpec): PairHistogram {
  return { lo: spec.lo, hi: spec.hi, selected: new Array<number>(spec.numBins).fill(0), all: new Array<number>(spec.numBins).fill(0) };
}

/**
 * Histograms of crop scale, centre distance and jitter distance over the selected pair of each
 * image and over all pairs.
 * @param params view-major parameters of numViews · numImages views (v = k·numImages + m)
 * @param selected selected pair index per image [numImages], pairList(numViews) order
 */
export function computePairStats(
  params: ViewParams[], numViews: number, numImages: number, selected: ArrayLike<number>, srcHeight: number, srcWidth: number,
): PairStats {
  if (params.length !== numViews * numImages) {
    throw new RangeError(`Pair statistics: expected ${numViews} × ${numImages} = ${numViews * numImages} view params, got ${params.length}`);
  }
  if (selected.length !== numImages) throw new RangeError(`Pair statistics: expected ${numImages} selected pair indices, got ${selected.length}`);
  const P = numPairs(numViews);
  const pairs = pairList(numViews);
  const stats: PairStats = {
    cropScale: emptyHistogram(PAIR_STAT_BINS.cropScale),
    centerDistance: emptyHistogram(PAIR_STAT_BINS.centerDistance),
    jitterDistance: emptyHistogram(PAIR_STAT_BINS.jitterDistance),
  };
  const add = (name: PairStatName, value: number, isSelected: boolean): void => {
    const b = binIndex(value, PAIR_STAT_BINS[name]);
    stats[name].all[b]! += 1;
    if (isSelected) stats[name].selected[b]! += 1;
  };
  for (let m = 0; m < numImages; m++) {
    const sel = selected[m]!;
    if (!(Number.isInteger(sel) && sel >= 0 && sel < P)) throw new RangeError(`Pair statistics: selected pair ${sel} of image ${m} is not in [0, ${P})`);
    pairs.forEach(([k, l], p) => {
      const a = params[k * numImages + m]!, b = params[l * numImages + m]!;
      const isSel = p === sel;
      add('cropScale', cropScale(a, srcHeight, srcWidth), isSel);
      add('cropScale', cropScale(b, srcHeight, srcWidth), isSel);
      add('centerDistance', centerDistance(a, b, srcHeight, srcWidth), isSel);
      add('jitterDistance', jitterDistance(a, b), isSel);
    });
  }
  return stats;
}
