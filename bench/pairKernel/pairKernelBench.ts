/**
 * Pair-select benchmark page (bench/pairKernel/index.html; run with bench/runBench.mjs, see README.md):
 * times the WGSL kernel 'HvpPairSelect' (core `pairSelect` after registerGpuKernels) against the same
 * computation composed of tfjs ops on the same WebGPU backend — SimSiam's `simsiamPairLosses` +
 * `selectCandidates` for negCosine, `pairSelectReference` for crossEntropy, and for SimCLR (ntXentLogits)
 * the logit matmul + kernel against `simclrPairLosses` + `selectCandidates` (what SimCLR's selection ran
 * before the op; inputs: a = projections z [N·M, D]) — for N = 4, M = 64 and
 * D ∈ {256, 2048}, all in one page load so the ratio is measured under identical conditions.
 *
 * Per variant: `warmup` calls (pipeline compilation), then `rounds` rounds that alternate the two
 * variants (so load from other processes hits both alike), each round timing
 *   pipelined: `reps` calls queued back to back, one read of the last result (throughput, ms/call);
 *   synced:    `reps` calls, each followed by awaiting its selected indices (latency incl. readback);
 * the median over rounds is reported. Inputs are created once per shape and stay on the GPU;
 * outputs are disposed after each call.
 * Must not import: worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { ntXentLogits, simclrPairLosses } from '../../src/core/methods/simclr';
import { simsiamPairLosses } from '../../src/core/methods/simsiam';
import { hasPairSelectKernel, pairSelect, pairSelectReference, type PairScore } from '../../src/core/ops/pairSelect';
import { selectCandidates } from '../../src/core/hvp/selection';
import { registerGpuKernels } from '../../src/gpu/register';

/**
 * What one row times: a score of the op, or 'ntXentLogits@G', the SimCLR op alone on precomputed
 * logits G (kernel vs `pairSelectReference`, i.e. without the logit matmul that both sides share).
 */
type Variant = PairScore | 'ntXentLogits@G';
const VARIANTS: readonly Variant[] = ['negCosine', 'crossEntropy', 'ntXentLogits', 'ntXentLogits@G'];

interface Row {
  variant: Variant;
  score: PairScore;
  numViews: number;
  numImages: number;
  dim: number;
  /** Pipelined ms per call. */
  kernelMs: number;
  tfjsOpsMs: number;
  /** tfjsOpsMs / kernelMs (> 1: the kernel is faster). */
  speedup: number;
  /** Synced ms per call (each call awaits its int32 selection). */
  kernelSyncedMs: number;
  tfjsOpsSyncedMs: number;
  syncedSpeedup: number;
}

type Run = (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor[];

/** SimCLR's NT-Xent temperature in the ntXentLogits variant (the value does not change the work). */
const SIMCLR_TEMPERATURE = 0.1;

/** Runs `run` once per warmup call and awaits it (pipeline compilation). sync point: awaits data(). */
async function warm(run: Run, a: tf.Tensor2D, b: tf.Tensor2D, warmup: number): Promise<void> {
  for (let i = 0; i < warmup; i++) {
    const out = tf.tidy(() => run(a, b));
    await out[1]!.data();
    tf.dispose(out);
  }
}

/** [pipelined, synced] mean ms per call of `run` over `reps` calls. sync point: awaits data(). */
async function timeRun(run: Run, a: tf.Tensor2D, b: tf.Tensor2D, reps: number): Promise<[number, number]> {
  const once = (): tf.Tensor[] => tf.tidy(() => run(a, b));
  let t0 = performance.now();
  let last: tf.Tensor[] = [];
  for (let i = 0; i < reps; i++) {
    tf.dispose(last);
    last = once();
  }
  await last[1]!.data();
  const pipelined = (performance.now() - t0) / reps;
  tf.dispose(last);
  t0 = performance.now();
  for (let i = 0; i < reps; i++) {
    const out = once();
    await out[1]!.data();
    tf.dispose(out);
  }
  return [pipelined, (performance.now() - t0) / reps];
}

const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;

function variants(variant: Variant, numViews: number, numImages: number): { kernel: Run; tfjsOps: Run } {
  const score: PairScore = variant === 'ntXentLogits@G' ? 'ntXentLogits' : variant;
  const attrs = { numViews, numImages, score, mode: 'hard' as const };
  if (variant === 'ntXentLogits@G') {
    // a = b = the logits G [N·M, N·M] of the projections, computed once outside the timing.
    return {
      kernel: (g) => {
        const r = pairSelect(g, g, attrs);
        return [r.pairLosses, r.selected];
      },
      tfjsOps: (g) => {
        const r = pairSelectReference(g, g, attrs);
        return [r.pairLosses, r.selected];
      },
    };
  }
  const kernel: Run = (a, b) => {
    const r = pairSelect(a, b, attrs);
    return [r.pairLosses, r.selected];
  };
  if (score === 'ntXentLogits') {
    // a plays SimCLR's projections z [N·M, D]; b is unused. Kernel: one matmul for the logits + the op.
    return {
      kernel: (a) => {
        const g = ntXentLogits(a, SIMCLR_TEMPERATURE); // [N·M, N·M]
        const r = pairSelect(g, g, attrs);
        return [r.pairLosses, r.selected];
      },
      tfjsOps: (a) => {
        const losses = simclrPairLosses(a.reshape([numViews, numImages, a.shape[1]]) as tf.Tensor3D, SIMCLR_TEMPERATURE); // [M, P]
        return [losses, selectCandidates(losses, 'hard')];
      },
    };
  }
  const tfjsOps: Run =
    score === 'negCosine'
      ? (a, b) => {
          const dim = a.shape[1];
          const losses = simsiamPairLosses(
            a.reshape([numViews, numImages, dim]) as tf.Tensor3D, // [N, M, D]
            b.reshape([numViews, numImages, dim]) as tf.Tensor3D, // [N, M, D]
          ); // [M, P]
          return [losses, selectCandidates(losses, 'hard')];
        }
      : (a, b) => {
          const r = pairSelectReference(a, b, attrs);
          return [r.pairLosses, r.selected];
        };
  return { kernel, tfjsOps };
}

async function main(): Promise<void> {
  const q = new URLSearchParams(location.search);
  const reps = Number(q.get('reps') ?? 10);
  const warmup = Number(q.get('warmup') ?? 3);
  const rounds = Number(q.get('rounds') ?? 3);
  const only = (q.get('variants') ?? VARIANTS.join(',')).split(',') as Variant[];
  const unknown = only.filter((v) => !VARIANTS.includes(v));
  if (unknown.length) throw new Error(`unknown variants=${unknown.join(',')} (expected a comma list of ${VARIANTS.join(', ')})`);
  const numViews = 4;
  const numImages = 64;
  if (!(await tf.setBackend('webgpu'))) throw new Error('The WebGPU backend did not initialise');
  await tf.ready();
  registerGpuKernels();
  if (!hasPairSelectKernel()) throw new Error('the pair-select kernel is not registered for webgpu');
  const rows: Row[] = [];
  for (const dim of [256, 2048]) {
    const a = tf.randomNormal([numViews * numImages, dim], 0, 1, 'float32', 1) as tf.Tensor2D; // [N·M, D]
    const b = tf.randomNormal([numViews * numImages, dim], 0, 1, 'float32', 2) as tf.Tensor2D; // [N·M, D]
    const g = ntXentLogits(a, SIMCLR_TEMPERATURE); // [N·M, N·M], for 'ntXentLogits@G'
    for (const variant of only) {
      const v = variants(variant, numViews, numImages);
      const [x, y] = variant === 'ntXentLogits@G' ? [g, g] : [a, b];
      await warm(v.kernel, x, y, warmup);
      await warm(v.tfjsOps, x, y, warmup);
      const k: Array<[number, number]> = [];
      const o: Array<[number, number]> = [];
      for (let r = 0; r < rounds; r++) {
        k.push(await timeRun(v.kernel, x, y, reps));
        o.push(await timeRun(v.tfjsOps, x, y, reps));
      }
      const score: PairScore = variant === 'ntXentLogits@G' ? 'ntXentLogits' : variant;
      const [kernelMs, kernelSyncedMs] = [median(k.map((x) => x[0])), median(k.map((x) => x[1]))];
      const [tfjsOpsMs, tfjsOpsSyncedMs] = [median(o.map((x) => x[0])), median(o.map((x) => x[1]))];
      rows.push({
        variant, score, numViews, numImages, dim, kernelMs, tfjsOpsMs, speedup: tfjsOpsMs / kernelMs,
        kernelSyncedMs, tfjsOpsSyncedMs, syncedSpeedup: tfjsOpsSyncedMs / kernelSyncedMs,
      });
    }
    tf.dispose([a, b, g]);
  }
  const adapter = await navigator.gpu?.requestAdapter();
  const info = adapter?.info;
  const out = {
    backend: tf.getBackend(),
    adapter: info ? { vendor: info.vendor, architecture: info.architecture, description: info.description } : null,
    reps,
    warmup,
    rounds,
    results: rows,
  };
  (window as unknown as { __benchResults: unknown }).__benchResults = out;
  document.getElementById('out')!.textContent = JSON.stringify(out, null, 2);
}

main().catch((e) => {
  (window as unknown as { __benchResults: unknown }).__benchResults = { error: String(e instanceof Error ? e.stack : e) };
  document.getElementById('out')!.textContent = String(e);
});
