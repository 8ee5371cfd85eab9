import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ntXentLogits, simclrPairLosses } from '../methods/simclr';
import { simsiamPairLosses } from '../methods/simsiam';
import { createRng } from '../random';
import { selectCandidates } from '../hvp/selection';
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
      expect(Array.from(out.selected.dataSync())).toEqual(Array.from(selectCandidates(losses, mode).dataSync()));
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

  it.each(CASES)('ntXentLogits equals simclrPairLosses + selectPairs and the naive loop (N=%i, M=%i, D=%i)', (N, M, D) => {
    const zVals = randomValues(N * 31 + D, N * M * D);
    const z = tf.tensor2d(zVals, [N * M, D]); // view-major projections
    for (const temperature of [0.5, 0.1, 0.02]) {
      const g = ntXentLogits(z, temperature); // [N·M, N·M]
      const gVals = g.dataSync();
      const naive = pairLossesNaive(gVals, gVals, { numViews: N, numImages: M, dim: N * M }, 'ntXentLogits');
      const perPair = simclrPairLosses(z.reshape([N, M, D]), temperature); // the batched per-pair definition
      const scale = Math.max(1, ...Array.from(naive, Math.abs));
      for (const mode of ['hard', 'easy'] as const) {
        const out = pairSelect(g, g, { numViews: N, numImages: M, score: 'ntXentLogits', mode });
        expect(out.pairLosses.shape).toEqual([M, (N * (N - 1)) / 2]);
        expect(maxAbsDiff(out.pairLosses.dataSync(), naive)).toBeLessThan(2e-6 * scale);
        expect(maxAbsDiff(out.pairLosses.dataSync(), perPair.dataSync())).toBeLessThan(2e-6 * scale);
        const sel = Array.from(out.selected.dataSync());
        expect(sel).toEqual(Array.from(selectPairsNaive(naive, (N * (N - 1)) / 2, mode)));
        expect(sel).toEqual(Array.from(selectCandidates(perPair, mode).dataSync()));
      }
    }
  });

  it('ntXentLogits by hand (N = 2, M = 2) and zero loss without negatives (M = 1)', () => {
    // G rows/cols: v0 = view 0 img 0, v1 = view 0 img 1, v2 = view 1 img 0, v3 = view 1 img 1.
    const G = [
      [9, 0.3, 0.8, -0.2],
      [0.3, 9, 0.1, 0.5],
      [0.8, 0.1, 9, 0.4],
      [-0.2, 0.5, 0.4, 9],
    ];
    const lse = (xs: number[]) => Math.log(xs.reduce((s, x) => s + Math.exp(x), 0));
    // image 0: row(0→1) anchors v0: negatives v1 (same view), v2 (positive) and v3; row(1→0) anchors v2.
    const r01 = -G[0]![2]! + lse([G[0]![1]!, G[0]![2]!, G[0]![3]!]);
    const r10 = -G[2]![0]! + lse([G[2]![3]!, G[2]![0]!, G[2]![1]!]);
    const g = tf.tensor2d(G);
    const out = pairSelect(g, g, { numViews: 2, numImages: 2, score: 'ntXentLogits', mode: 'hard' });
    expect(out.pairLosses.dataSync()[0]).toBeCloseTo(0.5 * (r01 + r10), 5);
    const one = tf.tensor2d([[10, 3, -1], [3, 10, 2], [-1, 2, 10]]); // N = 3 views of one image
    const single = pairSelect(one, one, { numViews: 3, numImages: 1, score: 'ntXentLogits', mode: 'hard' });
    expect(Array.from(single.pairLosses.dataSync())).toEqual([0, 0, 0]);
    expect(single.selected.dataSync()[0]).toBe(0);
  });

  it('ntXentLogits ties keep the earlier pair: views (y, y, x) of every image tie pairs (0,2) and (1,2)', () => {
    const M = 3, D = 4;
    const y = (m: number) => Array.from(randomValues(40 + m, D));
    const x = (m: number) => Array.from(randomValues(50 + m, D));
    const rows = [0, 1, 2].flatMap((k) => Array.from({ length: M }, (_, m) => (k < 2 ? y(m) : x(m)))); // view-major
    const g = ntXentLogits(tf.tensor2d(rows), 0.2);
    const hard = pairSelect(g, g, { numViews: 3, numImages: M, score: 'ntXentLogits', mode: 'hard' });
    const l = hard.pairLosses.arraySync();
    for (const row of l) {
      expect(row[1]).toBe(row[2]);
      expect(row[0]).toBeLessThan(row[1]!); // (0,1) has the positive cos = 1
    }
    expect(Array.from(hard.selected.dataSync())).toEqual([1, 1, 1]);
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
    expect(() => pairSelect(a, a, { ...attrs, score: 'ntXentLogits' })).toThrow(/square logit matrix G \[N·M = 6, N·M = 6\]/);
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
