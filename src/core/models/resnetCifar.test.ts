import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createParamStore } from './paramStore';
import { createResNetCifar } from './resnetCifar';
import type { BnStat } from './layers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// torchvision resnet18 modules (state_dict keys minus `fc.*` and `*.num_batches_tracked`),
// written out by hand: convs carry `.weight`, BNs carry weight/bias/running_mean/running_var.
const TV_RESNET18_CONVS = [
  'conv1',
  'layer1.0.conv1', 'layer1.0.conv2', 'layer1.1.conv1', 'layer1.1.conv2',
  'layer2.0.conv1', 'layer2.0.conv2', 'layer2.0.downsample.0', 'layer2.1.conv1', 'layer2.1.conv2',
  'layer3.0.conv1', 'layer3.0.conv2', 'layer3.0.downsample.0', 'layer3.1.conv1', 'layer3.1.conv2',
  'layer4.0.conv1', 'layer4.0.conv2', 'layer4.0.downsample.0', 'layer4.1.conv1', 'layer4.1.conv2',
];
const TV_RESNET18_BNS = [
  'bn1',
  'layer1.0.bn1', 'layer1.0.bn2', 'layer1.1.bn1', 'layer1.1.bn2',
  'layer2.0.bn1', 'layer2.0.bn2', 'layer2.0.downsample.1', 'layer2.1.bn1', 'layer2.1.bn2',
  'layer3.0.bn1', 'layer3.0.bn2', 'layer3.0.downsample.1', 'layer3.1.bn1', 'layer3.1.bn2',
  'layer4.0.bn1', 'layer4.0.bn2', 'layer4.0.downsample.1', 'layer4.1.bn1', 'layer4.1.bn2',
];
// torchvision OIHW shapes at width 64 (conv1 is the CIFAR 3×3 stem)
const TV_SHAPES_64: Record<string, number[]> = {
  'conv1.weight': [64, 3, 3, 3],
  'layer1.1.conv2.weight': [64, 64, 3, 3],
  'layer2.0.conv1.weight': [128, 64, 3, 3],
  'layer2.0.downsample.0.weight': [128, 64, 1, 1],
  'layer3.0.conv2.weight': [256, 256, 3, 3],
  'layer4.0.downsample.0.weight': [512, 256, 1, 1],
  'layer4.1.conv2.weight': [512, 512, 3, 3],
  'layer4.1.bn2.running_var': [512],
  'layer2.0.downsample.1.bias': [128],
};

const sizeOf = (v: tf.Variable): number => v.shape.reduce((a, b) => a * b, 1);

describe('resnetCifar', () => {
  it('resnet18 at width 64 has torchvision key names, shapes and 11,168,832 parameters', () => {
    const store = createParamStore(0);
    const net = createResNetCifar(store, { backbone: 'resnet18', width: 64 });
    const expectedParams = [
      ...TV_RESNET18_CONVS.map((m) => `${m}.weight`),
      ...TV_RESNET18_BNS.flatMap((m) => [`${m}.weight`, `${m}.bias`]),
    ];
    const expectedBuffers = TV_RESNET18_BNS.flatMap((m) => [`${m}.running_mean`, `${m}.running_var`]);
    expect([...store.params.keys()].sort()).toEqual(expectedParams.sort());
    expect([...store.buffers.keys()].sort()).toEqual(expectedBuffers.sort());
    for (const [name, oihw] of Object.entries(TV_SHAPES_64)) {
      const v = store.params.get(name) ?? store.buffers.get(name)!;
      // ours are HWIO: [kh, kw, in, out]
      const expected = oihw.length === 4 ? [oihw[2], oihw[3], oihw[1], oihw[0]] : oihw;
      expect(v.shape, name).toEqual(expected);
    }
    let count = 0;
    for (const v of store.params.values()) count += sizeOf(v);
    expect(count).toBe(11_168_832);
    expect(net.featureDim).toBe(512);
    store.dispose();
  });

  it('resnet10 has one block per stage and downsamples at stages 2–4', () => {
    const store = createParamStore(0);
    const net = createResNetCifar(store, { backbone: 'resnet10', width: 2, prefix: 'backbone.' });
    const convs = [...store.params.keys()].filter((k) => !k.includes('bn') && !k.includes('downsample.1'));
    expect(convs).toEqual([
      'backbone.conv1.weight',
      'backbone.layer1.0.conv1.weight', 'backbone.layer1.0.conv2.weight',
      'backbone.layer2.0.conv1.weight', 'backbone.layer2.0.conv2.weight', 'backbone.layer2.0.downsample.0.weight',
      'backbone.layer3.0.conv1.weight', 'backbone.layer3.0.conv2.weight', 'backbone.layer3.0.downsample.0.weight',
      'backbone.layer4.0.conv1.weight', 'backbone.layer4.0.conv2.weight', 'backbone.layer4.0.downsample.0.weight',
    ]);
    expect([...net.batchNorms.keys()]).toHaveLength(12); // stem + 2 per block × 4 + 3 downsample
    expect(net.featureDim).toBe(16);
    store.dispose();
  });

  it('forward maps [B, 8, 8, 3] to [B, 8w] and reports one BN stat per BN in training mode', () => {
    const store = createParamStore(3);
    const net = createResNetCifar(store, { backbone: 'resnet18', width: 2 });
    const x = tf.randomUniform([4, 8, 8, 3], -1, 1, 'float32', 1) as tf.Tensor4D;
    const stats: BnStat[] = [];
    const y = net.forward(x, true, stats);
    expect(y.shape).toEqual([4, 16]);
    expect(stats.map((s) => s.name).sort()).toEqual([...net.batchNorms.keys()].sort());
    for (const s of stats) expect(s.mean.shape).toEqual(store.buffers.get(`${s.name}.running_mean`)!.shape);
    const evalStats: BnStat[] = [];
    expect(net.forward(x, false, evalStats).shape).toEqual([4, 16]);
    expect(evalStats).toHaveLength(0);
    store.dispose();
  });

  it('zero-init residual sets γ = 0 on the last BN of every block only', () => {
    const store = createParamStore(0);
    createResNetCifar(store, { backbone: 'resnet18', width: 2 });
    expect(store.batchNormNames).toHaveLength(20);
    for (const bn of store.batchNormNames) {
      const v = store.params.get(`${bn}.weight`)!;
      const expected = bn.endsWith('.bn2') ? 0 : 1;
      expect(Array.from(v.dataSync()), bn).toEqual(new Array(sizeOf(v)).fill(expected));
    }
    expect(Array.from(store.params.get('layer2.0.downsample.1.weight')!.dataSync())).toEqual([1, 1, 1, 1]);
    store.dispose();

    const plain = createParamStore(0);
    createResNetCifar(plain, { backbone: 'resnet18', width: 2, zeroInitResidual: false });
    expect(Array.from(plain.params.get('layer1.0.bn2.weight')!.dataSync())).toEqual([1, 1]);
    plain.dispose();
  });

  it('with zero-init residual an identity block passes its input through (eval mode)', () => {
    // In eval mode with running stats 0/1 and γ = 0, β = 0, bn2 outputs 0, so a block without
    // downsample computes relu(0 + x) = x for the non-negative input it receives.
    const store = createParamStore(5);
    const net = createResNetCifar(store, { backbone: 'resnet10', width: 2 });
    const x = tf.randomUniform([2, 8, 8, 3], -1, 1, 'float32', 2) as tf.Tensor4D;
    const before = net.forward(x, false, []).dataSync();
    for (const n of ['layer1.0.conv1.weight', 'layer1.0.conv2.weight']) {
      const v = store.params.get(n)!;
      v.assign(tf.mul(v, 3));
    }
    expectArraysClose(net.forward(x, false, []).dataSync(), before);
    store.dispose();
  });

  it('initialisation is deterministic by seed and per parameter name', () => {
    const a = createParamStore(11), b = createParamStore(11), c = createParamStore(12), d = createParamStore(11);
    createResNetCifar(a, { backbone: 'resnet10', width: 2 });
    createResNetCifar(b, { backbone: 'resnet10', width: 2 });
    createResNetCifar(c, { backbone: 'resnet10', width: 2 });
    createResNetCifar(d, { backbone: 'resnet18', width: 2 });
    const w = (s: typeof a, n: string) => Array.from(s.params.get(n)!.dataSync());
    for (const n of a.params.keys()) expect(w(b, n), n).toEqual(w(a, n));
    expect(w(c, 'conv1.weight')).not.toEqual(w(a, 'conv1.weight'));
    // same name, same seed → same values even though resnet18 has more parameters in between
    expect(w(d, 'layer4.0.conv2.weight')).toEqual(w(a, 'layer4.0.conv2.weight'));
    [a, b, c, d].forEach((s) => s.dispose());
  });
});

function expectArraysClose(a: ArrayLike<number>, b: ArrayLike<number>): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(1e-5);
}
