import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../random';
import { batchNorm, BN_EPS, conv2d, linear, updateRunningStat, type BatchNormVars, type BnStat } from './layers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const created: tf.Variable[] = [];
afterAll(() => created.forEach((v) => v.dispose()));
let varId = 0;
function variable(values: number[] | Float32Array, shape: number[], isTrainable = true): tf.Variable {
  const v = tf.variable(tf.tensor(values, shape), isTrainable, `layersTest_${varId++}`);
  created.push(v);
  return v;
}
function randomValues(n: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => rng.normal());
}
function makeBn(c: number, seed: number, isAffine = true): BatchNormVars {
  const r = randomValues(4 * c, seed);
  return {
    name: `bn${seed}`,
    weight: isAffine ? variable(r.slice(0, c).map((x) => 1 + 0.3 * x), [c]) : undefined,
    bias: isAffine ? variable(r.slice(c, 2 * c), [c]) : undefined,
    runningMean: variable(r.slice(2 * c, 3 * c), [c], false),
    runningVar: variable(r.slice(3 * c, 4 * c).map((x) => 0.5 + x * x), [c], false),
  };
}

/** Naive NHWC convolution with PyTorch's symmetric zero padding. */
function naiveConv(x: Float32Array, xs: number[], w: Float32Array, k: number, cout: number, stride: number, pad: number) {
  const [B, H, W, C] = xs as [number, number, number, number];
  const OH = Math.floor((H + 2 * pad - k) / stride) + 1;
  const OW = Math.floor((W + 2 * pad - k) / stride) + 1;
  const out = new Float32Array(B * OH * OW * cout);
  for (let b = 0; b < B; b++)
    for (let oh = 0; oh < OH; oh++)
      for (let ow = 0; ow < OW; ow++)
        for (let co = 0; co < cout; co++) {
          let s = 0;
          for (let i = 0; i < k; i++)
            for (let j = 0; j < k; j++) {
              const h = oh * stride - pad + i;
              const c0 = ow * stride - pad + j;
              if (h < 0 || h >= H || c0 < 0 || c0 >= W) continue;
              for (let ci = 0; ci < C; ci++) s += x[((b * H + h) * W + c0) * C + ci]! * w[((i * k + j) * C + ci) * cout + co]!;
            }
          out[((b * OH + oh) * OW + ow) * cout + co] = s;
        }
  return { out, shape: [B, OH, OW, cout] };
}

/** BatchNorm written out with elementary ops, the reference for values and gradients. */
function manualBn(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor {
  const axes = x.rank === 4 ? [0, 1, 2] : [0];
  const mean = tf.mean(x, axes);
  const variance = tf.mean(tf.square(tf.sub(x, mean)), axes);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, BN_EPS))), gamma), beta);
}

function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-4): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(tol);
}

describe('conv2d and linear', () => {
  it('stride-2 3×3 conv pads symmetrically like PyTorch (not tfjs "same")', () => {
    for (const [stride, pad, k, size] of [[2, 1, 3, 6], [1, 1, 3, 5], [2, 0, 1, 6], [2, 1, 3, 7]] as const) {
      const xs = [2, size, size, 3];
      const x = randomValues(2 * size * size * 3, 11);
      const w = randomValues(k * k * 3 * 4, 12);
      const ref = naiveConv(x, xs, w, k, 4, stride, pad);
      const wv = variable(w, [k, k, 3, 4]);
      const y = conv2d(tf.tensor4d(x, xs as [number, number, number, number]), wv, stride, pad);
      expect(y.shape).toEqual(ref.shape);
      expectClose(y.dataSync(), ref.out);
    }
  });

  it('linear computes x·W + b with W stored [in, out]', () => {
    const x = tf.tensor2d([[1, 2], [3, 4]]);
    const y = linear(x, { weight: variable([1, 0, 1, 0, 1, 1], [2, 3]), bias: variable([10, 20, 30], [3]) });
    expect(y.arraySync()).toEqual([[11, 22, 33], [13, 24, 37]]);
  });
});

describe('batchNorm', () => {
  it('training mode normalises with biased batch variance and reports mean and unbiased variance', () => {
    // one channel, values 1..4 per channel 0; channel 1 is 2·values
    const x = tf.tensor2d([[1, 2], [2, 4], [3, 6], [4, 8]]);
    const bn = makeBn(2, 1);
    const stats: BnStat[] = [];
    const y = batchNorm(x, bn, true, stats);
    expect(stats).toHaveLength(1);
    expect(stats[0]!.name).toBe('bn1');
    expectClose(stats[0]!.mean.dataSync(), [2.5, 5]);
    expectClose(stats[0]!.variance.dataSync(), [5 / 3, 20 / 3]); // unbiased: sum sq dev / (n − 1)
    const g = bn.weight!.dataSync(), b = bn.bias!.dataSync();
    const biasedVar = [1.25, 5];
    const expected: number[] = [];
    [[1, 2], [2, 4], [3, 6], [4, 8]].forEach((row) =>
      row.forEach((v, c) => expected.push(((v - [2.5, 5][c]!) / Math.sqrt(biasedVar[c]! + BN_EPS)) * g[c]! + b[c]!)),
    );
    expectClose(y.dataSync(), expected);
  });

  it('training mode on [B, H, W, C] reduces over B, H and W', () => {
    const xv = randomValues(2 * 3 * 3 * 4, 3);
    const x = tf.tensor4d(xv, [2, 3, 3, 4]);
    const bn = makeBn(4, 2);
    const stats: BnStat[] = [];
    const y = batchNorm(x, bn, true, stats);
    expectClose(y.dataSync(), manualBn(x, bn.weight!, bn.bias!).dataSync());
    const n = 18;
    for (let c = 0; c < 4; c++) {
      const vals = Array.from({ length: n }, (_, i) => xv[i * 4 + c]!);
      const m = vals.reduce((a, v) => a + v, 0) / n;
      const uv = vals.reduce((a, v) => a + (v - m) ** 2, 0) / (n - 1);
      expect(stats[0]!.mean.dataSync()[c]).toBeCloseTo(m, 5);
      expect(stats[0]!.variance.dataSync()[c]).toBeCloseTo(uv, 5);
    }
  });

  it('eval mode uses the running stats and reports nothing; affine=false has no γ/β', () => {
    const x = tf.tensor2d([[1, -1], [0, 2], [5, 3]]);
    for (const isAffine of [true, false]) {
      const bn = makeBn(2, 4, isAffine);
      const stats: BnStat[] = [];
      const y = batchNorm(x, bn, false, stats);
      expect(stats).toHaveLength(0);
      const rm = bn.runningMean.dataSync(), rv = bn.runningVar.dataSync();
      const g = isAffine ? bn.weight!.dataSync() : [1, 1], b = isAffine ? bn.bias!.dataSync() : [0, 0];
      const expected = [[1, -1], [0, 2], [5, 3]].flatMap((row) =>
        row.map((v, c) => ((v - rm[c]!) / Math.sqrt(rv[c]! + BN_EPS)) * g[c]! + b[c]!),
      );
      expectClose(y.dataSync(), expected);
    }
  });

  it('gradients through the batch statistics match the elementary-op BatchNorm', () => {
    for (const shape of [[3, 2, 2, 3], [5, 3]]) {
      const size = shape.reduce((a, b) => a * b, 1);
      const c = shape[shape.length - 1]!;
      const x = tf.tensor(randomValues(size, 5), shape);
      const r = tf.tensor(randomValues(size, 6), shape);
      const bn = makeBn(c, 7);
      const f = (useOurs: boolean) => (xx: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor): tf.Scalar => {
        const y = useOurs
          ? batchNorm(xx as tf.Tensor2D, { ...bn, weight: gg as tf.Variable, bias: bb as tf.Variable }, true, [])
          : manualBn(xx, gg, bb);
        return tf.sum(tf.mul(y, r));
      };
      const ours = tf.grads(f(true))([x, bn.weight!, bn.bias!]);
      const ref = tf.grads(f(false))([x, bn.weight!, bn.bias!]);
      for (let i = 0; i < 3; i++) expectClose(ours[i]!.dataSync(), ref[i]!.dataSync(), 1e-3);
      // the x-gradient is not the naive "frozen statistics" one: it sums to ~0 per channel
      const gx = ours[0]!.dataSync();
      for (let ch = 0; ch < c; ch++) {
        let s = 0;
        for (let i = ch; i < size; i += c) s += gx[i]!;
        expect(Math.abs(s)).toBeLessThan(1e-3);
      }
    }
  });

  it('affine=false BatchNorm is differentiable in training mode', () => {
    const x = tf.tensor2d(randomValues(12, 8), [4, 3]);
    const bn = makeBn(3, 9, false);
    const ours = tf.grad((xx: tf.Tensor) => tf.sum(tf.square(batchNorm(xx as tf.Tensor2D, bn, true, []))))(x);
    const ref = tf.grad((xx: tf.Tensor) => tf.sum(tf.square(manualBn(xx, tf.ones([3]), tf.zeros([3])))))(x);
    expectClose(ours.dataSync(), ref.dataSync(), 1e-3);
  });

  it('updateRunningStat applies running = 0.9·running + 0.1·batch', () => {
    const bn: BatchNormVars = {
      name: 'bnUpd',
      runningMean: variable([0, 1], [2], false),
      runningVar: variable([1, 2], [2], false),
    };
    const stat: BnStat = { name: 'bnUpd', mean: tf.tensor1d([10, -1]), variance: tf.tensor1d([3, 0]) };
    updateRunningStat(bn, stat);
    expectClose(bn.runningMean.dataSync(), [1, 0.8]);
    expectClose(bn.runningVar.dataSync(), [1.2, 1.8]);
    updateRunningStat(bn, stat);
    expectClose(bn.runningMean.dataSync(), [1.9, 0.62]);
    expect(stat.mean.isDisposed).toBe(false);
  });
});
