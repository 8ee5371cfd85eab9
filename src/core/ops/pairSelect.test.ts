import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { simsiamPairLosses } from '../methods/simsiam';
import { createRng } from '../random';
import { selectPairs } from '../train/selection';
import { PAIR_SELECT, PairSelectError, pairSelect, pairSelectReference, type PairSelectAttrs } from './pairSelect';
import { pairLossesNaive, selectPairsNaive } from './pairSelectNaive';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Seeded normal values, scaled. */
function randomValues(seed: number, n: number, scale = 1): Float32Array {
  const rng = createRng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = scale * (rng.next() * 2 - 1 + (rng.next() - 0.5));
  return out;
}

function maxAbsDiff(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let e = 0;
  for (let i = 0; i < x.length; i++) e = Math.max(e, Math.abs(x[i]! - y[i]!));
  return e;
}

const CASES: Array<[numViews: number, numImages: number, dim: number]> = [
  [2, 1, 5],
  [3, 4, 7],
  [4, 5, 16],
  [8, 3, 33],
];

describe('pairSelect (reference on cpu)', () => {
  it.each(CASES)('negCosine equals simsiamPairLosses + selectPairs and the naive loop (N=%i, M=%i, D=%i)', (N, M, D) => {
    const aVals = randomValues(N * 100 + D, N * M * D);
    const bVals = randomValues(N * 100 + D + 1, N * M * D);
    const a = tf.tensor2d(aVals, [N * M, D]);
    const b = tf.tensor2d(bVals, [N * M, D]);
    for (const mode of ['hard', 'easy'] as const) {
      const out = pairSelect(a, b, { numViews: N, numImages: M, score: 'negCosine', mode });
      const losses = simsiamPairLosses(a.reshape([N, M, D]), b.reshape([N, M, D]));
      expect(out.pairLosses.shape).toEqual([M, (N * (N - 1)) / 2]);
      expect(out.selected.dtype).toBe('int32');
      expect(Array.from(out.pairLosses.dataSync())).toEqual(Array.from(losses.dataSync()));
      expect(Array.from(out.selected.dataSync())).toEqual(Array.from(selectPairs(losses, mode).dataSync()));
      const naive = pairLossesNaive(aVals, bVals, { numViews: N, numImages: M, dim: D }, 'negCosine');
      expect(maxAbsDiff(out.pairLosses.dataSync(), naive)).toBeLessThan(1e-5);
      expect(Array.from(out.selected.dataSync())).toEqual(Array.from(selectPairsNaive(naive, (N * (N - 1)) / 2, mode)));
    }
  });

  it.each(CASES)('crossEntropy equals the naive loop (N=%i, M=%i, D=%i)', (N, M, D) => {
    // Logits as DINO passes them: student / 0.1 and (teacher − center) / 0.04 give values of tens.
    const aVals = randomValues(N * 7 + D, N * M * D, 10);
    const bVals = randomValues(N * 7 + D + 3, N * M * D, 25);
    const a = tf.tensor2d(aVals, [N * M, D]);
    const b = tf.tensor2d(bVals, [N * M, D]);
    const naive = pairLossesNaive(aVals, bVals, { numViews: N, numImages: M, dim: D }, 'crossEntropy');
    for (const mode of ['hard', 'easy'] as const) {
      const out = pairSelect(a, b, { numViews: N, numImages: M, score: 'crossEntropy', mode });
      const scale = Math.max(...Array.from(naive, Math.abs));
      expect(maxAbsDiff(out.pairLosses.dataSync(), naive)).toBeLessThan(1e-5 * Math.max(1, scale));
      expect(Array.from(out.selected.dataSync())).toEqual(Array.from(selectPairsNaive(naive, (N * (N - 1)) / 2, mode)));
    }
  });

  it('crossEntropy of one pair by hand: f(x, y) = −Σ softmax(y)·log_softmax(x), symmetrised', () => {
    const a = tf.tensor2d([[1, 2, 0], [0, 0, 3]]); // views 0, 1 of one image
    const b = tf.tensor2d([[0, 1, 1], [2, 0, -1]]);
    const sm = (v: number[]) => v.map((x) => Math.exp(x) / v.reduce((s, y) => s + Math.exp(y), 0));
    const lsm = (v: number[]) => v.map((x) => x - Math.log(v.reduce((s, y) => s + Math.exp(y), 0)));
    const ce = (x: number[], y: number[]) => -sm(y).reduce((s, q, j) => s + q * lsm(x)[j]!, 0);
    const expected = 0.5 * (ce([1, 2, 0], [2, 0, -1]) + ce([0, 0, 3], [0, 1, 1]));
    const out = pairSelect(a, b, { numViews: 2, numImages: 1, score: 'crossEntropy', mode: 'hard' });
    expect(out.pairLosses.dataSync()[0]).toBeCloseTo(expected, 5);
  });

  it('ties keep the earlier pair: identical views, and two tied extremes not at pair 0', () => {
    const x = [1, 0.5, -2, 0.25];
    const y = [0.3, -1, 0.7, 2];
    for (const score of ['negCosine', 'crossEntropy'] as const) {
      // Identical views: every pair loss equal → pair 0 in both modes.
      const same = tf.tensor2d([x, x, x, x], [4, 4]); // N = 4, M = 1
      for (const mode of ['hard', 'easy'] as const) {
        const out = pairSelect(same, same, { numViews: 4, numImages: 1, score, mode });
        const l = out.pairLosses.dataSync();
        expect(new Set(Array.from(l)).size).toBe(1);
        expect(out.selected.dataSync()[0]).toBe(0);
      }
      // Views (y, y, x), a = b: pair (0,1) compares y with y; pairs (0,2) and (1,2) are the same
      // computation on equal data, an exact tie at indices 1 and 2.
      const v = tf.tensor2d([y, y, x], [3, 4]); // N = 3, M = 1
      const hard = pairSelect(v, v, { numViews: 3, numImages: 1, score, mode: 'hard' });
      const l = hard.pairLosses.dataSync();
      expect(l[1]).toBe(l[2]);
      expect(l[0]).toBeLessThan(l[1]!);
      expect(hard.selected.dataSync()[0]).toBe(1);
    }
    // Tied minima at pairs 1 and 2: views (1,1), (1,−1), (1,0) with a = b have pair losses
    // [0, −1/√2, −1/√2], computed from bit-identical dot products and norms.
    const w = tf.tensor2d([[1, 1], [1, -1], [1, 0]]);
    const easy = pairSelect(w, w, { numViews: 3, numImages: 1, score: 'negCosine', mode: 'easy' });
    const le = easy.pairLosses.dataSync();
    expect(le[1]).toBe(le[2]);
    expect(le[0]).toBeCloseTo(0, 6);
    expect(easy.selected.dataSync()[0]).toBe(1);
  });

  it('a row with a NaN selects pair 0; other rows are unaffected', () => {
    const N = 3, M = 2, D = 4;
    const vals = randomValues(9, N * M * D);
    vals[(2 * M + 1) * D + 1] = NaN; // view 2 of image 1
    const a = tf.tensor2d(vals, [N * M, D]);
    const b = tf.tensor2d(randomValues(10, N * M * D), [N * M, D]);
    for (const score of ['negCosine', 'crossEntropy'] as const) {
      for (const mode of ['hard', 'easy'] as const) {
        const attrs: PairSelectAttrs = { numViews: N, numImages: M, score, mode };
        const out = pairSelect(a, b, attrs);
        const naive = pairLossesNaive(vals, b.dataSync(), { numViews: N, numImages: M, dim: D }, score);
        const sel = selectPairsNaive(naive, 3, mode);
        expect(sel[1]).toBe(0);
        expect(Array.from(out.selected.dataSync())).toEqual(Array.from(sel));
        expect(Number.isNaN(out.pairLosses.dataSync()[3 + 1])).toBe(true); // pair (0,2) of image 1
      }
    }
  });

  it('rejects inputs outside the contract with a PairSelectError naming the input', () => {
    const a = tf.zeros([6, 3]) as tf.Tensor2D;
    const attrs: PairSelectAttrs = { numViews: 3, numImages: 2, score: 'negCosine', mode: 'hard' };
    expect(() => pairSelect(a, tf.zeros([6, 4]) as tf.Tensor2D, attrs)).toThrow(/b must have the shape of a/);
    expect(() => pairSelect(a, a, { ...attrs, numImages: 3 })).toThrow(/a must be \[N·M = 9/);
    expect(() => pairSelect(a, a, { ...attrs, numViews: 1, numImages: 6 })).toThrow(PairSelectError);
    expect(() => pairSelect(a, a, { ...attrs, score: 'ntXent' as never })).toThrow(/unknown score/);
  });
});

describe('pairSelect dispatch', () => {
  afterEach(() => {
    if (tf.getKernel(PAIR_SELECT, 'cpu')) tf.unregisterKernel(PAIR_SELECT, 'cpu');
  });

  it('runs the kernel registered for the active backend, with the attrs, and returns its two outputs', () => {
    const calls: PairSelectAttrs[] = [];
    tf.registerKernel({
      kernelName: PAIR_SELECT,
      backendName: 'cpu',
      kernelFunc: ({ inputs, attrs, backend }) => {
        calls.push(attrs as unknown as PairSelectAttrs);
        const cpu = backend as tf.KernelBackend;
        const a = tf.engine().makeTensorFromTensorInfo(inputs.a!);
        expect(a.shape).toEqual([4, 2]);
        const losses = cpu.write(new Float32Array([7, 8]), [2, 1], 'float32');
        const sel = cpu.write(new Int32Array([0, 0]), [2], 'int32');
        return [
          { dataId: losses, shape: [2, 1], dtype: 'float32' },
          { dataId: sel, shape: [2], dtype: 'int32' },
        ];
      },
    });
    const a = tf.ones([4, 2]) as tf.Tensor2D;
    const out = pairSelect(a, a, { numViews: 2, numImages: 2, score: 'crossEntropy', mode: 'easy' });
    expect(calls).toEqual([{ numViews: 2, numImages: 2, score: 'crossEntropy', mode: 'easy' }]);
    expect(Array.from(out.pairLosses.dataSync())).toEqual([7, 8]);
    expect(out.selected.dtype).toBe('int32');
    // Without the kernel the reference runs: two identical views have loss −1.
    tf.unregisterKernel(PAIR_SELECT, 'cpu');
    expect(Array.from(pairSelect(a, a, { numViews: 2, numImages: 2, score: 'negCosine', mode: 'hard' }).pairLosses.dataSync()))
      .toEqual([-1, -1].map((v) => expect.closeTo(v, 6)) as unknown as number[]);
  });

  it('pairSelectReference never dispatches to a registered kernel', () => {
    tf.registerKernel({ kernelName: PAIR_SELECT, backendName: 'cpu', kernelFunc: () => { throw new Error('kernel called'); } });
    const a = tf.ones([4, 2]) as tf.Tensor2D;
    expect(() => pairSelect(a, a, { numViews: 2, numImages: 2, score: 'negCosine', mode: 'hard' })).toThrow('kernel called');
    const ref = pairSelectReference(a, a, { numViews: 2, numImages: 2, score: 'negCosine', mode: 'hard' });
    expect(ref.pairLosses.shape).toEqual([2, 1]);
  });
});
