// Tests of the reference view renderer on hand-made tiny images with hand-computed expectations.
import { describe, expect, it } from 'vitest';
import type { ViewParams } from '../data/types';
import { CIFAR10_NORMALIZATION } from '../data/normalization';
import {
  blurRadius, blurView, gaussianKernel, normalizeViewsReference, reflectIndex, renderViewsReference,
} from './renderViews';

/** A uint8 image set [n, S, S, 3] filled by fn(imageIdx, row, col, channel). */
function makeImages(n: number, S: number, fn: (i: number, y: number, x: number, c: number) => number): Uint8Array {
  const out = new Uint8Array(n * S * S * 3);
  for (let i = 0; i < n; i++) for (let y = 0; y < S; y++) for (let x = 0; x < S; x++) for (let c = 0; c < 3; c++) out[((i * S + y) * S + x) * 3 + c] = fn(i, y, x, c);
  return out;
}

/** Identity parameters for an S × S source: full crop, nothing else. */
function plain(S: number, extra: Partial<ViewParams> = {}): ViewParams {
  return {
    top: 0, left: 0, height: S, width: S, isFlipped: false, hasJitter: false, brightness: 1, contrast: 1,
    saturation: 1, hue: 0, jitterOrder: [0, 1, 2, 3], isGrayscale: false, blurSigma: 0, isSolarized: false, ...extra,
  };
}

/** Renders one view of a single image whose pixels are the given [r, g, b] triples (0–255). */
function renderPixels(pixels: Array<[number, number, number]>, S: number, extra: Partial<ViewParams>): number[] {
  const img = Uint8Array.from(pixels.flat());
  return Array.from(renderViewsReference(img, [0], S, [plain(S, extra)], S));
}

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-6): void => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!), `index ${i}`).toBeLessThan(tol);
};

describe('renderViewsReference: geometry', () => {
  const S = 4;
  const img = makeImages(2, S, (i, y, x, c) => 10 * i + 40 * y + 10 * x + c);

  it('the identity crop returns the image in [0, 1]', () => {
    close(renderViewsReference(img, [1], S, [plain(S)], S), Array.from(img.subarray(48), (v) => v / 255));
  });

  it('flip reverses the columns', () => {
    const out = renderViewsReference(img, [0], S, [plain(S, { isFlipped: true })], S);
    for (let y = 0; y < S; y++) for (let x = 0; x < S; x++) expect(out[(y * S + x) * 3]).toBe(Math.fround((40 * y + 10 * (S - 1 - x)) / 255));
  });

  it('downsamples with half-pixel centres (2 × 2 output averages pixel pairs)', () => {
    // sy = (y + 0.5)·2 − 0.5 = 0.5, 2.5: midway between rows 0/1 and 2/3 (same for columns).
    const out = renderViewsReference(img, [0], S, [plain(S)], 2);
    expect(out[0]! * 255).toBeCloseTo(40 * 0.5 + 10 * 0.5, 4);
    expect(out[(1 * 2 + 1) * 3 + 2]! * 255).toBeCloseTo(40 * 2.5 + 10 * 2.5 + 2, 4);
  });

  it('upsamples a crop, clamping samples to the crop box', () => {
    // Crop rows/cols [1, 3) to 4 × 4: sy = 1 + (y + 0.5)/2 − 0.5 = 0.75→1 (clamped), 1.25, 1.75, 2.25→2.
    const out = renderViewsReference(img, [0], S, [plain(S, { top: 1, left: 1, height: 2, width: 2 })], 4);
    const coords = [1, 1.25, 1.75, 2];
    for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) expect(out[(y * 4 + x) * 3]! * 255).toBeCloseTo(40 * coords[y]! + 10 * coords[x]!, 4);
  });

  it('maps view v to image imageIdx[v mod M] (view-major)', () => {
    const out = renderViewsReference(img, [1, 0], S, [plain(S), plain(S), plain(S), plain(S)], 1);
    // 1 × 1 output samples the crop centre (1.5, 1.5): 40·1.5 + 10·1.5 (+10 for image 1).
    expect(Array.from(out.filter((_, i) => i % 3 === 0), (v) => Math.round(v * 255 * 10) / 10)).toEqual([85, 75, 85, 75]);
  });

  it('rejects bad image indices and crop boxes', () => {
    expect(() => renderViewsReference(img, [2], S, [plain(S)], S)).toThrow(RangeError);
    expect(() => renderViewsReference(img, [0], S, [plain(S, { top: 1 })], S)).toThrow(/crop box/);
    expect(() => renderViewsReference(img, [0, 1], S, [plain(S)], S)).toThrow(/multiple/);
  });
});

describe('renderViewsReference: colour', () => {
  // A 2 × 2 image of two colours, (51, 102, 204) = (0.2, 0.4, 0.8) and (255, 128, 0), each twice;
  // the identity crop keeps the pixels, so only the colour step acts.
  const px: Array<[number, number, number]> = [[51, 102, 204], [255, 128, 0], [51, 102, 204], [255, 128, 0]];
  const f = px.map((p) => p.map((v) => v / 255));
  const jitter = (order: [number, number, number, number], factors: Partial<ViewParams>): Partial<ViewParams> =>
    ({ hasJitter: true, jitterOrder: order, ...factors });
  const gray = (p: number[]): number => 0.299 * p[0]! + 0.587 * p[1]! + 0.114 * p[2]!;
  const clamp = (v: number): number => Math.min(1, Math.max(0, v));

  it('brightness multiplies and clamps', () => {
    close(renderPixels(px, 2, jitter([0, 1, 2, 3], { brightness: 1.5 })), f.flatMap((p) => p.map((v) => clamp(1.5 * v))));
  });

  it('contrast blends with the mean luma of the whole view', () => {
    const mean = f.reduce((s, p) => s + gray(p), 0) / 4;
    close(renderPixels(px, 2, jitter([1, 0, 2, 3], { contrast: 0.3 })), f.flatMap((p) => p.map((v) => clamp(0.3 * v + 0.7 * mean))));
  });

  it('saturation blends with the per-pixel luma', () => {
    close(renderPixels(px, 2, jitter([2, 1, 0, 3], { saturation: 1.8 })), f.flatMap((p) => p.map((v) => clamp(1.8 * v - 0.8 * gray(p)))));
  });

  it('hue rotates the HSV hue with wrap-around', () => {
    // Orange (1, 128/255, 0) has hue (128/255)/6 turns; +0.5 lands in sector 3: (p, q, v) = (0, 1 − f, 1).
    const out = renderPixels([[255, 128, 0], [255, 0, 0], [0, 0, 255], [90, 90, 90]], 2, jitter([3, 0, 1, 2], { hue: 0.5 }));
    const h6 = ((128 / 255) / 6 + 0.5) * 6;
    close(out.slice(0, 3), [0, 1 - (h6 - 3), 1]);
    // Red shifted by a half turn is cyan; blue (h = 2/3) + 1/2 wraps to 1/6 = yellow; gray stays gray.
    close(out.slice(3, 6), [0, 1, 1]);
    close(out.slice(6, 9), [1, 1, 0]);
    close(out.slice(9, 12), [90 / 255, 90 / 255, 90 / 255]);
    const back = renderPixels([[255, 0, 0], [0, 255, 0], [0, 0, 255], [0, 0, 0]], 2, jitter([3, 0, 1, 2], { hue: -1 / 3 }));
    close(back.slice(0, 9), [0, 0, 1, 1, 0, 0, 0, 1, 0]);
  });

  it('applies the jitter operations in jitterOrder', () => {
    // brightness 2 then contrast 0 gives the mean luma of the brightened view; the reverse order
    // gives 2 × the mean luma of the original.
    const mean = f.reduce((s, p) => s + gray(p), 0) / 4;
    const meanBright = f.reduce((s, p) => s + gray(p.map((v) => clamp(2 * v))), 0) / 4;
    close(renderPixels(px, 2, jitter([0, 1, 2, 3], { brightness: 2, contrast: 0 })), new Array(12).fill(meanBright));
    close(renderPixels(px, 2, jitter([1, 0, 2, 3], { brightness: 2, contrast: 0 })), new Array(12).fill(clamp(2 * mean)));
  });

  it('ignores the factors when hasJitter is false', () => {
    close(renderPixels(px, 2, { brightness: 0, contrast: 0, hue: 0.3 }), f.flat());
  });

  it('grayscale sets all channels to the luma', () => {
    close(renderPixels(px, 2, { isGrayscale: true }), f.flatMap((p) => [gray(p), gray(p), gray(p)]));
  });

  it('solarize inverts values ≥ 0.5 only', () => {
    const out = renderPixels([[51, 127, 128], [255, 0, 200], [0, 0, 0], [0, 0, 0]], 2, { isSolarized: true });
    close(out.slice(0, 6), [51 / 255, 127 / 255, 1 - 128 / 255, 0, 0, 1 - 200 / 255]);
  });
});

describe('blur', () => {
  it('radius is ceil(3σ) capped at 8, and the kernel is symmetric and sums to 1', () => {
    expect([0, 0.1, 0.5, 2, 2.7, 5].map(blurRadius)).toEqual([0, 1, 2, 6, 8, 8]);
    const w = gaussianKernel(0.5);
    const e2 = Math.exp(-2), e8 = Math.exp(-8), total = 1 + 2 * e2 + 2 * e8;
    close(w, [e8 / total, e2 / total, 1 / total, e2 / total, e8 / total], 1e-12);
    expect(Array.from(gaussianKernel(0))).toEqual([1]);
  });

  it('reflect padding mirrors without repeating the edge', () => {
    expect([-1, -2, 5, 6, -9, 13].map((i) => reflectIndex(i, 5))).toEqual([1, 2, 3, 2, 1, 3]); // …, 8→0, 9→1, …, 12→4, 13→3
    expect(reflectIndex(-3, 1)).toBe(0);
  });

  it('preserves a constant image, even when the radius exceeds the view', () => {
    const out = renderViewsReference(new Uint8Array(4 * 4 * 3).fill(153), [0], 4, [plain(4, { blurSigma: 2 })], 4);
    close(out, new Array(48).fill(0.6));
  });

  it('spreads an interior impulse as the outer product of the kernel, preserving its sum', () => {
    const S = 9;
    const x = new Float64Array(S * S * 3);
    x[(4 * S + 4) * 3 + 1] = 1; // green impulse at (4, 4)
    const out = blurView(x, S, 0.5);
    const w = gaussianKernel(0.5);
    let total = 0;
    for (let y = 0; y < S; y++) {
      for (let xx = 0; xx < S; xx++) {
        const dy = y - 4, dx = xx - 4;
        const want = Math.abs(dy) <= 2 && Math.abs(dx) <= 2 ? w[dy + 2]! * w[dx + 2]! : 0;
        expect(out[(y * S + xx) * 3 + 1]).toBeCloseTo(want, 12);
        expect(out[(y * S + xx) * 3]).toBe(0);
        total += out[(y * S + xx) * 3 + 1]!;
      }
    }
    expect(total).toBeCloseTo(1, 12);
  });

  it('reflects at the border: an edge impulse gets the centre weight at the edge', () => {
    const S = 6;
    const x = new Float64Array(S * S * 3);
    x[0] = 1; // red impulse at (0, 0)
    const out = blurView(x, S, 0.5);
    const w = gaussianKernel(0.5);
    expect(out[0]).toBeCloseTo(w[2]! * w[2]!, 12);
    // (0, 1) receives the impulse through offset −1 only (offset −3 would reflect to 2, beyond r = 2).
    expect(out[3]).toBeCloseTo(w[2]! * w[1]!, 12);
  });

  it('solarize runs after blur', () => {
    // Rows 0–1 black, rows 2–3 white; σ = 0.5 makes rows 1 and 2 intermediate.
    const img = makeImages(1, 4, (_, y) => (y >= 2 ? 255 : 0));
    const blurred = blurView(Float64Array.from(img, (v) => v / 255), 4, 0.5);
    const want = Array.from(blurred, (v) => (v >= 0.5 ? 1 - v : v));
    close(renderViewsReference(img, [0], 4, [plain(4, { blurSigma: 0.5, isSolarized: true })], 4), want);
  });
});

describe('normalizeViewsReference', () => {
  it("subtracts the run's mean and divides by its std per channel", () => {
    const out = normalizeViewsReference(Float32Array.from([0.4914, 0.4822, 0.4465, 1, 0, 0.5]), CIFAR10_NORMALIZATION);
    close(out, [0, 0, 0, (1 - 0.4914) / 0.247, -0.4822 / 0.243, (0.5 - 0.4465) / 0.261], 1e-6);
    const other = { mean: [0.1, 0.5, 0.9] as [number, number, number], std: [0.05, 0.3, 0.2] as [number, number, number] };
    close(normalizeViewsReference(Float32Array.from([0.1, 0.5, 0.9, 0.2, 0.2, 0.2]), other), [0, 0, 0, 2, -1, -3.5], 1e-6);
  });
});
