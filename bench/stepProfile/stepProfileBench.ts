/**
 * Training-step profile page (bench/stepProfile/index.html; run with bench/runBench.mjs, see
 * bench/README.md "What limits the step"): for each HVP mode builds a fresh trainer, runs `warmup`
 * steps, times `steps` unprofiled steps (wall ms/step, queued back to back, one read at the end, as
 * stepBench.ts), then profiles `steps` more one at a time with tf.profile. tfjs's WebGPU backend
 * times every dispatch with timestamp queries inside tf.profile (the adapter must offer
 * 'timestamp-query'; start Chromium with --enable-dawn-features=allow_unsafe_apis so the timestamps
 * are not quantised), and kernelGroups.ts sorts the kernels into groups. Reported per mode: the
 * GPU ms per step of each group (mean over the profiled steps), its share, kernel counts, the top
 * kernels by name, the wall time of a profiled step (each dispatch submitted on its own) and of an
 * unprofiled one. `kernels=stock` uses only tfjs's kernels, `kernels=ours` registers ours
 * (registration is global, so one setting per page load); `flag.NAME=true|false` sets a tfjs flag.
 * Must not import: worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { DEFAULT_CONFIG, type HvpMode, type RunConfig } from '../../src/core/config/runConfig';
import { validateConfig } from '../../src/core/config/schema';
import { generateBuiltinDataset } from '../../src/core/data/builtinDataset';
import { createReferenceOptimizer } from '../../src/core/optim/optimizerSpec';
import { createTrainer, type TrainerOptions } from '../../src/core/train/trainer';
import { createGpuTrainerOptions, registerGpuKernels } from '../../src/gpu/register';
import { installKernelTracker, summarize, type KernelTracker, type TaggedKernel } from './kernelGroups';

const OWN_PARAMS = ['steps', 'warmup', 'modes', 'kernels'];

/** Options whose optimizer marks the 'optimizer' phase while it applies an update. */
function trackedOptions(base: TrainerOptions, tracker: KernelTracker): TrainerOptions {
  const make = base.makeOptimizer ?? createReferenceOptimizer;
  return {
    ...base,
    makeOptimizer: (spec) => {
      const opt = make(spec);
      const apply = opt.apply.bind(opt);
      opt.apply = (...args: Parameters<typeof apply>) => {
        tracker.phase = 'optimizer';
        try {
          return apply(...args);
        } finally {
          tracker.phase = 'after';
        }
      };
      return opt;
    },
  };
}

async function profileMode(config: RunConfig, warmup: number, steps: number, options: TrainerOptions, tracker: KernelTracker) {
  const dataset = generateBuiltinDataset({ seed: config.datasetSeed, numTrain: config.numTrainImages, numTest: config.numTestImages });
  const trainer = createTrainer(config, dataset, options);
  const step = () => {
    tracker.phase = 'views';
    return trainer.trainStep();
  };
  for (let i = 0; i < warmup; i++) await trainer.readStepMetrics(step());
  let t0 = performance.now();
  for (let i = 0; i < steps - 1; i++) trainer.releaseStep(step());
  await trainer.readStepMetrics(step());
  const wallMsPerStep = (performance.now() - t0) / steps;
  const kernels: TaggedKernel[] = [];
  t0 = performance.now();
  for (let i = 0; i < steps; i++) {
    const profile = await tf.profile(async () => {
      await trainer.readStepMetrics(step());
    });
    kernels.push(...tracker.tagged(profile));
  }
  const profiledWallMsPerStep = (performance.now() - t0) / steps;
  trainer.dispose();
  const s = summarize(kernels, 15);
  const perStep = (x: number) => x / steps;
  return {
    mode: config.hvpMode,
    hvpEvery: config.hvpEvery,
    wallMsPerStep,
    profiledWallMsPerStep,
    gpuMsPerStep: perStep(s.totalMs),
    groups: s.groups.map((g) => ({ ...g, ms: perStep(g.ms), kernels: perStep(g.kernels) })),
    topKernels: s.topKernels.map((k) => ({ ...k, ms: perStep(k.ms), kernels: perStep(k.kernels) })),
  };
}

async function main(): Promise<void> {
  const q = new URLSearchParams(location.search);
  const steps = Number(q.get('steps') ?? 2);
  const warmup = Number(q.get('warmup') ?? 1);
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`steps must be a positive integer, got ${q.get('steps')}`);
  const modes = (q.get('modes') ?? 'off,hard').split(',').map((s) => {
    const [mode, every] = s.split('@');
    return { mode: mode as HvpMode, hvpEvery: Number(every ?? 1) };
  });
  const overrides: Record<string, string> = {};
  const flags: Record<string, boolean> = {};
  q.forEach((v, k) => {
    if (k.startsWith('flag.')) flags[k.slice(5)] = v === 'true';
    else if (!OWN_PARAMS.includes(k)) overrides[k] = v;
  });
  const base = validateConfig(overrides, { ...DEFAULT_CONFIG, numTrainImages: 1024, numTestImages: 64, knnEvery: 0 });
  if (base.issues.length) throw new Error(base.issues.map((i) => i.message).join(' '));
  const kernels = q.get('kernels') ?? 'ours';
  if (kernels !== 'ours' && kernels !== 'stock') throw new Error(`kernels must be ours or stock, got ${kernels}`);
  if (!(await tf.setBackend('webgpu'))) throw new Error('The WebGPU backend did not initialise');
  await tf.ready();
  // flag.NAME=true|false sets a tfjs environment flag, e.g. flag.WEBGPU_USE_NAIVE_CONV2D_DEBUG=true
  // (tfjs's direct forward conv instead of its tiled implicit GEMM).
  for (const [name, value] of Object.entries(flags)) tf.env().set(name, value);
  const backend = tf.backend() as WebGPUBackend;
  if (!(backend as unknown as { supportTimestampQuery?: boolean }).supportTimestampQuery) {
    throw new Error("The WebGPU device has no 'timestamp-query': kernel times would all be 0. Use a browser/adapter that offers it.");
  }
  if (kernels === 'ours') registerGpuKernels();
  const tracker = installKernelTracker();
  const options = trackedOptions(kernels === 'ours' ? createGpuTrainerOptions() : {}, tracker);
  const results = [];
  for (const m of modes) results.push(await profileMode({ ...base.config, hvpMode: m.mode, hvpEvery: m.hvpEvery }, warmup, steps, options, tracker));
  const info = backend.adapterInfo as unknown as Record<string, string> | undefined;
  const out = { kernels, flags, steps, warmup, config: base.config, backend: tf.getBackend(), adapter: { vendor: info?.vendor, architecture: info?.architecture }, results };
  (window as unknown as { __benchResults: unknown }).__benchResults = out;
  document.getElementById('out')!.textContent = JSON.stringify(out, null, 2);
}

main().catch((e) => {
  (window as unknown as { __benchResults: unknown }).__benchResults = { error: String(e instanceof Error ? e.stack : e) };
  document.getElementById('out')!.textContent = String(e);
});
