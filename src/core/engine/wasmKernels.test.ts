// Our wasm kernels (wasmKernels.ts) against the tfjs CPU backend: both convolution gradients on the
// ResNet shapes and the awkward ones (stride 2, 1×1 stride 2, odd sizes where the forward conv never
// reads the last row, 'same' and 'valid'), with the input gradient forced to the identity and to wasm's
// stock kernel; Sum/Mean over the leading axes and FusedBatchNorm; and selectEngine's choices in Node.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSoftwareRenderer, selectEngine } from './selectEngine';
import { setWasmInputGradPolicy } from './wasmKernels';

beforeAll(async () => {
  await selectEngine('wasm', { isStrict: true });
});
afterAll(async () => {
  setWasmInputGradPolicy('auto');
  await tf.setBackend('cpu');
});

/** Runs `f` on `backend` with the given host inputs and returns its outputs as host arrays. */
async function on(backend: 'cpu' | 'wasm', f: () => tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const outs = tf.tidy(f);
  const data = await Promise.all(outs.map((t) => t.data() as Promise<Float32Array>));
  tf.dispose(outs);
  return data;
}

function expectClose(a: Float32Array, b: Float32Array, tol: number, label: string): void {
  expect(a.length, label).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!)));
  expect(worst, label).toBeLessThan(tol);
}

const rand = (shape: number[], seed: number) => Float32Array.from({ length: shape.reduce((p, q) => p * q, 1) }, (_, i) => Math.sin(seed * 131 + i * 0.7311) * 0.8);

// [input NHWC, filter k, Cout, stride, pad]
const CONVS: [number[], number, number, number, 'same' | 'valid' | number][] = [
  [[4, 8, 8, 3], 3, 4, 1, 1],
  [[4, 8, 8, 4], 3, 6, 2, 1],
  [[2, 9, 9, 3], 3, 5, 2, 1],
  [[2, 7, 7, 2], 3, 3, 2, 'valid'],
  [[2, 8, 8, 4], 1, 6, 2, 0],
  [[3, 5, 5, 2], 1, 3, 1, 0],
  [[2, 6, 6, 3], 3, 2, 1, 'same'],
];

describe('wasm convolution gradients', () => {
  it.each(['identity', 'stock'] as const)('match the cpu backend (input gradient: %s)', async (policy) => {
    setWasmInputGradPolicy(policy);
    for (const [xs, k, cout, s, pad] of CONVS) {
      const ws = [k, k, xs[3]!, cout];
      const grads = () => {
        const x = tf.tensor4d(rand(xs, 1), xs as [number, number, number, number]);
        const w = tf.tensor4d(rand(ws, 2), ws as [number, number, number, number]);
        const loss = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, s, pad), tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, s, pad)));
        return tf.grads(loss)([x, w]);
      };
      const cpu = await on('cpu', grads);
      const wasm = await on('wasm', grads);
      expectClose(wasm[0]!, cpu[0]!, 1e-5, `dx x=[${xs}] k=${k} s=${s} pad=${pad}`);
      expectClose(wasm[1]!, cpu[1]!, 1e-5, `dw x=[${xs}] k=${k} s=${s} pad=${pad}`);
    }
  });
});

describe('wasm reductions and BatchNorm', () => {
  it('Sum and Mean over the leading axes (and others, through the stock kernels) match the cpu backend', async () => {
    const f = () => {
      const x = tf.tensor4d(rand([3, 4, 5, 6], 3), [3, 4, 5, 6]);
      return [tf.sum(x, [0, 1, 2]), tf.mean(x, [0, 1, 2], true), tf.mean(x.reshape([60, 6]), 0), tf.sum(x, [1, 2]), tf.mean(x, -1), tf.sum(x)];
    };
    const cpu = await on('cpu', f);
    const wasm = await on('wasm', f);
    cpu.forEach((c, i) => expectClose(wasm[i]!, c, 1e-6, `reduction ${i}`));
  });

  it('FusedBatchNorm (4-D and 2-D, with and without scale/offset) matches the cpu backend', async () => {
    const f = () => {
      const x = tf.tensor4d(rand([2, 3, 3, 4], 4), [2, 3, 3, 4]);
      const m = tf.tensor1d([0.1, -0.2, 0.3, 0]);
      const v = tf.tensor1d([1, 0.5, 2, 0.01]);
      const g = tf.tensor1d([1.5, 1, -1, 2]);
      const b = tf.tensor1d([0, 0.5, -0.5, 1]);
      return [tf.batchNorm(x, m, v, b, g, 1e-5), tf.batchNorm(x, m, v, undefined, undefined, 1e-3), tf.batchNorm(x.reshape([18, 4]), m, v, b, g, 1e-5)];
    };
    const cpu = await on('cpu', f);
    const wasm = await on('wasm', f);
    cpu.forEach((c, i) => expectClose(wasm[i]!, c, 1e-5, `batchNorm ${i}`));
  });
});

describe('selectEngine in Node', () => {
  it('falls from webgpu to wasm, saying why, and names SIMD and threads', async () => {
    const e = await selectEngine('webgpu', { prepareWebGpu: async () => 'no adapter in this test' });
    expect(e.name).toBe('wasm');
    expect(e.fallbackReason).toBe('WebGPU: no adapter in this test'); // WebGL is no option in Node: no reason
    expect(e.numThreads).toBe(1);
    expect(e.description).toMatch(/^(no )?SIMD, 1 thread \(Node runs it single-threaded\)$/);
  });

  it('starts cpu when asked, and a strict request fails with the reason', async () => {
    expect((await selectEngine('cpu')).name).toBe('cpu');
    await expect(selectEngine('webgpu', { isStrict: true })).rejects.toThrow(/^The webgpu engine could not be started \(WebGPU is not available here\)$/);
  });

  it('recognises software renderers', () => {
    for (const r of ['ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)', 'llvmpipe (LLVM 15.0.6, 256 bits)', 'Microsoft Basic Render Driver']) expect(isSoftwareRenderer(r)).toBe(true);
    for (const r of ['ANGLE (NVIDIA, NVIDIA GeForce RTX 3080 Direct3D11 vs_5_0 ps_5_0)', 'Apple M2', 'Mesa Intel(R) UHD Graphics 620']) expect(isSoftwareRenderer(r)).toBe(false);
  });
});
