import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { knnAccuracy, knnPredict } from './knn';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const l2 = (rows: number[][]) => tf.tidy(() => {
  const t = tf.tensor2d(rows);
  return t.div(t.norm('euclidean', 1, true)) as tf.Tensor2D;
});

describe('weighted kNN', () => {
  it('classifies well-separated clusters perfectly', async () => {
    const bank = l2([[1, 0.1], [1, -0.1], [0.9, 0], [-1, 0.1], [-1, -0.1], [-0.9, 0]]);
    const labels = tf.tensor1d([0, 0, 0, 1, 1, 1], 'int32');
    const q = l2([[1, 0.05], [-1, 0.02]]);
    const ql = tf.tensor1d([0, 1], 'int32');
    expect(await knnAccuracy(bank, labels, q, ql, { k: 3, temperature: 0.07, numClasses: 2 })).toBe(1);
  });

  it('weights votes by exp(sim/T): one close neighbour outvotes two far ones at low T, not at high T', async () => {
    // query at angle 0; class 0 neighbour at 10°, two class 1 neighbours at 60°.
    const deg = (a: number) => [Math.cos((a * Math.PI) / 180), Math.sin((a * Math.PI) / 180)];
    const bank = l2([deg(10), deg(60), deg(-60)]);
    const labels = tf.tensor1d([0, 1, 1], 'int32');
    const q = l2([deg(0)]);
    const low = knnPredict(bank, labels, q, { k: 3, temperature: 0.07, numClasses: 2 });
    const high = knnPredict(bank, labels, q, { k: 3, temperature: 100, numClasses: 2 });
    // hand check: T=0.07: exp(cos10/T)=e^14.07 vs 2·e^(0.5/0.07)=2·e^7.14 → class 0.
    // T=100: weights ≈ 1 each → 1 vs 2 → class 1.
    expect(Array.from(await low.data())).toEqual([0]);
    expect(Array.from(await high.data())).toEqual([1]);
  });

  it('respects k and chunking gives the same answer', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => [Math.cos(i), Math.sin(i), (i % 3) - 1]);
    const bank = l2(rows);
    const labels = tf.tensor1d(rows.map((_, i) => i % 4), 'int32');
    const q = l2(rows.slice(0, 13).map(([a, b, c]) => [a! + 0.01, b!, c!]));
    const a = await knnPredict(bank, labels, q, { k: 1, temperature: 0.07, numClasses: 4, chunkSize: 5 }).data();
    const b = await knnPredict(bank, labels, q, { k: 1, temperature: 0.07, numClasses: 4 }).data();
    expect(Array.from(a)).toEqual(Array.from(b));
    // k=1 → each query's own (perturbed) bank row is nearest
    expect(Array.from(a)).toEqual(Array.from({ length: 13 }, (_, i) => i % 4));
  });

  it('does not leak tensors', async () => {
    const bank = l2([[1, 0], [0, 1]]);
    const labels = tf.tensor1d([0, 1], 'int32');
    const before = tf.memory().numTensors;
    await knnAccuracy(bank, labels, bank, labels, { k: 1, temperature: 0.1, numClasses: 2 });
    expect(tf.memory().numTensors).toBe(before);
  });
});
