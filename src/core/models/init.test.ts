import { describe, expect, it } from 'vitest';
import { createRng } from '../random';
import {
  batchNormInit,
  kaimingNormalConv,
  linearBiasUniform,
  linearWeightUniform,
  paramRng,
  shapeSize,
} from './init';

function meanStd(v: Float32Array): { mean: number; std: number } {
  let s = 0;
  for (const x of v) s += x;
  const mean = s / v.length;
  let q = 0;
  for (const x of v) q += (x - mean) ** 2;
  return { mean, std: Math.sqrt(q / v.length) };
}

describe('init', () => {
  it('kaiming-normal conv uses fan_out = cout·kh·kw and the ReLU gain', () => {
    const shape: [number, number, number, number] = [3, 3, 16, 64];
    const v = kaimingNormalConv(createRng(1), shape);
    expect(v.length).toBe(shapeSize(shape));
    const { mean, std } = meanStd(v);
    const expected = Math.sqrt(2 / (64 * 9)); // fan_out, not fan_in (which would give sqrt(2/144))
    expect(Math.abs(mean)).toBeLessThan(0.05 * expected);
    expect(std / expected).toBeGreaterThan(0.97);
    expect(std / expected).toBeLessThan(1.03);
  });

  it('linear weight and bias are U(±1/√fanIn), filling the range', () => {
    const fanIn = 25;
    const w = linearWeightUniform(createRng(2), fanIn, 400);
    const b = linearBiasUniform(createRng(3), fanIn, 4000);
    expect(w.length).toBe(fanIn * 400);
    for (const arr of [w, b]) {
      let lo = Infinity, hi = -Infinity;
      for (const x of arr) {
        lo = Math.min(lo, x);
        hi = Math.max(hi, x);
      }
      expect(lo).toBeGreaterThanOrEqual(-0.2);
      expect(hi).toBeLessThan(0.2);
      expect(lo).toBeLessThan(-0.19);
      expect(hi).toBeGreaterThan(0.19);
      // variance of U(-b, b) is b²/3
      expect(meanStd(arr).std).toBeCloseTo(0.2 / Math.sqrt(3), 2);
    }
  });

  it('draws are deterministic per (seed, name) and differ across names and seeds', () => {
    const a = kaimingNormalConv(paramRng(7, 'conv1.weight'), [3, 3, 3, 4]);
    const b = kaimingNormalConv(paramRng(7, 'conv1.weight'), [3, 3, 3, 4]);
    const c = kaimingNormalConv(paramRng(7, 'layer1.0.conv1.weight'), [3, 3, 3, 4]);
    const d = kaimingNormalConv(paramRng(8, 'conv1.weight'), [3, 3, 3, 4]);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    expect(Array.from(a)).not.toEqual(Array.from(d));
  });

  it('BatchNorm starts at weight 1 (0 with zero-init), bias 0, running stats 0 / 1', () => {
    const bn = batchNormInit(3);
    expect(Array.from(bn.weight)).toEqual([1, 1, 1]);
    expect(Array.from(bn.bias)).toEqual([0, 0, 0]);
    expect(Array.from(bn.runningMean)).toEqual([0, 0, 0]);
    expect(Array.from(bn.runningVar)).toEqual([1, 1, 1]);
    expect(Array.from(batchNormInit(2, true).weight)).toEqual([0, 0]);
  });
});
