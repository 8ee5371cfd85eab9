// One training step in PyTorch (python/hvp_torch step.train_step) equals ours, method by method.
// Here (tfjs cpu, tiny configs) a run takes 2 steps and is exported (encodeCheckpoint); the 3rd step
// is taken with the method's calls wrapped to capture the exact rendered views it got (selection
// views, or the chosen views of a fixed step), the plan, the selection and the loss, and the
// optimizer's apply wrapped (makeOptimizer) to capture lr and the step's weight decay. The trainer
// itself is unchanged. tests/python/step_parity.py loads the checkpoint (hvp_torch load_run), checks
// that save_run of the unchanged run writes every tensor bit-identically, runs train_step on the
// captured inputs and writes its run back; here we assert the same selection, the same loss and every
// model and optimizer tensor within 1e-4, and that PyTorch's file resumes here (createTrainer
// resumeFrom) with its weights. Skipped without a Python that has torch, except under CI=true.
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCheckpoint, encodeCheckpoint } from '../src/core/checkpoint/checkpointFile';
import type { RunConfig } from '../src/core/config/runConfig';
import { fingerprintDataset } from '../src/core/data/fingerprint';
import type { HvpMethod } from '../src/core/hvp/hvpMethod';
import { createRng } from '../src/core/random';
import { createReferenceOptimizer } from '../src/core/optim/optimizerSpec';
import { createTrainer } from '../src/core/train/trainer';
import { builtinDatasetFor } from './helpers/builtinDatasetFor';
import { tinyConfig } from './helpers/tinyConfig';
import { findTorchPython, TORCH_MISSING } from './helpers/torchPython';
import { maxTensorDiff } from './helpers/torchRun';

const python = findTorchPython();
const SCRIPT = join(import.meta.dirname, 'python', 'step_parity.py');
if (!python && !process.env.CI) console.warn(`torchStepParity: skipped, ${TORCH_MISSING}`);

let dir = '';
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = mkdtempSync(join(tmpdir(), 'hvp-step-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Capture {
  lr?: number;
  weightDecay?: number | null;
  plan?: { kind: 'select'; mode: string; candidates: number[][] | null } | { kind: 'fixed'; chosen: number[][] | null };
  selected?: number[];
  loss?: number;
  globals?: Float32Array;
  globalsShape?: number[];
  locals?: Float32Array;
  localsShape?: number[];
}

const rows = (t: tf.Tensor2D): number[][] => t.arraySync();
const TOL = 1e-4;

/** Wraps the method's calls of one step so they record their inputs and outputs into `cap` (a pair
 * method's candidates are all pairs and its fixed choice views 0 and 1: recorded as null). */
function captureStep(method: HvpMethod, cap: Capture): void {
  const isPair = method.kind === 'pair';
  const keepViews = (key: 'globals' | 'locals', x: tf.Tensor4D) => {
    if (cap[key] || (isPair && key === 'locals')) return;
    cap[key] = x.dataSync() as Float32Array;
    cap[`${key}Shape`] = x.shape;
  };
  const select = method.scoreCandidates.bind(method);
  method.scoreCandidates = (g, l, counts, combos, mode) => {
    keepViews('globals', g);
    keepViews('locals', l);
    const r = select(g, l, counts, combos, mode);
    cap.plan = { kind: 'select', mode, candidates: isPair ? null : rows(combos) };
    cap.selected = [...r.selected.dataSync()];
    return r;
  };
  const train = method.trainingLoss.bind(method);
  method.trainingLoss = (g, l, chosen, progress) => {
    if (!cap.plan) { // a fixed step: the chosen views, trained as views 0 and 1 (and locals 0…l−1)
      keepViews('globals', g);
      keepViews('locals', l);
      const [M, width] = chosen.shape;
      cap.plan = { kind: 'fixed', chosen: isPair ? null : Array.from({ length: M }, () => [0, 1, ...Array.from({ length: width - 2 }, (_, j) => j)]) };
    }
    const loss = train(g, l, chosen, progress);
    cap.loss = loss.dataSync()[0];
    return loss;
  };
}

const base = { imageSize: 16, batchSize: 8, backbone: 'resnet10', backboneWidth: 4, totalSteps: 20, numTrainImages: 32 } as const;
const multi = { localSize: 8, numLocalViews: 2, dinoOutDim: 32, dinoHiddenDim: 16, dinoBottleneckDim: 8, patchOutDim: 16 } as const;
const vit = { backbone: 'vit', vitPatchSize: 4, vitDim: 16, vitDepth: 2, vitHeads: 2, vitDropPath: 0.3 } as const;
export const CASES: Array<{ name: string; config: RunConfig }> = [
  { name: 'SimSiam (SGD), hard views N = 4, warmup then cosine', config: tinyConfig({ ...base, numViews: 4, warmupSteps: 2, weightDecay: 5e-4 }) },
  { name: 'SimCLR (LARS), easy views, weight decay', config: tinyConfig({ ...base, method: 'simclr', hvpMode: 'easy', numViews: 3, weightDecay: 1e-4 }) },
  { name: 'BYOL (LARS, EMA target), HVP off', config: tinyConfig({ ...base, method: 'byol', hvpMode: 'off', weightDecay: 1e-4 }) },
  { name: 'SimSiam (AdamW), a non-selection step (hvpEvery 2)', config: tinyConfig({ ...base, optimizer: 'adamw', hvpEvery: 2, numViews: 4, learningRate: 0.001, weightDecay: 0.04, warmupSteps: 4 }) },
  { name: 'DINO ResNet (AdamW, cosine wd, temp warm-up), hard combinations capped', config: tinyConfig({ ...base, ...multi, method: 'dino', numViews: 4, comboCap: 5, teacherTempWarmupSteps: 5, teacherTempWarmup: 0.02, learningRate: 0.001, weightDecay: 0.04, warmupSteps: 1, freezeLastLayerEpochs: 0 }) },
  { name: 'DINO ResNet, HVP off, last layer frozen', config: tinyConfig({ ...base, ...multi, method: 'dino', hvpMode: 'off', learningRate: 0.001, freezeLastLayerEpochs: 1 }) },
  { name: 'DINO ViT (drop_path, resized pos_embed for locals), hard combinations', config: tinyConfig({ ...base, ...multi, ...vit, method: 'dino', numViews: 4, comboCap: 6, learningRate: 0.001, weightDecay: 0.04, freezeLastLayerEpochs: 0 }) },
];

describe('one step in PyTorch (hvp_torch.step.train_step) equals ours', () => {
  for (const { name, config } of CASES) {
    it.runIf(python || process.env.CI)(name, async () => {
      expect(python, TORCH_MISSING).not.toBeNull();
      const dataset = builtinDatasetFor(config);
      const cap: Capture = {};
      const trainer = createTrainer(config, dataset, {
        makeOptimizer: (spec) => {
          const opt = createReferenceOptimizer(spec);
          return { ...opt, apply: (params, grads, lr, wd) => { cap.lr = lr; cap.weightDecay = wd ?? null; return opt.apply(params, grads, lr, wd); } };
        },
      });
      for (let i = 0; i < 2; i++) await trainer.readStepMetrics(trainer.trainStep());
      const input = { appVersion: 'test', createdAt: '', config, probeRng: createRng(9).getState(), dataset: fingerprintDataset(dataset), history: { metrics: [], knn: [], evaluations: [] }, backend: 'cpu' };
      const before = await trainer.snapshot();
      const caseDir = mkdtempSync(join(dir, `${config.method}-`));
      writeFileSync(join(caseDir, 'before.safetensors'), encodeCheckpoint(input, before));
      captureStep(trainer.model, cap);
      await trainer.readStepMetrics(trainer.trainStep());
      const after = await trainer.snapshot();
      writeFileSync(join(caseDir, 'after.safetensors'), encodeCheckpoint(input, after));
      trainer.dispose();
      writeFileSync(join(caseDir, 'globals.f32'), cap.globals!);
      if (cap.locals) writeFileSync(join(caseDir, 'locals.f32'), cap.locals);
      const { globals: _g, locals: _l, ...meta } = cap;
      writeFileSync(join(caseDir, 'capture.json'), JSON.stringify({ ...meta, stepIndex: 2 }));

      const r = spawnSync(python!, [SCRIPT, caseDir], { encoding: 'utf8', timeout: 300_000, env: { ...process.env, OMP_NUM_THREADS: '1' } });
      expect(r.status, `step_parity.py failed:\n${r.stdout}\n${r.stderr}`).toBe(0);
      const py = JSON.parse(r.stdout.trim().split('\n').pop()!) as { loss: number; selected: number[]; lr: number; weightDecay: number; roundTripBitIdentical: boolean; roundTripMismatch: string[] };
      expect(py.roundTripMismatch).toEqual([]);
      expect(py.roundTripBitIdentical).toBe(true);
      expect(py.lr).toBeCloseTo(cap.lr!, 12);
      if (cap.weightDecay !== null && cap.weightDecay !== undefined) expect(py.weightDecay).toBeCloseTo(cap.weightDecay, 12);
      if (cap.plan!.kind === 'select') expect(py.selected).toEqual(cap.selected);
      expect(Math.abs(py.loss - cap.loss!), `loss ours ${cap.loss} vs torch ${py.loss}`).toBeLessThan(TOL);

      const theirs = decodeCheckpoint(new Uint8Array(readFileSync(join(caseDir, 'torch.safetensors'))), 'torch.safetensors');
      expect(theirs.snapshot.progress.step).toBe(3);
      const model = maxTensorDiff(after.model, theirs.snapshot.model);
      const opt = maxTensorDiff(after.optimizer, theirs.snapshot.optimizer);
      console.log(`torchStepParity ${name}: loss ${cap.loss} vs ${py.loss} (Δ ${Math.abs(py.loss - cap.loss!).toExponential(2)}), model Δ ${model.diff.toExponential(2)} (${model.worst}), optimizer Δ ${opt.diff.toExponential(2)} (${opt.worst})`);
      expect(model.diff, `worst model tensor ${model.worst}`).toBeLessThan(TOL);
      expect(opt.diff, `worst optimizer tensor ${opt.worst}`).toBeLessThan(TOL);

      // PyTorch's file resumes here with its weights.
      const resumed = createTrainer(theirs.record.config, dataset, { resumeFrom: theirs.snapshot });
      const back = await resumed.snapshot();
      resumed.dispose();
      expect(maxTensorDiff(theirs.snapshot.model, back.model).diff).toBe(0);
      expect(maxTensorDiff(theirs.snapshot.optimizer, back.optimizer).diff).toBe(0);
    }, 120_000);
  }
});
