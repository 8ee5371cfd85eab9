/**
 * Known-answer tests of the forest and its importances (fANOVA and permutation): a loss driven by
 * iou alone, a loss that is the sum of two features, a pure interaction, determinism under a seed,
 * and the fit time at the app's scale.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../random';
import { lossDrivers } from './lossDrivers';
import { fitForest, outOfBagR2, predictForest } from './randomForest';
import { AnalysisInputError, regressionDataFromRecords, type RegressionData } from './regressionData';

const NAMES = ['iou', 'centerDistance', 'colorDistance', 'brightness', 'contrast', 'saturation', 'hue'];

/** numRows rows of the seven pair metrics, uniform in [0, 1), and a loss computed from them. */
function syntheticLog(numRows: number, seed: number, loss: (f: Float64Array, noise: number) => number): RegressionData {
  const rng = createRng(seed);
  const p = NAMES.length;
  const x = new Float64Array(numRows * p);
  const y = new Float64Array(numRows);
  for (let i = 0; i < numRows; i++) {
    const f = new Float64Array(p);
    for (let j = 0; j < p; j++) f[j] = rng.next();
    x.set(f, i * p);
    y[i] = loss(f, rng.normal());
  }
  return { featureNames: NAMES, x, y };
}

const shareOf = (r: ReturnType<typeof lossDrivers>, name: string): number =>
  r.features.find((f) => f.name === name)!.share;

describe('lossDrivers (fANOVA over a random forest)', () => {
  it('gives ≥ 90 % to iou when the loss depends only on iou (plus small noise)', () => {
    const data = syntheticLog(3000, 1, (f, e) => 2 - 3 * f[0] + 0.05 * e);
    const r = lossDrivers(data, { seed: 7, numTrees: 16 });
    expect(r.method).toBe('fanova');
    expect(shareOf(r, 'iou')).toBeGreaterThanOrEqual(0.9);
    for (const name of NAMES.slice(1)) expect(shareOf(r, name)).toBeLessThan(0.03);
    expect(r.outOfBagR2).toBeGreaterThan(0.9);
  });

  it('splits a sum of two features in proportion to their variance', () => {
    // var(1 · brightness) = 1/12, var(2 · hue) = 4/12: expected shares 0.2 and 0.8
    const data = syntheticLog(3000, 2, (f, e) => f[3] + 2 * f[6] + 0.02 * e);
    const r = lossDrivers(data, { seed: 3, numTrees: 16, numSplitFeatures: 7 });
    const b = shareOf(r, 'brightness');
    const h = shareOf(r, 'hue');
    expect(b).toBeGreaterThan(0.14);
    expect(b).toBeLessThan(0.26);
    expect(h).toBeGreaterThan(0.72);
    expect(h).toBeLessThan(0.88);
    expect(r.interactionShare).toBeLessThan(0.08); // an additive loss has no interactions
  });

  it('reports an interaction as the rest, not as first-order share', () => {
    // XOR-like product of centred features: no first-order effect at all
    const data = syntheticLog(3000, 4, (f) => (f[0] - 0.5) * (f[1] - 0.5));
    const r = lossDrivers(data, { seed: 1, numTrees: 16, numSplitFeatures: 7 });
    expect(shareOf(r, 'iou') + shareOf(r, 'centerDistance')).toBeLessThan(0.25);
    expect(r.interactionShare).toBeGreaterThan(0.7);
  });

  it('permutation importance gives the same known answers and says so', () => {
    const iouOnly = lossDrivers(syntheticLog(2000, 1, (f, e) => 2 - 3 * f[0] + 0.05 * e), { seed: 7, numTrees: 8, method: 'permutation' });
    expect(iouOnly.method).toBe('permutation');
    expect(shareOf(iouOnly, 'iou')).toBeGreaterThanOrEqual(0.9);
    const sum = lossDrivers(syntheticLog(2000, 2, (f, e) => f[3] + 2 * f[6] + 0.02 * e), { seed: 3, numTrees: 8, numSplitFeatures: 7, method: 'permutation' });
    expect(shareOf(sum, 'brightness')).toBeGreaterThan(0.14);
    expect(shareOf(sum, 'brightness')).toBeLessThan(0.26);
    expect(shareOf(sum, 'hue')).toBeGreaterThan(0.72);
    expect(shareOf(sum, 'hue')).toBeLessThan(0.88);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const data = syntheticLog(800, 5, (f, e) => f[0] + 0.5 * f[2] + 0.1 * e);
    const a = lossDrivers(data, { seed: 11, numTrees: 8 });
    const b = lossDrivers(data, { seed: 11, numTrees: 8 });
    const c = lossDrivers(data, { seed: 12, numTrees: 8 });
    expect(b).toEqual(a);
    expect(c.features.map((f) => f.share)).not.toEqual(a.features.map((f) => f.share));
  });

  it('predicts a smooth function well and rejects non-finite input with the field named', () => {
    const data = syntheticLog(2000, 6, (f) => Math.sin(3 * f[0]) + f[1]);
    const forest = fitForest(data, { seed: 0, numTrees: 16 });
    const pred = predictForest(forest, data.x);
    let sse = 0;
    for (let i = 0; i < pred.length; i++) sse += (pred[i] - data.y[i]) ** 2;
    expect(sse / pred.length).toBeLessThan(0.01);
    expect(outOfBagR2(forest, data)).toBeGreaterThan(0.9);
    expect(() =>
      regressionDataFromRecords([{ iou: 0.1, loss: 1 }, { iou: NaN, loss: 2 }], ['iou'], 'loss'),
    ).toThrow(AnalysisInputError);
    expect(() => regressionDataFromRecords([{ iou: 0.1, loss: 1 }, { iou: NaN, loss: 2 }], ['iou'], 'loss')).toThrow(/row 1: iou/);
  });

  it('fits 10^4 rows × 7 features with the defaults (the time is printed, not asserted: speed is a benchmark)', () => {
    const data = syntheticLog(10_000, 8, (f, e) => f[0] - 0.3 * f[3] + 0.2 * f[0] * f[1] + 0.1 * e);
    const t0 = performance.now();
    const r = lossDrivers(data, { seed: 0 });
    const ms = performance.now() - t0;
    console.log(`lossDrivers 10^4 × 7, defaults (${r.numTrees} trees): ${ms.toFixed(0)} ms`);
    expect(shareOf(r, 'iou')).toBeGreaterThan(shareOf(r, 'brightness'));
  });
});
