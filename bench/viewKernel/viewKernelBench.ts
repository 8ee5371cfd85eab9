/**
 * View renderer benchmark (bench/viewKernel/index.html; run with bench/runBench.mjs, see README):
 * times, in one page load, the three renderers of the same N·M views of S × S from 32 × 32 sources:
 *   kernel    renderViews on a packed upload: the WGSL kernel, one dispatch (params packed and
 *             uploaded per call, as in training);
 *   tfjsOps   renderViewsTf on float32 images: the stock-op pipeline on the webgpu backend
 *             (CPU-side sample tables + dozens of dispatches);
 *   reference renderViewsReference: plain TypeScript on the CPU (float64).
 * GPU paths: `warmup` synced calls (pipeline compilation), then `iters` calls queued back to back
 * and one sync (a 1-element read of the last output), so the time is throughput per call. The
 * tfjs-ops path gets its own, smaller counts (opsWarmup, opsIters): on SwiftShader one call of it
 * takes seconds.
 * Two augmentation settings: the default config (no blur/solarize) and every option on.
 * Must not import: worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { DEFAULT_CONFIG } from '../../src/core/config/runConfig';
import { generateBuiltinDataset } from '../../src/core/data/builtinDataset';
import type { ViewParams } from '../../src/core/data/types';
import { augmentFromConfig, sampleBatchViewParams, type AugmentOptions } from '../../src/core/data/viewParams';
import { renderViewsReference } from '../../src/core/ops/renderViews';
import { renderViews, uploadSourceImages, type SourceImages } from '../../src/core/ops/renderViewsOp';
import { renderViewsTf } from '../../src/core/ops/renderViewsTf';
import { createRng } from '../../src/core/random';
import { registerGpuKernels } from '../../src/gpu/register';

/** msPerCall: wall time per call incl. the GPU work; issueMsPerCall: JS time to queue a call (CPU side only). */
interface Timing { method: 'kernel' | 'tfjsOps' | 'reference'; msPerCall: number; issueMsPerCall: number }
interface SettingResult { setting: string; timings: Timing[]; tfjsOpsOverKernel: number; referenceOverKernel: number }

const ALL_ON: AugmentOptions = {
  ...augmentFromConfig(DEFAULT_CONFIG), flipProb: 1, jitterProb: 1, grayscaleProb: 0.5, blurProb: 1, solarizeProb: 0.5,
};

/** Waits for all queued GPU work by reading one element of `t`. sync point. */
async function sync(t: tf.Tensor4D): Promise<void> {
  const one = tf.slice(t, [0, 0, 0, 0], [1, 1, 1, 1]);
  await one.data();
  one.dispose();
}

/** ms per call of a GPU renderer: warmup synced calls, then `iters` queued calls and one sync. */
async function timeGpu(render: () => tf.Tensor4D, warmup: number, iters: number): Promise<{ ms: number; issueMs: number }> {
  for (let i = 0; i < warmup; i++) {
    const out = render();
    await sync(out);
    out.dispose();
  }
  const t0 = performance.now();
  let last: tf.Tensor4D | null = null;
  for (let i = 0; i < iters; i++) {
    last?.dispose();
    last = render();
  }
  const issueMs = (performance.now() - t0) / iters;
  await sync(last!);
  const ms = (performance.now() - t0) / iters;
  last!.dispose();
  return { ms, issueMs };
}

/** ms per call of the CPU reference (fewer iterations: it is the slow one). */
function timeCpu(render: () => Float32Array, iters: number): number {
  render();
  const t0 = performance.now();
  for (let i = 0; i < iters; i++) render();
  return (performance.now() - t0) / iters;
}

async function benchSetting(
  setting: string, aug: AugmentOptions, u8: Uint8Array, packed: SourceImages, float: SourceImages,
  q: { N: number; M: number; S: number; iters: number; warmup: number; opsIters: number; opsWarmup: number },
): Promise<SettingResult> {
  const rng = createRng(7);
  const params: ViewParams[] = sampleBatchViewParams(rng, aug, q.N, q.M, 32, 32);
  const idx = Int32Array.from({ length: q.M }, (_, m) => (m * 37) % packed.numImages);
  const idxT = tf.tensor1d(idx, 'int32');
  const kernel = await timeGpu(() => renderViews(packed, idxT, params, q.S), q.warmup, q.iters);
  const tfjsOps = q.opsIters > 0
    ? await timeGpu(() => renderViewsTf(float.tensor as tf.Tensor4D, idxT, params, q.S), q.opsWarmup, q.opsIters)
    : { ms: NaN, issueMs: NaN }; // opsIters=0 skips the slow path (kernel-only runs)
  const reference = timeCpu(() => renderViewsReference(u8, idx, 32, params, q.S), Math.max(3, Math.floor(q.iters / 4)));
  idxT.dispose();
  return {
    setting,
    timings: [
      { method: 'kernel', msPerCall: kernel.ms, issueMsPerCall: kernel.issueMs },
      { method: 'tfjsOps', msPerCall: tfjsOps.ms, issueMsPerCall: tfjsOps.issueMs },
      { method: 'reference', msPerCall: reference, issueMsPerCall: reference },
    ],
    tfjsOpsOverKernel: tfjsOps.ms / kernel.ms,
    referenceOverKernel: reference / kernel.ms,
  };
}

async function main(): Promise<void> {
  const sp = new URLSearchParams(location.search);
  const num = (k: string, d: number): number => Number(sp.get(k) ?? d);
  const q = {
    N: num('numViews', 4), M: num('numImages', 64), S: num('size', 32), iters: num('iters', 20), warmup: num('warmup', 3),
    opsIters: num('opsIters', 3), opsWarmup: num('opsWarmup', 1),
  };
  await tf.setBackend('webgpu');
  await tf.ready();
  if (tf.getBackend() !== 'webgpu') throw new Error(`backend is ${tf.getBackend()}, not webgpu`);
  registerGpuKernels();
  const data = generateBuiltinDataset({ seed: 1, numTrain: 256, numTest: 0 }).train;
  const packed = uploadSourceImages(data.images, data.numImages, 32, 32);
  const float = uploadSourceImages(data.images, data.numImages, 32, 32, 'float32');
  if (packed.format !== 'packedU8') throw new Error('the view kernel is not registered: upload was not packed');
  const results = [
    await benchSetting('default config', augmentFromConfig(DEFAULT_CONFIG), data.images, packed, float, q),
    await benchSetting('all options on (blur p=1)', ALL_ON, data.images, packed, float, q),
  ];
  tf.dispose([packed.tensor, float.tensor]);
  const info = (tf.backend() as WebGPUBackend).adapterInfo as unknown as Record<string, string>;
  const out = {
    views: `${q.N}·${q.M} views of ${q.S}×${q.S} from 32×32`, iters: q.iters, warmup: q.warmup, opsIters: q.opsIters, opsWarmup: q.opsWarmup,
    backend: tf.getBackend(),
    adapter: { vendor: info.vendor, architecture: info.architecture, description: info.description }, results,
  };
  (window as unknown as { __benchResults: unknown }).__benchResults = out;
  document.getElementById('out')!.textContent = JSON.stringify(out, null, 2);
}

main().catch((e) => {
  (window as unknown as { __benchResults: unknown }).__benchResults = { error: String(e instanceof Error ? e.stack : e) };
  document.getElementById('out')!.textContent = String(e);
});
