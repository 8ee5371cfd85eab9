/**
 * Gallery helpers: RGB → RGBA, the symmetric pair matrix with selected / lowest-IoU marks,
 * the heat scale, and crop-label placement without overlaps.
 */
import { describe, expect, it } from 'vitest';
import type { ViewParams } from '../../../core/data/types';
import type { ProbeImage } from '../../../core/train/metrics';
import { describeView, heatColor, pairMatrix, placeLabels, rgbToRgba, viewColor, VIEW_COLORS } from './galleryMath';

const view = (over: Partial<ViewParams> = {}): ViewParams => ({
  top: 0, left: 0, height: 10, width: 10, isFlipped: false, hasJitter: false, brightness: 1, contrast: 1, saturation: 1,
  hue: 0, jitterOrder: [0, 1, 2, 3], isGrayscale: false, blurSigma: 0, isSolarized: false, ...over,
});

describe('rgbToRgba', () => {
  it('copies the requested pixels and makes them opaque', () => {
    const rgb = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect([...rgbToRgba(rgb, 1, 2)]).toEqual([4, 5, 6, 255, 7, 8, 9, 255]);
    expect(() => rgbToRgba(rgb, 2, 2)).toThrow(RangeError);
  });
});

describe('pairMatrix', () => {
  const image: ProbeImage = {
    imageIdx: 0, label: 0, className: 'disk', source: new Uint8Array(0), sourceSize: 32, params: [view(), view(), view()], views: new Uint8Array(0),
    viewSize: 16, pairLosses: [-0.9, -0.3, -0.6], selectedPair: [0, 2], pairIous: [0.7, 0.05, 0.4],
  };
  it('is symmetric with an empty diagonal and marks the selected and lowest-IoU pairs', () => {
    const m = pairMatrix(image, 3);
    expect(m[0]![0]).toBeNull();
    expect(m[0]![2]).toMatchObject({ loss: -0.3, iou: 0.05, isSelected: true, isLowestIou: true, heat: 1 });
    expect(m[2]![0]).toMatchObject({ loss: -0.3, isSelected: true });
    expect(m[0]![1]).toMatchObject({ loss: -0.9, isSelected: false, isLowestIou: false, heat: 0 });
    expect(m[1]![2]!.heat).toBeCloseTo(0.5);
  });
});

describe('heat scale and colours', () => {
  it('clamps and spans pale to red', () => {
    expect(heatColor(-1)).toBe(heatColor(0));
    expect(heatColor(0)).toBe('rgb(247, 244, 238)');
    expect(heatColor(1)).toBe('rgb(192, 40, 20)');
  });
  it('gives 8 distinct view colours (the schema allows N ≤ 8)', () => {
    expect(new Set(VIEW_COLORS).size).toBe(8);
    expect(viewColor(8)).toBe(viewColor(0));
  });
});

describe('placeLabels', () => {
  it('stacks labels of boxes that share a corner instead of overlapping them', () => {
    const spots = placeLabels([view(), view(), view({ left: 20 }), view()], 5, 20, 13);
    expect(spots).toEqual([{ x: 0, y: 0 }, { x: 0, y: 13 }, { x: 100, y: 0 }, { x: 0, y: 26 }]);
  });
});

describe('describeView', () => {
  it('lists the augmentations that were applied', () => {
    expect(describeView(view()).tags).toEqual([]);
    const d = describeView(view({ isFlipped: true, hasJitter: true, brightness: 1.2, isGrayscale: true, blurSigma: 0.8 }));
    expect(d.tags).toEqual(['flip', 'jitter', 'gray', 'blur']);
    expect(d.title).toContain('crop top 0, left 0, 10×10 px');
    expect(d.title).toContain('b 1.20');
  });
});

describe('pairMatrix with multi-crop NaN cells', () => {
  it('leaves pairs without a loss empty and out of the colour scale', () => {
    const image: ProbeImage = {
      imageIdx: 0, label: 0, className: 'disk', source: new Uint8Array(0), sourceSize: 32, params: [view(), view(), view(), view()], views: new Uint8Array(0),
      // pairs (0,1) (0,2) (0,3) (1,2) (1,3) (2,3); same-parity pairs (0,2) and (1,3) are no candidate
      viewSize: 16, pairLosses: [2, NaN, 4, 3, NaN, 6], selectedPair: [2, 3], pairIous: [0.5, 0.4, 0.3, 0.2, 0.1, 0.6],
    };
    const m = pairMatrix(image, 4);
    expect(m[0]![2]).toBeNull();
    expect(m[3]![1]).toBeNull();
    expect(m[0]![1]).toMatchObject({ loss: 2, heat: 0 });
    expect(m[2]![3]).toMatchObject({ loss: 6, heat: 1, isSelected: true });
    expect(m[0]![3]!.heat).toBeCloseTo(0.5);
  });
});
