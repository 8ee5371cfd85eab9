// A run continued in PyTorch and back, through the command lines and real files: a run on a
// generated cifar-10-binary.tar.gz trained 2 steps here (tfjs cpu) is resumed by
// `python3 -m hvp_torch resume` for 1 step; the same step taken here from the same checkpoint gives
// the same batch, views, selection and loss and the same weights within 1e-4; the file PyTorch wrote
// decodes and resumes here with its history appended; and under torchrun (2 gloo processes,
// --sync-bn) the steps equal the 1-process steps within 1e-5 (SimSiam; DINO, AdamW: 0.1 % of lr).
// Skipped without a Python that has torch, except under CI=true, where it fails.
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCheckpoint, encodeCheckpoint } from '../src/core/checkpoint/checkpointFile';
import type { RunConfig } from '../src/core/config/runConfig';
import { fingerprintDataset } from '../src/core/data/fingerprint';
import { importFiles } from '../src/core/data/formats/importFiles';
import { nodeImageDecoder } from '../src/core/data/formats/nodeImageDecoder';
import type { Dataset } from '../src/core/data/types';
import { createRng } from '../src/core/random';
import type { StepMetrics } from '../src/core/train/metrics';
import { evaluateKnn } from '../src/core/eval/evaluate';
import { createTrainer } from '../src/core/train/trainer';
import type { TrainerSnapshot } from '../src/core/state/trainerState';
import { buildRunDataset } from './helpers/runDatasetOf';
import { cifar10TarGz } from './helpers/datasetFiles';
import { tinyConfig } from './helpers/tinyConfig';
import { findTorchPython, TORCH_MISSING } from './helpers/torchPython';
import { maxTensorDiff, runHvpTorch } from './helpers/torchRun';
import { trainSteps } from './helpers/trainerSteps';

const python = findTorchPython();
if (!python && !process.env.CI) console.warn(`torchResumeRun: skipped, ${TORCH_MISSING}`);

let dir = '';
let tarPath = '';
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = mkdtempSync(join(tmpdir(), 'hvp-resume-'));
  tarPath = join(dir, 'cifar-10-binary.tar.gz');
  writeFileSync(tarPath, cifar10TarGz({ numTrainPerBatch: 12, numTest: 20, seed: 3 }));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The run's Dataset from the generated CIFAR file, as the browser builds it after an import. */
async function cifarDataset(config: RunConfig): Promise<Dataset> {
  const result = await importFiles([{ path: 'cifar-10-binary.tar.gz', bytes: readFileSync(tarPath) }], { size: config.imageSize, decodeImage: nodeImageDecoder });
  return buildRunDataset(result, config);
}

function writeCheckpoint(path: string, config: RunConfig, dataset: Dataset, snapshot: TrainerSnapshot, metrics: StepMetrics[]): void {
  const input = {
    appVersion: 'test', createdAt: '', config, probeRng: createRng(9).getState(), dataset: fingerprintDataset(dataset),
    history: { metrics, knn: [], evaluations: [] }, backend: 'cpu',
  };
  writeFileSync(path, encodeCheckpoint(input, snapshot));
}

/**
 * Tolerance on the updated tensors when each side renders its own views (they agree within ~1e-5,
 * tests/torchRandomViews): 1e-4, but AdamW's step lr·m/(√v + eps) points along the sign of the
 * gradient where gradients are tiny, so a parameter's update can differ by a fraction of lr there;
 * those runs allow 1 % of lr. (tests/torchStepParity feeds both sides the same views: 1e-4 for all.)
 */
function tolerance(config: RunConfig): number {
  return isAdamw(config) ? Math.max(1e-4, 0.01 * config.learningRate) : 1e-4;
}

const isAdamw = (config: RunConfig): boolean => config.optimizer === 'adamw' || (config.optimizer === 'auto' && (config.method === 'dino' || config.method === 'ibot'));

/** K processes against one: sums in another order (~1e-7), so 1e-5; AdamW runs 0.1 % of lr (see tolerance). */
const ddpTolerance = (config: RunConfig): number => (isAdamw(config) ? Math.max(1e-5, 1e-3 * config.learningRate) : 1e-5);

const CASES: Array<{ name: string; config: RunConfig }> = [
  { name: 'SimSiam, hard views (N = 4)', config: tinyConfig({ dataset: 'stored:test-cifar', imageSize: 16, batchSize: 8, numViews: 4, backbone: 'resnet10', backboneWidth: 4, totalSteps: 20, warmupSteps: 2, knnEvery: 3 }) },
  { name: 'SimCLR (LARS), hard views', config: tinyConfig({ dataset: 'stored:test-cifar', method: 'simclr', imageSize: 16, batchSize: 8, numViews: 4, backbone: 'resnet10', backboneWidth: 4, totalSteps: 20, weightDecay: 1e-4 }) },
  { name: 'BYOL (LARS, EMA target), random pairs', config: tinyConfig({ dataset: 'stored:test-cifar', method: 'byol', hvpMode: 'random', imageSize: 16, batchSize: 8, numViews: 3, backbone: 'resnet10', backboneWidth: 4, totalSteps: 20 }) },
  { name: 'SimSiam with AdamW (optimizer setting), easy views', config: tinyConfig({ dataset: 'stored:test-cifar', optimizer: 'adamw', hvpMode: 'easy', weightDecay: 0.04, learningRate: 0.001, imageSize: 16, batchSize: 8, numViews: 3, backbone: 'resnet10', backboneWidth: 4, totalSteps: 20 }) },
  { name: 'DINO (AdamW, EMA teacher, centre), hard combinations with locals', config: tinyConfig({ dataset: 'stored:test-cifar', method: 'dino', imageSize: 16, localSize: 8, numLocalViews: 2, comboCap: 5, batchSize: 8, numViews: 4, backbone: 'resnet10', backboneWidth: 4, projDim: 16, totalSteps: 20 }) },
  { name: 'DINO, random combinations', config: tinyConfig({ dataset: 'stored:test-cifar', method: 'dino', hvpMode: 'random', imageSize: 16, localSize: 8, numLocalViews: 2, batchSize: 8, numViews: 4, backbone: 'resnet10', backboneWidth: 4, projDim: 16, totalSteps: 20 }) },
  { name: 'iBOT on the ViT (drop_path, masks, patch loss), hard', config: tinyConfig({ dataset: 'stored:test-cifar', method: 'ibot', backbone: 'vit', imageSize: 16, vitPatchSize: 4, vitDim: 16, vitDepth: 1, vitHeads: 2, vitDropPath: 0.1, localSize: 8, numLocalViews: 2, numViews: 4, batchSize: 8, dinoOutDim: 16, dinoHiddenDim: 16, dinoBottleneckDim: 8, patchOutDim: 12, maskRatio: 0.3, learningRate: 0.005, weightDecay: 0.04, weightDecayEnd: 0.4, freezeLastLayerEpochs: 0, comboCap: 8, emaMomentum: 0.99, totalSteps: 20 }) },
  { name: 'SimSiam, HVP every 3rd step (step 3 is an identity step)', config: tinyConfig({ dataset: 'stored:test-cifar', hvpEvery: 3, imageSize: 16, batchSize: 8, numViews: 4, backbone: 'resnet10', backboneWidth: 4, totalSteps: 20 }) },
];

describe('a run continued in PyTorch (python3 -m hvp_torch resume) and back', () => {
  for (const { name, config } of CASES) {
    it.runIf(python || process.env.CI)(`${name}: PyTorch's step equals ours, and its file resumes here`, async () => {
      expect(python, TORCH_MISSING).not.toBeNull();
      const dataset = await cifarDataset(config);
      const trainer = createTrainer(config, dataset);
      const before = await trainSteps(trainer, 2);
      const start = await trainer.snapshot();
      const ck = join(dir, `${config.method}-2.safetensors`);
      writeCheckpoint(ck, config, dataset, start, before);
      const [ours] = await trainSteps(trainer, 1); // step 3 here
      const oursAfter = await trainer.snapshot();
      const oursKnn = config.knnEvery === 3 ? await evaluateKnn(trainer) : null;
      trainer.dispose();

      const out = join(dir, `${config.method}-3.safetensors`);
      const r = runHvpTorch(python!, ['resume', ck, '--data', tarPath, '--steps', '3', '--out', out, '--device', 'cpu']);
      expect(r.status, `hvp_torch resume failed:\n${r.stdout}\n${r.stderr}`).toBe(0);
      const theirs = decodeCheckpoint(new Uint8Array(readFileSync(out)), out);
      expect(theirs.record.progress).toEqual(oursAfter.progress); // same data order and streams
      const hist = theirs.record.history.metrics;
      expect(hist.map((m) => m.step)).toEqual([1, 2, 3]);
      expect(hist.slice(0, 2)).toEqual(before);
      expect(hist[2]!.loss).toBeCloseTo(ours!.loss, 4);
      expect(hist[2]!.selectedIou).toBeCloseTo(ours!.selectedIou, 6); // same selection
      expect(hist[2]!.lowestIouHitRate).toBeCloseTo(ours!.lowestIouHitRate, 6);
      const model = maxTensorDiff(oursAfter.model, theirs.snapshot.model);
      expect(model.diff, `model ${model.worst}`).toBeLessThan(tolerance(config));
      // kNN every knnEvery steps, appended to the history as ours (same bank, queries and vote)
      expect(theirs.record.history.knn).toEqual(oursKnn ? [oursKnn] : []);
      const opt = maxTensorDiff(oursAfter.optimizer, theirs.snapshot.optimizer);
      expect(opt.diff, `optimizer ${opt.worst}`).toBeLessThan(tolerance(config));

      // The file PyTorch wrote resumes here and trains on.
      const back = createTrainer(theirs.record.config, dataset, { resumeFrom: theirs.snapshot });
      expect(back.step).toBe(3);
      const [next] = await trainSteps(back, 1);
      expect(next!.step).toBe(4);
      expect(Number.isFinite(next!.loss)).toBe(true);
      back.dispose();
    });
  }

  for (const { name, config } of [CASES[0]!, CASES.find((c) => c.config.method === 'dino' && c.config.hvpMode === 'hard')!]) it.runIf(python || process.env.CI)(`under torchrun: 2 gloo processes with --sync-bn take the same steps as 1 process (${name})`, async () => {
    expect(python, TORCH_MISSING).not.toBeNull();
    const dataset = await cifarDataset(config);
    const trainer = createTrainer(config, dataset);
    const before = await trainSteps(trainer, 2);
    const ck = join(dir, `ddp-${config.method}-2.safetensors`);
    writeCheckpoint(ck, config, dataset, await trainer.snapshot(), before);
    trainer.dispose();
    const one = join(dir, `ddp-${config.method}-one.safetensors`);
    const two = join(dir, `ddp-${config.method}-two.safetensors`);
    const r1 = runHvpTorch(python!, ['resume', ck, '--data', tarPath, '--steps', '4', '--out', one, '--device', 'cpu', '--sync-bn']);
    expect(r1.status, `1 process failed:\n${r1.stdout}\n${r1.stderr}`).toBe(0);
    const r2 = runHvpTorch(python!, ['resume', ck, '--data', tarPath, '--steps', '4', '--out', two, '--device', 'cpu', '--sync-bn'], 2);
    expect(r2.status, `torchrun failed:\n${r2.stdout}\n${r2.stderr}`).toBe(0);
    expect(r2.stdout).toMatch(/2 process\(es\)/);
    const a = decodeCheckpoint(new Uint8Array(readFileSync(one)), one);
    const b = decodeCheckpoint(new Uint8Array(readFileSync(two)), two);
    expect(b.record.progress).toEqual(a.record.progress);
    expect(b.record.history.metrics.map((m) => m.step)).toEqual([1, 2, 3, 4]);
    for (const [x, y] of [[a.record.history.metrics, b.record.history.metrics]] as const) {
      for (let i = 2; i < 4; i++) {
        expect(y[i]!.loss).toBeCloseTo(x[i]!.loss, 5);
        expect(y[i]!.selectedIou).toBe(x[i]!.selectedIou);
      }
    }
    const model = maxTensorDiff(a.snapshot.model, b.snapshot.model);
    expect(model.diff, `model ${model.worst}`).toBeLessThan(ddpTolerance(config));
    const opt = maxTensorDiff(a.snapshot.optimizer, b.snapshot.optimizer);
    expect(opt.diff, `optimizer ${opt.worst}`).toBeLessThan(ddpTolerance(config));
  });

  it.runIf(python || process.env.CI)('refuses other data with a message naming what differs, and writes nothing', async () => {
    expect(python, TORCH_MISSING).not.toBeNull();
    const config = CASES[0]!.config;
    const dataset = await cifarDataset(config);
    const trainer = createTrainer(config, dataset);
    const ck = join(dir, 'other.safetensors');
    writeCheckpoint(ck, config, dataset, await trainer.snapshot(), []);
    trainer.dispose();
    const other = join(dir, 'cifar-other.tar.gz');
    writeFileSync(other, cifar10TarGz({ numTrainPerBatch: 12, numTest: 20, seed: 4 }));
    const out = join(dir, 'never.safetensors');
    const r = runHvpTorch(python!, ['resume', ck, '--data', other, '--steps', '1', '--out', out, '--device', 'cpu']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/does not fit the data: The checkpoint was trained on/);
    expect(r.stderr).toMatch(/hint: /);
    expect(() => readFileSync(out)).toThrow();
  });
});
