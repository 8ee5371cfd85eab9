import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { simsiamTrainingLoss } from '../methods/simsiam';
import { createSimSiamModel, type SimSiamOutput } from './simsiamModel';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const TINY = { backbone: 'resnet10', backboneWidth: 2, projDim: 6, predHiddenDim: 3 } as const;
const images = (seed: number): tf.Tensor4D => tf.randomUniform([4, 8, 8, 3], -2, 2, 'float32', seed) as tf.Tensor4D;

function disposeOutput(o: SimSiamOutput): void {
  tf.dispose([o.features, o.z, o.p]);
  for (const s of o.bnStats) tf.dispose([s.mean, s.variance]);
}

describe('simsiamModel', () => {
  it('names and shapes the heads like the authors builder (resnet_cifar: 2-layer projector)', () => {
    const m = createSimSiamModel(TINY, 0);
    const shape = (n: string) => (m.params.get(n) ?? m.buffers.get(n))?.shape;
    expect(m.featureDim).toBe(16);
    expect(shape('backbone.conv1.weight')).toEqual([3, 3, 3, 2]);
    expect(shape('projector.0.weight')).toEqual([16, 16]);
    expect(shape('projector.1.weight')).toEqual([16]);
    expect(shape('projector.1.running_var')).toEqual([16]);
    expect(shape('projector.3.weight')).toEqual([16, 6]);
    expect(shape('projector.4.running_mean')).toEqual([6]);
    expect(shape('predictor.0.weight')).toEqual([6, 3]);
    expect(shape('predictor.1.bias')).toEqual([3]);
    expect(shape('predictor.3.weight')).toEqual([3, 6]);
    expect(shape('predictor.3.bias')).toEqual([6]);
    const headParams = [...m.params.keys()].filter((k) => !k.startsWith('backbone.'));
    expect(headParams.sort()).toEqual([
      'predictor.0.weight', 'predictor.1.bias', 'predictor.1.weight', 'predictor.3.bias', 'predictor.3.weight',
      'projector.0.weight', 'projector.1.bias', 'projector.1.weight', 'projector.3.weight',
    ]);
    const headBuffers = [...m.buffers.keys()].filter((k) => !k.startsWith('backbone.'));
    expect(headBuffers.sort()).toEqual([
      'predictor.1.running_mean', 'predictor.1.running_var', 'projector.1.running_mean', 'projector.1.running_var',
      'projector.4.running_mean', 'projector.4.running_var',
    ]);
    for (const v of m.params.values()) expect(v.trainable).toBe(true);
    for (const v of m.buffers.values()) expect(v.trainable).toBe(false);
    m.dispose();
  });

  it('marks BN affine params and biases as no-decay, weights as decayed', () => {
    const m = createSimSiamModel(TINY, 0);
    for (const n of ['backbone.bn1.weight', 'backbone.layer2.0.downsample.1.bias', 'projector.1.weight', 'predictor.1.bias', 'predictor.3.bias']) {
      expect(m.isNoDecay(n), n).toBe(true);
    }
    for (const n of ['backbone.conv1.weight', 'backbone.layer2.0.downsample.0.weight', 'projector.0.weight', 'projector.3.weight', 'predictor.3.weight']) {
      expect(m.isNoDecay(n), n).toBe(false);
    }
    m.dispose();
  });

  it('is deterministic by seed; two models coexist', () => {
    const a = createSimSiamModel(TINY, 5), b = createSimSiamModel(TINY, 5), c = createSimSiamModel(TINY, 6);
    for (const [n, v] of a.params) expect(Array.from(b.params.get(n)!.dataSync()), n).toEqual(Array.from(v.dataSync()));
    expect(Array.from(c.params.get('projector.0.weight')!.dataSync())).not.toEqual(
      Array.from(a.params.get('projector.0.weight')!.dataSync()),
    );
    const x = images(1);
    const oa = a.forward(x, true), ob = b.forward(x, true);
    expect(Array.from(oa.p.dataSync())).toEqual(Array.from(ob.p.dataSync()));
    [a, b, c].forEach((m) => m.dispose());
  });

  it('forward gives [B, F], [B, D], [B, D] and BN stats only in training mode; embed = eval features', () => {
    const m = createSimSiamModel(TINY, 1);
    const x = images(2);
    const train = m.forward(x, true);
    expect(train.features.shape).toEqual([4, 16]);
    expect(train.z.shape).toEqual([4, 6]);
    expect(train.p.shape).toEqual([4, 6]);
    const bnModules = [...m.buffers.keys()].filter((k) => k.endsWith('.running_mean')).map((k) => k.slice(0, -13));
    expect(train.bnStats.map((s) => s.name).sort()).toEqual(bnModules.sort());
    // projector.4 is BN(affine=False) in training mode: z has zero batch mean, unit biased variance
    const { mean, variance } = tf.moments(train.z, 0);
    for (const v of mean.dataSync()) expect(Math.abs(v)).toBeLessThan(1e-4);
    for (const v of variance.dataSync()) expect(v).toBeCloseTo(1, 3);
    const ev = m.forward(x, false);
    expect(ev.bnStats).toHaveLength(0);
    expect(Array.from(ev.features.dataSync())).not.toEqual(Array.from(train.features.dataSync()));
    const emb = m.embed(x);
    expect(emb.shape).toEqual([4, 16]);
    expect(Array.from(emb.dataSync())).toEqual(Array.from(ev.features.dataSync()));
    m.dispose();
  });

  it('updateRunningStats applies momentum 0.1 to every BN and disposes the stats', () => {
    const m = createSimSiamModel(TINY, 2);
    const out = m.forward(images(3), true);
    const stats = out.bnStats;
    const expected = new Map<string, { mean: number[]; variance: number[] }>();
    for (const s of stats) {
      const rm = m.buffers.get(`${s.name}.running_mean`)!.dataSync();
      const rv = m.buffers.get(`${s.name}.running_var`)!.dataSync();
      const bm = s.mean.dataSync(), bv = s.variance.dataSync();
      expected.set(s.name, {
        mean: Array.from(rm, (r, i) => 0.9 * r + 0.1 * bm[i]!),
        variance: Array.from(rv, (r, i) => 0.9 * r + 0.1 * bv[i]!),
      });
    }
    m.updateRunningStats(stats);
    for (const s of stats) {
      expect(s.mean.isDisposed && s.variance.isDisposed).toBe(true);
      const e = expected.get(s.name)!;
      const rm = m.buffers.get(`${s.name}.running_mean`)!.dataSync();
      const rv = m.buffers.get(`${s.name}.running_var`)!.dataSync();
      e.mean.forEach((v, i) => expect(rm[i]).toBeCloseTo(v, 5));
      e.variance.forEach((v, i) => expect(rv[i]).toBeCloseTo(v, 5));
    }
    expect(() => m.updateRunningStats([{ name: 'nope', mean: tf.zeros([1]), variance: tf.ones([1]) }])).toThrow(/nope/);
    m.dispose();
  });

  it('a SimSiam loss gives a finite gradient for every trainable param (non-zero once γ of bn2 ≠ 0)', () => {
    const m = createSimSiamModel({ ...TINY, backboneWidth: 4 }, 3);
    const x1 = images(4), x2 = images(5);
    const vars = [...m.params.values()];
    const names = [...m.params.keys()];
    const step = (): Map<string, Float32Array> => {
      const kept: tf.Tensor[] = [];
      const { value, grads } = tf.variableGrads(() => {
        const o1 = m.forward(x1, true);
        const o2 = m.forward(x2, true);
        for (const s of [...o1.bnStats, ...o2.bnStats]) kept.push(tf.keep(s.mean), tf.keep(s.variance));
        return simsiamTrainingLoss(o1.p, o1.z, o2.p, o2.z);
      }, vars);
      expect(Number.isFinite(value.dataSync()[0])).toBe(true);
      expect(Object.keys(grads).length).toBe(vars.length);
      const out = new Map<string, Float32Array>();
      names.forEach((n, i) => {
        const g = grads[vars[i]!.name];
        expect(g, n).toBeDefined();
        expect(g!.shape, n).toEqual(vars[i]!.shape);
        out.set(n, g!.dataSync() as Float32Array);
      });
      expect(kept.every((t) => !t.isDisposed)).toBe(true);
      tf.dispose([value, ...Object.values(grads), ...kept]);
      return out;
    };
    for (const [n, g] of step()) expect(g.every(Number.isFinite), n).toBe(true);
    // zero-init residual blocks the gradient into each block's convs; lift γ and every param learns
    for (const [n, v] of m.params) if (n.endsWith('.bn2.weight')) v.assign(tf.onesLike(v));
    for (const [n, g] of step()) {
      expect(g.every(Number.isFinite), n).toBe(true);
      expect(g.some((v) => v !== 0), n).toBe(true);
    }
    m.dispose();
  });

  it('leaks no tensors across forward calls and frees its variables on dispose', () => {
    const x = images(6);
    const base = tf.memory().numTensors;
    const m = createSimSiamModel(TINY, 4);
    const withModel = tf.memory().numTensors;
    expect(withModel - base).toBe(m.params.size + m.buffers.size);
    for (const isTraining of [true, false, true]) disposeOutput(m.forward(x, isTraining));
    tf.dispose(m.embed(x));
    const o = m.forward(x, true);
    m.updateRunningStats(o.bnStats);
    tf.dispose([o.features, o.z, o.p]);
    expect(tf.memory().numTensors).toBe(withModel);
    m.dispose();
    expect(tf.memory().numTensors).toBe(base);
  });

  it('rejects bad sizes with a clear message', () => {
    expect(() => createSimSiamModel({ ...TINY, projDim: 0 }, 0)).toThrow(/projDim/);
    expect(() => createSimSiamModel({ ...TINY, backboneWidth: 1.5 }, 0)).toThrow(/backboneWidth/);
  });
});
