// The DINO model: state_dict names, the weight-normalised last layer, the teacher as an exact copy,
// its EMA update against hand-computed values, and embed() = the teacher backbone.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDinoModel } from './dinoModel';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const cfg = { backbone: 'resnet10', backboneWidth: 2, dinoOutDim: 12, dinoHiddenDim: 8, dinoBottleneckDim: 4 } as const;
const x = () => tf.randomUniform([4, 8, 8, 3], -1, 1, 'float32', 3) as tf.Tensor4D;

describe('DINO model', () => {
  it('names params and buffers as the torch modules (student, teacher.*, center, weight_g)', () => {
    const m = createDinoModel(cfg, 1);
    const names = [...m.params.keys()];
    for (const n of ['head.mlp.0.weight', 'head.mlp.0.bias', 'head.mlp.2.weight', 'head.mlp.4.weight', 'head.last_layer.weight_v', 'backbone.conv1.weight']) expect(names).toContain(n);
    expect(m.params.has('head.last_layer.weight_g')).toBe(false);
    expect(m.buffers.get('head.last_layer.weight_g')!.shape).toEqual([1, 12]);
    expect(m.buffers.get('head.last_layer.weight_v')).toBeUndefined();
    expect(m.params.get('head.last_layer.weight_v')!.shape).toEqual([4, 12]);
    expect(m.buffers.get('center')!.shape).toEqual([1, 12]);
    for (const n of names) expect(m.buffers.has(`teacher.${n}`), n).toBe(true);
    expect(m.buffers.has('teacher.head.last_layer.weight_g')).toBe(true);
    expect(m.lastLayerNames).toEqual(['head.last_layer.weight_v']);
    expect(m.isNoDecay('head.mlp.0.bias')).toBe(true);
    expect(m.isNoDecay('head.mlp.0.weight')).toBe(false);
    expect(m.isNoDecay('head.last_layer.weight_v')).toBe(false);
    expect(m.isNoDecay('backbone.bn1.weight')).toBe(true);
    m.dispose();
  });

  it('starts with teacher = student and computes the weight-normalised head', async () => {
    const m = createDinoModel(cfg, 2);
    const input = x();
    const s = m.student(input, false);
    const t = m.teacher(input, false);
    expect(s.out.shape).toEqual([4, 12]);
    expect(Array.from(await t.out.data())).toEqual(Array.from(await s.out.data()));
    // Logits are cosines of unit vectors (g = 1): in [−1, 1].
    for (const v of await s.out.data()) expect(Math.abs(v)).toBeLessThanOrEqual(1 + 1e-5);
    // Scaling v leaves the output unchanged (weight norm).
    const v = m.params.get('head.last_layer.weight_v')!;
    v.assign(tf.mul(v, 3.5));
    const s2 = m.student(input, false);
    const a = await s.out.data(), b = await s2.out.data();
    a.forEach((val, i) => expect(b[i]!).toBeCloseTo(val, 5));
    tf.dispose([input, s.out, t.out, s2.out]);
    m.dispose();
  });

  it('EMA: teacher ← τ·teacher + (1 − τ)·student on every trainable tensor; BN stats and g untouched', async () => {
    const m = createDinoModel(cfg, 3);
    const name = 'head.mlp.2.weight';
    const before = Array.from(await m.buffers.get(`teacher.${name}`)!.data());
    m.params.get(name)!.assign(tf.add(m.params.get(name)!, 1));
    const student = Array.from(await m.params.get(name)!.data());
    const rmBefore = Array.from(await m.buffers.get('teacher.backbone.bn1.running_mean')!.data());
    m.updateTeacher(0.9);
    const after = Array.from(await m.buffers.get(`teacher.${name}`)!.data());
    after.forEach((v, i) => expect(v).toBeCloseTo(0.9 * before[i]! + 0.1 * student[i]!, 5));
    expect(Array.from(await m.buffers.get('teacher.backbone.bn1.running_mean')!.data())).toEqual(rmBefore);
    expect(Array.from(await m.buffers.get('teacher.head.last_layer.weight_g')!.data())).toEqual(new Array(12).fill(1));
    m.dispose();
  });

  it('embeds with the teacher backbone in eval mode', async () => {
    const m = createDinoModel(cfg, 4);
    const input = x();
    const w = m.params.get('backbone.conv1.weight')!;
    w.assign(tf.mul(w, -2)); // the student changes, the teacher does not
    const e = m.embed(input);
    m.params.get('backbone.conv1.weight')!.assign(tf.mul(w, -0.5)); // back to the teacher's weights
    const e2 = m.embed(input);
    expect(Array.from(await e.data())).toEqual(Array.from(await e2.data()));
    expect(e.shape).toEqual([4, m.featureDim]);
    tf.dispose([input, e, e2]);
    m.dispose();
  });
});
