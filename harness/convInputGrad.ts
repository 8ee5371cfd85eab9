/**
 * Conformance of our Conv2DBackpropInput (src/gpu/kernels/conv2dBackpropInput.ts: dx as a forward conv of
 * the dilated dy with the rotated, in/out-swapped filter) against tfjs's stock webgpu kernelFunc, called
 * directly (harness/convInputGrad.html, driven by e2e/convInputGrad.spec.ts). Cases: stride 1/2, kernel
 * 1/3, 'same'/'valid'/numeric padding, odd/even sizes, and every conv shape of a CIFAR ResNet-18 at
 * width 16 (bench/kernels/shapes.ts) at batch 2 and of the small step config (width 8, 16×16).
 * Then tf.grads of tf.conv2d w.r.t. x through the registry (our kernel registered) against the stock
 * kernel, and NCHW, which ours does not handle, falling back to the stock kernel.
 *
 * Tolerance 1e-5 relative to the reference's max |value|: each dx element is a sum of at most
 * kh·kw·Cout = 9·128 = 1152 products, accumulated in a different order by the two kernels (direct loop
 * vs tiled implicit GEMM), an error of order √K·ε ≈ 2e-6 relative (ε = 2⁻²⁴ ≈ 6e-8).
 * Must not import: worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { resnetConvGrads } from '../bench/kernels/shapes';
import {
  conv2dBackpropInputConfig,
  conv2dBackpropInputIdentity,
  planInputGrad,
  stockConv2dBackpropInput,
  type Conv2DBackpropInputAttrs,
} from '../src/gpu/kernels/conv2dBackpropInput';
import { booleanCheck, compareTensors, type KernelCheck, type KernelResults } from './compare';

declare global {
  interface Window {
    __convInputGradResults?: KernelResults;
  }
}

const RTOL = 1e-5;
const WHY = 'f32 sums of ≤ kh·kw·Cout products in another order (direct loop vs implicit GEMM)';

interface Case {
  name: string;
  x: [number, number, number, number];
  k: number;
  cout: number;
  stride: number;
  pad: Conv2DBackpropInputAttrs['pad'];
}

const SMALL_CASES: Case[] = [
  { name: '3x3 s1 same', x: [2, 8, 8, 3], k: 3, cout: 4, stride: 1, pad: 'same' },
  { name: '3x3 s1 same odd', x: [2, 7, 7, 3], k: 3, cout: 4, stride: 1, pad: 'same' },
  { name: '3x3 s2 same', x: [2, 8, 8, 3], k: 3, cout: 4, stride: 2, pad: 'same' },
  { name: '3x3 s2 same odd', x: [2, 7, 6, 3], k: 3, cout: 4, stride: 2, pad: 'same' },
  { name: '3x3 s2 pad1', x: [2, 8, 8, 3], k: 3, cout: 4, stride: 2, pad: 1 },
  { name: '3x3 s2 valid', x: [2, 8, 8, 3], k: 3, cout: 4, stride: 2, pad: 'valid' },
  { name: '3x3 s1 valid', x: [2, 9, 8, 5], k: 3, cout: 6, stride: 1, pad: 'valid' },
  { name: '1x1 s1', x: [2, 8, 8, 4], k: 1, cout: 8, stride: 1, pad: 'same' },
  { name: '1x1 s2', x: [2, 8, 8, 4], k: 1, cout: 8, stride: 2, pad: 0 },
  { name: '1x1 s2 valid odd', x: [2, 7, 7, 4], k: 1, cout: 8, stride: 2, pad: 'valid' },
];

/** Every distinct conv of ResNet-18 w16 (32×32) and of the small step config (ResNet-18 layout, w8, 16×16), batch 2. */
function resnetCases(): Case[] {
  const out: Case[] = [];
  for (const [tag, shapes] of [['resnet w16 32px', resnetConvGrads(16, 2, 32)], ['resnet w8 16px', resnetConvGrads(8, 2, 16)]] as const) {
    for (const s of shapes) out.push({ name: `${tag} ${s.name}`, x: s.x, k: s.filter[0], cout: s.filter[3], stride: s.stride, pad: s.pad });
  }
  return out;
}

async function runCase(c: Case, seed: number): Promise<KernelCheck> {
  const backend = tf.backend() as WebGPUBackend;
  const stock = stockConv2dBackpropInput();
  if (!stock) throw new Error('no stock Conv2DBackpropInput kernel captured for webgpu');
  const conv2d = tf.getKernel('Conv2D', 'webgpu')!.kernelFunc;
  const filter = tf.randomNormal([c.k, c.k, c.x[3], c.cout], 0, 0.3, 'float32', seed) as tf.Tensor4D;
  const y = tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, filter, c.stride, c.pad);
  const dy = tf.randomNormal(y.shape, 0, 1, 'float32', seed + 1) as tf.Tensor4D;
  const attrs: Conv2DBackpropInputAttrs = { inputShape: c.x, strides: c.stride, pad: c.pad, dataFormat: 'NHWC' };
  const plan = planInputGrad(dy.shape, filter.shape, attrs);
  if (!plan) return booleanCheck(`${c.name}: plan`, false, 'the identity has no plan for this case');
  const expected = tf.engine().makeTensorFromTensorInfo(
    stock({ inputs: { dy, filter }, backend, attrs: attrs as unknown as tf.NamedAttrMap }) as tf.TensorInfo,
  );
  const actual = tf.engine().makeTensorFromTensorInfo(conv2dBackpropInputIdentity(backend, dy, filter, plan, conv2d));
  const check = await compareTensors(`${c.name} x=[${c.x}] k=${c.k} cout=${c.cout} s=${c.stride} pad=${c.pad}`, [['dx', actual, expected]], RTOL, WHY);
  tf.dispose([filter, y, dy, expected, actual]);
  return check;
}

/** tf.grads of conv2d w.r.t. x through the registry (ours) vs the stock kernel; and NCHW falls back. */
async function registryChecks(): Promise<KernelCheck[]> {
  const backend = tf.backend() as WebGPUBackend;
  const stock = stockConv2dBackpropInput()!;
  const x = tf.randomNormal([2, 8, 8, 4], 0, 1, 'float32', 7) as tf.Tensor4D;
  const f = tf.randomNormal([3, 3, 4, 8], 0, 0.3, 'float32', 8) as tf.Tensor4D;
  const r = tf.randomNormal([2, 4, 4, 8], 0, 1, 'float32', 9);
  const [dx] = tf.grads((a: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, f, 2, 'same'), r)))([x]);
  const expected = tf.engine().makeTensorFromTensorInfo(stock({
    inputs: { dy: r, filter: f }, backend,
    attrs: { inputShape: x.shape, strides: 2, pad: 'same', dataFormat: 'NHWC' } as unknown as tf.NamedAttrMap,
  }) as tf.TensorInfo);
  const viaRegistry = await compareTensors('tf.grads(conv2d) w.r.t. x through the registry = stock', [['dx', dx!, expected]], RTOL, WHY);
  // NCHW: dy [N, C, H, W]; ours declines, the captured stock kernel answers; compare with the NHWC result transposed.
  const kernel = tf.getKernel('Conv2DBackpropInput', 'webgpu')!.kernelFunc;
  const nchw = tf.engine().makeTensorFromTensorInfo(kernel({
    inputs: { dy: tf.transpose(r, [0, 3, 1, 2]), filter: f }, backend,
    attrs: { inputShape: [2, 4, 8, 8], strides: 2, pad: 'same', dataFormat: 'NCHW' } as unknown as tf.NamedAttrMap,
  }) as tf.TensorInfo);
  const fallback = await compareTensors('NCHW falls back to the stock kernel', [['dx', tf.transpose(nchw, [0, 2, 3, 1]), expected]], RTOL, WHY);
  tf.dispose([x, f, r, dx!, expected, nchw]);
  return [viaRegistry, fallback];
}

function render(results: KernelResults): void {
  const rows = results.checks
    .map((c) => `<tr class="${c.pass ? 'pass' : 'fail'}"><td>${c.pass ? 'PASS' : 'FAIL'}</td><td>${c.name}</td><td>${c.maxAbsErr.toExponential(2)}</td><td>${c.tolerance.toExponential(2)}</td><td>${c.note}</td></tr>`)
    .join('');
  document.getElementById('out')!.innerHTML =
    `<p>backend: ${results.backend}; adapter: ${JSON.stringify(results.adapter)}; ${results.elapsedMs?.toFixed(0)} ms</p>` +
    (results.error ? `<pre class="fail">${results.error}</pre>` : '') +
    `<table><tr><th></th><th>check</th><th>max abs err</th><th>tolerance</th><th>note</th></tr>${rows}</table>`;
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const results: KernelResults = { done: false, backend: '', adapter: null, checks: [], gpuErrors: [] };
  try {
    const ok = await tf.setBackend('webgpu');
    await tf.ready();
    results.backend = tf.getBackend();
    if (!ok || !(tf.backend() instanceof WebGPUBackend)) throw new Error('The WebGPU backend did not initialise');
    const backend = tf.backend() as WebGPUBackend;
    const adapter = await navigator.gpu?.requestAdapter();
    if (adapter) {
      const { vendor, architecture, device, description } = adapter.info;
      results.adapter = { vendor, architecture, device, description };
    }
    backend.device.addEventListener('uncapturederror', (e) => results.gpuErrors.push((e as GPUUncapturedErrorEvent).error.message));
    // Register ours (captures the stock kernel for the direct comparisons and the fallback).
    const config = conv2dBackpropInputConfig('webgpu');
    if (tf.getKernel(config.kernelName, 'webgpu') == null) tf.registerKernel(config);
    let seed = 100;
    for (const c of [...SMALL_CASES, ...resnetCases()]) results.checks.push(await runCase(c, (seed += 2)));
    results.checks.push(...(await registryChecks()));
    await backend.device.queue.onSubmittedWorkDone();
  } catch (e) {
    results.error = e instanceof Error ? `${e.name}: ${e.message}\n${e.stack}` : String(e);
  }
  results.elapsedMs = performance.now() - t0;
  results.done = true;
  window.__convInputGradResults = results;
  render(results);
}

void main();
