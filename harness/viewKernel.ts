/**
 * Parity harness of the WGSL view kernel (harness/viewKernel.html, built by vite; driven by
 * e2e/viewKernel.spec.ts): renders random views with the kernel in Chromium's WebGPU and compares
 * them with renderViewsReference (float64), publishing `window.__viewKernelResults`.
 *
 * Tolerance: |kernel − reference| ≤ 1e-5 on [0, 1] values (÷ the case's smallest std when
 * normalised: ≈ 4.1e-5 with CIFAR-10's statistics). Normalised cases use CIFAR-10's and other sets'
 * statistics (mean and std are kernel uniforms, not shader constants), and a negative control shows
 * the kernel's output with one set's statistics does not pass for another's.
 * and a case passes only with ZERO values over it. Why that is enough and honest: the kernel runs
 * in f32 against f64, and every step of the pipeline is a continuous function of its inputs —
 * bilinear weights, clamps, the hue round trip (hsv→rgb is continuous across sector boundaries
 * and across h's wrap at 1; near-gray pixels have s ≈ 0, so an ill-conditioned h barely moves
 * them), and solarize (x ≥ 0.5 → 1 − x maps 0.5 to 0.5). A threshold that flips (0.5 in solarize,
 * the branch in rgb→hsv, floor in the sampler or the hue sector) therefore moves a value by about
 * the f32 error that flipped it, not by a jump, so no per-pixel exclusion list is needed. Each
 * case reports how many values sat within 1e-5 of such a threshold (solarize input near 0.5), so
 * the claim is visibly exercised. The blur radius ceil(3σ) is the one true discontinuity; it
 * would need 3σ within an f32 ulp of an integer (about 1 in 10^7 per view) and is then reported
 * as mismatching values. Typical f32 error here is ~1e-6.
 * Must not import: worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { DEFAULT_CONFIG } from '../src/core/config/runConfig';
import { generateBuiltinDataset } from '../src/core/data/builtinDataset';
import { CIFAR10_NORMALIZATION, computeNormalization, KNOWN_NORMALIZATIONS, type Normalization } from '../src/core/data/normalization';
import type { ViewParams } from '../src/core/data/types';
import { augmentFromConfig, packViewParams, sampleBatchViewParams, unpackViewParams, type AugmentOptions } from '../src/core/data/viewParams';
import { createRng } from '../src/core/random';
import { normalizeViewsReference, renderViewsReference } from '../src/core/ops/renderViews';
import { renderViews, uploadSourceImages, type RenderViewsAttrs } from '../src/core/ops/renderViewsOp';
import { normalizeViews, renderViewsTf } from '../src/core/ops/renderViewsTf';
import { runRenderViews, sharedBytesFor, type ViewScratch } from '../src/gpu/kernels/renderViews';
import { registerGpuKernels } from '../src/gpu/register';

/** One parity check. */
export interface ViewKernelCheck {
  name: string;
  maxAbsErr: number;
  tolerance: number;
  pass: boolean;
  /** Values compared, and how many exceeded the tolerance (must be 0). */
  numValues: number;
  numMismatches: number;
  /** Solarize inputs within 1e-5 of the 0.5 threshold (evidence the threshold case was hit). */
  numNearThreshold: number;
  note: string;
}

/** What the page publishes as `window.__viewKernelResults`. */
export interface ViewKernelResults {
  done: boolean;
  backend: string;
  adapter: Record<string, string> | null;
  maxWorkgroupStorageBytes: number;
  checks: ViewKernelCheck[];
  gpuErrors: string[];
  error?: string;
  elapsedMs?: number;
}

declare global {
  interface Window {
    __viewKernelResults?: ViewKernelResults;
  }
}

const TOL = 1e-5;
/** Tolerance on normalised values: the [0, 1] tolerance divided by the smallest std. */
const tolFor = (n: Normalization | undefined): number => (n ? TOL / Math.min(...n.std) : TOL);

/** Every option at probability 1 (grayscale too), wide blur range. */
const ALL_ON: AugmentOptions = {
  scaleMin: 0.08, scaleMax: 1, ratioMin: 3 / 4, ratioMax: 4 / 3, flipProb: 1, jitterProb: 1, brightness: 0.4,
  contrast: 0.4, saturation: 0.4, hue: 0.5, grayscaleProb: 1, blurProb: 1, blurSigmaMin: 0.1, blurSigmaMax: 3,
  solarizeProb: 1,
};
/** Colour at probability 1 without grayscale, so jitter errors are not hidden by the gray step. */
const COLOUR_ON: AugmentOptions = { ...ALL_ON, grayscaleProb: 0, solarizeProb: 0.5, blurProb: 0.5 };
const DEFAULT_AUG = augmentFromConfig(DEFAULT_CONFIG);

/** Seeded noise images [n, S, S, 3] (every colour, many max-channel ties at 0 and 255). */
function noiseImages(n: number, S: number, seed: number): Uint8Array {
  const rng = createRng(seed);
  return Uint8Array.from({ length: n * S * S * 3 }, () => {
    const u = rng.next();
    return u < 0.1 ? 0 : u > 0.9 ? 255 : Math.floor(rng.next() * 256);
  });
}

/** Flat-coloured shapes from the built-in dataset (exact grays and channel ties). */
const shapeImages = (n: number): Uint8Array => generateBuiltinDataset({ seed: 3, numTrain: n, numTest: 0 }).train.images;

/** The parameters as the kernel sees them (rounded to float32 by packing). */
const asF32 = (params: ViewParams[]): ViewParams[] => {
  const packed = packViewParams(params);
  return params.map((_, v) => unpackViewParams(packed, v));
};

/** Compares kernel output with the reference; counts values over the tolerance. */
function compare(name: string, actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, nearThreshold: number, note: string): ViewKernelCheck {
  let maxAbsErr = actual.length === expected.length ? 0 : Infinity;
  let numMismatches = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.abs(actual[i]! - expected[i]!);
    if (!(e <= tolerance)) numMismatches++;
    maxAbsErr = Number.isNaN(e) ? Infinity : Math.max(maxAbsErr, e);
  }
  return { name, maxAbsErr, tolerance, pass: numMismatches === 0 && maxAbsErr <= tolerance, numValues: expected.length, numMismatches, numNearThreshold: nearThreshold, note };
}

/** Solarize inputs near 0.5: the reference before solarize (same params with isSolarized off). */
function countNearHalf(images: Uint8Array, idx: number[], H: number, params: ViewParams[], S: number): number {
  const pre = renderViewsReference(images, idx, H, params.map((p) => ({ ...p, isSolarized: false })), S);
  let count = 0;
  const px = S * S * 3;
  for (let i = 0; i < pre.length; i++) if (params[Math.floor(i / px)]!.isSolarized && Math.abs(pre[i]! - 0.5) < 1e-5) count++;
  return count;
}

interface Case {
  name: string;
  images: Uint8Array;
  numSource: number;
  H: number;
  S: number;
  N: number;
  M: number;
  aug: AugmentOptions;
  seed: number;
  /** Normalise with these statistics (absent: [0, 1] output). */
  normalization?: Normalization;
  scratch?: ViewScratch;
  /** Hand-made parameters instead of sampled ones. */
  params?: ViewParams[];
}

/** Runs one case through runRenderViews (explicit scratch variant) and compares with the reference. */
async function runCase(backend: WebGPUBackend, c: Case): Promise<{ check: ViewKernelCheck; views: Float32Array; params: ViewParams[]; idx: number[] }> {
  const rng = createRng(c.seed);
  const params = asF32(c.params ?? sampleBatchViewParams(rng, c.aug, c.N, c.M, c.H, c.H));
  const idx = Array.from({ length: c.M }, () => rng.int(c.numSource));
  const src = uploadSourceImages(c.images, c.numSource, c.H, c.H, 'packedU8');
  const p = tf.tensor2d(packViewParams(params), [params.length, 20]);
  const idxT = tf.tensor1d(idx, 'int32');
  const n = c.normalization;
  const attrs: RenderViewsAttrs = {
    outSize: c.S, numImages: c.M, srcHeight: c.H, srcWidth: c.H, normalize: n !== undefined,
    mean: n ? [...n.mean] : [0, 0, 0], std: n ? [...n.std] : [1, 1, 1],
  };
  const scratch = c.scratch ?? (sharedBytesFor(c.S) <= backend.device.limits.maxComputeWorkgroupStorageSize ? 'shared' : 'global');
  const out = tf.engine().makeTensorFromTensorInfo(runRenderViews(backend, src.tensor, p, idxT, attrs, scratch));
  const views = (await out.data()) as Float32Array;
  tf.dispose([src.tensor, p, idxT, out]);
  let expected = renderViewsReference(c.images, idx, c.H, params, c.S);
  if (n) expected = normalizeViewsReference(expected, n);
  const tol = tolFor(n);
  const near = countNearHalf(c.images, idx, c.H, params, c.S);
  const note = `${c.N}·${c.M} views of ${c.S}×${c.S} from ${c.H}×${c.H}, scratch ${scratch}${n ? `, normalised (${n.source}: mean ${n.mean.map((v) => v.toFixed(3)).join(' ')}, std ${n.std.map((v) => v.toFixed(3)).join(' ')})` : ''}`;
  return { check: compare(c.name, views, expected, tol, near, note), views, params, idx };
}

/**
 * Every value lands on the solarize threshold: gray 128 pixels × brightness 255/256 = 0.5 exactly in
 * real arithmetic, so f32 and f64 round to either side of it and take different branches.
 */
function thresholdCase(): Omit<Case, 'name'> {
  const gray: ViewParams = {
    top: 0, left: 0, height: 8, width: 8, isFlipped: false, hasJitter: true, brightness: 255 / 256, contrast: 1,
    saturation: 1, hue: 0, jitterOrder: [0, 3, 1, 2], isGrayscale: false, blurSigma: 0, isSolarized: true,
  };
  const params = [gray, { ...gray, jitterOrder: [3, 2, 1, 0] as [number, number, number, number] }, { ...gray, isFlipped: true, blurSigma: 1 }];
  return { images: new Uint8Array(8 * 8 * 3).fill(128), numSource: 1, H: 8, S: 8, N: 3, M: 1, aug: ALL_ON, seed: 12, params };
}

async function runChecks(backend: WebGPUBackend): Promise<ViewKernelCheck[]> {
  const noise = noiseImages(6, 32, 1);
  const shapes = shapeImages(6);
  // A set's own statistics, far from CIFAR-10's in the std (small std amplifies any error).
  const computed: Normalization = { ...computeNormalization({ images: shapes, numImages: 6 }), std: [0.08, 0.31, 0.17] };
  const cases: Case[] = [
    { name: 'all options p=1, S=16 from 32 px (noise)', images: noise, numSource: 6, H: 32, S: 16, N: 4, M: 3, aug: ALL_ON, seed: 1 },
    { name: 'all options p=1, S=32 from 32 px (shapes)', images: shapes, numSource: 6, H: 32, S: 32, N: 4, M: 2, aug: ALL_ON, seed: 2 },
    { name: 'colour p=1 without grayscale, S=32 (noise)', images: noise, numSource: 6, H: 32, S: 32, N: 4, M: 3, aug: COLOUR_ON, seed: 3 },
    { name: 'default config, S=32 from 32 px (shapes)', images: shapes, numSource: 6, H: 32, S: 32, N: 4, M: 4, aug: DEFAULT_AUG, seed: 4 },
    { name: 'default config, S=16 from 32 px (noise)', images: noise, numSource: 6, H: 32, S: 16, N: 4, M: 4, aug: DEFAULT_AUG, seed: 5 },
    { name: "all options p=1, normalised with CIFAR-10's statistics, S=32 (noise)", images: noise, numSource: 6, H: 32, S: 32, N: 2, M: 3, aug: COLOUR_ON, seed: 6, normalization: CIFAR10_NORMALIZATION },
    { name: "colour p=1, normalised with MNIST's statistics, S=32 (noise)", images: noise, numSource: 6, H: 32, S: 32, N: 2, M: 3, aug: COLOUR_ON, seed: 13, normalization: KNOWN_NORMALIZATIONS.mnist },
    { name: 'all options p=1, normalised with statistics computed over the images, global scratch, S=16 (shapes)', images: shapes, numSource: 6, H: 32, S: 16, N: 2, M: 3, aug: ALL_ON, seed: 14, normalization: computed, scratch: 'global' },
    { name: 'colour p=1, global-memory scratch, S=32 (noise)', images: noise, numSource: 6, H: 32, S: 32, N: 2, M: 3, aug: COLOUR_ON, seed: 7, scratch: 'global' },
    { name: 'all options p=1, S=8 (blur radius > S − 1, repeated reflection)', images: noise, numSource: 6, H: 32, S: 8, N: 4, M: 3, aug: ALL_ON, seed: 8 },
    { name: 'colour p=1, S=64 upsampled from 32 px (shapes)', images: shapes, numSource: 6, H: 32, S: 64, N: 2, M: 2, aug: COLOUR_ON, seed: 9 },
    { name: 'colour p=1, S=12 from 5×5 px (padded words)', images: noiseImages(4, 5, 2), numSource: 4, H: 5, S: 12, N: 2, M: 4, aug: COLOUR_ON, seed: 10 },
    { name: 'solarize threshold: every value at 0.5 ± f32 rounding', ...thresholdCase() },
  ];
  const checks: ViewKernelCheck[] = [];
  let control: { views: Float32Array; params: ViewParams[]; idx: number[]; c: Case } | null = null;
  for (const c of cases) {
    const r = await runCase(backend, c);
    checks.push(r.check);
    if (c.seed === 3) control = { ...r, c };
    if (c.seed === 13) {
      // Negative control: the kernel's output with MNIST's statistics against the reference with CIFAR-10's must fail.
      const expected = normalizeViewsReference(renderViewsReference(c.images, r.idx, c.H, r.params, c.S), CIFAR10_NORMALIZATION);
      const neg = compare("negative control: MNIST-normalised kernel output vs CIFAR-10's reference", r.views, expected, tolFor(CIFAR10_NORMALIZATION), 0, '');
      // Passes only when the same output matched MNIST's reference (the case above) and fails CIFAR-10's.
      checks.push({ ...neg, pass: r.check.pass && neg.numMismatches > neg.numValues / 2, note: "must mismatch (and the MNIST case must pass): the kernel uses the run's statistics, not CIFAR-10's constants" });
    }
  }
  // Negative control: the same kernel output against the reference with every flip toggled must fail.
  if (control) {
    const { c, idx, params, views } = control;
    const flipped = renderViewsReference(c.images, idx, c.H, params.map((p) => ({ ...p, isFlipped: !p.isFlipped })), c.S);
    const neg = compare('negative control: flips toggled in the reference', views, flipped, TOL, 0, '');
    checks.push({ ...neg, pass: neg.numMismatches > neg.numValues / 10, note: 'must mismatch: shows the comparison can fail' });
  }
  checks.push(await frontDoorCheck(noise));
  return checks;
}

/** Front door on webgpu: packed upload + renderViews (kernel) vs float32 upload + renderViewsTf. */
async function frontDoorCheck(images: Uint8Array): Promise<ViewKernelCheck> {
  const params = sampleBatchViewParams(createRng(11), COLOUR_ON, 4, 3, 32, 32);
  const packed = uploadSourceImages(images, 6, 32, 32);
  const float = uploadSourceImages(images, 6, 32, 32, 'float32');
  const idx = tf.tensor1d([5, 0, 2], 'int32');
  const before = tf.memory().numTensors;
  const norm = KNOWN_NORMALIZATIONS.cifar100;
  const a = renderViews(packed, idx, params, 32, { normalization: norm });
  const leaked = tf.memory().numTensors - before - 1;
  const b = tf.tidy(() => normalizeViews(renderViewsTf(float.tensor as tf.Tensor4D, idx, params, 32), norm));
  const [x, y] = await Promise.all([a.data(), b.data()]);
  tf.dispose([packed.tensor, float.tensor, idx, a, b]);
  const check = compare("renderViews front door (packed kernel) vs renderViewsTf on webgpu, normalised with CIFAR-100's statistics", x, y, tolFor(norm), 0, '');
  const ok = packed.format === 'packedU8' && leaked === 0;
  return { ...check, pass: check.pass && ok, note: `upload format ${packed.format}, ${leaked} leaked tensors; both in f32` };
}

function render(results: ViewKernelResults): void {
  const rows = results.checks.map((c) =>
    `<tr class="${c.pass ? 'pass' : 'fail'}"><td>${c.pass ? 'PASS' : 'FAIL'}</td><td>${c.name}</td><td>${c.maxAbsErr.toExponential(2)}</td>` +
    `<td>${c.tolerance.toExponential(2)}</td><td>${c.numMismatches}/${c.numValues}</td><td>${c.numNearThreshold}</td><td>${c.note}</td></tr>`).join('');
  document.getElementById('out')!.innerHTML =
    `<p>backend ${results.backend}; adapter ${JSON.stringify(results.adapter)}; workgroup storage ${results.maxWorkgroupStorageBytes} B; ${results.elapsedMs?.toFixed(0)} ms</p>` +
    (results.error ? `<pre class="fail">${results.error}</pre>` : '') +
    `<table><tr><th></th><th>check</th><th>max abs err</th><th>tolerance</th><th>over tol</th><th>near 0.5</th><th>note</th></tr>${rows}</table>`;
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const results: ViewKernelResults = { done: false, backend: '', adapter: null, maxWorkgroupStorageBytes: 0, checks: [], gpuErrors: [] };
  try {
    const ok = await tf.setBackend('webgpu');
    await tf.ready();
    results.backend = tf.getBackend();
    if (!ok || !(tf.backend() instanceof WebGPUBackend)) throw new Error('The WebGPU backend did not initialise');
    const backend = tf.backend() as WebGPUBackend;
    const info = backend.adapterInfo as unknown as Record<string, string>;
    results.adapter = { vendor: info.vendor, architecture: info.architecture, description: info.description };
    results.maxWorkgroupStorageBytes = backend.device.limits.maxComputeWorkgroupStorageSize;
    backend.device.addEventListener('uncapturederror', (e) => results.gpuErrors.push((e as GPUUncapturedErrorEvent).error.message));
    registerGpuKernels();
    results.checks.push(...(await runChecks(backend)));
    await backend.device.queue.onSubmittedWorkDone();
  } catch (e) {
    results.error = e instanceof Error ? `${e.name}: ${e.message}\n${e.stack}` : String(e);
  }
  results.elapsedMs = performance.now() - t0;
  results.done = true;
  window.__viewKernelResults = results;
  render(results);
}

void main();
