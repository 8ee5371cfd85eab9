// SimCLR model: torch-style names and shapes of the projector (authors' SimCLRProjectionHead with
// BN), BN statistics in training mode, eval-mode embed, no leaks.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSimClrModel } from './simclrModel';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const TINY = { backbone: 'resnet10', backboneWidth: 2, projDim: 6 } as const;
const images = (seed: number): tf.Tensor4D => tf.randomUniform([4, 8, 8, 3], -2, 2, 'float32', seed) as tf.Tensor4D;

describe('simclrModel', () => {
  it('names the projector like nn.Sequential: Linear(F,F) − BN − ReLU − Linear(F,D) − BN, no linear biases', () => {
    const m = createSimClrModel(TINY, 0);
    const shape = (n: string) => (m.params.get(n) ?? m.buffers.get(n))?.shape;
    expect(m.featureDim).toBe(16);
    expect(shape('projector.0.weight')).toEqual([16, 16]);
    expect(shape('projector.3.weight')).toEqual([16, 6]);
    expect(shape('projector.4.weight')).toEqual([6]);
    expect([...m.params.keys()].filter((k) => !k.startsWith('backbone.')).sort()).toEqual([
      'projector.0.weight', 'projector.1.bias', 'projector.1.weight', 'projector.3.weight', 'projector.4.bias', 'projector.4.weight',
    ]);
    expect([...m.buffers.keys()].filter((k) => !k.startsWith('backbone.')).sort()).toEqual([
      'projector.1.running_mean', 'projector.1.running_var', 'projector.4.running_mean', 'projector.4.running_var',
    ]);
    for (const n of ['projector.1.weight', 'projector.4.bias', 'backbone.bn1.weight']) expect(m.isNoDecay(n), n).toBe(true);
    for (const n of ['projector.0.weight', 'projector.3.weight', 'backbone.conv1.weight']) expect(m.isNoDecay(n), n).toBe(false);
    m.dispose();
  });

  it('forward: z [B, D] normalised by the output BN in training mode, stats of every BN; embed = eval features', () => {
    const m = createSimClrModel(TINY, 1);
    const x = images(2);
    const train = m.forward(x, true);
    expect(train.z.shape).toEqual([4, 6]);
    const bnModules = [...m.buffers.keys()].filter((k) => k.endsWith('.running_mean')).map((k) => k.slice(0, -'.running_mean'.length));
    expect(train.bnStats.map((s) => s.name).sort()).toEqual(bnModules.sort());
    const { mean } = tf.moments(train.z, 0); // γ = 1, β = 0 at init
    for (const v of mean.dataSync()) expect(Math.abs(v)).toBeLessThan(1e-4);
    const ev = m.forward(x, false);
    expect(ev.bnStats).toHaveLength(0);
    expect(Array.from(m.embed(x).dataSync())).toEqual(Array.from(ev.features.dataSync()));
    m.updateRunningStats(train.bnStats);
    expect(m.buffers.get('projector.4.running_mean')!.dataSync().some((v) => v !== 0)).toBe(true);
    m.dispose();
  });

  it('is deterministic by seed and leaks no tensors', () => {
    const x = images(3);
    const base = tf.memory().numTensors;
    const a = createSimClrModel(TINY, 5), b = createSimClrModel(TINY, 5);
    const withModels = tf.memory().numTensors;
    const oa = a.forward(x, true), ob = b.forward(x, true);
    expect(Array.from(oa.z.dataSync())).toEqual(Array.from(ob.z.dataSync()));
    a.updateRunningStats(oa.bnStats);
    b.updateRunningStats(ob.bnStats);
    tf.dispose([oa.features, oa.z, ob.features, ob.z, a.embed(x)]);
    expect(tf.memory().numTensors).toBe(withModels);
    a.dispose();
    b.dispose();
    expect(tf.memory().numTensors).toBe(base);
    expect(() => createSimClrModel({ ...TINY, projDim: 0 }, 0)).toThrow(/outDim must be a positive integer/);
  });
});
