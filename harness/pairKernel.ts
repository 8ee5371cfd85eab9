/**
 * Parity harness of the WGSL pair-select kernel (harness/pairKernel.html, built by vite; driven by
 * e2e/pairKernel.spec.ts): on tfjs's WebGPU backend it runs the kernel (through core's `pairSelect`
 * after registerGpuKernels) next to the plain-tfjs reference (`pairSelectReference`, same backend)
 * and the float64 definition (pairSelectNaive), and publishes `window.__pairKernelResults`.
 *
 * Tolerances (absolute, on pair losses), from the f32 error bound of the kernel's summation order —
 * per-thread strided partial sums of ⌈D/WG⌉ terms, then a log2(WG)-level tree — which is
 * (⌈D/WG⌉ + log2 WG)·ε relative to Σ|x_i·y_i| (ε = 2⁻²⁴); +8 ε covers sqrt / exp / log / division:
 *   bound = (⌈D/WG⌉ + log2 WG + 8)·ε          (N = 8, D = 2048, WG = 32: 77·ε ≈ 4.6e-6)
 *   negCosine:    Σ|p_i z_i| ≤ ‖p‖‖z‖, and a pair loss averages two cosines, each from one dot and
 *                 two norms: tol = 4·bound (≤ 1.8e-5).
 *   crossEntropy: the cross term is the q-weighted mean of (a − max a), the log-partition is ≤ log K,
 *                 so errors scale with the student-logit range R of the case: tol = 2·bound·(R + log K)
 *                 (≈ 3.5e-4 for the harness's R ≈ 30, K = 2048).
 *   ntXentLogits: the inputs are logits G = normalize(Z)·normalize(Z)ᵀ / T (|G| ≤ R = 1/T), built in
 *                 float64 and rounded to f32, so both sides see the same G. A row loss is
 *                 h + log s − G_pos with h, G_pos ≤ R (rounding R·ε each) and s a sum of ⌈M/WG⌉ + log2 WG
 *                 terms exp(x), x ∈ [−2R, 0], whose WGSL accuracy is (3 + 2|x|) ulp (spec):
 *                 tol = 4·(bound' + (3 + 4R)·ε) with bound' the bound above over M instead of D
 *                 (≈ 1.4e-5 at T = 0.1, M = 64).
 * The tfjs reference has errors of the same order (its own matmul order), so it is held to the same
 * tolerance. Selection: the kernel's pick must equal the reference's, except where the two picked
 * pairs' float64 losses are within the tolerance (a near-tie, counted and reported); and it must equal
 * EXACTLY the tie rule applied to the kernel's own f32 losses (the select program has no rounding).
 * Must not import: worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { hasPairSelectKernel, pairSelect, pairSelectReference, type PairScore, type PairSelectAttrs } from '../src/core/ops/pairSelect';
import { pairLossesNaive, selectPairsNaive } from '../src/core/ops/pairSelectNaive';
import { createRng } from '../src/core/random';
import { numPairs } from '../src/core/hvp/pairs';
import { pairLossWorkgroupSize } from '../src/gpu/kernels/pairSelect';
import { registerGpuKernels } from '../src/gpu/register';

/** One parity check, as published on `window.__pairKernelResults.checks`. */
export interface PairCheck {
  name: string;
  /** Max |kernel − reference| over the pair losses (the larger of: vs tfjs reference, vs float64). */
  maxAbsErr: number;
  tolerance: number;
  /** Kernel selection identical to the expected selection on every image. */
  argmaxEqual: boolean;
  /** Images whose selection differs, all within a near-tie (≤ tolerance apart in float64). */
  nearTies: number;
  pass: boolean;
  note: string;
}

/** What the page publishes as `window.__pairKernelResults`. */
export interface PairKernelResults {
  done: boolean;
  backend: string;
  adapter: { vendor: string; architecture: string; device: string; description: string } | null;
  checks: PairCheck[];
  gpuErrors: string[];
  error?: string;
  elapsedMs?: number;
}

declare global {
  interface Window {
    __pairKernelResults?: PairKernelResults;
  }
}

/** f32 unit roundoff. */
const EPS_F32 = 2 ** -24;
const MODES = ['hard', 'easy'] as const;

/** Seeded values in about [−1.5, 1.5]·scale. */
function randomValues(seed: number, n: number, scale: number): Float32Array {
  const rng = createRng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = scale * (2 * rng.next() - 1 + (rng.next() - 0.5));
  return out;
}

/** Tolerance of a case (see the file header). */
function toleranceFor(score: PairScore, numViews: number, a: Float32Array, dim: number): number {
  const wg = pairLossWorkgroupSize(numViews);
  if (score === 'ntXentLogits') {
    const bound = (Math.ceil(dim / numViews / wg) + Math.log2(wg) + 8) * EPS_F32; // M = dim / N columns per block
    const maxLogit = a.reduce((r, v) => (Number.isFinite(v) ? Math.max(r, Math.abs(v)) : r), 0);
    return 4 * (bound + (3 + 4 * maxLogit) * EPS_F32);
  }
  const bound = (Math.ceil(dim / wg) + Math.log2(wg) + 8) * EPS_F32;
  if (score === 'negCosine') return 4 * bound;
  let range = 0;
  for (let r = 0; r < a.length / dim; r++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let d = 0; d < dim; d++) {
      const v = a[r * dim + d]!;
      if (!Number.isFinite(v)) continue; // a NaN row: its loss is NaN on both sides
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    if (hi >= lo) range = Math.max(range, hi - lo);
  }
  return 2 * bound * (range + Math.log(dim));
}

function maxAbsDiff(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let e = 0;
  for (let i = 0; i < x.length; i++) {
    const d = Math.abs(x[i]! - y[i]!);
    e = Number.isNaN(d) ? (Number.isNaN(x[i]!) && Number.isNaN(y[i]!) ? e : Infinity) : Math.max(e, d);
  }
  return e;
}

interface CaseInput {
  name: string;
  attrs: Omit<PairSelectAttrs, 'mode'>;
  dim: number;
  a: Float32Array;
  b: Float32Array;
  /** Expected selection per mode when fixed by construction (tie / NaN cases); else from the reference. */
  expected?: Partial<Record<'hard' | 'easy', number[]>>;
  /** Also require every pair loss of an image to be bit-identical (identical views). */
  allEqualPerImage?: boolean;
}

/** Runs one case in both modes and returns one check per mode. sync point: awaits data(). */
async function runCase(c: CaseInput): Promise<PairCheck[]> {
  const { numViews: N, numImages: M } = c.attrs;
  const P = numPairs(N);
  const tolerance = toleranceFor(c.attrs.score, N, c.a, c.dim);
  const naive = pairLossesNaive(c.a, c.b, { numViews: N, numImages: M, dim: c.dim }, c.attrs.score);
  const checks: PairCheck[] = [];
  for (const mode of MODES) {
    const attrs = { ...c.attrs, mode };
    const tensors = tf.tidy(() => {
      const a = tf.tensor2d(c.a, [N * M, c.dim]);
      const b = tf.tensor2d(c.b, [N * M, c.dim]);
      const k = pairSelect(a, b, attrs); // the WGSL kernel (registered for 'webgpu')
      const r = pairSelectReference(a, b, attrs); // tfjs ops on the same backend
      return [k.pairLosses, k.selected, r.pairLosses, r.selected];
    });
    const [kLoss, kSel, rLoss, rSel] = await Promise.all(tensors.map((t) => t.data()));
    tensors.forEach((t) => t.dispose());
    const errRef = maxAbsDiff(kLoss!, rLoss!);
    const errNaive = maxAbsDiff(kLoss!, naive);
    const expected = c.expected?.[mode] ?? Array.from(rSel!);
    let mismatches = 0;
    let nearTies = 0;
    for (let m = 0; m < M; m++) {
      if (kSel![m] === expected[m]) continue;
      mismatches++;
      const gap = Math.abs(naive[m * P + kSel![m]!]! - naive[m * P + expected[m]!]!);
      if (c.expected?.[mode] == null && gap <= tolerance) nearTies++;
    }
    const selfConsistent = selectPairsNaive(kLoss!, P, mode).every((v, m) => v === kSel![m]);
    let allEqual = true;
    if (c.allEqualPerImage) {
      for (let m = 0; m < M; m++) for (let p = 1; p < P; p++) allEqual &&= Object.is(kLoss![m * P + p], kLoss![m * P]);
    }
    const maxAbsErr = Math.max(errRef, errNaive);
    const pass = maxAbsErr <= tolerance && mismatches === nearTies && selfConsistent && allEqual && kSel!.length === M;
    checks.push({
      name: `${c.name} ${c.attrs.score} ${mode}`,
      maxAbsErr,
      tolerance,
      argmaxEqual: mismatches === 0,
      nearTies,
      pass,
      note:
        `vs tfjs ref ${errRef.toExponential(2)}, vs float64 ${errNaive.toExponential(2)}; ` +
        `${mismatches} selection mismatches (${nearTies} near-ties); tie rule on own losses ${selfConsistent ? 'ok' : 'VIOLATED'}` +
        (c.allEqualPerImage ? `; losses per image bit-identical ${allEqual}` : ''),
    });
  }
  return checks;
}

/** Random cases: N ∈ {2, 4, 8} × M ∈ {1, 5, 64} × D ∈ {8, 128, 2048}, both scores. */
function randomCases(): CaseInput[] {
  const out: CaseInput[] = [];
  let seed = 1;
  for (const N of [2, 4, 8]) for (const M of [1, 5, 64]) for (const D of [8, 128, 2048]) {
    for (const score of ['negCosine', 'crossEntropy'] as const) {
      const [sa, sb] = score === 'negCosine' ? [1, 1] : [10, 25]; // DINO-like logits: s/0.1, (t − c)/0.04
      out.push({
        name: `random N=${N} M=${M} D=${D}`,
        attrs: { numViews: N, numImages: M, score },
        dim: D,
        a: randomValues(seed++, N * M * D, sa),
        b: randomValues(seed++, N * M * D, sb),
      });
    }
  }
  return out;
}

/**
 * SimCLR's logits G = normalize(Z)·normalize(Z)ᵀ / T of view-major rows z [R·D], in float64, rounded
 * to f32: [R·R], the input of the 'ntXentLogits' score (both sides of a check see the same G).
 */
function ntXentLogitsOf(z: Float32Array, rows: number, dim: number, temperature: number): Float32Array {
  const norms = Array.from({ length: rows }, (_, r) => {
    let s = 0;
    for (let d = 0; d < dim; d++) s += z[r * dim + d]! ** 2;
    return Math.max(Math.sqrt(s), 1e-12);
  });
  const g = new Float32Array(rows * rows);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < rows; j++) {
      let s = 0;
      for (let d = 0; d < dim; d++) s += z[i * dim + d]! * z[j * dim + d]!;
      g[i * rows + j] = s / (norms[i]! * norms[j]! * temperature);
    }
  }
  return g;
}

/** Random SimCLR cases: logits of random projections (D = 128), N ∈ {2, 4, 8} × M ∈ {1, 5, 64}; T = 0.5 at M = 5, else 0.1. */
function ntXentCases(): CaseInput[] {
  const out: CaseInput[] = [];
  let seed = 500;
  for (const N of [2, 4, 8]) for (const M of [1, 5, 64]) {
    const temperature = M === 5 ? 0.5 : 0.1;
    const g = ntXentLogitsOf(randomValues(seed++, N * M * 128, 1), N * M, 128, temperature);
    out.push({ name: `random N=${N} M=${M} T=${temperature}`, attrs: { numViews: N, numImages: M, score: 'ntXentLogits' }, dim: N * M, a: g, b: g });
  }
  return out;
}

/** Rows of a view-major [N·M, D] array where view k of image m is `rowOf(k, m)`. */
function viewMajor(N: number, M: number, D: number, rowOf: (k: number, m: number) => Float32Array): Float32Array {
  const out = new Float32Array(N * M * D);
  for (let k = 0; k < N; k++) for (let m = 0; m < M; m++) out.set(rowOf(k, m), (k * M + m) * D);
  return out;
}

/** Constructed ties and NaN rows, with the selection fixed by the contract. */
function tieCases(): CaseInput[] {
  const out: CaseInput[] = [];
  const M = 5;
  const D = 16;
  const x = (m: number) => randomValues(100 + m, D, 1);
  const y = (m: number) => randomValues(200 + m, D, 1);
  for (const score of ['negCosine', 'crossEntropy'] as const) {
    // Identical views: every pair loss equal → pair 0 in both modes.
    out.push({
      name: 'tie identical views N=4',
      attrs: { numViews: 4, numImages: M, score },
      dim: D,
      a: viewMajor(4, M, D, (_, m) => x(m)),
      b: viewMajor(4, M, D, (_, m) => y(m)),
      expected: { hard: new Array(M).fill(0), easy: new Array(M).fill(0) },
      allEqualPerImage: true,
    });
    // Views (y, y, x) with a = b: pairs (0,2) and (1,2) are the same computation → tied maxima at 1, 2.
    const v = viewMajor(3, M, D, (k, m) => (k < 2 ? y(m) : x(m)));
    out.push({ name: 'tie two maxima N=3', attrs: { numViews: 3, numImages: M, score }, dim: D, a: v, b: v, expected: { hard: new Array(M).fill(1) } });
    // A NaN in view 2 of image 1 → that image picks pair 0 in both modes; the rest as the float64 rule.
    const nanA = randomValues(300, 3 * M * D, 1);
    nanA[(2 * M + 1) * D + 3] = NaN;
    const nanB = randomValues(301, 3 * M * D, 1);
    const naive = pairLossesNaive(nanA, nanB, { numViews: 3, numImages: M, dim: D }, score);
    out.push({
      name: 'NaN row N=3',
      attrs: { numViews: 3, numImages: M, score },
      dim: D,
      a: nanA,
      b: nanB,
      expected: { hard: Array.from(selectPairsNaive(naive, 3, 'hard')), easy: Array.from(selectPairsNaive(naive, 3, 'easy')) },
    });
  }
  // SimCLR: logits of identical views (all pair losses of an image bit-identical → pair 0), and of
  // views (y, y, x) (pairs (0,2) and (1,2) reduce the same blocks → tied maxima at 1 and 2).
  const same = viewMajor(4, M, D, (_, m) => x(m));
  const gSame = ntXentLogitsOf(same, 4 * M, D, 0.2);
  out.push({
    name: 'tie identical views N=4',
    attrs: { numViews: 4, numImages: M, score: 'ntXentLogits' },
    dim: 4 * M,
    a: gSame,
    b: gSame,
    expected: { hard: new Array(M).fill(0), easy: new Array(M).fill(0) },
    allEqualPerImage: true,
  });
  const gTwo = ntXentLogitsOf(viewMajor(3, M, D, (k, m) => (k < 2 ? y(m) : x(m))), 3 * M, D, 0.2);
  out.push({ name: 'tie two maxima N=3', attrs: { numViews: 3, numImages: M, score: 'ntXentLogits' }, dim: 3 * M, a: gTwo, b: gTwo, expected: { hard: new Array(M).fill(1) } });
  // Tied minima (negCosine, a = b): views (1,1), (1,−1), (1,0) → losses [0, −1/√2, −1/√2] → easy picks 1.
  const w = viewMajor(3, M, 2, (k) => new Float32Array([[1, 1], [1, -1], [1, 0]][k]!));
  out.push({ name: 'tie two minima N=3', attrs: { numViews: 3, numImages: M, score: 'negCosine' }, dim: 2, a: w, b: w, expected: { hard: new Array(M).fill(0), easy: new Array(M).fill(1) } });
  return out;
}

function render(results: PairKernelResults): void {
  const rows = results.checks
    .map((c) => `<tr class="${c.pass ? 'pass' : 'fail'}"><td>${c.pass ? 'PASS' : 'FAIL'}</td><td>${c.name}</td><td>${c.maxAbsErr.toExponential(2)}</td><td>${c.tolerance.toExponential(2)}</td><td>${c.note}</td></tr>`)
    .join('');
  document.getElementById('out')!.innerHTML =
    `<p>backend: ${results.backend}; adapter: ${JSON.stringify(results.adapter)}; ${results.elapsedMs?.toFixed(0)} ms</p>` +
    (results.error ? `<pre class="fail">${results.error}</pre>` : '') +
    (results.gpuErrors.length ? `<pre class="fail">${results.gpuErrors.join('\n')}</pre>` : '') +
    `<table><tr><th></th><th>check</th><th>max abs err</th><th>tolerance</th><th>note</th></tr>${rows}</table>`;
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const results: PairKernelResults = { done: false, backend: '', adapter: null, checks: [], gpuErrors: [] };
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
    registerGpuKernels();
    if (!hasPairSelectKernel()) throw new Error('registerGpuKernels() did not register a kernel for the active backend');
    for (const c of [...tieCases(), ...randomCases(), ...ntXentCases()]) results.checks.push(...(await runCase(c)));
    await backend.device.queue.onSubmittedWorkDone();
  } catch (e) {
    results.error = e instanceof Error ? `${e.name}: ${e.message}\n${e.stack}` : String(e);
  }
  results.elapsedMs = performance.now() - t0;
  results.done = true;
  window.__pairKernelResults = results;
  render(results);
}

void main();
