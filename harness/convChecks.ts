/**
 * Conformance of conv2dFastGrad (src/core/ops/conv2dFastGrad.ts) on the WebGPU backend: its gradients
 * w.r.t. input and filter against tf.grads of tf.conv2d (Conv2DBackpropInput and the registered
 * Conv2DBackpropFilter, i.e. the split-K kernel once registerGpuKernels has run),
 * for stride 1/2, kernel 1/3, 'same'/'valid'/numeric padding and odd/even sizes.
 *
 * Tolerance 1e-4 relative to the reference's max |value| (as in the Node test): both are f32 sums of
 * N·Ho·Wo products per filter weight, accumulated in different orders by entirely different kernels
 * (tiled matmul-style conv vs one serial loop per weight), so errors grow like √K·ulp (K ≤ 1024 here).
 *
 * Also the split-K Conv2DBackpropFilter (src/gpu/kernels/conv2dBackpropFilter.ts) against tfjs's stock
 * webgpu kernelFunc, called directly (the registry may already hold ours): the cases above plus every
 * ResNet-18 conv shape of bench/kernels/shapes.ts at batch 2, same 1e-4 relative tolerance (K ≤ 2048);
 * then that tf.grads of tf.conv2d goes through the registry to the same result, and that NCHW (not handled
 * by split-K) falls back to the stock kernel.
 * Must not import: worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import { conv2dFastGrad, type Conv2dPad } from '../src/core/ops/conv2dFastGrad';
import {
  conv2dBackpropFilterWebGPU,
  stockConv2dBackpropFilter,
  type Conv2DBackpropFilterAttrs,
} from '../src/gpu/kernels/conv2dBackpropFilter';
import { resnetConvGrads } from '../bench/kernels/shapes';
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

const WHY_SPLITK = 'f32 sums over N·Ho·Wo in a different order (split-K tiles vs one serial loop per weight)';

/** Split-K filter gradient vs the stock kernel for x [N,H,W,Cin], filter [k,k,Cin,Cout]. */
async function runSplitKCase(
  label: string,
  xShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  stride: number,
  pad: Conv2dPad,
  seed: number,
): Promise<KernelCheck> {
  const stock = stockConv2dBackpropFilter('webgpu');
  if (!stock) throw new Error('no stock Conv2DBackpropFilter kernel for webgpu');
  const info = tf.backend_util.computeConv2DInfo(xShape, filterShape, stride, 1, pad);
  const x = tf.randomNormal(xShape, 0, 1, 'float32', seed) as tf.Tensor4D;
  const dy = tf.randomNormal([xShape[0], info.outHeight, info.outWidth, filterShape[3]], 0, 1, 'float32', seed + 1);
  const attrs: Conv2DBackpropFilterAttrs = { strides: stride, pad, dataFormat: 'NHWC', filterShape };
  const ref = tf.engine().makeTensorFromTensorInfo(
    stock({ inputs: { x, dy }, backend: tf.backend(), attrs: attrs as unknown as tf.NamedAttrMap }) as tf.TensorInfo,
  );
  const got = conv2dBackpropFilterWebGPU(x, dy as tf.Tensor4D, attrs);
  const check = await compareTensors(label, [['dW', got, ref]], 1e-4, WHY_SPLITK);
  tf.dispose([x, dy, ref, got]);
  return check;
}

/** Split-K checks: the small cases, then the ResNet-18 shapes at batch 2. */
async function runSplitKChecks(): Promise<KernelCheck[]> {
  const checks: KernelCheck[] = [];
  for (const [i, c] of CASES.entries()) {
    const label = `splitK Conv2DBackpropFilter x=[${c.x}] k=${c.k} cout=${c.cout} s=${c.stride} pad=${c.pad}`;
    checks.push(await runSplitKCase(label, c.x, [c.k, c.k, c.x[3], c.cout], c.stride, c.pad, 100 + 2 * i));
  }
  for (const [i, c] of resnetConvGrads(16, 2, 32).entries()) {
    const label = `splitK Conv2DBackpropFilter ResNet ${c.name} x=[${c.x}] f=[${c.filter}] s=${c.stride}`;
    checks.push(await runSplitKCase(label, c.x, c.filter, c.stride, c.pad, 200 + 2 * i));
  }
  checks.push(await runRegistryCase(), await runFallbackCase());
  return checks;
}

/** dW of tf.grads(tf.conv2d) (the registered kernel) vs the stock kernelFunc called directly. */
async function runRegistryCase(): Promise<KernelCheck> {
  const stock = stockConv2dBackpropFilter('webgpu')!;
  const x = tf.randomNormal([4, 16, 16, 16], 0, 1, 'float32', 300) as tf.Tensor4D;
  const f = tf.randomNormal([3, 3, 16, 32], 0, 0.3, 'float32', 301) as tf.Tensor4D;
  const dy = tf.randomNormal([4, 8, 8, 32], 0, 1, 'float32', 302);
  const dw = tf.grad((w: tf.Tensor) => tf.conv2d(x, w as tf.Tensor4D, 2, 'same').mul(dy).sum())(f);
  const attrs = { strides: 2, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 16, 32] };
  const ref = tf.engine().makeTensorFromTensorInfo(
    stock({ inputs: { x, dy }, backend: tf.backend(), attrs }) as tf.TensorInfo,
  );
  const check = await compareTensors(
    'tf.grads(tf.conv2d) dW through the registered Conv2DBackpropFilter x=[4,16,16,16] f=[3,3,16,32] s=2',
    [['dW', dw, ref]],
    1e-4,
    WHY_SPLITK,
  );
  tf.dispose([x, f, dy, dw, ref]);
  return check;
}

/** NCHW goes to the stock kernel (exactly the same program, so exactly the same values). */
async function runFallbackCase(): Promise<KernelCheck> {
  const stock = stockConv2dBackpropFilter('webgpu')!;
  const x = tf.randomNormal([2, 3, 8, 8], 0, 1, 'float32', 310);
  const dy = tf.randomNormal([2, 4, 8, 8], 0, 1, 'float32', 311);
  const attrs = { strides: 1, pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 3, 4] };
  const got = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs) as tf.Tensor;
  const ref = tf.engine().makeTensorFromTensorInfo(
    stock({ inputs: { x, dy }, backend: tf.backend(), attrs }) as tf.TensorInfo,
  );
  const check = await compareTensors(
    'Conv2DBackpropFilter NCHW falls back to the stock kernel',
    [['dW', got, ref]],
    0,
    'same stock program on both sides',
  );
  tf.dispose([x, dy, got, ref]);
  return check;
}

/** Runs every conv case; returns its checks. */
export async function runConvChecks(): Promise<KernelCheck[]> {
  const checks: KernelCheck[] = [];
  for (const [i, c] of CASES.entries()) checks.push(await runCase(c, i));
  checks.push(...(await runSplitKChecks()));
  return checks;
}
