// DINO's loss ops against naive float64 loops: per-sample CE terms, combination scores (sums of a
// combination's terms), the batch loss as the mean of its terms, and the center update.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../random';
import { allCombinations } from '../hvp/combinations';
import { comboWeights, dinoComboLosses, dinoLoss, dinoStudentLogProbs, dinoTeacherProbs, dinoTerms, updateCenter } from './dino';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const randn = (seed: number, n: number) => {
  const r = createRng(seed);
  return Float64Array.from({ length: n }, () => 3 * r.normal());
};

/** Naive float64 term[m][q][v] for teacher rows t [G·M, K], student rows s [V·M, K], view-major. */
function naiveTerms(t: Float64Array, s: Float64Array, c: Float64Array, G: number, V: number, M: number, K: number, tt: number, ts: number): number[][][] {
  const row = (a: Float64Array, r: number) => Array.from(a.subarray(r * K, (r + 1) * K));
  const softmax = (x: number[]) => {
    const mx = Math.max(...x);
    const e = x.map((v) => Math.exp(v - mx));
    const z = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / z);
  };
  const out: number[][][] = [];
  for (let m = 0; m < M; m++) {
    out.push([]);
    for (let q = 0; q < G; q++) {
      const p = softmax(row(t, q * M + m).map((v, k) => (v - c[k]!) / tt));
      out[m]!.push([]);
      for (let v = 0; v < V; v++) {
        const x = row(s, v * M + m).map((a) => a / ts);
        const mx = Math.max(...x);
        const lse = mx + Math.log(x.reduce((a, b) => a + Math.exp(b - mx), 0));
        out[m]![q]!.push(v === q ? 0 : -p.reduce((acc, pk, k) => acc + pk * (x[k]! - lse), 0));
      }
    }
  }
  return out;
}

describe('dino loss ops', () => {
  const G = 4, L = 3, M = 3, K = 7, tt = 0.07, ts = 0.1;
  const V = G + L;
  const t = randn(1, G * M * K);
  const s = randn(2, V * M * K);
  const c = randn(3, K).map((x) => x / 3);
  const naive = naiveTerms(t, s, c, G, V, M, K, tt, ts);

  it('per-sample CE terms equal a naive float64 loop (0 on the diagonal)', async () => {
    const terms = tf.tidy(() => dinoTerms(dinoTeacherProbs(tf.tensor2d(Float32Array.from(t), [G * M, K]), tf.tensor2d(Float32Array.from(c), [1, K]), tt), dinoStudentLogProbs(tf.tensor2d(Float32Array.from(s), [V * M, K]), ts), G, V));
    expect(terms.shape).toEqual([M, G, V]);
    const got = (await terms.array()) as number[][][];
    terms.dispose();
    for (let m = 0; m < M; m++) for (let q = 0; q < G; q++) for (let v = 0; v < V; v++) expect(got[m]![q]![v]!).toBeCloseTo(naive[m]![q]![v]!, 3);
    for (let m = 0; m < M; m++) for (let q = 0; q < G; q++) expect(got[m]![q]![q]).toBe(0);
  });

  it('combination scores are the naive sums of their terms (teacher globals × student views, v ≠ q)', async () => {
    const l = 2;
    const combos = allCombinations(G, L, l); // 4 × C(3, 2) = 12
    expect(combos.numCombos).toBe(12);
    const losses = tf.tidy(() => {
      const terms = tf.tensor3d(naive.flat(2), [M, G, V]);
      return dinoComboLosses(terms, comboWeights(tf.tensor2d(combos.table, [combos.numCombos, 2 + l], 'int32'), G, L));
    });
    const got = (await losses.array()) as number[][];
    losses.dispose();
    for (let m = 0; m < M; m++) {
      for (let ci = 0; ci < combos.numCombos; ci++) {
        const row = Array.from(combos.table.subarray(ci * (2 + l), (ci + 1) * (2 + l)));
        const teachers = row.slice(0, 2);
        const students = [...teachers, ...row.slice(2).map((j) => G + j)];
        let sum = 0;
        for (const q of teachers) for (const v of students) if (v !== q) sum += naive[m]![q]![v]!;
        expect(got[m]![ci]!).toBeCloseTo(sum, 3);
      }
    }
  });

  it('the batch loss is the mean of its per-sample terms', async () => {
    // Teacher: 2 globals; student: the same 2 globals then 3 locals.
    const t2 = t.subarray(0, 2 * M * K);
    const s2 = s.subarray(0, 5 * M * K);
    const n = naiveTerms(t2, s2, c, 2, 5, M, K, tt, ts);
    let sum = 0;
    for (let m = 0; m < M; m++) for (let q = 0; q < 2; q++) for (let v = 0; v < 5; v++) sum += n[m]![q]![v]!;
    const expected = sum / (M * (2 * 5 - 2));
    const loss = tf.tidy(() => dinoLoss(tf.tensor2d(Float32Array.from(t2), [2 * M, K]), tf.tensor2d(Float32Array.from(s2), [5 * M, K]), tf.tensor2d(Float32Array.from(c), [1, K]), tt, ts));
    expect((await loss.data())[0]).toBeCloseTo(expected, 4);
    loss.dispose();
  });

  it('updates the center as m·center + (1 − m)·batch mean of the raw teacher outputs', async () => {
    const center = tf.variable(tf.tensor2d([[1, -2, 0.5]]), false);
    const out = tf.tensor2d([[0, 1, 2], [4, 3, -2]]);
    updateCenter(center, out, 0.9);
    const got = Array.from(await center.data());
    const expected = [0.9 * 1 + 0.1 * 2, 0.9 * -2 + 0.1 * 2, 0.9 * 0.5 + 0.1 * 0];
    got.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 6));
    tf.dispose([center, out]);
  });
});
