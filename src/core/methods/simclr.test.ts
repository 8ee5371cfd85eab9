// NT-Xent (SimCLR) losses against a float64 JS loop written from the authors' NTXentLoss / acs_fwd
// (automl/hvp simclr branch): row losses, batch loss, per-sample pair losses and the selection.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../random';
import { pairIndex, pairList } from '../hvp/pairs';
import { selectCandidates } from '../hvp/selection';
import { ntXentLoss, ntXentRowLosses, simclrPairLosses } from './simclr';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

type Vec = number[];
const dot = (a: Vec, b: Vec): number => a.reduce((s, v, i) => s + v * b[i]!, 0);
const cos = (a: Vec, b: Vec): number => dot(a, b) / (Math.sqrt(dot(a, a)) * Math.sqrt(dot(b, b)));

function randomArray(size: number, seed: number): number[] {
  const rng = createRng(seed);
  return Array.from({ length: size }, () => rng.normal());
}
/** [N][M][D] nested numbers from a flat view-major array. */
function nest(flat: number[], n: number, m: number, d: number): Vec[][] {
  return Array.from({ length: n }, (_, k) => Array.from({ length: m }, (_, i) => flat.slice((k * m + i) * d, (k * m + i + 1) * d)));
}

/** The authors' row losses, literally: Z = cat(z1, z2), sim/T, self −inf, positive rolled by M, CE with label 0. */
function naiveRows(z1: Vec[], z2: Vec[], t: number): number[] {
  const z = [...z1, ...z2];
  const n = z.length;
  return z.map((zi, i) => {
    const pos = (i + n / 2) % n;
    const logits = [cos(zi, z[pos]!) / t];
    for (let j = 0; j < n; j++) if (j !== pos) logits.push(j === i ? -Infinity : cos(zi, z[j]!) / t);
    const mx = Math.max(...logits);
    return -(logits[0]! - mx - Math.log(logits.reduce((s, v) => s + Math.exp(v - mx), 0)));
  });
}

describe('NT-Xent', () => {
  it('row losses equal the authors\' cross-entropy with in-batch negatives; the batch loss is their mean', () => {
    const M = 5, D = 6, T = 0.2;
    const a = randomArray(M * D, 1), b = randomArray(M * D, 2);
    const z1 = tf.tensor2d(a, [M, D]), z2 = tf.tensor2d(b, [M, D]);
    const expected = naiveRows(nest(a, 1, M, D)[0]!, nest(b, 1, M, D)[0]!, T);
    const rows = ntXentRowLosses(tf.expandDims(z1, 0) as tf.Tensor3D, tf.expandDims(z2, 0) as tf.Tensor3D, T).arraySync()[0]!;
    expect(rows).toHaveLength(2 * M);
    rows.forEach((r, i) => expect(r).toBeCloseTo(expected[i]!, 4));
    const mean = expected.reduce((s, v) => s + v, 0) / (2 * M);
    expect(ntXentLoss(z1, z2, T).dataSync()[0]).toBeCloseTo(mean, 4);
    // identical views with orthogonal images give the lowest loss of this batch size, log(1 + (2M − 2)·e^{0})
    const eye = tf.eye(M, D) as tf.Tensor2D;
    expect(ntXentLoss(eye, eye, 1).dataSync()[0]).toBeCloseTo(-1 + Math.log(Math.E + 2 * M - 2), 5);
  });

  it('the temperature scales the logits; a non-positive temperature is refused', () => {
    const M = 4, D = 3;
    const a = randomArray(M * D, 3), b = randomArray(M * D, 4);
    for (const T of [0.05, 0.5, 2]) {
      const expected = naiveRows(nest(a, 1, M, D)[0]!, nest(b, 1, M, D)[0]!, T);
      const got = ntXentLoss(tf.tensor2d(a, [M, D]), tf.tensor2d(b, [M, D]), T).dataSync()[0]!;
      expect(got).toBeCloseTo(expected.reduce((s, v) => s + v, 0) / (2 * M), 3);
    }
    expect(() => ntXentLoss(tf.tensor2d(a, [M, D]), tf.tensor2d(b, [M, D]), 0)).toThrow(/temperature must be a positive/);
  });

  it('with one image there are no negatives and the loss is 0', () => {
    expect(ntXentLoss(tf.tensor2d([[1, 2]]), tf.tensor2d([[-3, 1]]), 0.1).dataSync()[0]).toBeCloseTo(0, 6);
  });

  it('gives finite gradients to both views (the self-mask makes no NaN)', () => {
    const z1 = tf.tensor2d(randomArray(12, 5), [4, 3]), z2 = tf.tensor2d(randomArray(12, 6), [4, 3]);
    const [g1, g2] = tf.grads((a: tf.Tensor, b: tf.Tensor) => ntXentLoss(a as tf.Tensor2D, b as tf.Tensor2D, 0.1))([z1, z2]);
    for (const g of [g1!, g2!]) {
      expect(g.dataSync().every(Number.isFinite)).toBe(true);
      expect(g.dataSync().some((v) => Math.abs(v) > 1e-4)).toBe(true);
    }
  });
});

describe('SimCLR pair losses', () => {
  const N = 4, M = 3, D = 5, T = 0.2;
  const flat = randomArray(N * M * D, 7);
  const zs = nest(flat, N, M, D);

  it('equal ½ × the authors\' acs_fwd sum (row of anchor k + row of anchor l, negatives from that pair only)', () => {
    const got = simclrPairLosses(tf.tensor3d(flat, [N, M, D]), T).arraySync();
    expect(got).toHaveLength(M);
    pairList(N).forEach(([k, l], p) => {
      const rows = naiveRows(zs[k]!, zs[l]!, T);
      for (let m = 0; m < M; m++) {
        const authorsSum = rows[m]! + rows[M + m]!;
        expect(got[m]![p]).toBeCloseTo(authorsSum / 2, 4);
      }
    });
  });

  it('the batch NT-Xent of a pair is the mean of its per-sample losses (= mean of the authors\' sums / 2)', () => {
    const z = tf.tensor3d(flat, [N, M, D]);
    const losses = simclrPairLosses(z, T).arraySync();
    const view = (k: number): tf.Tensor2D => tf.squeeze(tf.slice(z, [k, 0, 0], [1, M, D]), [0]); // [M, D]
    for (const [k, l] of [[0, 1], [1, 3], [2, 3]] as const) {
      const batch = ntXentLoss(view(k), view(l), T).dataSync()[0]!;
      const p = pairIndex(k, l, N);
      expect(batch).toBeCloseTo(losses.reduce((s, row) => s + row[p]!, 0) / M, 5);
      const rows = naiveRows(zs[k]!, zs[l]!, T);
      const meanAuthorsSum = Array.from({ length: M }, (_, m) => rows[m]! + rows[M + m]!).reduce((s, v) => s + v, 0) / M;
      expect(batch).toBeCloseTo(meanAuthorsSum / 2, 4);
    }
  });

  it('hard selection picks the authors\' argmax pair and easy the argmin', () => {
    const bigN = 5, bigM = 6, d = 4;
    const f = randomArray(bigN * bigM * d, 11);
    const z = nest(f, bigN, bigM, d);
    const losses = simclrPairLosses(tf.tensor3d(f, [bigN, bigM, d]), T);
    const hard = Array.from(selectCandidates(losses, 'hard').dataSync());
    const easy = Array.from(selectCandidates(losses, 'easy').dataSync());
    const sums = pairList(bigN).map(([k, l]) => {
      const rows = naiveRows(z[k]!, z[l]!, T);
      return Array.from({ length: bigM }, (_, m) => rows[m]! + rows[bigM + m]!);
    }); // [P][M]
    for (let m = 0; m < bigM; m++) {
      const col = sums.map((s) => s[m]!);
      expect(hard[m]).toBe(col.indexOf(Math.max(...col)));
      expect(easy[m]).toBe(col.indexOf(Math.min(...col)));
    }
  });

  it('rejects a single view', () => {
    expect(() => simclrPairLosses(tf.zeros([1, 2, 3]) as tf.Tensor3D, T)).toThrow(/2 views/);
  });
});
