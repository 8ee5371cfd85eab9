// EMA of weights (BYOL target update) against a hand computation.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { emaUpdate } from './ema';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('emaUpdate', () => {
  it('target ← τ·target + (1 − τ)·online, leaving the online weights alone', () => {
    const target = tf.variable(tf.tensor2d([[1, 2], [3, 4]]), false);
    const online = tf.variable(tf.tensor2d([[5, 6], [7, 8]]));
    const bias = tf.variable(tf.tensor1d([-1, 1]), false);
    const onlineBias = tf.variable(tf.tensor1d([1, 1]));
    emaUpdate([{ target, online }, { target: bias, online: onlineBias }], 0.75);
    // 0.75·1 + 0.25·5 = 2, 0.75·2 + 0.25·6 = 3, 0.75·3 + 0.25·7 = 4, 0.75·4 + 0.25·8 = 5
    expect(target.arraySync()).toEqual([[2, 3], [4, 5]]);
    expect(bias.arraySync()).toEqual([-0.5, 1]);
    expect(online.arraySync()).toEqual([[5, 6], [7, 8]]);
    emaUpdate([{ target, online }], 0.5); // 0.5·2 + 0.5·5 = 3.5, …
    expect(target.arraySync()).toEqual([[3.5, 4.5], [5.5, 6.5]]);
  });

  it('τ = 1 keeps the target bit-exact, τ = 0 copies the online weights; no tensor leaks', () => {
    const target = tf.variable(tf.tensor1d([0.1, 0.7, -3.3]), false);
    const online = tf.variable(tf.tensor1d([9, 8, 7]));
    const before = tf.memory().numTensors;
    emaUpdate([{ target, online }], 1);
    expect(Array.from(target.dataSync())).toEqual(Array.from(new Float32Array([0.1, 0.7, -3.3])));
    emaUpdate([{ target, online }], 0);
    expect(Array.from(target.dataSync())).toEqual([9, 8, 7]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a momentum outside [0, 1] and mismatched shapes', () => {
    const target = tf.variable(tf.zeros([2]), false);
    const online = tf.variable(tf.zeros([3]));
    expect(() => emaUpdate([{ target, online: target }], 1.5)).toThrow(/momentum must be in \[0, 1\]/);
    expect(() => emaUpdate([{ target, online }], 0.9)).toThrow(/does not match/);
  });
});
