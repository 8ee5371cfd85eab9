// Tests batchNormTrain against the autodiff path it replaces (tf.moments + tf.batchNorm under tf.grads)
// on the tfjs CPU backend: output, batch statistics and the gradients of x, γ, β for [B, H, W, C] and
// [B, C] inputs, including ones with only 3–4 values per channel and inputs far from zero mean; and, for
// n = 2 values per channel (where dx is a near-total cancellation of O(γ·rstd·dy) terms in float32 on
// either path), both paths against a float64 evaluation of the closed form.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchNormTrain } from './batchNormTrain';

const EPS = 1e-5;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** max |a − b| / max(|b|, tiny): relative error w.r.t. the reference's scale. */
function relErr(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => {
    const diff = a.sub(b).abs().max().dataSync()[0]!;
    const scale = b.abs().max().dataSync()[0]!;
    return diff / Math.max(scale, 1e-12);
  });
}

/** The autodiff reference: what layers.ts batchNorm computed before batchNormTrain. */
function referenceBn(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D): tf.Tensor {
  const axes = x.rank === 4 ? [0, 1, 2] : [0];
  const { mean, variance } = tf.moments(x, axes);
  return tf.batchNorm(x, mean as tf.Tensor1D, variance as tf.Tensor1D, beta, gamma, EPS);
}

interface Case {
  shape: number[];
  /** Added to x so the batch mean is far from 0 (cancellation check). */
  shift: number;
  affine: boolean;
}

const cases: Case[] = [
  { shape: [2, 3, 3, 4], shift: 0, affine: true },
  { shape: [4, 4, 4, 8], shift: 0, affine: true },
  { shape: [4, 4, 4, 8], shift: 0, affine: false },
  { shape: [1, 1, 3, 3], shift: 0, affine: true }, // n = 3
  { shape: [2, 1, 2, 5], shift: 5, affine: true }, // n = 4, mean far from 0
  { shape: [16, 8], shift: 0, affine: true },
  { shape: [3, 6], shift: 0, affine: true }, // n = 3
  { shape: [3, 4], shift: -4, affine: false },
];

describe('batchNormTrain', () => {
  it.each(cases)('matches the autodiff path: %o', (c) => {
    tf.tidy(() => {
      const numChannels = c.shape[c.shape.length - 1]!;
      const x = tf.add(tf.randomNormal(c.shape, 0, 1.5, 'float32', 1), c.shift) as tf.Tensor4D | tf.Tensor2D;
      const gamma = c.affine ? (tf.randomNormal([numChannels], 1, 0.5, 'float32', 2) as tf.Tensor1D) : tf.ones([numChannels]) as tf.Tensor1D;
      const beta = c.affine ? (tf.randomNormal([numChannels], 0, 0.5, 'float32', 3) as tf.Tensor1D) : tf.zeros([numChannels]) as tf.Tensor1D;
      // loss = Σ y·w with a random w, so dy is not constant (Σy alone has dx = 0)
      const w = tf.randomNormal(c.shape, 0, 1, 'float32', 4);

      const refGrads = tf.grads((xi, gi, bi) => tf.sum(tf.mul(referenceBn(xi, gi as tf.Tensor1D, bi as tf.Tensor1D), w)));
      const [dxRef, dgRef, dbRef] = refGrads([x, gamma, beta]);
      const ourGrads = tf.grads((xi, gi, bi) =>
        tf.sum(tf.mul(batchNormTrain(xi as tf.Tensor4D | tf.Tensor2D, gi as tf.Tensor1D, bi as tf.Tensor1D, EPS).y, w)),
      );
      const [dx, dg, db] = ourGrads([x, gamma, beta]);

      const out = batchNormTrain(x, gamma, beta, EPS);
      const axes = x.rank === 4 ? [0, 1, 2] : [0];
      const moments = tf.moments(x, axes);
      expect(out.y.shape).toEqual(c.shape);
      expect(relErr(out.y, referenceBn(x, gamma, beta))).toBeLessThan(1e-5);
      expect(relErr(out.mean, moments.mean)).toBeLessThan(1e-6);
      const n = x.size / numChannels;
      expect(relErr(out.unbiasedVariance, tf.mul(moments.variance, n / (n - 1)))).toBeLessThan(1e-6);
      expect(dx!.shape).toEqual(c.shape);
      expect(dg!.shape).toEqual([numChannels]);
      expect(db!.shape).toEqual([numChannels]);
      expect(relErr(dx!, dxRef!)).toBeLessThan(1e-5);
      expect(relErr(dg!, dgRef!)).toBeLessThan(1e-5);
      expect(relErr(db!, dbRef!)).toBeLessThan(1e-5);
      // the check can fail: the gradients are not trivially zero
      expect(dxRef!.abs().max().dataSync()[0]).toBeGreaterThan(1e-3);
    });
  });

  it.each([[1, 1, 2, 3], [2, 6]])('n = 2 values per channel: dx as close to float64 as autodiff is, %o', (...shape) => {
    tf.tidy(() => {
      const numChannels = shape[shape.length - 1]!;
      const x = tf.randomNormal(shape, 0, 1.5, 'float32', 1);
      const gamma = tf.randomNormal([numChannels], 1, 0.5, 'float32', 2) as tf.Tensor1D;
      const beta = tf.zeros([numChannels]) as tf.Tensor1D;
      const w = tf.randomNormal(shape, 0, 1, 'float32', 4); // = dy
      const dxRef = tf.grad((xi) => tf.sum(tf.mul(referenceBn(xi, gamma, beta), w)))(x);
      const dx = tf.grad((xi) => tf.sum(tf.mul(batchNormTrain(xi as tf.Tensor2D, gamma, beta, EPS).y, w)))(x);
      const xs = x.dataSync();
      const dys = w.dataSync();
      const gs = gamma.dataSync();
      const n = xs.length / numChannels;
      const dx64 = new Float64Array(xs.length);
      let termScale = 0; // max |γ·rstd·dy|: the size of the terms that cancel in dx
      for (let c = 0; c < numChannels; c++) {
        let mu = 0;
        for (let i = 0; i < n; i++) mu += xs[i * numChannels + c]! / n;
        let v = 0;
        for (let i = 0; i < n; i++) v += (xs[i * numChannels + c]! - mu) ** 2 / n;
        const rstd = 1 / Math.sqrt(v + EPS);
        let sumDy = 0;
        let sumDyXhat = 0;
        for (let i = 0; i < n; i++) {
          sumDy += dys[i * numChannels + c]!;
          sumDyXhat += dys[i * numChannels + c]! * (xs[i * numChannels + c]! - mu) * rstd;
        }
        for (let i = 0; i < n; i++) {
          const j = i * numChannels + c;
          const xhat = (xs[j]! - mu) * rstd;
          dx64[j] = ((gs[c]! * rstd) / n) * (n * dys[j]! - sumDy - xhat * sumDyXhat);
          termScale = Math.max(termScale, Math.abs(gs[c]! * rstd * dys[j]!));
        }
      }
      const truth = tf.tensor(Array.from(dx64), shape);
      const absErr = (a: tf.Tensor): number => a.sub(truth).abs().max().dataSync()[0]!;
      expect(absErr(dx) / termScale).toBeLessThan(1e-5);
      expect(absErr(dxRef) / termScale).toBeLessThan(1e-5);
      expect(truth.abs().max().dataSync()[0]).toBeGreaterThan(1e-3);
    });
  });

  it('gives the same gradients to tf.Variables through tf.variableGrads, without leaking tensors', () => {
    const x = tf.randomNormal([4, 2, 2, 3], 0, 1, 'float32', 7) as tf.Tensor4D;
    const gamma = tf.variable(tf.tensor1d([0.5, 1, 2]), true, 'bnTest.weight');
    const beta = tf.variable(tf.tensor1d([0.1, -0.2, 0.3]), true, 'bnTest.bias');
    const w = tf.randomNormal([4, 2, 2, 3], 0, 1, 'float32', 8);
    const before = tf.memory().numTensors;
    const ours = tf.variableGrads(() =>
      tf.sum(tf.mul(batchNormTrain(x, gamma as tf.Tensor1D, beta as tf.Tensor1D, EPS).y, w)),
    );
    const ref = tf.variableGrads(() => tf.sum(tf.mul(referenceBn(x, gamma as tf.Tensor1D, beta as tf.Tensor1D), w)));
    expect(relErr(ours.grads['bnTest.weight']!, ref.grads['bnTest.weight']!)).toBeLessThan(1e-5);
    expect(relErr(ours.grads['bnTest.bias']!, ref.grads['bnTest.bias']!)).toBeLessThan(1e-5);
    tf.dispose([ours.value, ref.value, ours.grads, ref.grads]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, gamma, beta, w]);
  });

  it('rejects bad inputs with a message naming the shapes', () => {
    tf.tidy(() => {
      expect(() => batchNormTrain(tf.zeros([1, 1, 1, 3]) as tf.Tensor4D, tf.ones([3]), tf.zeros([3]), EPS)).toThrow(
        /at least 2 values per channel, got 1 for x \[1,1,1,3\]/,
      );
      expect(() => batchNormTrain(tf.zeros([4, 3]) as tf.Tensor2D, tf.ones([2]), tf.zeros([3]), EPS)).toThrow(
        /gamma \[2\] and beta \[3\] must both be \[3\]/,
      );
      expect(() => batchNormTrain(tf.zeros([4, 3, 3]) as unknown as tf.Tensor2D, tf.ones([3]), tf.zeros([3]), EPS)).toThrow(
        /must be \[B, C\] or \[B, H, W, C\], got shape \[4,3,3\]/,
      );
    });
  });
});
