// Tests conv2dFastGrad against tf.grads of the stock tf.conv2d on the tfjs CPU backend, for stride 1/2,
// kernel 1/3, 'same' / 'valid' / numeric padding and odd/even sizes. Its speed against the stock kernel:
// bench/cpu/speedGuards.ts.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { conv2dFastGrad, conv2dFilterGrad, type Conv2dPad } from './conv2dFastGrad';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** max |a − b| / max(|b|, tiny): relative error w.r.t. the reference's scale. */
function relErr(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => {
    const diff = a.sub(b).abs().max().dataSync()[0];
    const scale = b.abs().max().dataSync()[0];
    return diff / Math.max(scale, 1e-12);
  });
}

interface Case {
  n: number;
  h: number;
  w: number;
  cin: number;
  cout: number;
  k: number;
  stride: number;
  pad: Conv2dPad;
}

const cases: Case[] = [];
for (const stride of [1, 2]) {
  for (const k of [1, 3]) {
    for (const [h, w] of [
      [8, 8],
      [7, 7],
      [7, 6],
    ]) {
      const pads: Conv2dPad[] = k === 3 ? ['same', 'valid', 1] : ['same', 'valid', 0, 1]; // 1×1 pad 1: conv path
      for (const pad of pads) cases.push({ n: 2, h, w, cin: 3, cout: 4, k, stride, pad });
    }
  }
}

describe('conv2dFastGrad', () => {
  it.each(cases)('matches stock gradients: %o', (c) => {
    tf.tidy(() => {
      const x = tf.randomNormal([c.n, c.h, c.w, c.cin], 0, 1, 'float32', 1) as tf.Tensor4D;
      const f = tf.randomNormal([c.k, c.k, c.cin, c.cout], 0, 1, 'float32', 2) as tf.Tensor4D;
      const yRef = tf.conv2d(x, f, c.stride, c.pad);
      const r = tf.randomNormal(yRef.shape, 0, 1, 'float32', 3); // fixed upstream gradient
      const lossRef = (a: tf.Tensor, b: tf.Tensor) =>
        tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad).mul(r).sum();
      const lossFast = (a: tf.Tensor, b: tf.Tensor) =>
        conv2dFastGrad(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad).mul(r).sum();
      const [dxRef, dwRef] = tf.grads(lossRef)([x, f]);
      const [dxFast, dwFast] = tf.grads(lossFast)([x, f]);
      const yFast = conv2dFastGrad(x, f, c.stride, c.pad);
      expect(yFast.shape).toEqual(yRef.shape);
      expect(dwFast.shape).toEqual(f.shape);
      expect(dxFast.shape).toEqual(x.shape);
      expect(relErr(yFast, yRef)).toBe(0);
      expect(relErr(dxFast, dxRef)).toBeLessThan(1e-4);
      expect(relErr(dwFast, dwRef)).toBeLessThan(1e-4);
    });
  });

  it('rejects an output gradient of the wrong shape', () => {
    const x = tf.zeros([1, 5, 5, 2]) as tf.Tensor4D;
    const dy = tf.zeros([1, 4, 4, 3]) as tf.Tensor4D; // 'same' stride 1 gives 5×5
    expect(() => conv2dFilterGrad(x, dy, [3, 3, 2, 3], 1, 'same')).toThrow(/does not match/);
    tf.dispose([x, dy]);
  });

  it('does not leak tensors', () => {
    const x = tf.randomNormal([2, 6, 6, 3]) as tf.Tensor4D;
    const f = tf.randomNormal([3, 3, 3, 4]) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const g = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      conv2dFastGrad(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same').sum(),
    )([x, f]);
    tf.dispose(g);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, f]);
  });

  it('matches the stock Conv2DBackpropFilter on [16,16,16,16]×[3,3,16,16] (its speed: bench/cpu/speedGuards.ts)', () => {
    const x = tf.randomNormal([16, 16, 16, 16], 0, 1, 'float32', 4) as tf.Tensor4D;
    const dy = tf.randomNormal([16, 16, 16, 16], 0, 1, 'float32', 5) as tf.Tensor4D;
    const filterShape: [number, number, number, number] = [3, 3, 16, 16];
    const a = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape }) as tf.Tensor4D;
    const b = conv2dFilterGrad(x, dy, filterShape, 1, 'same');
    expect(relErr(b, a)).toBeLessThan(1e-4);
    tf.dispose([a, b, x, dy]);
  });
});
