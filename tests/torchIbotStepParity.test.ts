// One iBOT step continued in PyTorch equals ours (tfjs cpu; DINO and the pair methods: torchStepParity): a tiny run trains 2 steps here,
// its checkpoint is exported, and the 3rd step is taken here while the exact views it rendered (globals,
// locals), its candidate table or fixed rows, selection, loss, lr and weight decay are captured — by
// wrapping the method createMethod builds and the optimizer (test-only, no change to the trainer).
// tests/python/ibot_step_parity.py loads the checkpoint with hvp_torch, checks the step's plan drawn
// from the record's streams and iBOT's masks equal ours, runs hvp_torch.step.train_step on the captured
// views and reports selection, loss and the max diff of every tensor (model, teacher, centers,
// optimizer state) against our checkpoint after the step: asserted |Δ| ≤ 1e-4 + 1e-4·|ours| (atol and rtol 1e-4).
// Also: hvp_torch's save_run of the unchanged loaded run keeps every tensor bit for bit and a record we
// decode as the original, and the file it saves after the step resumes here with its weights.
// Then the whole continuation: `python3 -m hvp_torch resume` of an iBOT and a DINO ViT run (drop_path
// 0.1) on a generated cifar-10-binary.tar.gz takes the same 2 steps as ours (rendering, plan, masks
// and drop_path from the record's streams) within 1e-4, and under torchrun 2 gloo processes take the
// same steps as 1 within 1e-5.
// Skipped without a Python that has torch, except under CI=true, where it fails.
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeCheckpoint, encodeCheckpoint } from '../src/core/checkpoint/checkpointFile';
import { encodeSafetensors, type SafetensorsTensor } from '../src/core/checkpoint/safetensors';
import type { RunConfig } from '../src/core/config/runConfig';
import { fingerprintDataset } from '../src/core/data/fingerprint';
import { importFiles } from '../src/core/data/formats/importFiles';
import { nodeImageDecoder } from '../src/core/data/formats/nodeImageDecoder';
import type { Dataset } from '../src/core/data/types';
import { ibotMasks } from '../src/core/methods/ibotMasks';
import type { HvpMethod } from '../src/core/hvp/hvpMethod';
import { createRng, deriveSeed } from '../src/core/random';
import type { HostTensor } from '../src/core/state/hostTensor';
import type { StepMetrics } from '../src/core/train/metrics';
import { createReferenceOptimizer } from '../src/core/optim/optimizerSpec';
import { createTrainer, type Trainer } from '../src/core/train/trainer';
import { builtinDatasetFor } from './helpers/builtinDatasetFor';
import { cifar10TarGz } from './helpers/datasetFiles';
import { buildRunDataset } from './helpers/runDatasetOf';
import { tinyConfig } from './helpers/tinyConfig';
import { findTorchPython, TORCH_MISSING } from './helpers/torchPython';
import { maxTensorDiff, runHvpTorch } from './helpers/torchRun';
import { trainSteps } from './helpers/trainerSteps';

/** What the wrapped method and optimizer saw while `on` (one step). */
const capture = vi.hoisted(() => ({
  on: false,
  select: null as null | { globals: Float32Array; gShape: number[]; locals: Float32Array; lShape: number[]; combos: Int32Array; cShape: number[]; mode: string; selected: number[]; comboLosses: number[] },
  train: null as null | { globals: Float32Array; gShape: number[]; locals: Float32Array; lShape: number[]; chosen: Int32Array; cShape: number[] },
  lr: NaN,
  weightDecay: NaN as number | undefined,
}));

vi.mock('../src/core/methods/createMethod', async (importOriginal) => {
  const mod = await importOriginal<typeof import('../src/core/methods/createMethod')>();
  type Method = ReturnType<typeof mod.createMethod>;
  const copy = (t: tf.Tensor) => ({ data: Float32Array.from(t.dataSync()), shape: [...t.shape] });
  return {
    ...mod,
    createMethod(config: RunConfig, seed: number): Method {
      const made = mod.createMethod(config, seed);
      if (made.kind !== 'multiCrop') return made;
      const m: HvpMethod = made;
      const select = m.scoreCandidates.bind(m);
      const train = m.trainingLoss.bind(m);
      m.scoreCandidates = (globals, locals, counts, combos, mode) => {
        const r = select(globals, locals, counts, combos, mode);
        if (capture.on) {
          const g = copy(globals);
          const l = copy(locals);
          capture.select = {
            globals: g.data, gShape: g.shape, locals: l.data, lShape: l.shape, combos: Int32Array.from(combos.dataSync()), cShape: [...combos.shape], mode,
            selected: [...r.selected.dataSync()], comboLosses: [...r.scores.dataSync()],
          };
        }
        return r;
      };
      m.trainingLoss = (globals, locals, chosen, progress) => {
        if (capture.on) {
          const g = copy(globals);
          const l = copy(locals);
          capture.train = { globals: g.data, gShape: g.shape, locals: l.data, lShape: l.shape, chosen: Int32Array.from(chosen.dataSync()), cShape: [...chosen.shape] };
        }
        return train(globals, locals, chosen, progress);
      };
      return m;
    },
  };
});

const python = findTorchPython();
if (!python && !process.env.CI) console.warn(`torchIbotStepParity: skipped, ${TORCH_MISSING}`);

let dir = '';
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = mkdtempSync(join(tmpdir(), 'hvp-mc-parity-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const makeOptimizer: NonNullable<Parameters<typeof createTrainer>[2]>['makeOptimizer'] = (spec) => {
  const o = createReferenceOptimizer(spec);
  const apply = o.apply.bind(o);
  o.apply = (params, grads, lr, weightDecay) => {
    if (capture.on) [capture.lr, capture.weightDecay] = [lr, weightDecay];
    apply(params, grads, lr, weightDecay);
  };
  return o;
};

function checkpointBytes(config: RunConfig, dataset: Dataset, snapshot: Awaited<ReturnType<Trainer['snapshot']>>, metrics: StepMetrics[]): Uint8Array {
  const input = {
    appVersion: 'test', createdAt: '', config, probeRng: createRng(9).getState(), dataset: fingerprintDataset(dataset),
    history: { metrics, knn: [], evaluations: [] }, backend: 'cpu',
  };
  return encodeCheckpoint(input, snapshot);
}

const f32 = (data: Float32Array, shape: number[]): SafetensorsTensor => ({ dtype: 'F32', shape, data });

const vit = { backbone: 'vit', imageSize: 16, vitPatchSize: 4, vitDim: 16, vitDepth: 2, vitHeads: 2 } as const;
const heads = { dinoOutDim: 16, dinoHiddenDim: 16, dinoBottleneckDim: 8, patchOutDim: 12 } as const;
const base = (o: Partial<RunConfig>): RunConfig => tinyConfig({
  localSize: 8, numLocalViews: 2, numViews: 4, batchSize: 8, numTrainImages: 32, optimizer: 'auto', maskRatio: 0.3,
  learningRate: 0.005, weightDecay: 0.04, weightDecayEnd: 0.4, freezeLastLayerEpochs: 0, comboCap: 8, emaMomentum: 0.99,
  centerMomentum: 0.9, totalSteps: 8, warmupSteps: 0, ...heads, ...o,
});

const CASES: Array<{ name: string; config: RunConfig }> = [
  { name: 'iBOT ViT (drop_path 0.1), hard, N = 4, 2 locals, AdamW, lr warm-up mid-way', config: base({ method: 'ibot', ...vit, vitDropPath: 0.1, hvpMode: 'hard', warmupSteps: 4, emaMomentum: 0.9 }) },
  { name: 'iBOT ViT, easy, cosine lr and weight decay mid-way, last layers frozen this step', config: base({ method: 'ibot', ...vit, vitDropPath: 0, hvpMode: 'easy', warmupSteps: 1, freezeLastLayerEpochs: 1, comboCap: 3 }) },
  { name: 'iBOT ViT, HVP every 3rd step (step 3 is an identity step)', config: base({ method: 'ibot', ...vit, vitDropPath: 0.1, hvpMode: 'hard', hvpEvery: 3, emaMomentum: 0.9, learningRate: 0.02 }) },
];

describe('one iBOT step in hvp_torch equals ours (tests/python/ibot_step_parity.py)', () => {
  for (const [i, { name, config }] of CASES.entries()) {
    it.runIf(python || process.env.CI)(name, async () => {
      expect(python, TORCH_MISSING).not.toBeNull();
      const dataset = builtinDatasetFor(config);
      const trainer = createTrainer(config, dataset, { makeOptimizer });
      const before = await trainSteps(trainer, 2);
      const start = await trainer.snapshot();
      const folder = join(dir, `case-${i}`);
      rmSync(folder, { recursive: true, force: true });
      mkdirSync(folder);
      writeFileSync(join(folder, 'before.safetensors'), checkpointBytes(config, dataset, start, before));
      Object.assign(capture, { on: true, select: null, train: null, lr: NaN, weightDecay: NaN });
      const [ours] = await trainSteps(trainer, 1);
      capture.on = false;
      const after = await trainer.snapshot();
      writeFileSync(join(folder, 'after.safetensors'), checkpointBytes(config, dataset, after, [...before, ours!]));
      trainer.dispose();

      const sel = capture.select;
      const tr = capture.train!;
      const stepIndex = 2;
      const M = config.batchSize;
      const rendered = sel ?? tr; // a selection step renders every sampled view; other steps the trained ones
      const tensors = new Map<string, SafetensorsTensor>([['globals', f32(rendered.globals, rendered.gShape)]]);
      if (rendered.lShape[0]! > 0) tensors.set('locals', f32(rendered.locals, rendered.lShape));
      tensors.set('table', sel ? { dtype: 'I32', shape: sel.cShape, data: sel.combos } : { dtype: 'I32', shape: tr.cShape, data: tr.chosen });
      if (config.method === 'ibot') {
        const G = rendered.gShape[0]! / M;
        const grid = config.imageSize / config.vitPatchSize;
        const masks = ibotMasks({ seed: deriveSeed(config.seed, 'init'), stepIdx: stepIndex, grid, ratio: config.maskRatio }, Array.from({ length: G }, (_, g) => g), M);
        tensors.set('masks', f32(masks, [G * M, grid * grid]));
      }
      writeFileSync(join(folder, 'inputs.safetensors'), encodeSafetensors(tensors));
      writeFileSync(join(folder, 'step.json'), JSON.stringify({
        stepIndex, kind: sel ? 'select' : 'fixed', mode: sel?.mode ?? null, srcHeight: dataset.train.height, srcWidth: dataset.train.width,
      }));

      const r = spawnSync(python!, [join(import.meta.dirname, 'python', 'ibot_step_parity.py'), folder], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, OMP_NUM_THREADS: '1' } });
      expect(r.status, `ibot_step_parity.py failed:\n${r.stdout}\n${r.stderr}`).toBe(0);
      const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as {
        planEqual: boolean; lr: number; weightDecay: number; masksEqual: boolean | null; selected: number[]; loss: number;
        comboLosses: number[] | null; diffs: Record<string, [number, number] | null>; extra: string[]; roundTripDiffers: string[];
      };
      const worstOf = (i: 0 | 1): [string, number] => {
        let worst: [string, number] = ['', 0];
        for (const [k, d] of Object.entries(out.diffs)) if ((d?.[i] ?? Infinity) > worst[1]) worst = [k, d?.[i] ?? Infinity];
        return worst;
      };
      console.log(`${name}: loss ours ${ours!.loss} torch ${out.loss}; max |Δ| ${worstOf(0).join(' ')}; max |Δ|/(1 + |ours|) ${worstOf(1).join(' ')}`);

      expect(out.planEqual, 'the plan hvp_torch draws from the record equals ours').toBe(true);
      expect(out.lr).toBeCloseTo(capture.lr, 12);
      expect(out.weightDecay).toBeCloseTo(capture.weightDecay!, 12);
      if (config.method === 'ibot') expect(out.masksEqual).toBe(true);
      if (sel) {
        expect(out.selected).toEqual(sel.selected);
        const d = Math.max(...out.comboLosses!.map((v, j) => Math.abs(v - sel.comboLosses[j]!)));
        expect(d, 'combination losses').toBeLessThan(1e-4);
      }
      expect(Math.abs(out.loss - ours!.loss)).toBeLessThan(1e-4);
      expect(out.extra, 'tensors hvp_torch has and our checkpoint lacks').toEqual([]);
      const missing = Object.entries(out.diffs).filter(([, d]) => d === null).map(([k]) => k);
      expect(missing, 'tensors of our checkpoint hvp_torch lacks').toEqual([]);
      // |theirs − ours| ≤ 1e-4 + 1e-4·|ours| (atol 1e-4, rtol 1e-4: AdamW's exp_avg_sq reaches ~1e3, where one float32 ulp is 1.2e-4)
      for (const [k, d] of Object.entries(out.diffs)) expect(d![1], k).toBeLessThan(1e-4);

      // Round trip: save_run of the unchanged loaded run is the same file content and record.
      expect(out.roundTripDiffers).toEqual([]);
      const startFile = decodeCheckpoint(new Uint8Array(readFileSync(join(folder, 'before.safetensors'))), 'before');
      const rt = decodeCheckpoint(new Uint8Array(readFileSync(join(folder, 'roundtrip.safetensors'))), 'roundtrip');
      expect(rt.record).toEqual(startFile.record);

      // The file hvp_torch saved after the step resumes here, with its weights.
      const theirs = decodeCheckpoint(new Uint8Array(readFileSync(join(folder, 'torch.safetensors'))), 'torch');
      const back = createTrainer(theirs.record.config, dataset, { resumeFrom: theirs.snapshot });
      expect(back.step).toBe(3);
      const resumed = await back.snapshot();
      expectSame(resumed.model, theirs.snapshot.model);
      expectSame(resumed.optimizer, theirs.snapshot.optimizer);
      const [next] = await trainSteps(back, 1);
      expect(Number.isFinite(next!.loss)).toBe(true);
      back.dispose();
    }, 120_000);
  }
});

function expectSame(a: Map<string, HostTensor>, b: Map<string, HostTensor>): void {
  expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
  for (const [k, t] of a) {
    expect(t.shape, k).toEqual(b.get(k)!.shape);
    expect(Array.from(t.data), k).toEqual(Array.from(b.get(k)!.data));
  }
}


describe('a ViT run continued by python3 -m hvp_torch resume (drop_path 0.1)', () => {
  // Under torchrun every process draws the global batch's drop_path uniforms and keeps its rows (vit.py noise_rows), as it does iBOT's masks.
  const RESUME_CASES: Array<{ name: string; config: RunConfig }> = [
    { name: 'iBOT', config: base({ dataset: 'stored:test-cifar', method: 'ibot', ...vit, vitDropPath: 0.1, hvpMode: 'hard', warmupSteps: 2, emaMomentum: 0.9, learningRate: 0.01 }) },
    { name: 'DINO', config: base({ dataset: 'stored:test-cifar', method: 'dino', ...vit, vitDropPath: 0.1, hvpMode: 'hard', warmupSteps: 2, emaMomentum: 0.9, learningRate: 0.01 }) },
  ];
  for (const { name, config } of RESUME_CASES) it.runIf(python || process.env.CI)(`${name}: 2 steps equal ours (1e-4), and 2 gloo processes equal 1 (1e-5)`, async () => {
    expect(python, TORCH_MISSING).not.toBeNull();
    const folder = join(dir, `resume-${name}`);
    mkdirSync(folder, { recursive: true });
    const tar = join(folder, 'cifar-10-binary.tar.gz');
    writeFileSync(tar, cifar10TarGz({ numTrainPerBatch: 12, numTest: 20, seed: 3 }));
    const imported = await importFiles([{ path: 'cifar-10-binary.tar.gz', bytes: readFileSync(tar) }], { size: config.imageSize, decodeImage: nodeImageDecoder });
    const dataset = buildRunDataset(imported, config);
    const trainer = createTrainer(config, dataset);
    const before = await trainSteps(trainer, 1);
    const ck = join(folder, 'run-1.safetensors');
    writeFileSync(ck, checkpointBytes(config, dataset, await trainer.snapshot(), before));
    const ours = await trainSteps(trainer, 2);
    const oursAfter = await trainer.snapshot();
    trainer.dispose();

    const one = join(folder, 'one.safetensors');
    const r1 = runHvpTorch(python!, ['resume', ck, '--data', tar, '--steps', '3', '--out', one, '--device', 'cpu']);
    expect(r1.status, `hvp_torch resume failed:\n${r1.stdout}\n${r1.stderr}`).toBe(0);
    const a = decodeCheckpoint(new Uint8Array(readFileSync(one)), one);
    expect(a.record.progress).toEqual(oursAfter.progress);
    const hist = a.record.history.metrics;
    expect(hist.map((m) => m.step)).toEqual([1, 2, 3]);
    for (let i = 0; i < 2; i++) {
      expect(Math.abs(hist[i + 1]!.loss - ours[i]!.loss)).toBeLessThan(1e-4);
      expect(hist[i + 1]!.selectedIou).toBeCloseTo(ours[i]!.selectedIou, 6);
    }
    const model = maxTensorDiff(oursAfter.model, a.snapshot.model);
    expect(model.diff, `model ${model.worst}`).toBeLessThan(1e-4);
    const opt = maxTensorDiff(oursAfter.optimizer, a.snapshot.optimizer);
    expect(opt.diff, `optimizer ${opt.worst}`).toBeLessThan(1e-4);
    console.log(`${name} resume: model ${model.worst} ${model.diff}, optimizer ${opt.worst} ${opt.diff}`);

    const two = join(folder, 'two.safetensors');
    const r2 = runHvpTorch(python!, ['resume', ck, '--data', tar, '--steps', '3', '--out', two, '--device', 'cpu'], 2);
    expect(r2.status, `torchrun failed:\n${r2.stdout}\n${r2.stderr}`).toBe(0);
    const b = decodeCheckpoint(new Uint8Array(readFileSync(two)), two);
    expect(b.record.progress).toEqual(a.record.progress);
    for (let i = 1; i < 3; i++) expect(Math.abs(b.record.history.metrics[i]!.loss - hist[i]!.loss)).toBeLessThan(1e-5);
    const m2 = maxTensorDiff(a.snapshot.model, b.snapshot.model);
    expect(m2.diff, `model ${m2.worst}`).toBeLessThan(1e-5);
    const o2 = maxTensorDiff(a.snapshot.optimizer, b.snapshot.optimizer);
    expect(o2.diff, `optimizer ${o2.worst}`).toBeLessThan(1e-5);
    console.log(`${name} 2 processes vs 1: model ${m2.worst} ${m2.diff}, optimizer ${o2.worst} ${o2.diff}`);
  }, 300_000);
});
