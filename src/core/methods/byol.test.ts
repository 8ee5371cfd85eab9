// BYOL losses against float64 JS loops: L = 2 − 2cos per row, the symmetric training loss, the
// per-sample pair losses, and selection through the pair op mapped to BYOL's scale.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { pairSelect } from '../ops/pairSelect';
import { createRng } from '../random';
import { pairIndex, pairList } from '../hvp/pairs';
import { byolFromNegCosine, byolPairLosses, byolRegression, byolTrainingLoss } from './byol';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

type Vec = number[];
const dot = (a: Vec, b: Vec): number => a.reduce((s, v, i) => s + v * b[i]!, 0);
const cos = (a: Vec, b: Vec): number => dot(a, b) / (Math.sqrt(dot(a, a)) * Math.sqrt(dot(b, b)));
/** BYOL's L(p, z) = ‖p/‖p‖ − z/‖z‖‖², written as the squared distance, not as 2 − 2cos. */
const l2Normalized = (a: Vec): Vec => a.map((v) => v / Math.sqrt(dot(a, a)));
const byolL = (p: Vec, z: Vec): number => {
  const pn = l2Normalized(p), zn = l2Normalized(z);
  return pn.reduce((s, v, i) => s + (v - zn[i]!) ** 2, 0);
};

function randomArray(size: number, seed: number): number[] {
  const rng = createRng(seed);
  return Array.from({ length: size }, () => rng.normal());
}
function nest(flat: number[], n: number, m: number, d: number): Vec[][] {
  return Array.from({ length: n }, (_, k) => Array.from({ length: m }, (_, i) => flat.slice((k * m + i) * d, (k * m + i + 1) * d)));
}

describe('BYOL losses', () => {
  it('regression loss is the squared distance of normalised vectors (2 − 2cos), no gradient to the target', () => {
    const p = tf.tensor2d(randomArray(20, 1), [4, 5]), z = tf.tensor2d(randomArray(20, 2), [4, 5]);
    const pr = p.arraySync(), zr = z.arraySync();
    const got = byolRegression(p, z).dataSync();
    pr.forEach((row, i) => expect(got[i]).toBeCloseTo(byolL(row, zr[i]!), 5));
    pr.forEach((row, i) => expect(got[i]).toBeCloseTo(2 - 2 * cos(row, zr[i]!), 5));
    const [gp, gz] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(byolRegression(a as tf.Tensor2D, b as tf.Tensor2D)))([p, z]);
    expect(gz!.dataSync().every((v) => v === 0)).toBe(true);
    expect(gp!.dataSync().some((v) => Math.abs(v) > 1e-3)).toBe(true);
    expect(byolRegression(p, tf.mul(p, 2) as tf.Tensor2D).dataSync()[0]).toBeCloseTo(0, 5);
    expect(byolRegression(p, tf.neg(p) as tf.Tensor2D).dataSync()[0]).toBeCloseTo(4, 5);
  });

  it('training loss is ½(mean L(p1, z2\') + mean L(p2, z1\'))', () => {
    const [p1, z1, p2, z2] = [3, 4, 5, 6].map((s) => tf.tensor2d(randomArray(15, s), [3, 5]));
    const [a1, b1, a2, b2] = [p1!, z1!, p2!, z2!].map((t) => t.arraySync());
    let expected = 0;
    for (let i = 0; i < 3; i++) expected += (byolL(a1![i]!, b2![i]!) + byolL(a2![i]!, b1![i]!)) / 6;
    expect(byolTrainingLoss(p1!, z1!, p2!, z2!).dataSync()[0]).toBeCloseTo(expected, 5);
  });

  it('pair losses match a naive loop, and the batch loss of a pair is their mean', () => {
    const N = 4, M = 3, D = 5;
    const pf = randomArray(N * M * D, 7), zf = randomArray(N * M * D, 8);
    const p = nest(pf, N, M, D), z = nest(zf, N, M, D);
    const pt = tf.tensor3d(pf, [N, M, D]), zt = tf.tensor3d(zf, [N, M, D]);
    const got = byolPairLosses(pt, zt).arraySync();
    pairList(N).forEach(([k, l], idx) => {
      for (let m = 0; m < M; m++) expect(got[m]![idx]).toBeCloseTo(0.5 * (byolL(p[k]![m]!, z[l]![m]!) + byolL(p[l]![m]!, z[k]![m]!)), 5);
    });
    const view = (t: tf.Tensor3D, k: number): tf.Tensor2D => tf.squeeze(tf.slice(t, [k, 0, 0], [1, M, D]), [0]); // [M, D]
    for (const [k, l] of [[0, 2], [1, 3]] as const) {
      const batch = byolTrainingLoss(view(pt, k), view(zt, k), view(pt, l), view(zt, l)).dataSync()[0]!;
      const idx = pairIndex(k, l, N);
      expect(batch).toBeCloseTo(got.reduce((s, row) => s + row[idx]!, 0) / M, 5);
    }
  });

  it('the pair op (−cos score) mapped by 2 + 2x gives the same losses, and its selection is the naive argmax / argmin', () => {
    const N = 5, M = 7, D = 6;
    const pf = randomArray(N * M * D, 9), zf = randomArray(N * M * D, 10);
    const p = nest(pf, N, M, D), z = nest(zf, N, M, D);
    const naive = Array.from({ length: M }, (_, m) => pairList(N).map(([k, l]) => 0.5 * (byolL(p[k]![m]!, z[l]![m]!) + byolL(p[l]![m]!, z[k]![m]!))));
    for (const mode of ['hard', 'easy'] as const) {
      const sel = pairSelect(tf.tensor2d(pf, [N * M, D]), tf.tensor2d(zf, [N * M, D]), { numViews: N, numImages: M, score: 'negCosine', mode });
      const losses = byolFromNegCosine(sel.pairLosses).arraySync();
      const picked = Array.from(sel.selected.dataSync());
      for (let m = 0; m < M; m++) {
        naive[m]!.forEach((v, i) => expect(losses[m]![i]).toBeCloseTo(v, 5));
        const target = mode === 'hard' ? Math.max(...naive[m]!) : Math.min(...naive[m]!);
        expect(picked[m]).toBe(naive[m]!.indexOf(target));
      }
    }
  });
});
