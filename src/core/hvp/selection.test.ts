import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../random';
import { pairList } from './pairs';
import { gatherChosenViews, randomPairs, selectCandidates } from './selection';

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
    const hard = selectCandidates(losses, 'hard');
    expect(hard.dtype).toBe('int32');
    expect(hard.shape).toEqual([3]);
    expect(Array.from(hard.dataSync())).toEqual([1, 1, 4]);
    expect(Array.from(selectCandidates(losses, 'easy').dataSync())).toEqual([2, 0, 5]);
  });

  it('ties keep the earlier pair', () => {
    const losses = tf.tensor2d([
      [0.5, 0.5, 0.5, 0.5, 0.5, 0.5],
      [0.1, 0.2, 0.7, 0.3, 0.7, 0.0],
      [0.1, 0.2, -0.7, 0.3, -0.7, 0.0],
      [0.7, 0.2, 0.1, 0.3, 0.1, 0.7],
    ]);
    expect(Array.from(selectCandidates(losses, 'hard').dataSync())).toEqual([0, 2, 3, 0]);
    expect(Array.from(selectCandidates(losses, 'easy').dataSync())).toEqual([0, 5, 2, 2]);
  });

  it('a NaN row selects pair 0; a single pair selects 0', () => {
    const nanRow = tf.tensor2d([[NaN, NaN, NaN], [0, 2, 1]]);
    expect(Array.from(selectCandidates(nanRow, 'hard').dataSync())).toEqual([0, 1]);
    expect(Array.from(selectCandidates(tf.tensor2d([[3], [-1]]), 'easy').dataSync())).toEqual([0, 0]);
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

  it('gatherChosenViews picks views k·M + m and l·M + m of each image\'s chosen pair, on the device', () => {
    const N = 4, M = 3, S = 2;
    // view v = k·M + m has every pixel equal to 10·k + m
    const values: number[] = [];
    for (let k = 0; k < N; k++) for (let m = 0; m < M; m++) for (let i = 0; i < S * S * 3; i++) values.push(10 * k + m);
    const views = tf.tensor4d(values, [N * M, S, S, 3]);
    const pairs = pairList(N);
    const pairIdx = [5, 0, 3]; // image 0 → (2,3), image 1 → (0,1), image 2 → (1,2)
    const chosen = tf.tensor2d(pairIdx.flatMap((p) => pairs[p]!), [M, 2], 'int32');
    const none = tf.zeros([0, S, S, 3]) as tf.Tensor4D;
    const [g, l] = gatherChosenViews(views, none, chosen, { numGlobals: N, numLocals: 0 });
    expect(g.shape).toEqual([2 * M, S, S, 3]);
    expect(l.shape).toEqual([0, S, S, 3]);
    const f = g.dataSync();
    for (let m = 0; m < M; m++) {
      const [k, j] = pairs[pairIdx[m]!]!;
      for (let i = 0; i < S * S * 3; i++) {
        expect(f[m * S * S * 3 + i]).toBe(10 * k + m);
        expect(f[(M + m) * S * S * 3 + i]).toBe(10 * j + m);
      }
    }
    expect(() => gatherChosenViews(views, none, chosen, { numGlobals: 3, numLocals: 0 })).toThrow(/do not fit/);
  });
});
