/**
 * Conformance of batchNormTrain (src/core/ops/batchNormTrain.ts: training-mode BatchNorm as one
 * custom-gradient op with a closed-form backward) against the autodiff path it replaced (tf.moments +
 * tf.batchNorm under tf.grads), both on tfjs's WebGPU backend (harness/batchNormTrain.html, driven by
 * e2e/batchNormTrain.spec.ts). Cases: every BatchNorm input shape of the small step config (ResNet-10
 * width 8, batch 16, 16×16; the selection forward's batch 64 for the stem; projector [B, 256] and
 * predictor [B, 64]), a [B, C] and a [B, H, W, C] input with only 4 values per channel, and one with a
 * batch mean far from zero. Checked: y, mean, biased variance, dx, dγ, dβ.
 *
 * Tolerance 1e-5 relative to the reference's max |value|: both sides reduce over n ≤ 16 384 values per
 * channel in f32 but in another order (autodiff's broadcast-gradient sums vs our two channel
 * sums), an error of order √n·ε ≤ 128·6e-8 ≈ 8e-6 relative (measured on SwiftShader: ≤ 3e-7).
 * Must not import: worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { batchNormTrain } from '../src/core/ops/batchNormTrain';
import { compareTensors, type KernelCheck, type KernelResults } from './compare';

declare global {
  interface Window {
    __batchNormTrainResults?: KernelResults;
  }
}

const EPS = 1e-5;
const RTOL = 1e-5;
const WHY = 'f32 channel sums over n values in another order (autodiff vs the closed form)';

interface Case {
  name: string;
  shape: number[];
  /** Added to x: a batch mean far from 0. */
  shift: number;
}

const CASES: Case[] = [
  { name: 'stem, selection forward', shape: [64, 16, 16, 8], shift: 0 },
  { name: 'stem / layer1', shape: [16, 16, 16, 8], shift: 0 },
  { name: 'layer2', shape: [16, 8, 8, 16], shift: 0 },
  { name: 'layer3', shape: [16, 4, 4, 32], shift: 0 },
  { name: 'layer4', shape: [16, 2, 2, 64], shift: 0 },
  { name: 'projector', shape: [16, 256], shift: 0 },
  { name: 'predictor', shape: [16, 64], shift: 0 },
  { name: 'n = 4, [B, C]', shape: [4, 5], shift: 0 },
  { name: 'n = 4, [B, H, W, C]', shape: [1, 2, 2, 3], shift: 0 },
  { name: 'mean far from 0', shape: [8, 4, 4, 8], shift: 6 },
];

/** The autodiff reference: what layers.ts batchNorm computed before batchNormTrain. */
function referenceBn(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D): { y: tf.Tensor; mean: tf.Tensor; unbiasedVariance: tf.Tensor } {
  const axes = x.rank === 4 ? [0, 1, 2] : [0];
  const { mean, variance } = tf.moments(x, axes);
  const n = x.size / x.shape[x.rank - 1]!;
  return { y: tf.batchNorm(x, mean as tf.Tensor1D, variance as tf.Tensor1D, beta, gamma, EPS), mean, unbiasedVariance: tf.mul(variance, n / (n - 1)) };
}

async function runCase(c: Case, seed: number): Promise<KernelCheck[]> {
  const numChannels = c.shape[c.shape.length - 1]!;
  const x = tf.add(tf.randomNormal(c.shape, 0, 1.5, 'float32', seed), c.shift) as tf.Tensor4D | tf.Tensor2D;
  const gamma = tf.randomNormal([numChannels], 1, 0.5, 'float32', seed + 1) as tf.Tensor1D;
  const beta = tf.randomNormal([numChannels], 0, 0.5, 'float32', seed + 2) as tf.Tensor1D;
  const w = tf.randomNormal(c.shape, 0, 1, 'float32', seed + 3); // loss = Σ y·w, so dy = w
  const ours = batchNormTrain(x, gamma, beta, EPS);
  const ref = referenceBn(x, gamma, beta);
  const [dx, dg, db] = tf.grads((xi, gi, bi) =>
    tf.sum(tf.mul(batchNormTrain(xi as tf.Tensor4D | tf.Tensor2D, gi as tf.Tensor1D, bi as tf.Tensor1D, EPS).y, w)),
  )([x, gamma, beta]);
  const [dxRef, dgRef, dbRef] = tf.grads((xi, gi, bi) => tf.sum(tf.mul(referenceBn(xi, gi as tf.Tensor1D, bi as tf.Tensor1D).y, w)))([
    x,
    gamma,
    beta,
  ]);
  const label = `${c.name} [${c.shape}]`;
  const checks = [
    await compareTensors(`${label}: y, mean, variance, dγ, dβ`, [
      ['y', ours.y, ref.y],
      ['mean', ours.mean, ref.mean],
      ['unbiased variance', ours.unbiasedVariance, ref.unbiasedVariance],
      ['dγ', dg!, dgRef!],
      ['dβ', db!, dbRef!],
    ], RTOL, WHY),
    await compareTensors(`${label}: dx`, [['dx', dx!, dxRef!]], RTOL, WHY),
  ];
  tf.dispose([x, gamma, beta, w, ours.y, ours.mean, ours.unbiasedVariance, ref.y, ref.mean, ref.unbiasedVariance, dx!, dg!, db!, dxRef!, dgRef!, dbRef!]);
  return checks;
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
    let seed = 300;
    for (const c of CASES) results.checks.push(...(await runCase(c, (seed += 4))));
    await backend.device.queue.onSubmittedWorkDone();
  } catch (e) {
    results.error = e instanceof Error ? `${e.name}: ${e.message}\n${e.stack}` : String(e);
  }
  results.elapsedMs = performance.now() - t0;
  results.done = true;
  window.__batchNormTrainResults = results;
  render(results);
}

void main();
