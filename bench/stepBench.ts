/**
 * Step benchmark page: times the training step of a config on the tfjs WebGPU backend with HVP
 * off and with HVP on, in one page load, so the ratio is measured under identical conditions.
 * Each mode: build a fresh trainer, run `warmup` steps (pipeline compilation), then queue
 * `steps` steps and read the last loss once (no per-step sync), and report ms/step, images/s
 * and the ratio to the first mode. `kernels=stock` uses only tfjs's kernels; `kernels=ours`
 * (default) registers our WGSL kernels and the fused optimizer. `backbones=resnet10,vit` repeats
 * every mode (and the selection forward) for each backbone in the same page load, so backbones
 * compare under identical conditions (each row names its backbone). `rounds=R` times the modes R
 * times in turn (fresh trainer each) and reports the median ms/step of each (all rounds listed in
 * `msPerStepRounds`), against load drift on a shared machine. Driven by bench/runBench.mjs.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { BACKBONE_NAMES, DEFAULT_CONFIG, type BackboneName, type HvpMode, type RunConfig } from '../src/core/config/runConfig';
import { validateConfig } from '../src/core/config/schema';
import { generateBuiltinDataset } from '../src/core/data/builtinDataset';
import { createRng } from '../src/core/random';
import { allPairs } from '../src/core/hvp/candidates';
import { candidateCombinations } from '../src/core/hvp/combinations';
import { sampledCropCounts } from '../src/core/hvp/stepViews';
import { createTrainer, type TrainerOptions } from '../src/core/train/trainer';
import { createGpuTrainerOptions, registerGpuKernels } from '../src/gpu/register';

interface ModeResult { backbone: BackboneName; mode: HvpMode; hvpEvery: number; msPerStep: number; imagesPerSec: number; ratioToFirst: number; msPerStepRounds: number[] }

/** Median of a non-empty list. */
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function timeMode(config: RunConfig, warmup: number, steps: number, options: TrainerOptions): Promise<number> {
  const dataset = generateBuiltinDataset({ seed: config.datasetSeed, numTrain: config.numTrainImages, numTest: config.numTestImages });
  const trainer = createTrainer(config, dataset, options);
  for (let i = 0; i < warmup; i++) await trainer.readStepMetrics(trainer.trainStep());
  const t0 = performance.now();
  for (let i = 0; i < steps - 1; i++) trainer.releaseStep(trainer.trainStep());
  await trainer.readStepMetrics(trainer.trainStep());
  const ms = (performance.now() - t0) / steps;
  trainer.dispose();
  return ms;
}

/** Times the selection alone: all N·M views through the model (no tape, BN in training mode, running
 * stats updated) plus scoring every pair and picking one — the extra work HVP adds to a step. */
async function timeSelectionForward(config: RunConfig, warmup: number, steps: number, options: TrainerOptions): Promise<number> {
  const dataset = generateBuiltinDataset({ seed: config.datasetSeed, numTrain: config.numTrainImages, numTest: config.numTestImages });
  const trainer = createTrainer(config, dataset, options);
  const model = trainer.model;
  const x = tf.randomNormal([config.numViews * config.batchSize, config.imageSize, config.imageSize, 3]) as tf.Tensor4D; // [N·M, S, S, 3]
  model.beginStep(0); // seeds stochastic layers (ViT drop_path), which the selection forward runs in training mode
  // Pair methods: every pair of the N globals in x; DINO / iBOT: plus their locals, over the capped candidate combinations.
  const counts = sampledCropCounts({ ...config, hvpMode: 'hard' }, model.kind); // G = numViews, as x
  const locals = tf.randomNormal([counts.numLocals * config.batchSize, config.localSize, config.localSize, 3]) as tf.Tensor4D; // [L·M, Sl, Sl, 3]
  const cands = model.kind === 'pair' ? allPairs(counts.numGlobals) : candidateCombinations(createRng(0), counts.numGlobals, counts.numLocals, config.numLocalViews, config.comboCap);
  const combos = tf.tensor2d(cands.table, [cands.numCombos, 2 + cands.numLocalsPerCombo], 'int32'); // [C, 2 + l]
  const run = () => tf.tidy(() => {
    const { scores, selected } = model.scoreCandidates(x, locals, counts, combos, 'hard');
    return scores.sum().add(selected.sum());
  });
  for (let i = 0; i < warmup; i++) { const r = run(); await r.data(); r.dispose(); }
  const t0 = performance.now();
  for (let i = 0; i < steps - 1; i++) run().dispose();
  const last = run();
  await last.data();
  const ms = (performance.now() - t0) / steps;
  last.dispose();
  tf.dispose([x, locals, combos]);
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
    if (!['steps', 'warmup', 'modes', 'kernels', 'forward', 'backbones', 'rounds'].includes(k)) overrides[k] = v;
  });
  const base = validateConfig(overrides, { ...DEFAULT_CONFIG, numTrainImages: 1024, numTestImages: 64, knnEvery: 0 });
  if (base.issues.length) throw new Error(base.issues.map((i) => i.message).join(' '));
  const backbones = (q.get('backbones') ?? base.config.backbone).split(',') as BackboneName[];
  const unknown = backbones.filter((b) => !BACKBONE_NAMES.includes(b));
  if (unknown.length) throw new Error(`backbones: unknown ${unknown.join(', ')} (known: ${BACKBONE_NAMES.join(', ')})`);
  // kernels=stock: tfjs's own kernels only; kernels=ours: our WGSL kernels + fused optimizer.
  const kernels = q.get('kernels') ?? 'ours';
  await tf.setBackend('webgpu');
  await tf.ready();
  if (kernels === 'ours') registerGpuKernels();
  const options: TrainerOptions = kernels === 'ours' ? createGpuTrainerOptions() : {};
  const rounds = Number(q.get('rounds') ?? 1);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`rounds must be a positive integer, got ${q.get('rounds')}`);
  const results: ModeResult[] = [];
  const selectionForwardMsByBackbone: Partial<Record<BackboneName, number>> = {};
  for (const backbone of backbones) {
    // rounds > 1: the modes take turns (off, hard, off, hard, …) so load drift on a shared machine hits each alike.
    const msByVariant = variants.map((): number[] => []);
    for (let r = 0; r < rounds; r++) {
      for (const [i, v] of variants.entries()) {
        msByVariant[i]!.push(await timeMode({ ...base.config, backbone, hvpMode: v.mode, hvpEvery: v.hvpEvery }, warmup, steps, options));
      }
    }
    for (const [i, v] of variants.entries()) {
      const ms = median(msByVariant[i]!);
      results.push({ backbone, ...v, msPerStep: ms, imagesPerSec: (1000 * base.config.batchSize) / ms, ratioToFirst: results.length ? ms / results[0]!.msPerStep : 1, msPerStepRounds: msByVariant[i]! });
    }
    if (q.get('forward') !== '0') selectionForwardMsByBackbone[backbone] = await timeSelectionForward({ ...base.config, backbone, hvpMode: 'hard' }, warmup, steps, options);
  }
  const selectionForwardMs = selectionForwardMsByBackbone[backbones[0]!] ?? null;
  const adapter = (tf.backend() as unknown as { adapterInfo?: Record<string, string> }).adapterInfo ?? {};
  const out = { kernels, selectionForwardMs, selectionForwardMsByBackbone, config: base.config, steps, warmup, backend: tf.getBackend(), adapter: { vendor: adapter.vendor, architecture: adapter.architecture, description: adapter.description }, results };
  (window as unknown as { __benchResults: unknown }).__benchResults = out;
  document.getElementById('out')!.textContent = JSON.stringify(out, null, 2);
}

main().catch((e) => {
  (window as unknown as { __benchResults: unknown }).__benchResults = { error: String(e instanceof Error ? e.stack : e) };
  document.getElementById('out')!.textContent = String(e);
});
