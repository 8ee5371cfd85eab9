/**
 * Conformance of the dispatch-cutting WebGPU kernels of issue 12 (gpu/register.ts set 'lean') against
 * their pure-tfjs references in core/ops, both on tfjs's WebGPU backend (harness/leanKernels.html, driven
 * by e2e/leanKernels.spec.ts):
 * - HvpBatchNormTrain / HvpBatchNormTrainGrad (gpu/kernels/batchNormTrain.ts) against
 *   batchNormTrainReference (core/ops/batchNormTrain.ts): y, mean, unbiased variance, dx, dγ, dβ on every
 *   BN shape of the small and the default step config (selection forward included), [B, C] heads, tiny
 *   n and a batch mean far from zero;
 * - HvpEma (gpu/kernels/ema.ts) against emaReference (core/ops/ema.ts): BN running stats of every size
 *   (vec4 and scalar lengths) and momentum 0.1 (PyTorch's), 0 and 1;
 * - HvpReluGrad (gpu/kernels/reluGrad.ts) against reluGradReference (tfjs's Relu gradient), directly
 *   and through tf.grad of tf.relu (the gradient override installReluGrad), with exact zeros in x: must
 *   be bit-equal;
 * plus that batchNormTrain, ema and Relu's gradient really take the kernel path once registered.
 *
 * Tolerance 1e-5 relative to the reference's max |value|: both sides reduce over up to n = 262 144 values
 * per channel in f32 in another order (workgroup tree vs tfjs's transpose + reduce), an error of order
 * √n·ε ≈ 512·6e-8 ≈ 3e-5 in the worst case, far less in practice (measured: see the spec's log).
 * Must not import: worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { BATCH_NORM_TRAIN_KERNEL, batchNormTrain, batchNormTrainReference } from '../src/core/ops/batchNormTrain';
import { EMA_KERNEL, ema, emaReference } from '../src/core/ops/ema';
import { RELU_GRAD_KERNEL, reluGrad, reluGradReference } from '../src/core/ops/reluGrad';
import { registerGpuKernels } from '../src/gpu/register';
import { booleanCheck, compareTensors, type KernelCheck, type KernelResults } from './compare';

declare global {
  interface Window {
    __leanKernelResults?: KernelResults;
  }
}

const EPS = 1e-5;
const RTOL = 1e-5;
const WHY = 'f32 channel sums over n values in another order (workgroup tree vs transpose + reduce)';

interface BnCase {
  name: string;
  shape: number[];
  /** Added to x: a batch mean far from 0. */
  shift: number;
}

const BN_CASES: BnCase[] = [
  { name: 'default config: stem, selection forward', shape: [256, 32, 32, 16], shift: 0 },
  { name: 'default config: stem / layer1', shape: [64, 32, 32, 16], shift: 0 },
  { name: 'default config: layer4', shape: [64, 4, 4, 128], shift: 0 },
  { name: 'small config: stem, selection forward', shape: [64, 16, 16, 8], shift: 0 },
  { name: 'small config: layer2', shape: [16, 8, 8, 16], shift: 0 },
  { name: 'small config: layer4', shape: [16, 2, 2, 64], shift: 0 },
  { name: 'projector', shape: [64, 256], shift: 0 },
  { name: 'predictor', shape: [16, 64], shift: 0 },
  { name: 'n = 2, [B, C]', shape: [2, 5], shift: 0 },
  { name: 'n = 4, [B, H, W, C]', shape: [1, 2, 2, 3], shift: 0 },
  { name: 'C = 1', shape: [4, 3, 3, 1], shift: 0 },
  { name: 'mean far from 0', shape: [8, 4, 4, 8], shift: 6 },
];

/** Forward outputs and gradients (loss = Σ y·w) of one batchNormTrain implementation. */
function runBn(impl: typeof batchNormTrain, x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, w: tf.Tensor): tf.Tensor[] {
  const out = impl(x as tf.Tensor4D, gamma, beta, EPS);
  const grads = tf.grads((xi, gi, bi) => tf.sum(tf.mul(impl(xi as tf.Tensor4D, gi as tf.Tensor1D, bi as tf.Tensor1D, EPS).y, w)))([x, gamma, beta]);
  return [out.y, out.mean, out.unbiasedVariance, ...grads];
}

async function bnCase(c: BnCase, seed: number): Promise<KernelCheck[]> {
  const numChannels = c.shape[c.shape.length - 1]!;
  const x = tf.add(tf.randomNormal(c.shape, 0, 1.5, 'float32', seed), c.shift);
  const gamma = tf.randomNormal([numChannels], 1, 0.5, 'float32', seed + 1) as tf.Tensor1D;
  const beta = tf.randomNormal([numChannels], 0, 0.5, 'float32', seed + 2) as tf.Tensor1D;
  const w = tf.randomNormal(c.shape, 0, 1, 'float32', seed + 3); // loss = Σ y·w, so dy = w
  const [y, mean, variance, dx, dg, db] = runBn(batchNormTrain, x, gamma, beta, w);
  const [yR, meanR, varianceR, dxR, dgR, dbR] = runBn(batchNormTrainReference, x, gamma, beta, w);
  const label = `BN ${c.name} [${c.shape}]`;
  // dx is a difference of O(|γ|·rstd·|dy|) terms (for n = 2 it cancels exactly: dx = 0 up to rounding), so
  // its errors are judged against that scale, not against max |dx|.
  const termScale = tf.tidy(() => tf.max(tf.abs(w)).mul(tf.max(tf.abs(gamma))).mul(tf.max(tf.rsqrt(tf.add(varianceR!, EPS))) /* unbiased ≤ 2× biased at n ≥ 2: a scale, not a value */));
  const dxFloor = (await termScale.data())[0]!;
  termScale.dispose();
  const checks = [
    await compareTensors(`${label}: y, mean, variance`, [['y', y!, yR!], ['mean', mean!, meanR!], ['variance', variance!, varianceR!]], RTOL, WHY),
    await compareTensors(`${label}: dx`, [['dx', dx!, dxR!]], RTOL, `${WHY}; scale ≥ max|γ|·max rstd·max|dy| = ${dxFloor.toPrecision(3)}`, dxFloor),
    await compareTensors(`${label}: dγ, dβ`, [['dγ', dg!, dgR!], ['dβ', db!, dbR!]], RTOL, WHY),
  ];
  tf.dispose([x, gamma, beta, w, y!, mean!, variance!, dx!, dg!, db!, yR!, meanR!, varianceR!, dxR!, dgR!, dbR!]);
  return checks;
}

/** EMA cases: [length, momentum]. */
const EMA_CASES: Array<[number, number]> = [[16, 0.1], [128, 0.1], [5, 0.1], [256, 0], [7, 1]];

async function emaCase(length: number, momentum: number, seed: number): Promise<KernelCheck> {
  const average = tf.randomNormal([length], 0, 2, 'float32', seed);
  const value = tf.randomUniform([length], 0, 3, 'float32', seed + 1);
  const ours = ema(average, value, momentum);
  const ref = emaReference(average, value, momentum);
  // f32: the kernel may fuse the multiply-add (one rounding instead of two): ≤ 1 ulp apart
  const check = await compareTensors(`EMA [${length}], momentum ${momentum}`, [['average', ours, ref]], 1e-6, 'one f32 rounding (fused multiply-add)');
  tf.dispose([average, value, ours, ref]);
  return check;
}

/** ReLU-gradient cases: shapes (vec4 and scalar lengths). */
const RELU_CASES: number[][] = [[16, 8, 8, 16], [3, 5, 7], [64, 256]];

async function reluCase(shape: number[], seed: number): Promise<KernelCheck> {
  // x rounded to multiples of 0.5 so that exact zeros (gradient 0) occur
  const x = tf.tidy(() => tf.round(tf.randomNormal(shape, 0, 1.5, 'float32', seed).mul(2)).div(2));
  const dy = tf.randomNormal(shape, 0, 1, 'float32', seed + 1);
  const ours = reluGrad(dy, x);
  const ref = reluGradReference(dy, x);
  const viaTape = tf.grad((xi) => tf.sum(tf.mul(tf.relu(xi), dy)))(x);
  const check = await compareTensors(`ReLU gradient [${shape}] (direct and via tf.grad)`, [['direct', ours, ref], ['tf.grad', viaTape, ref]], 0, 'exact: one select and one multiply', 1);
  tf.dispose([x, dy, ours, ref, viaTape]);
  return check;
}

/** batchNormTrain and ema must run the registered kernels (HvpBatchNormTrain, HvpEma), not the references. */
function kernelPathCheck(): KernelCheck {
  const names: string[] = [];
  const engine = tf.engine() as unknown as { runKernel: (n: string, i: unknown, a?: unknown) => unknown };
  const orig = engine.runKernel;
  engine.runKernel = function (this: unknown, n: string, i: unknown, a?: unknown) {
    names.push(n);
    return orig.call(this, n, i, a);
  };
  try {
    tf.tidy(() => batchNormTrain(tf.ones([2, 2, 2, 3]) as tf.Tensor4D, tf.ones([3]), tf.zeros([3]), EPS).y);
    tf.tidy(() => ema(tf.ones([3]), tf.zeros([3]), 0.1));
    tf.tidy(() => tf.grad((x) => tf.sum(tf.relu(x)))(tf.ones([4])));
  } finally {
    engine.runKernel = orig;
  }
  const ok = names.includes(BATCH_NORM_TRAIN_KERNEL) && names.includes(EMA_KERNEL) && names.includes(RELU_GRAD_KERNEL) && !names.includes('FusedBatchNorm') && !names.includes('Step');
  return booleanCheck('batchNormTrain, ema and Relu\'s gradient take the kernel paths once registered', ok, `kernels run: ${names.join(', ')}`);
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
    registerGpuKernels('webgpu', ['lean']);
    results.checks.push(kernelPathCheck());
    let seed = 700;
    for (const c of BN_CASES) results.checks.push(...(await bnCase(c, (seed += 4))));
    for (const [length, momentum] of EMA_CASES) results.checks.push(await emaCase(length, momentum, (seed += 2)));
    for (const shape of RELU_CASES) results.checks.push(await reluCase(shape, (seed += 2)));
    await backend.device.queue.onSubmittedWorkDone();
  } catch (e) {
    results.error = e instanceof Error ? `${e.name}: ${e.message}\n${e.stack}` : String(e);
  }
  results.elapsedMs = performance.now() - t0;
  results.done = true;
  window.__leanKernelResults = results;
  render(results);
}

void main();
