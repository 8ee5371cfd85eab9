// BYOL model: online params, the target as a non-trainable exact copy under `target.*` in buffers,
// the EMA update of the target by hand, target BN statistics kept apart from the online ones.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createByolModel, TARGET_PREFIX } from './byolModel';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const TINY = { backbone: 'resnet10', backboneWidth: 2, projDim: 6, predHiddenDim: 3 } as const;
const images = (seed: number): tf.Tensor4D => tf.randomUniform([4, 8, 8, 3], -2, 2, 'float32', seed) as tf.Tensor4D;

describe('byolModel', () => {
  it('has online backbone/projector/predictor params and a target copy of backbone + projector in buffers', () => {
    const m = createByolModel(TINY, 0);
    const heads = [...m.params.keys()].filter((k) => !k.startsWith('backbone.')).sort();
    expect(heads).toEqual([
      'predictor.0.weight', 'predictor.1.bias', 'predictor.1.weight', 'predictor.3.bias', 'predictor.3.weight',
      'projector.0.weight', 'projector.1.bias', 'projector.1.weight', 'projector.3.bias', 'projector.3.weight',
    ]);
    expect(m.params.get('projector.3.weight')!.shape).toEqual([16, 6]);
    expect(m.params.get('predictor.0.weight')!.shape).toEqual([6, 3]);
    for (const k of m.params.keys()) expect(k.startsWith(TARGET_PREFIX)).toBe(false);
    const target = [...m.buffers.keys()].filter((k) => k.startsWith(TARGET_PREFIX));
    const onlineEncoder = [...m.params.keys(), ...m.buffers.keys()].filter((k) => k.startsWith('backbone.') || k.startsWith('projector.'));
    expect(target.sort()).toEqual(onlineEncoder.map((k) => TARGET_PREFIX + k).sort());
    for (const k of target) {
      const t = m.buffers.get(k)!;
      const o = m.params.get(k.slice(TARGET_PREFIX.length)) ?? m.buffers.get(k.slice(TARGET_PREFIX.length))!;
      expect(t.trainable, k).toBe(false);
      expect(Array.from(t.dataSync()), k).toEqual(Array.from(o.dataSync()));
    }
    m.dispose();
  });

  it('updateTarget is target ← τ·target + (1 − τ)·online on parameters only, not on BN running stats', () => {
    const m = createByolModel(TINY, 1);
    const w = m.params.get('projector.0.weight')!;
    const t0 = Array.from(m.buffers.get('target.projector.0.weight')!.dataSync());
    w.assign(tf.add(w, 1)); // online moves by +1
    const runningBefore = Array.from(m.buffers.get('target.backbone.bn1.running_mean')!.dataSync());
    m.buffers.get('backbone.bn1.running_mean')!.assign(tf.fill([2], 5));
    m.updateTarget(0.9);
    const t1 = m.buffers.get('target.projector.0.weight')!.dataSync();
    t0.forEach((v, i) => expect(t1[i]).toBeCloseTo(0.9 * v + 0.1 * (v + 1), 6)); // = v + 0.1
    expect(Array.from(m.buffers.get('target.backbone.bn1.running_mean')!.dataSync())).toEqual(runningBefore);
    m.dispose();
  });

  it('online and target forwards report their own BN stats; running stats update by name', () => {
    const m = createByolModel(TINY, 2);
    const x = images(3);
    const on = m.online(x, true);
    const tg = m.target(x, true);
    expect(on.p.shape).toEqual([4, 6]);
    expect(tg.z.shape).toEqual([4, 6]);
    expect(on.bnStats.some((s) => s.name === 'predictor.1')).toBe(true);
    expect(tg.bnStats.every((s) => s.name.startsWith(TARGET_PREFIX))).toBe(true);
    expect(tg.bnStats.map((s) => s.name)).toContain('target.projector.1');
    m.updateRunningStats(tg.bnStats);
    expect(m.buffers.get('target.backbone.bn1.running_mean')!.dataSync().some((v) => v !== 0)).toBe(true);
    expect(m.buffers.get('backbone.bn1.running_mean')!.dataSync().every((v) => v === 0)).toBe(true);
    m.updateRunningStats(on.bnStats);
    expect(m.buffers.get('backbone.bn1.running_mean')!.dataSync().some((v) => v !== 0)).toBe(true);
    // at init target and online encoders agree
    const z = m.target(x, false).z.dataSync();
    expect(z.every(Number.isFinite)).toBe(true);
    m.dispose();
  });

  it('leaks no tensors and frees both networks on dispose', () => {
    const x = images(4);
    const base = tf.memory().numTensors;
    const m = createByolModel(TINY, 3);
    const withModel = tf.memory().numTensors;
    expect(withModel - base).toBe(m.params.size + m.buffers.size);
    const on = m.online(x, true), tg = m.target(x, true);
    m.updateRunningStats([...on.bnStats, ...tg.bnStats]);
    m.updateTarget(0.99);
    tf.dispose([on.features, on.p, tg.z, m.embed(x)]);
    expect(tf.memory().numTensors).toBe(withModel);
    m.dispose();
    expect(tf.memory().numTensors).toBe(base);
  });
});
