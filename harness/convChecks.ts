/**
 * Conformance of conv2dFastGrad (src/core/ops/conv2dFastGrad.ts) on the WebGPU backend: its gradients
 * w.r.t. input and filter against tf.grads of the stock tf.conv2d (Conv2DBackpropInput/Filter kernels),
 * for stride 1/2, kernel 1/3, 'same'/'valid'/numeric padding and odd/even sizes.
 *
 * Tolerance 1e-4 relative to the reference's max |value| (as in the Node test): both are f32 sums of
 * N·Ho·Wo products per filter weight, accumulated in different orders by entirely different kernels
 * (tiled matmul-style conv vs one serial loop per weight), so errors grow like √K·ulp (K ≤ 1024 here).
 * Must not import: worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import { conv2dFastGrad, type Conv2dPad } from '../src/core/ops/conv2dFastGrad';
import { compareTensors, type KernelCheck } from './compare';

interface ConvCase {
  x: [number, number, number, number];
  k: number;
  cout: number;
  stride: number;
  pad: Conv2dPad;
}

const CASES: ConvCase[] = [
  { x: [2, 8, 8, 3], k: 3, cout: 4, stride: 1, pad: 'same' },
  { x: [2, 7, 7, 3], k: 3, cout: 4, stride: 1, pad: 'same' },
  { x: [2, 8, 8, 3], k: 3, cout: 4, stride: 2, pad: 'same' },
  { x: [2, 7, 6, 3], k: 3, cout: 4, stride: 2, pad: 'same' },
  { x: [2, 8, 8, 3], k: 3, cout: 4, stride: 2, pad: 1 },
  { x: [2, 8, 8, 3], k: 3, cout: 4, stride: 2, pad: 'valid' },
  { x: [2, 8, 8, 4], k: 1, cout: 8, stride: 1, pad: 'same' },
  { x: [2, 8, 8, 4], k: 1, cout: 8, stride: 2, pad: 'same' },
  { x: [2, 7, 7, 4], k: 1, cout: 8, stride: 2, pad: 'valid' },
  { x: [2, 7, 7, 4], k: 1, cout: 8, stride: 2, pad: 1 }, // 1×1 with padding: dilated-conv path
  { x: [4, 16, 16, 16], k: 3, cout: 16, stride: 1, pad: 'same' },
  { x: [4, 16, 16, 16], k: 3, cout: 32, stride: 2, pad: 'same' },
];

const WHY = 'f32 sums over N·Ho·Wo in a different order (forward-conv vs Conv2DBackpropFilter)';

async function runCase(c: ConvCase, idx: number): Promise<KernelCheck> {
  const label = `conv2dFastGrad x=[${c.x}] k=${c.k} cout=${c.cout} s=${c.stride} pad=${c.pad}`;
  const x = tf.randomNormal(c.x, 0, 1, 'float32', 50 + idx) as tf.Tensor4D;
  const f = tf.randomNormal([c.k, c.k, c.x[3], c.cout], 0, 0.3, 'float32', 60 + idx) as tf.Tensor4D;
  const y = tf.conv2d(x, f, c.stride, c.pad);
  const r = tf.randomNormal(y.shape, 0, 1, 'float32', 70 + idx);
  const lossOf =
    (conv: (a: tf.Tensor4D, b: tf.Tensor4D) => tf.Tensor) =>
    (a: tf.Tensor, b: tf.Tensor): tf.Tensor =>
      conv(a as tf.Tensor4D, b as tf.Tensor4D).mul(r).sum();
  const [dxRef, dwRef] = tf.grads(lossOf((a, b) => tf.conv2d(a, b, c.stride, c.pad)))([x, f]);
  const [dxFast, dwFast] = tf.grads(lossOf((a, b) => conv2dFastGrad(a, b, c.stride, c.pad)))([x, f]);
  const check = await compareTensors(
    label,
    [
      ['dL/dfilter', dwFast, dwRef],
      ['dL/dx', dxFast, dxRef],
    ],
    1e-4,
    WHY,
  );
  tf.dispose([x, f, y, r, dxRef, dwRef, dxFast, dwFast]);
  return check;
}

/** Runs every conv case; returns its checks. */
export async function runConvChecks(): Promise<KernelCheck[]> {
  const checks: KernelCheck[] = [];
  for (const [i, c] of CASES.entries()) checks.push(await runCase(c, i));
  return checks;
}
