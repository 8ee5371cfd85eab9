/**
 * Dispatch benchmark page: how many GPU dispatches one training step enqueues on the tfjs WebGPU backend,
 * how long the JavaScript takes to enqueue it, and ms/step — for several kernel sets in ONE page load.
 *
 * On a real GPU a step cannot be faster than the JS that enqueues it, so this page measures, per kernel
 * set (variant) and HVP mode:
 * - dispatches: calls of GPUComputePassEncoder.prototype.dispatchWorkgroups during one trainStep() (the
 *   prototype is patched, so every dispatch of tfjs's and our programs counts, whatever enqueued it), with
 *   a breakdown by the innermost tfjs kernel (engine.runKernel) that was running; plus buffer copies
 *   (GPUCommandEncoder.copyBufferToBuffer) and kernel calls;
 * - enqueueMs: performance.now() around trainer.trainStep() plus the flush of tfjs's deferred command
 *   encoder (endComputePassEncoder + submitQueue), i.e. until the step's last dispatch is submitted,
 *   before any read; the previous step was read first, so the GPU is idle when it starts;
 * - msPerStep: `steps` steps queued back to back and the last loss read once (as bench/stepBench.ts).
 *
 * Variants, measured in this order in one page load (registration is additive and cannot be undone):
 *   stock — tfjs's kernels only (views and pair selection from tfjs ops, tfjs-op SGD);
 *   ours  — plus registerGpuKernels(…, ['base']) and the fused optimizer (the kernels before issue 12);
 *   lean  — plus registerGpuKernels(…, ['lean']): the dispatch-cutting kernels (training BatchNorm etc.).
 *
 * Query (all optional):
 *   variants=stock,ours,lean   subset, in this order (default all three)
 *   modes=hard                 HVP modes as in stepBench: off, hard, hard@2 (= hvpEvery 2), comma-separated
 *   warmup=1                   steps per variant×mode before measuring (pipeline compilation), each read
 *   enqueueSteps=1             steps whose dispatches and enqueue time are measured (median reported), each read
 *   steps=1                    steps queued for ms/step (0 skips the timing)
 *   any RunConfig field        e.g. batchSize=16&imageSize=16&backboneWidth=8 (default: DEFAULT_CONFIG,
 *                              i.e. SimSiam, N = 4, batch 64, 32×32, ResNet-10 width 16)
 * Results go to window.__benchResults. Driven by bench/runBench.mjs, e.g. (after `npm run build`):
 *   node bench/runBench.mjs bench/dispatch/index.html "modes=hard" --out bench/results/dispatch-default-swiftshader.json
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { DEFAULT_CONFIG, type HvpMode, type RunConfig } from '../../src/core/config/runConfig';
import { validateConfig } from '../../src/core/config/schema';
import { generateBuiltinDataset } from '../../src/core/data/builtinDataset';
import { createTrainer, type TrainerOptions } from '../../src/core/train/trainer';
import { createGpuTrainerOptions, registerGpuKernels } from '../../src/gpu/register';

const VARIANTS = ['stock', 'ours', 'lean'] as const;
type Variant = (typeof VARIANTS)[number];

/** Dispatch / copy / kernel-call counters, filled by the patched WebGPU and engine methods. */
interface Counters {
  dispatches: number;
  copies: number;
  byKernel: Map<string, { calls: number; dispatches: number }>;
}

const counters: Counters = { dispatches: 0, copies: 0, byKernel: new Map() };
const kernelStack: string[] = [];

function kernelEntry(name: string): { calls: number; dispatches: number } {
  let e = counters.byKernel.get(name);
  if (!e) counters.byKernel.set(name, (e = { calls: 0, dispatches: 0 }));
  return e;
}

/** Patches dispatchWorkgroups, copyBufferToBuffer and engine.runKernel to count (idempotent). */
function installCounters(): void {
  const pass = GPUComputePassEncoder.prototype as unknown as { dispatchWorkgroups: (...a: number[]) => void };
  const dispatch = pass.dispatchWorkgroups;
  pass.dispatchWorkgroups = function (this: unknown, ...a: number[]) {
    counters.dispatches++;
    kernelEntry(kernelStack[kernelStack.length - 1] ?? '(outside a kernel)').dispatches++;
    return dispatch.apply(this, a);
  };
  const enc = GPUCommandEncoder.prototype as unknown as { copyBufferToBuffer: (...a: unknown[]) => void };
  const copy = enc.copyBufferToBuffer;
  enc.copyBufferToBuffer = function (this: unknown, ...a: unknown[]) {
    counters.copies++;
    return copy.apply(this, a);
  };
  const engine = tf.engine() as unknown as { runKernel: (name: string, inputs: unknown, attrs?: unknown) => unknown };
  const runKernel = engine.runKernel.bind(engine);
  engine.runKernel = (name, inputs, attrs) => {
    kernelEntry(name).calls++;
    kernelStack.push(name);
    try {
      return runKernel(name, inputs, attrs);
    } finally {
      kernelStack.pop();
    }
  };
}

function resetCounters(): void {
  counters.dispatches = 0;
  counters.copies = 0;
  counters.byKernel.clear();
}

/** Ends tfjs's open compute pass and submits its deferred command encoder: the step is then fully enqueued. */
function flushQueue(): void {
  const b = tf.backend() as unknown as { endComputePassEncoder(): void; submitQueue(): void; commandEncoder: unknown };
  b.endComputePassEncoder();
  if (b.commandEncoder) b.submitQueue();
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

interface Row {
  variant: Variant;
  mode: HvpMode;
  hvpEvery: number;
  /** dispatchWorkgroups calls of one step (the last measured step). */
  dispatches: number;
  dispatchesPerEnqueueStep: number[];
  copies: number;
  kernelCalls: number;
  enqueueMs: number;
  enqueueMsPerStep: number[];
  msPerStep: number | null;
  /** dispatchWorkgroups calls per step while timing ms/step (should equal `dispatches`). */
  dispatchesPerTimedStep: number | null;
  /** Dispatches by innermost tfjs kernel, descending. */
  byKernel: Array<{ kernel: string; calls: number; dispatches: number }>;
}

async function measure(
  variant: Variant,
  config: RunConfig,
  options: TrainerOptions,
  warmup: number,
  enqueueSteps: number,
  steps: number,
): Promise<Row> {
  const dataset = generateBuiltinDataset({ seed: config.datasetSeed, numTrain: config.numTrainImages, numTest: config.numTestImages });
  const trainer = createTrainer(config, dataset, options);
  for (let i = 0; i < warmup; i++) await trainer.readStepMetrics(trainer.trainStep());
  const enqueueMsPerStep: number[] = [];
  const dispatchesPerEnqueueStep: number[] = [];
  let snapshot = { copies: 0, kernelCalls: 0, byKernel: [] as Row['byKernel'] };
  for (let i = 0; i < enqueueSteps; i++) {
    flushQueue();
    resetCounters();
    const t0 = performance.now();
    const pending = trainer.trainStep();
    flushQueue();
    enqueueMsPerStep.push(performance.now() - t0);
    dispatchesPerEnqueueStep.push(counters.dispatches);
    const byKernel = [...counters.byKernel].map(([kernel, e]) => ({ kernel, ...e })).sort((a, b) => b.dispatches - a.dispatches || b.calls - a.calls);
    snapshot = { copies: counters.copies, kernelCalls: byKernel.reduce((s, e) => s + e.calls, 0), byKernel };
    await trainer.readStepMetrics(pending);
  }
  let msPerStep: number | null = null;
  let dispatchesPerTimedStep: number | null = null;
  if (steps > 0) {
    resetCounters();
    const t0 = performance.now();
    for (let i = 0; i < steps - 1; i++) trainer.releaseStep(trainer.trainStep());
    const last = trainer.trainStep();
    dispatchesPerTimedStep = counters.dispatches / steps;
    await trainer.readStepMetrics(last);
    msPerStep = (performance.now() - t0) / steps;
  }
  trainer.dispose();
  return {
    variant,
    mode: config.hvpMode,
    hvpEvery: config.hvpEvery,
    dispatches: dispatchesPerEnqueueStep[dispatchesPerEnqueueStep.length - 1] ?? 0,
    dispatchesPerEnqueueStep,
    copies: snapshot.copies,
    kernelCalls: snapshot.kernelCalls,
    enqueueMs: median(enqueueMsPerStep),
    enqueueMsPerStep,
    msPerStep,
    dispatchesPerTimedStep,
    byKernel: snapshot.byKernel,
  };
}

async function main(): Promise<void> {
  const q = new URLSearchParams(location.search);
  const num = (k: string, d: number): number => {
    const v = Number(q.get(k) ?? d);
    if (!Number.isInteger(v) || v < 0) throw new Error(`${k} must be a non-negative integer, got ${q.get(k)}`);
    return v;
  };
  const warmup = num('warmup', 1);
  const enqueueSteps = Math.max(1, num('enqueueSteps', 1));
  const steps = num('steps', 1);
  const variants = (q.get('variants') ?? VARIANTS.join(',')).split(',') as Variant[];
  const order = variants.map((v) => VARIANTS.indexOf(v));
  if (order.some((i) => i < 0)) throw new Error(`variants: unknown in ${variants.join(',')} (known: ${VARIANTS.join(', ')})`);
  if (order.some((i, k) => k > 0 && i <= order[k - 1]!)) throw new Error(`variants must be in the order ${VARIANTS.join(',')} (registration is additive)`);
  const modes = (q.get('modes') ?? 'hard').split(',').map((s) => {
    const [mode, every] = s.split('@');
    return { mode: mode as HvpMode, hvpEvery: Number(every ?? 1) };
  });
  const overrides: Record<string, string> = {};
  q.forEach((v, k) => {
    if (!['variants', 'modes', 'warmup', 'enqueueSteps', 'steps'].includes(k)) overrides[k] = v;
  });
  const base = validateConfig(overrides, { ...DEFAULT_CONFIG, numTrainImages: 1024, numTestImages: 64, knnEvery: 0 });
  if (base.issues.length) throw new Error(base.issues.map((i) => i.message).join(' '));
  await tf.setBackend('webgpu');
  await tf.ready();
  installCounters();
  const rows: Row[] = [];
  const registered: Record<string, string[]> = {};
  for (const variant of variants) {
    if (variant === 'ours') registered.ours = registerGpuKernels('webgpu', ['base']);
    if (variant === 'lean') {
      if (!registered.ours) registered.ours = registerGpuKernels('webgpu', ['base']);
      registered.lean = registerGpuKernels('webgpu', ['lean']);
    }
    const options: TrainerOptions = variant === 'stock' ? {} : createGpuTrainerOptions();
    for (const m of modes) {
      rows.push(await measure(variant, { ...base.config, hvpMode: m.mode, hvpEvery: m.hvpEvery }, options, warmup, enqueueSteps, steps));
      document.getElementById('out')!.textContent = JSON.stringify(rows.map(({ byKernel: _, ...r }) => r), null, 2);
    }
  }
  const backend = tf.backend() as WebGPUBackend;
  const adapter = (backend as unknown as { adapterInfo?: Record<string, string> }).adapterInfo ?? {};
  const out = {
    config: base.config,
    warmup,
    enqueueSteps,
    steps,
    deferredSubmitBatchSize: tf.env().get('WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE'),
    backend: tf.getBackend(),
    adapter: { vendor: adapter.vendor, architecture: adapter.architecture, description: adapter.description },
    registered,
    results: rows,
  };
  (window as unknown as { __benchResults: unknown }).__benchResults = out;
  document.getElementById('out')!.textContent = JSON.stringify(out, null, 2);
}

main().catch((e) => {
  (window as unknown as { __benchResults: unknown }).__benchResults = { error: String(e instanceof Error ? e.stack : e) };
  document.getElementById('out')!.textContent = String(e);
});
