// BYOL PairMethod against its parts: selection scores online predictions vs target projections of
// one training-mode forward each (pair op mapped to 2 − 2cos), the probe has no side effects, and
// afterStep updates BN stats and the EMA target with the cosine momentum.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { pairTrainingLoss, probePairLossesOf, selectPairsOf } from '../../../tests/helpers/pairMethodCalls';
import { tinyConfig } from '../../../tests/helpers/tinyConfig';
import { createByolModel } from '../models/byolModel';
import { cosineMomentum } from '../optim/schedules';
import { byolPairLosses, byolTrainingLoss } from './byol';
import { createByolMethod } from './byolMethod';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const N = 3, M = 4;
const config = tinyConfig({ method: 'byol', numViews: N, emaMomentum: 0.9 });
const views = (seed: number): tf.Tensor4D => tf.randomUniform([N * M, 8, 8, 3], -2, 2, 'float32', seed) as tf.Tensor4D;
const values = (m: Map<string, tf.Variable>): Map<string, number[]> => new Map([...m].map(([k, v]) => [k, Array.from(v.dataSync())]));
const viewMajor = (t: tf.Tensor2D): tf.Tensor3D => tf.reshape(t, [N, M, -1]) as tf.Tensor3D;

describe('BYOL method', () => {
  it('selectPairs = BYOL pair losses of online p vs target z\' (training-mode forwards); hard = argmax; both BN sets updated', () => {
    const method = createByolMethod(config, 7);
    const ref = createByolModel(config, 7);
    const x = views(1);
    const { pairLosses, selected } = selectPairsOf(method, x, N, 'hard');
    const on = ref.online(x, true), tg = ref.target(x, true);
    const expected = byolPairLosses(viewMajor(on.p), viewMajor(tg.z)).arraySync();
    const got = pairLosses.arraySync();
    got.forEach((row, m) => row.forEach((v, p) => expect(v).toBeCloseTo(expected[m]![p]!, 5)));
    for (const row of got) for (const v of row) expect(v >= 0 && v <= 4).toBe(true);
    const sel = Array.from(selected.dataSync());
    got.forEach((row, m) => expect(sel[m]).toBe(row.indexOf(Math.max(...row))));
    ref.updateRunningStats([...on.bnStats, ...tg.bnStats]);
    const after = values(method.buffers);
    for (const name of ['backbone.bn1.running_mean', 'target.backbone.bn1.running_var', 'predictor.1.running_mean']) {
      Array.from(ref.buffers.get(name)!.dataSync()).forEach((v, i) => expect(after.get(name)![i], name).toBeCloseTo(v, 5));
    }
    method.dispose();
    ref.dispose();
  });

  it('probePairLosses is eval mode for both networks and changes nothing', () => {
    const method = createByolMethod(config, 8);
    const ref = createByolModel(config, 8);
    const x = views(2);
    const before = values(method.buffers);
    const probe = probePairLossesOf(method, x, N).arraySync();
    expect(values(method.buffers)).toEqual(before);
    const expected = byolPairLosses(viewMajor(ref.online(x, false).p), viewMajor(ref.target(x, false).z)).arraySync();
    probe.forEach((row, m) => row.forEach((v, p) => expect(v).toBeCloseTo(expected[m]![p]!, 5)));
    method.dispose();
    ref.dispose();
  });

  it('training: symmetric loss on separate forwards, no gradient to the target; afterStep = BN stats + EMA with τ_k', () => {
    const method = createByolMethod(config, 9);
    const ref = createByolModel(config, 9);
    const x1 = views(3).slice(0, M), x2 = views(4).slice(0, M);
    const params = [...method.params.values()];
    const { value, grads } = tf.variableGrads(() => pairTrainingLoss(method, x1, x2), params);
    const expected = byolTrainingLoss(ref.online(x1, true).p, ref.target(x1, true).z, ref.online(x2, true).p, ref.target(x2, true).z);
    expect(value.dataSync()[0]).toBeCloseTo(expected.dataSync()[0]!, 5);
    expect(Object.keys(grads)).toHaveLength(params.length);
    // a plain SGD step stands in for the optimizer
    for (const v of params) v.assign(tf.sub(v, tf.mul(grads[v.name]!, 0.5)));
    const targetBefore = values(method.buffers);
    const online = values(method.params);
    const stepIdx = 5, totalSteps = 10; // the step just taken has 0-based index 5 = K/2
    method.afterStep({ stepIdx, totalSteps });
    const tau = cosineMomentum(stepIdx, 0.9, totalSteps);
    expect(tau).toBeCloseTo(0.95, 12);
    const after = values(method.buffers);
    for (const name of ['target.backbone.conv1.weight', 'target.projector.3.bias', 'target.backbone.layer1.0.bn1.weight']) {
      const t0 = targetBefore.get(name)!, o = online.get(name.slice('target.'.length))!;
      t0.forEach((v, i) => expect(after.get(name)![i], name).toBeCloseTo(tau * v + (1 - tau) * o[i]!, 5));
    }
    // the online step moved the projector, so the target differs from the online net now
    expect(after.get('target.projector.3.weight')).not.toEqual(online.get('projector.3.weight'));
    // target BN running stats come from its own training forwards, not the EMA
    expect(after.get('target.backbone.bn1.running_mean')).not.toEqual(targetBefore.get('target.backbone.bn1.running_mean'));
    method.dispose();
    ref.dispose();
  });

  it('refuses an EMA momentum outside [0, 1]', () => {
    expect(() => createByolMethod({ ...config, emaMomentum: 1.2 }, 1)).toThrow(/EMA momentum/);
  });
});
