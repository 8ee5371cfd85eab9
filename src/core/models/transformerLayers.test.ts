// Transformer layers on the tfjs CPU backend against hand values and a naive per-head loop:
// LayerNorm (eps 1e-6, biased variance), exact GELU (not the tanh approximation), multi-head
// self-attention with timm's q | k | v column order, and the drop_path multiplier.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../random';
import { dropPathMask, gelu, layerNorm, selfAttention } from './transformerLayers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const v = (values: number[], shape: number[]): tf.Variable => tf.variable(tf.tensor(values, shape), true);

describe('layerNorm', () => {
  it('normalises the last axis with the biased variance and eps 1e-6, then scales and shifts', () => {
    // Row [1, 2, 3, 4]: mean 2.5, biased variance 1.25 → (x − 2.5)/√1.25 = ±1.3416408, ±0.4472136.
    // Row [5, 5, 5, 5]: variance 0 → 0 (eps keeps it finite), then + β.
    const x = tf.tensor2d([[1, 2, 3, 4], [5, 5, 5, 5]]);
    const ln = { weight: v([1, 2, 1, 1], [4]), bias: v([0, 0, 1, 0], [4]) };
    const y = layerNorm(x, ln).arraySync();
    const a = 1 / Math.sqrt(1.25 + 1e-6);
    const expected = [[-1.5 * a, -0.5 * a * 2, 0.5 * a + 1, 1.5 * a], [0, 0, 1, 0]];
    y.flat().forEach((got, i) => expect(got).toBeCloseTo(expected.flat()[i]!, 5));
    tf.dispose([x, ln.weight, ln.bias]);
  });
});

describe('gelu', () => {
  it('is the exact erf form x·Φ(x) (standard normal table values), not the tanh approximation', () => {
    // Φ(1) = 0.8413447461, Φ(0.5) = 0.6914624613, Φ(2.5) = 0.9937903347 (normal CDF table).
    const x = tf.tensor1d([-1, 0, 0.5, 1, 2.5]);
    const expected = [-1 * (1 - 0.8413447461), 0, 0.5 * 0.6914624613, 0.8413447461, 2.5 * 0.9937903347];
    const y = Array.from(gelu(x).dataSync());
    y.forEach((got, i) => expect(Math.abs(got - expected[i]!)).toBeLessThan(1e-6));
    // The tanh approximation is 1.5e-4 off at x = 1: this test would catch it.
    const tanhApprox = 0.5 * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (1 + 0.044715)));
    expect(Math.abs(tanhApprox - 0.8413447461)).toBeGreaterThan(1e-4);
    x.dispose();
  });

  it('has the analytic gradient Φ(x) + x·φ(x)', () => {
    const x = tf.tensor1d([-1.5, 0.3, 2]);
    const g = Array.from(tf.grad((t: tf.Tensor) => gelu(t).sum())(x).dataSync());
    const phi = (t: number) => Math.exp(-t * t / 2) / Math.sqrt(2 * Math.PI);
    [-1.5, 0.3, 2].forEach((t, i) => {
      const Phi = 0.5 * (1 + erfSeries(t / Math.SQRT2));
      expect(g[i]).toBeCloseTo(Phi + t * phi(t), 5);
    });
    x.dispose();
  });
});

/** erf by its Maclaurin series (converges fast for |z| ≤ 2). */
function erfSeries(z: number): number {
  let sum = 0;
  let term = z;
  for (let n = 0; n < 60; n++) {
    sum += term / (2 * n + 1);
    term *= (-z * z) / (n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

describe('selfAttention', () => {
  it('matches a naive per-head loop (q | k | v column blocks, softmax(q·kᵀ/√dh)·v, proj)', () => {
    const B = 2, T = 3, D = 4, H = 2, dh = D / H;
    const rng = createRng(7);
    const rand = (n: number) => Array.from({ length: n }, () => rng.uniform(-1, 1));
    const xv = rand(B * T * D), wqkv = rand(D * 3 * D), bqkv = rand(3 * D), wproj = rand(D * D), bproj = rand(D);
    const vars = { qkv: { weight: v(wqkv, [D, 3 * D]), bias: v(bqkv, [3 * D]) }, proj: { weight: v(wproj, [D, D]), bias: v(bproj, [D]) } };
    const x = tf.tensor3d(xv, [B, T, D]);
    const got = Array.from(selfAttention(x, vars, H).dataSync());

    // Naive: every (b, head, query t) by loops over plain arrays. Weights are [in, out] row-major.
    const expected: number[] = [];
    for (let b = 0; b < B; b++) {
      const tok = (t: number) => xv.slice((b * T + t) * D, (b * T + t + 1) * D);
      const qkvOf = (t: number) => Array.from({ length: 3 * D }, (_, o) => bqkv[o]! + tok(t).reduce((s, xi, i) => s + xi * wqkv[i * 3 * D + o]!, 0));
      const rows = Array.from({ length: T }, (_, t) => qkvOf(t));
      for (let t = 0; t < T; t++) {
        const merged = new Array<number>(D).fill(0);
        for (let h = 0; h < H; h++) {
          const q = rows[t]!.slice(h * dh, (h + 1) * dh); // q block: columns [0, D)
          const scores = rows.map((r) => r.slice(D + h * dh, D + (h + 1) * dh).reduce((s, kj, j) => s + kj * q[j]!, 0) / Math.sqrt(dh));
          const mx = Math.max(...scores);
          const e = scores.map((s) => Math.exp(s - mx));
          const z = e.reduce((a, c) => a + c, 0);
          for (let j = 0; j < dh; j++) merged[h * dh + j] = rows.reduce((s, r, u) => s + (e[u]! / z) * r[2 * D + h * dh + j]!, 0); // v block: [2D, 3D)
        }
        for (let o = 0; o < D; o++) expected.push(bproj[o]! + merged.reduce((s, m, i) => s + m * wproj[i * D + o]!, 0));
      }
    }
    expect(got).toHaveLength(expected.length);
    got.forEach((g, i) => expect(g).toBeCloseTo(expected[i]!, 5));
    tf.dispose([x, vars.qkv.weight, vars.qkv.bias!, vars.proj.weight, vars.proj.bias!]);
  });

  it('refuses a head count that does not divide the dim', () => {
    const x = tf.zeros([1, 2, 6]) as tf.Tensor3D;
    const vars = { qkv: { weight: tf.variable(tf.zeros([6, 18])) }, proj: { weight: tf.variable(tf.zeros([6, 6])) } };
    expect(() => selfAttention(x, vars, 4)).toThrow(/4 heads do not divide the token dim 6/);
    tf.dispose([x, vars.qkv.weight, vars.proj.weight]);
  });
});

describe('dropPathMask', () => {
  it('is 0 with probability rate and 1/(1 − rate) otherwise, the same for the same seed', () => {
    const a = Array.from(dropPathMask(createRng(3), 2000, 0.25).dataSync());
    const b = Array.from(dropPathMask(createRng(3), 2000, 0.25).dataSync());
    const c = Array.from(dropPathMask(createRng(4), 2000, 0.25).dataSync());
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    expect(new Set(a)).toEqual(new Set([0, 1 / 0.75].map(Math.fround)));
    const dropped = a.filter((x) => x === 0).length / a.length;
    expect(dropped).toBeGreaterThan(0.21);
    expect(dropped).toBeLessThan(0.29);
    expect(() => dropPathMask(createRng(1), 2, 1)).toThrow(/\[0, 1\)/);
  });
});
