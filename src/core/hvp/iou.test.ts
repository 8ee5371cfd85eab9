// Tests of crop-box IoU and centre distance on hand-computed boxes, and the [M, P] pair layout.
import { describe, expect, it } from 'vitest';
import { pairIndex } from './pairs';
import { boxIou, centerDistance, pairCenterDistances, pairIous, type CropBox } from './iou';

const box = (top: number, left: number, height: number, width: number): CropBox => ({ top, left, height, width });

describe('boxIou', () => {
  it('is 1 for identical boxes', () => {
    expect(boxIou(box(3, 4, 10, 7), box(3, 4, 10, 7))).toBe(1);
  });
  it('is 0 for disjoint and for edge-touching boxes', () => {
    expect(boxIou(box(0, 0, 5, 5), box(10, 10, 5, 5))).toBe(0);
    // Rows [0, 5) and [5, 10) share no pixel.
    expect(boxIou(box(0, 0, 5, 5), box(5, 0, 5, 5))).toBe(0);
  });
  it('is the area ratio for nested boxes', () => {
    // Inner 4×5 = 20 inside outer 10×10 = 100: 20 / (100 + 20 − 20).
    expect(boxIou(box(0, 0, 10, 10), box(2, 3, 4, 5))).toBeCloseTo(0.2, 12);
  });
  it('matches a partial overlap computed by hand, symmetrically', () => {
    // A rows [2, 10) cols [1, 7): 8×6 = 48; B rows [6, 16) cols [4, 12): 10×8 = 80.
    // Intersection rows [6, 10) × cols [4, 7) = 4×3 = 12; IoU = 12 / (48 + 80 − 12) = 12/116.
    const a = box(2, 1, 8, 6), b = box(6, 4, 10, 8);
    expect(boxIou(a, b)).toBeCloseTo(12 / 116, 12);
    expect(boxIou(b, a)).toBe(boxIou(a, b));
  });
});

describe('centerDistance', () => {
  it('normalises row and column offsets by the image size', () => {
    // Centres (5, 5) and (11, 21) in a 20-row × 40-column image: dy = 6/20, dx = 16/40.
    expect(centerDistance(box(0, 0, 10, 10), box(6, 16, 10, 10), 20, 40)).toBeCloseTo(Math.hypot(0.3, 0.4), 12);
    expect(centerDistance(box(0, 0, 4, 4), box(0, 0, 4, 4), 32, 32)).toBe(0);
    // Concentric boxes of different sizes share a centre.
    expect(centerDistance(box(0, 0, 10, 10), box(3, 3, 4, 4), 32, 32)).toBe(0);
  });
});

describe('pairIous / pairCenterDistances', () => {
  it('lays out [M, P] in pairList order from view-major params', () => {
    const N = 3, M = 2;
    // View k of image m at params[k·M + m]. Image 0: views identical except view 2 disjoint.
    const views: CropBox[] = [
      box(0, 0, 4, 4), // k0 m0
      box(0, 0, 8, 8), // k0 m1
      box(0, 0, 4, 4), // k1 m0
      box(0, 0, 4, 4), // k1 m1 (nested in k0 m1: 16/64)
      box(10, 10, 4, 4), // k2 m0
      box(4, 4, 4, 4), // k2 m1 (nested in k0 m1, disjoint from k1 m1)
    ];
    const ious = pairIous(views, N, M);
    expect(ious).toHaveLength(M * 3);
    const at = (m: number, k: number, l: number): number => ious[m * 3 + pairIndex(k, l, N)]!;
    expect([at(0, 0, 1), at(0, 0, 2), at(0, 1, 2)]).toEqual([1, 0, 0]);
    expect([at(1, 0, 1), at(1, 0, 2), at(1, 1, 2)]).toEqual([0.25, 0.25, 0]);
    const dist = pairCenterDistances(views, N, M, 16, 16);
    expect(dist[0]).toBe(0);
    expect(dist[1]).toBeCloseTo(Math.hypot(10 / 16, 10 / 16), 6);
    expect(dist[3 + 2]).toBeCloseTo(Math.hypot(4 / 16, 4 / 16), 6);
  });
  it('rejects a params array of the wrong length', () => {
    expect(() => pairIous([box(0, 0, 1, 1)], 2, 2)).toThrow(RangeError);
  });
});
