// Tests of the built-in "shapes-10" dataset: determinism, balance, pixel statistics, progress, and
// that classes are told apart by structure (radial power spectrum) but not by mean colour.
import { describe, expect, it } from 'vitest';
import { generateBuiltinDataset } from './builtinDataset';
import type { ImageSet } from './types';

/** Byte equality of two typed arrays (vitest's deep equal is slow on 100k-element arrays). */
const sameBytes = (a: ArrayBufferView, b: ArrayBufferView): boolean =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

const luma = (set: ImageSet, i: number, p: number): number => {
  const o = (i * set.height * set.width + p) * 3;
  return 0.299 * set.images[o]! + 0.587 * set.images[o + 1]! + 0.114 * set.images[o + 2]!;
};

/** Per-image mean RGB in [0, 1]: the feature a colour-only classifier would use. */
function meanRgbFeatures(set: ImageSet): Float64Array[] {
  const n = set.height * set.width;
  return Array.from({ length: set.numImages }, (_, i) => {
    const f = new Float64Array(3);
    for (let p = 0; p < n; p++) for (let c = 0; c < 3; c++) f[c]! += set.images[(i * n + p) * 3 + c]! / 255 / n;
    return f;
  });
}

/**
 * Per-image log radial power spectrum of the gray image (numBins rings), normalised to unit total
 * power: invariant to position (|DFT|), rotation (radial average), polarity and contrast (the
 * normalisation), so it sees only structure (edge density and scale of detail).
 */
function radialSpectrumFeatures(set: ImageSet, numBins: number): Float64Array[] {
  const S = set.height, n = S * S;
  const cosT = new Float64Array(n), sinT = new Float64Array(n);
  for (let k = 0; k < S; k++) {
    for (let x = 0; x < S; x++) {
      cosT[k * S + x] = Math.cos((2 * Math.PI * k * x) / S);
      sinT[k * S + x] = -Math.sin((2 * Math.PI * k * x) / S);
    }
  }
  const g = new Float64Array(n), re1 = new Float64Array(n), im1 = new Float64Array(n);
  return Array.from({ length: set.numImages }, (_, i) => {
    let mean = 0;
    for (let p = 0; p < n; p++) mean += (g[p] = luma(set, i, p)) / n;
    for (let p = 0; p < n; p++) g[p]! -= mean;
    // Row DFTs, then column DFTs (separable 2D DFT).
    for (let y = 0; y < S; y++) {
      for (let k = 0; k < S; k++) {
        let re = 0, im = 0;
        for (let x = 0; x < S; x++) {
          re += g[y * S + x]! * cosT[k * S + x]!;
          im += g[y * S + x]! * sinT[k * S + x]!;
        }
        re1[y * S + k] = re;
        im1[y * S + k] = im;
      }
    }
    const f = new Float64Array(numBins);
    for (let kx = 0; kx < S; kx++) {
      for (let ky = 0; ky < S; ky++) {
        let re = 0, im = 0;
        for (let y = 0; y < S; y++) {
          const c = cosT[ky * S + y]!, s = sinT[ky * S + y]!, a = re1[y * S + kx]!, b = im1[y * S + kx]!;
          re += a * c - b * s;
          im += a * s + b * c;
        }
        const fx = Math.min(kx, S - kx), fy = Math.min(ky, S - ky);
        f[Math.min(numBins - 1, Math.floor((Math.hypot(fx, fy) / (S / 2)) * numBins))]! += re * re + im * im;
      }
    }
    const total = f.reduce((s, v) => s + v, 0);
    return f.map((v) => Math.log(v / total + 1e-6));
  });
}

/** Nearest-class-mean classifier: overall accuracy and per-class recall on the test features. */
function nearestClassMean(trainF: Float64Array[], trainY: Int32Array, testF: Float64Array[], testY: Int32Array, numClasses: number) {
  const D = trainF[0]!.length;
  const means = Array.from({ length: numClasses }, () => new Float64Array(D));
  const counts = new Array<number>(numClasses).fill(0);
  trainF.forEach((f, i) => {
    counts[trainY[i]!]!++;
    for (let d = 0; d < D; d++) means[trainY[i]!]![d]! += f[d]!;
  });
  means.forEach((m, c) => m.forEach((v, d) => (m[d] = v / counts[c]!)));
  const hits = new Array<number>(numClasses).fill(0), totals = new Array<number>(numClasses).fill(0);
  testF.forEach((f, i) => {
    let best = -1, bestD = Infinity;
    means.forEach((m, c) => {
      const d2 = m.reduce((s, v, d) => s + (f[d]! - v) ** 2, 0);
      if (d2 < bestD) [best, bestD] = [c, d2];
    });
    totals[testY[i]!]!++;
    if (best === testY[i]) hits[best]!++;
  });
  return { accuracy: hits.reduce((a, b) => a + b, 0) / testF.length, recall: hits.map((h, c) => h / totals[c]!) };
}

describe('generateBuiltinDataset', () => {
  it('is deterministic in the seed; seeds and splits differ', () => {
    const a = generateBuiltinDataset({ seed: 5, numTrain: 60, numTest: 20 });
    const b = generateBuiltinDataset({ seed: 5, numTrain: 60, numTest: 20 });
    const c = generateBuiltinDataset({ seed: 6, numTrain: 60, numTest: 20 });
    expect(sameBytes(a.train.images, b.train.images)).toBe(true);
    expect(a.train.labels).toEqual(b.train.labels);
    expect(sameBytes(a.test.images, b.test.images)).toBe(true);
    expect(sameBytes(a.train.images, c.train.images)).toBe(false);
    // Independent streams: the test split is not a prefix of the training split.
    expect(sameBytes(a.test.images, a.train.images.subarray(0, a.test.images.length))).toBe(false);
    expect(a.name).toBe('shapes-10');
    expect(a.numClasses).toBe(10);
    expect(a.classNames).toHaveLength(10);
    expect(a.train).toMatchObject({ numImages: 60, height: 32, width: 32 });
    expect(a.train.images.length).toBe(60 * 32 * 32 * 3);
  });

  it('adding test images does not change the training images', () => {
    const a = generateBuiltinDataset({ seed: 5, numTrain: 30, numTest: 5 });
    const b = generateBuiltinDataset({ seed: 5, numTrain: 30, numTest: 40 });
    expect(sameBytes(a.train.images, b.train.images)).toBe(true);
  });

  it('is class balanced and shuffled', () => {
    const ds = generateBuiltinDataset({ seed: 3, numTrain: 205, numTest: 30, size: 16 });
    const counts = new Array<number>(10).fill(0);
    for (const y of ds.train.labels!) counts[y]!++;
    expect(counts).toEqual([21, 21, 21, 21, 21, 20, 20, 20, 20, 20]);
    expect(ds.test.labels!.reduce((s, y) => s + (y === 0 ? 1 : 0), 0)).toBe(3);
    // Not left in round-robin order.
    expect(Array.from(ds.train.labels!).filter((y, i) => y === i % 10).length).toBeLessThan(60);
    expect(ds.train.images.length).toBe(205 * 16 * 16 * 3);
  });

  it('uses the full pixel range and every image shows a contrasting shape', () => {
    const ds = generateBuiltinDataset({ seed: 11, numTrain: 300, numTest: 0 });
    let lo = 255, hi = 0;
    for (const v of ds.train.images) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
    expect(lo).toBeLessThan(10);
    expect(hi).toBeGreaterThan(245);
    const n = 32 * 32;
    for (let i = 0; i < ds.train.numImages; i++) {
      let yMin = 255, yMax = 0;
      for (let p = 0; p < n; p++) [yMin, yMax] = [Math.min(yMin, luma(ds.train, i, p)), Math.max(yMax, luma(ds.train, i, p))];
      // Foreground/background luminance contrast ≥ 0.3 minus noise: at least 0.2 of full range.
      expect(yMax - yMin).toBeGreaterThan(0.2 * 255);
    }
  });

  it('reports monotone progress ending at 1', () => {
    const fractions: number[] = [];
    generateBuiltinDataset({ seed: 1, numTrain: 250, numTest: 50, size: 8 }, (f) => fractions.push(f));
    expect(fractions.length).toBeGreaterThan(50);
    expect(fractions.at(-1)).toBe(1);
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]!).toBeGreaterThan(fractions[i - 1]!);
  });

  it('rejects bad sizes', () => {
    expect(() => generateBuiltinDataset({ seed: 1, numTrain: -1, numTest: 1 })).toThrow(RangeError);
    expect(() => generateBuiltinDataset({ seed: 1, numTrain: 1, numTest: 1, size: 2.5 })).toThrow(/size/);
  });

  it('classes are not separable by mean colour but are by structure', () => {
    const ds = generateBuiltinDataset({ seed: 1, numTrain: 2000, numTest: 500 });
    const colour = nearestClassMean(meanRgbFeatures(ds.train), ds.train.labels!, meanRgbFeatures(ds.test), ds.test.labels!, 10);
    expect(colour.accuracy).toBeLessThan(0.25);
    const structure = nearestClassMean(
      radialSpectrumFeatures(ds.train, 8), ds.train.labels!, radialSpectrumFeatures(ds.test, 8), ds.test.labels!, 10,
    );
    expect(structure.accuracy).toBeGreaterThan(0.5);
    // Every class is recognised at least twice as often as chance (10 %).
    for (const r of structure.recall) expect(r).toBeGreaterThan(0.2);
  });

  it('generates 5000 + 1000 images of 32 × 32 (its time: bench/cpu/speedGuards.ts)', () => {
    const ds = generateBuiltinDataset({ seed: 2, numTrain: 5000, numTest: 1000 });
    expect(ds.train.images.length).toBe(5000 * 32 * 32 * 3);
    expect(ds.test.images.length).toBe(1000 * 32 * 32 * 3);
  });
});
