/**
 * Step benchmark page: times the training step of a config on the tfjs WebGPU backend with HVP
 * off and with HVP on, in one page load, so the ratio is measured under identical conditions.
 * Each mode: build a fresh trainer, run `warmup` steps (pipeline compilation), then queue
 * `steps` steps and read the last loss once (no per-step sync), and report ms/step, images/s
 * and the ratio to the first mode. `kernels=stock` uses only tfjs's kernels; `kernels=ours`
 * (default) registers our WGSL kernels and the fused optimizer. Driven by bench/runBench.mjs.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { DEFAULT_CONFIG, type HvpMode, type RunConfig } from '../src/core/config/runConfig';
import { validateConfig } from '../src/core/config/schema';
import { generateBuiltinDataset } from '../src/core/data/builtinDataset';
import { createTrainer, type TrainerOptions } from '../src/core/train/trainer';
import { createGpuTrainerOptions, registerGpuKernels } from '../src/gpu/register';

interface ModeResult { mode: HvpMode; hvpEvery: number; msPerStep: number; imagesPerSec: number; ratioToFirst: number }

async function timeMode(config: RunConfig, warmup: number, steps: number, options: TrainerOptions): Promise<number> {
  const dataset = generateBuiltinDataset({ seed: config.datasetSeed, numTrain: config.numTrainImages, numTest: config.numTestImages });
  const trainer = createTrainer(config, dataset, options);
  for (let i = 0; i < warmup; i++) await trainer.readStepMetrics(trainer.trainStep(), 0, 1);
  const t0 = performance.now();
  for (let i = 0; i < steps - 1; i++) trainer.releaseStep(trainer.trainStep());
  await trainer.readStepMetrics(trainer.trainStep(), 0, 1);
  const ms = (performance.now() - t0) / steps;
  trainer.dispose();
  return ms;
}

/** Times the selection alone: all N·M views through the model (no tape, BN in training mode, running
 * stats updated) plus scoring every pair and picking one — the extra work HVP adds to a step. */
async function timeSelectionForward(config: RunConfig, warmup: number, steps: number, options: TrainerOptions): Promise<number> {
  const dataset = generateBuiltinDataset({ seed: config.datasetSeed, numTrain: config.numTrainImages, numTest: config.numTestImages });
  const trainer = createTrainer(config, dataset, options);
  const x = tf.randomNormal([config.numViews * config.batchSize, config.imageSize, config.imageSize, 3]) as tf.Tensor4D; // [N·M, S, S, 3]
  const run = () => tf.tidy(() => {
    const { pairLosses, selected } = trainer.model.selectPairs(x, config.numViews, 'hard');
    return pairLosses.sum().add(selected.sum());
  });
  for (let i = 0; i < warmup; i++) { const r = run(); await r.data(); r.dispose(); }
  const t0 = performance.now();
  for (let i = 0; i < steps - 1; i++) run().dispose();
  const last = run();
  await last.data();
  const ms = (performance.now() - t0) / steps;
  last.dispose();
  x.dispose();
  trainer.dispose();
  return ms;
}

async function main(): Promise<void> {
  const q = new URLSearchParams(location.search);
  const steps = Number(q.get('steps') ?? 5);
  const warmup = Number(q.get('warmup') ?? 1);
  const variants = (q.get('modes') ?? 'off,hard').split(',').map((s) => {
    const [mode, every] = s.split('@');
    return { mode: mode as HvpMode, hvpEvery: Number(every ?? 1) };
  });
  const overrides: Record<string, string> = {};
  q.forEach((v, k) => {
    if (!['steps', 'warmup', 'modes', 'kernels', 'forward'].includes(k)) overrides[k] = v;
  });
  const base = validateConfig(overrides, { ...DEFAULT_CONFIG, numTrainImages: 1024, numTestImages: 64, knnEvery: 0 });
  if (base.issues.length) throw new Error(base.issues.map((i) => i.message).join(' '));
  // kernels=stock: tfjs's own kernels only; kernels=ours: our WGSL kernels + fused optimizer.
  const kernels = q.get('kernels') ?? 'ours';
  await tf.setBackend('webgpu');
  await tf.ready();
  if (kernels === 'ours') registerGpuKernels();
  const options: TrainerOptions = kernels === 'ours' ? createGpuTrainerOptions() : {};
  const results: ModeResult[] = [];
  for (const v of variants) {
    const cfg = { ...base.config, hvpMode: v.mode, hvpEvery: v.hvpEvery };
    const ms = await timeMode(cfg, warmup, steps, options);
    results.push({ ...v, msPerStep: ms, imagesPerSec: (1000 * cfg.batchSize) / ms, ratioToFirst: results.length ? ms / results[0]!.msPerStep : 1 });
  }
  const selectionForwardMs = q.get('forward') === '0' ? null : await timeSelectionForward({ ...base.config, hvpMode: 'hard' }, warmup, steps, options);
  const adapter = (tf.backend() as unknown as { adapterInfo?: Record<string, string> }).adapterInfo ?? {};
  const out = { kernels, selectionForwardMs, config: base.config, steps, warmup, backend: tf.getBackend(), adapter: { vendor: adapter.vendor, architecture: adapter.architecture, description: adapter.description }, results };
  (window as unknown as { __benchResults: unknown }).__benchResults = out;
  document.getElementById('out')!.textContent = JSON.stringify(out, null, 2);
}

main().catch((e) => {
  (window as unknown as { __benchResults: unknown }).__benchResults = { error: String(e instanceof Error ? e.stack : e) };
  document.getElementById('out')!.textContent = String(e);
});
