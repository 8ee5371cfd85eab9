/**
 * ViT parity harness page (harness/vitParity.html, built by vite; driven by e2e/vit.spec.ts): builds
 * the same ViT backbone (same seed → same weights) on tfjs's WebGPU backend, with our kernels
 * registered as the app does, and on the CPU backend, and compares on the same images: eval-mode
 * CLS features, a training-mode forward with drop_path (same step and call → same masks), and the
 * gradient of every parameter of a fixed projection of the features. This covers what the ViT
 * adds to the GPU path: erf (exact GELU), rank-4 batched matmuls, head transposes, softmax,
 * LayerNorm moments, the patch conv and its filter gradient. Publishes `window.__kernelResults`.
 * Must not import: worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { createBackbone, type BackboneConfig } from '../src/core/models/backbone';
import { createParamStore } from '../src/core/models/paramStore';
import { createRng } from '../src/core/random';
import { registerGpuKernels } from '../src/gpu/register';
import { booleanCheck, compareTensors, type KernelResults } from './compare';

declare global {
  interface Window {
    __kernelResults?: KernelResults;
  }
}

const CFG: BackboneConfig = { backbone: 'vit', backboneWidth: 2, imageSize: 16, vitPatchSize: 4, vitDim: 32, vitDepth: 2, vitHeads: 4, vitDropPath: 0.5 };
const B = 6;

interface Outputs { evalFeatures: Float32Array; trainFeatures: Float32Array; grads: Map<string, Float32Array> }

/** Everything compared, computed on the current backend (sync point: awaits data()). */
async function compute(): Promise<Outputs> {
  const store = createParamStore(17);
  const backbone = createBackbone(store, CFG, 'backbone.');
  const rng = createRng(3);
  // Seeded inputs and a fixed projection, identical on both backends: [B, 16, 16, 3] and [B, D].
  const x = tf.tensor4d(Float32Array.from({ length: B * 16 * 16 * 3 }, () => rng.normal()), [B, 16, 16, 3]);
  const w = tf.tensor2d(Float32Array.from({ length: B * 32 }, () => rng.normal()), [B, 32]);
  const evalF = backbone.forward(x, false, []);
  backbone.beginStep(5);
  const trainF = backbone.forward(x, true, []);
  backbone.beginStep(6);
  const vars = [...store.params.values()];
  const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(backbone.forward(x, true, []), w)), vars);
  const out: Outputs = { evalFeatures: (await evalF.data()) as Float32Array, trainFeatures: (await trainF.data()) as Float32Array, grads: new Map() };
  for (const [name, v] of store.params) out.grads.set(name, (await grads[v.name]!.data()) as Float32Array);
  tf.dispose([x, w, evalF, trainF, value, ...Object.values(grads)]);
  store.dispose();
  return out;
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const results: KernelResults = { done: false, backend: '', adapter: null, checks: [], gpuErrors: [] };
  try {
    const adapter = await navigator.gpu?.requestAdapter();
    if (adapter) {
      const { vendor, architecture, device, description } = adapter.info;
      results.adapter = { vendor, architecture, device, description };
    }
    const ok = await tf.setBackend('webgpu');
    await tf.ready();
    results.backend = tf.getBackend();
    if (!ok || !(tf.backend() instanceof WebGPUBackend)) throw new Error('The WebGPU backend did not initialise');
    const backend = tf.backend() as WebGPUBackend;
    backend.device.addEventListener('uncapturederror', (e) => results.gpuErrors.push((e as GPUUncapturedErrorEvent).error.message));
    registerGpuKernels();
    const gpu = await compute();
    await backend.device.queue.onSubmittedWorkDone();
    await tf.setBackend('cpu');
    const cpu = await compute();
    const t = (a: Float32Array) => tf.tensor1d(a);
    // f32 on both sides; the GPU sums matmuls and reductions in another order, and erf is the same
    // A&S polynomial on both backends. Features are O(1): 1e-4 of their scale is ~100 ulps.
    results.checks.push(await compareTensors('ViT eval features (WebGPU vs CPU)', [['features', t(gpu.evalFeatures), t(cpu.evalFeatures)]], 1e-4, 'LayerNorm-ed CLS features, f32 summation order'));
    results.checks.push(await compareTensors('ViT training forward with drop_path 0.5 (same step, same masks)', [['features', t(gpu.trainFeatures), t(cpu.trainFeatures)]], 1e-4, 'masks come from the seeded Rng on the host, so they must agree exactly'));
    results.checks.push(await compareTensors(
      'ViT parameter gradients (WebGPU vs CPU)',
      [...gpu.grads].map(([name, g]) => [name, t(g), t(cpu.grads.get(name)!)] as const),
      1e-3,
      'backward through attention, erf-GELU, LayerNorm and the patch conv; relative to each gradient’s scale',
    ));
    results.checks.push(booleanCheck('eval and training features differ (drop_path active)', Math.max(...gpu.evalFeatures.map((v, i) => Math.abs(v - gpu.trainFeatures[i]!))) > 1e-3, 'rate 0.5 on block 1'));
    results.checks.push(booleanCheck('no uncaptured WebGPU errors', results.gpuErrors.length === 0, results.gpuErrors.join(' | ')));
  } catch (e) {
    results.error = String(e instanceof Error ? e.stack : e);
  }
  results.elapsedMs = performance.now() - t0;
  results.done = true;
  window.__kernelResults = results;
  document.getElementById('out')!.textContent = JSON.stringify(results, null, 2);
}

void main();
