import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../random';
import { pairIndex, pairList } from '../hvp/pairs';
import { negCosine, simsiamPairLosses, simsiamTrainingLoss, stopGradient } from './simsiam';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

type Vec = number[];
const dot = (a: Vec, b: Vec): number => a.reduce((s, v, i) => s + v * b[i]!, 0);
const cos = (a: Vec, b: Vec): number => dot(a, b) / (Math.sqrt(dot(a, a)) * Math.sqrt(dot(b, b)));

function randomArray(shape: number[], seed: number): number[] {
  const rng = createRng(seed);
  return Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal());
}
/** [N][M][D] nested numbers from a flat view-major array. */
function nest(flat: number[], n: number, m: number, d: number): Vec[][] {
  return Array.from({ length: n }, (_, k) =>
    Array.from({ length: m }, (_, i) => flat.slice((k * m + i) * d, (k * m + i + 1) * d)),
  );
}

describe('simsiam losses', () => {
  it('stopGradient is the identity forward with a zero gradient', () => {
    const x = tf.tensor1d([1, -2, 3]);
    expect(Array.from(stopGradient(x).dataSync())).toEqual([1, -2, 3]);
    const [g] = tf.grads((a: tf.Tensor) => tf.sum(tf.mul(stopGradient(a), a)))([x]);
    // d/dx sum(sg(x)·x) = sg(x) = x, not 2x
    expect(Array.from(g!.dataSync())).toEqual([1, -2, 3]);
  });

  it('negCosine is −cos per row; dLoss/dz is exactly zero, dLoss/dp is not', () => {
    const p = tf.tensor2d(randomArray([5, 7], 1), [5, 7]);
    const z = tf.tensor2d(randomArray([5, 7], 2), [5, 7]);
    const pr = p.arraySync(), zr = z.arraySync();
    const d = negCosine(p, z).dataSync();
    pr.forEach((row, i) => expect(d[i]).toBeCloseTo(-cos(row, zr[i]!), 5));
    const [gp, gz] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(negCosine(a as tf.Tensor2D, b as tf.Tensor2D)))([p, z]);
    expect(gz!.dataSync().every((v) => v === 0)).toBe(true);
    expect(gp!.dataSync().some((v) => Math.abs(v) > 1e-3)).toBe(true);
    // identical directions give −1, opposite give +1
    expect(negCosine(p, tf.mul(p, 3) as tf.Tensor2D).dataSync()[0]).toBeCloseTo(-1, 5);
    expect(negCosine(p, tf.neg(p) as tf.Tensor2D).dataSync()[0]).toBeCloseTo(1, 5);
  });

  it('training loss is ½(mean D(p1, z2) + mean D(p2, z1)) and gives no gradient to z', () => {
    const [p1, z1, p2, z2] = [3, 4, 5, 6].map((s) => tf.tensor2d(randomArray([4, 5], s), [4, 5]));
    const [a1, b1, a2, b2] = [p1!, z1!, p2!, z2!].map((t) => t.arraySync());
    let expected = 0;
    for (let i = 0; i < 4; i++) expected += (-cos(a1![i]!, b2![i]!) - cos(a2![i]!, b1![i]!)) / 8;
    expect(simsiamTrainingLoss(p1!, z1!, p2!, z2!).dataSync()[0]).toBeCloseTo(expected, 5);
    const grads = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, d: tf.Tensor) =>
      simsiamTrainingLoss(a as tf.Tensor2D, b as tf.Tensor2D, c as tf.Tensor2D, d as tf.Tensor2D),
    )([p1!, z1!, p2!, z2!]);
    expect(grads[1]!.dataSync().every((v) => v === 0)).toBe(true);
    expect(grads[3]!.dataSync().every((v) => v === 0)).toBe(true);
  });

  it('pair losses match a naive loop over pairs (N = 4, M = 3)', () => {
    const N = 4, M = 3, D = 5;
    const pFlat = randomArray([N, M, D], 7), zFlat = randomArray([N, M, D], 8);
    const out = simsiamPairLosses(tf.tensor3d(pFlat, [N, M, D]), tf.tensor3d(zFlat, [N, M, D]));
    expect(out.shape).toEqual([M, 6]);
    const got = out.arraySync();
    const p = nest(pFlat, N, M, D), z = nest(zFlat, N, M, D);
    for (let m = 0; m < M; m++) {
      pairList(N).forEach(([k, l], idx) => {
        const expected = 0.5 * (-cos(p[k]![m]!, z[l]![m]!) - cos(p[l]![m]!, z[k]![m]!));
        expect(got[m]![idx]).toBeCloseTo(expected, 5);
      });
    }
  });

  it('the batch training loss of a pair equals the mean of its per-sample pair losses', () => {
    const N = 4, M = 3, D = 5;
    const p = tf.tensor3d(randomArray([N, M, D], 9), [N, M, D]);
    const z = tf.tensor3d(randomArray([N, M, D], 10), [N, M, D]);
    const losses = simsiamPairLosses(p, z).arraySync();
    const view = (t: tf.Tensor3D, k: number): tf.Tensor2D => tf.squeeze(tf.slice(t, [k, 0, 0], [1, M, D]), [0]); // [M, D]
    for (const [k, l] of [[0, 1], [1, 3], [2, 3]] as const) {
      const batch = simsiamTrainingLoss(view(p, k), view(z, k), view(p, l), view(z, l)).dataSync()[0]!;
      const idx = pairIndex(k, l, N);
      const mean = losses.reduce((s, row) => s + row[idx]!, 0) / M;
      expect(batch).toBeCloseTo(mean, 5);
    }
  });

  it('pair losses pass no gradient to z and reject mismatched shapes', () => {
    const p = tf.tensor3d(randomArray([3, 2, 4], 11), [3, 2, 4]);
    const z = tf.tensor3d(randomArray([3, 2, 4], 12), [3, 2, 4]);
    const [gp, gz] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(simsiamPairLosses(a as tf.Tensor3D, b as tf.Tensor3D)))([p, z]);
    expect(gz!.dataSync().every((v) => v === 0)).toBe(true);
    expect(gp!.dataSync().some((v) => Math.abs(v) > 1e-3)).toBe(true);
    expect(() => simsiamPairLosses(p, tf.zeros([3, 2, 5]) as tf.Tensor3D)).toThrow(/same shape/);
    expect(() => simsiamPairLosses(tf.zeros([1, 2, 4]) as tf.Tensor3D, tf.zeros([1, 2, 4]) as tf.Tensor3D)).toThrow(/2 views/);
  });
});
