// Tests of the pair-property histograms: crop scale, centre distance and jitter distance on
// hand-computed views, bin edges and clamping, and the selected-vs-all counts of a small batch.
import { describe, expect, it } from 'vitest';
import type { ViewParams } from '../data/types';
import { binEdges, binIndex, computePairStats, cropScale, jitterDistance, PAIR_STAT_BINS } from './pairStats';
import { centerDistance } from './iou';

/** A view with a crop box and jitter factors; everything else off. */
function view(top: number, left: number, height: number, width: number, jitter: [number, number, number, number] = [1, 1, 1, 0]): ViewParams {
  const [brightness, contrast, saturation, hue] = jitter;
  return {
    top, left, height, width, isFlipped: false, hasJitter: jitter.join() !== '1,1,1,0',
    brightness, contrast, saturation, hue, jitterOrder: [0, 1, 2, 3], isGrayscale: false, blurSigma: 0, isSolarized: false,
  };
}

describe('per-pair properties', () => {
  it('crop scale is the crop area over the image area', () => {
    expect(cropScale(view(0, 0, 16, 16), 16, 16)).toBe(1);
    expect(cropScale(view(2, 3, 8, 4), 16, 16)).toBe(32 / 256);
    expect(cropScale(view(0, 0, 10, 6), 20, 12)).toBe(60 / 240);
  });
  it('centre distance is normalised by the image height and width', () => {
    // Centres (4, 4) and (12, 12) in a 16 × 32 image: dy = 8/16, dx = 8/32.
    expect(centerDistance(view(0, 0, 8, 8), view(8, 8, 8, 8), 16, 32)).toBeCloseTo(Math.hypot(0.5, 0.25), 12);
  });
  it('jitter distance is the L2 distance of (brightness, contrast, saturation, hue), hue around the circle', () => {
    const a = view(0, 0, 4, 4, [1.2, 0.8, 1, 0.05]);
    const b = view(0, 0, 4, 4, [0.9, 1.2, 1.4, -0.05]);
    expect(jitterDistance(a, b)).toBeCloseTo(Math.sqrt(0.09 + 0.16 + 0.16 + 0.01), 12);
    expect(jitterDistance(b, a)).toBe(jitterDistance(a, b));
    expect(jitterDistance(view(0, 0, 4, 4), view(1, 1, 2, 2))).toBe(0);
    // Hue shifts of +0.45 and −0.45 turns are 0.1 turns apart, not 0.9.
    expect(jitterDistance(view(0, 0, 4, 4, [1, 1, 1, 0.45]), view(0, 0, 4, 4, [1, 1, 1, -0.45]))).toBeCloseTo(0.1, 12);
  });
});

describe('bins', () => {
  it('has numBins + 1 evenly spaced edges ending exactly at hi', () => {
    expect(binEdges({ lo: 0, hi: 1, numBins: 4 })).toEqual([0, 0.25, 0.5, 0.75, 1]);
    const e = binEdges(PAIR_STAT_BINS.centerDistance);
    expect(e).toHaveLength(11);
    expect(e[10]).toBe(Math.SQRT2);
    expect(e[5]).toBeCloseTo(Math.SQRT2 / 2, 12);
  });
  it('puts a value on an edge into the upper bin and clamps values outside [lo, hi] to the end bins', () => {
    const s = { lo: 0, hi: 2, numBins: 10 };
    expect(binIndex(0, s)).toBe(0);
    expect(binIndex(0.2, s)).toBe(1);
    expect(binIndex(0.19, s)).toBe(0);
    expect(binIndex(1.99, s)).toBe(9);
    expect(binIndex(2, s)).toBe(9);
    expect(binIndex(7.5, s)).toBe(9);
    expect(binIndex(-1, s)).toBe(0);
    expect(() => binIndex(Number.NaN, s)).toThrow(/NaN/);
  });
});

describe('computePairStats', () => {
  // 3 views × 2 images on a 10 × 10 image, view-major (v = k·2 + m).
  const params = [
    view(0, 0, 10, 10), view(0, 0, 5, 5), // view 0 of images 0, 1: scale 1, 0.25
    view(0, 0, 10, 10, [1.5, 1, 1, 0]), view(5, 5, 5, 5), // view 1: scale 1, 0.25
    view(0, 0, 3, 10), view(0, 0, 5, 5), // view 2: scale 0.3, 0.25
  ];
  const stats = computePairStats(params, 3, 2, [2, 0], 10, 10); // image 0: pair (1,2); image 1: pair (0,1)

  it('counts both views of every pair for crop scale, one value per pair for the distances', () => {
    const sum = (a: number[]) => a.reduce((s, x) => s + x, 0);
    expect(sum(stats.cropScale.all)).toBe(2 * 3 * 2);
    expect(sum(stats.cropScale.selected)).toBe(2 * 2);
    expect(sum(stats.centerDistance.all)).toBe(3 * 2);
    expect(sum(stats.jitterDistance.selected)).toBe(2);
    expect(stats.cropScale.selected).toHaveLength(10);
    expect([stats.cropScale.lo, stats.cropScale.hi]).toEqual([0, 1]);
  });
  it('bins the selected pairs by hand', () => {
    // Selected: image 0 views 1, 2 (scales 1, 0.3); image 1 views 0, 1 (0.25, 0.25).
    const expectedScale = new Array(10).fill(0);
    expectedScale[9] = 1; expectedScale[3] = 1; expectedScale[2] = 2;
    expect(stats.cropScale.selected).toEqual(expectedScale);
    // Image 1 pair (0,1): centres (2.5, 2.5) and (7.5, 7.5) → distance √0.5 ≈ 0.707 → bin 5 of width √2/10.
    // Image 0 pair (1,2): centres (5, 5) and (1.5, 5) → 0.35 → bin 2.
    const expectedCentre = new Array(10).fill(0);
    expectedCentre[5] = 1; expectedCentre[2] = 1;
    expect(stats.centerDistance.selected).toEqual(expectedCentre);
    // Jitter: image 0 pair (1,2) differs by 0.5 in brightness → bin 2; image 1 pair is 0 → bin 0.
    const expectedJitter = new Array(10).fill(0);
    expectedJitter[2] = 1; expectedJitter[0] = 1;
    expect(stats.jitterDistance.selected).toEqual(expectedJitter);
    // All pairs: image 0 has two pairs with view 1 (distance 0.5) and one without (0); image 1 none.
    expect(stats.jitterDistance.all[2]).toBe(2);
    expect(stats.jitterDistance.all[0]).toBe(4);
  });
  it('refuses mismatched inputs with a message naming the counts', () => {
    expect(() => computePairStats(params, 3, 3, [0, 0, 0], 10, 10)).toThrow(/3 × 3 = 9 view params, got 6/);
    expect(() => computePairStats(params, 3, 2, [0], 10, 10)).toThrow(/expected 2 selected/);
    expect(() => computePairStats(params, 3, 2, [0, 3], 10, 10)).toThrow(/selected pair 3 of image 1/);
  });
});
