// SimCLR PairMethod against its parts: the selection forward is one training-mode forward of all
// views scored by simclrPairLosses (running stats updated), the probe is eval mode without side
// effects, training is one concatenated forward of the two views with the mean NT-Xent.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { pairTrainingLoss, probePairLossesOf, selectPairsOf } from '../../../tests/helpers/pairMethodCalls';
import { tinyConfig } from '../../../tests/helpers/tinyConfig';
import { createSimClrModel } from '../models/simclrModel';
import { createSimClrMethod } from './simclrMethod';
import { ntXentLoss, simclrPairLosses } from './simclr';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const N = 3, M = 4;
const config = tinyConfig({ method: 'simclr', numViews: N, temperature: 0.3 });
const views = (seed: number): tf.Tensor4D => tf.randomUniform([N * M, 8, 8, 3], -2, 2, 'float32', seed) as tf.Tensor4D;
const values = (m: Map<string, tf.Variable>): Map<string, number[]> => new Map([...m].map(([k, v]) => [k, Array.from(v.dataSync())]));

describe('SimCLR method', () => {
  it('selectPairs = simclrPairLosses of one training-mode forward of all views (via the pair op); hard = argmax; running stats updated', () => {
    const method = createSimClrMethod(config, 7);
    const ref = createSimClrModel(config, 7);
    const x = views(1);
    const { pairLosses, selected } = selectPairsOf(method, x, N, 'hard');
    const out = ref.forward(x, true);
    const expected = simclrPairLosses(tf.reshape(out.z, [N, M, -1]) as tf.Tensor3D, 0.3).arraySync();
    const got = pairLosses.arraySync();
    expect(pairLosses.shape).toEqual([M, 3]);
    got.forEach((row, m) => row.forEach((v, p) => expect(v).toBeCloseTo(expected[m]![p]!, 5)));
    const sel = Array.from(selected.dataSync());
    got.forEach((row, m) => expect(sel[m]).toBe(row.indexOf(Math.max(...row))));
    // The selection the per-pair definition gives (what selectPairs ran before the pair op), exactly.
    expect(sel).toEqual(expected.map((row) => row.indexOf(Math.max(...row))));
    ref.updateRunningStats(out.bnStats);
    const after = values(method.buffers);
    for (const [k, v] of ref.buffers) Array.from(v.dataSync()).forEach((x0, i) => expect(after.get(k)![i], k).toBeCloseTo(x0, 5));
    const easy = Array.from(selectPairsOf(method, x, N, 'easy').selected.dataSync());
    expect(easy).not.toEqual(sel); // with 3 distinct losses per image, easy and hard differ
    method.dispose();
    ref.dispose();
  });

  it('probePairLosses uses eval-mode BN and changes nothing', () => {
    const method = createSimClrMethod(config, 8);
    const ref = createSimClrModel(config, 8);
    const x = views(2);
    const before = values(method.buffers);
    const probe = probePairLossesOf(method, x, N).arraySync();
    expect(values(method.buffers)).toEqual(before);
    const expected = simclrPairLosses(tf.reshape(ref.forward(x, false).z, [N, M, -1]) as tf.Tensor3D, 0.3).arraySync();
    probe.forEach((row, m) => row.forEach((v, p) => expect(v).toBeCloseTo(expected[m]![p]!, 5)));
    method.dispose();
    ref.dispose();
  });

  it('trainingLoss forwards the two views concatenated and takes the mean NT-Xent; afterStep applies its BN stats', () => {
    const method = createSimClrMethod(config, 9);
    const ref = createSimClrModel(config, 9);
    const x1 = views(3).slice(0, M), x2 = views(4).slice(0, M);
    const { value, grads } = tf.variableGrads(() => pairTrainingLoss(method, x1, x2), [...method.params.values()]);
    const out = ref.forward(tf.concat([x1, x2]), true);
    const expected = ntXentLoss(out.z.slice(0, M), out.z.slice(M, M), 0.3).dataSync()[0]!;
    expect(value.dataSync()[0]).toBeCloseTo(expected, 5);
    // separate forwards (per-view BN batches) would give another value
    const sep = ntXentLoss(ref.forward(x1, true).z, ref.forward(x2, true).z, 0.3).dataSync()[0]!;
    expect(Math.abs(sep - expected)).toBeGreaterThan(1e-4);
    for (const [name, v] of method.params) {
      const g = grads[v.name]!;
      expect(g.dataSync().every(Number.isFinite), name).toBe(true);
    }
    method.afterStep({ stepIdx: 0, totalSteps: 10 });
    ref.updateRunningStats(out.bnStats);
    const got = values(method.buffers);
    for (const [k, v] of ref.buffers) Array.from(v.dataSync()).forEach((x0, i) => expect(got.get(k)![i], k).toBeCloseTo(x0, 5));
    method.dispose();
    ref.dispose();
  });

  it('refuses a non-positive temperature', () => {
    expect(() => createSimClrMethod({ ...config, temperature: 0 }, 1)).toThrow(/temperature must be positive/);
  });
});
