import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../random';
import { pairList } from './pairs';
import { gatherPairViews, randomPairs, selectPairs } from './selection';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('selection', () => {
  it('hard picks the max-loss pair and easy the min-loss pair per image', () => {
    const losses = tf.tensor2d([
      [0.1, 0.5, -0.2, 0.3, 0.0, 0.4],
      [-0.9, -0.1, -0.5, -0.3, -0.2, -0.8],
      [0.2, 0.1, 0.0, 0.3, 0.9, -0.4],
    ]);
    const hard = selectPairs(losses, 'hard');
    expect(hard.dtype).toBe('int32');
    expect(hard.shape).toEqual([3]);
    expect(Array.from(hard.dataSync())).toEqual([1, 1, 4]);
    expect(Array.from(selectPairs(losses, 'easy').dataSync())).toEqual([2, 0, 5]);
  });

  it('ties keep the earlier pair', () => {
    const losses = tf.tensor2d([
      [0.5, 0.5, 0.5, 0.5, 0.5, 0.5],
      [0.1, 0.2, 0.7, 0.3, 0.7, 0.0],
      [0.1, 0.2, -0.7, 0.3, -0.7, 0.0],
      [0.7, 0.2, 0.1, 0.3, 0.1, 0.7],
    ]);
    expect(Array.from(selectPairs(losses, 'hard').dataSync())).toEqual([0, 2, 3, 0]);
    expect(Array.from(selectPairs(losses, 'easy').dataSync())).toEqual([0, 5, 2, 2]);
  });

  it('a NaN row selects pair 0; a single pair selects 0', () => {
    const nanRow = tf.tensor2d([[NaN, NaN, NaN], [0, 2, 1]]);
    expect(Array.from(selectPairs(nanRow, 'hard').dataSync())).toEqual([0, 1]);
    expect(Array.from(selectPairs(tf.tensor2d([[3], [-1]]), 'easy').dataSync())).toEqual([0, 0]);
  });

  it('randomPairs is deterministic by seed, in range, and covers every pair', () => {
    const a = randomPairs(createRng(5), 600, 4);
    const b = randomPairs(createRng(5), 600, 4);
    const c = randomPairs(createRng(6), 600, 4);
    expect(a).toBeInstanceOf(Int32Array);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    const counts = new Array(6).fill(0);
    for (const v of a) {
      expect(v >= 0 && v < 6).toBe(true);
      counts[v]++;
    }
    for (const n of counts) expect(n).toBeGreaterThan(60);
    expect(Array.from(randomPairs(createRng(1), 10, 2))).toEqual(new Array(10).fill(0));
    expect(() => randomPairs(createRng(1), 3, 1)).toThrow(RangeError);
  });

  it('gatherPairViews picks views k·M + m and l·M + m of each image, on the device', () => {
    const N = 4, M = 3, S = 2;
    // view v = k·M + m has every pixel equal to 10·k + m
    const values: number[] = [];
    for (let k = 0; k < N; k++) for (let m = 0; m < M; m++) for (let i = 0; i < S * S * 3; i++) values.push(10 * k + m);
    const views = tf.tensor4d(values, [N * M, S, S, 3]);
    const pairs = pairList(N);
    const pairIdx = [5, 0, 3]; // image 0 → (2,3), image 1 → (0,1), image 2 → (1,2)
    const [first, second] = gatherPairViews(views, tf.tensor1d(pairIdx, 'int32'), N);
    expect(first.shape).toEqual([M, S, S, 3]);
    expect(second.shape).toEqual([M, S, S, 3]);
    const f = first.dataSync(), s = second.dataSync();
    for (let m = 0; m < M; m++) {
      const [k, l] = pairs[pairIdx[m]!]!;
      for (let i = 0; i < S * S * 3; i++) {
        expect(f[m * S * S * 3 + i]).toBe(10 * k + m);
        expect(s[m * S * S * 3 + i]).toBe(10 * l + m);
      }
    }
  });

  it('gatherPairViews composes with selectPairs and frees its intermediates', () => {
    const views = tf.randomUniform([8, 2, 2, 3], 0, 1, 'float32', 3) as tf.Tensor4D; // N = 4, M = 2
    const losses = tf.tensor2d([[0, 0, 0, 0, 0, 1], [1, 0, 0, 0, 0, 0]]);
    const before = tf.memory().numTensors;
    const idx = selectPairs(losses, 'hard');
    const [a, b] = gatherPairViews(views, idx, 4);
    expect(tf.memory().numTensors).toBe(before + 3);
    // image 0: pair 5 = (2, 3) → rows 4 and 6; image 1: pair 0 = (0, 1) → rows 1 and 3
    const rows = (r: number[]) => tf.gather(views, tf.tensor1d(r, 'int32')).dataSync();
    expect(Array.from(a.dataSync())).toEqual(Array.from(rows([4, 1])));
    expect(Array.from(b.dataSync())).toEqual(Array.from(rows([6, 3])));
    expect(() => gatherPairViews(views, idx, 3)).toThrow(/multiple/);
    expect(() => gatherPairViews(views, tf.tensor1d([0], 'int32'), 4)).toThrow(/2 pair indices/);
  });
});
