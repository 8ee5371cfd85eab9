// The wasm engine against the tfjs CPU backend (the reference): 5 training steps of every method with
// HVP hard give the same losses within 1e-5 (relative for losses above 1, e.g. SimCLR's ≈ 6), and within wasm S steps + snapshot + a new trainer + S
// steps equal 2S steps exactly (losses and every weight).
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { builtinDatasetFor } from '../../../tests/helpers/builtinDatasetFor';
import { tinyConfig } from '../../../tests/helpers/tinyConfig';
import { expectSameValues, stepLosses } from '../../../tests/helpers/trainerSteps';
import type { RunConfig } from '../config/runConfig';
import { createTrainer } from '../train/trainer';
import { selectEngine } from './selectEngine';

afterAll(async () => {
  await tf.setBackend('cpu');
});

async function runOn(engine: 'cpu' | 'wasm', c: RunConfig, n: number): Promise<number[]> {
  await selectEngine(engine, { isStrict: true });
  const t = createTrainer(c, builtinDatasetFor(c));
  const out = await stepLosses(t, n);
  t.dispose();
  return out;
}

// Float32 sums in another order differ by ~1e-7 at the first step and training amplifies that every
// step (×3–×10 a step at the tiny configs' usual learning rates, where batch-8 BatchNorm is chaotic), so
// the parity runs use small learning rates: what is compared is the arithmetic, not chaos.
const vit = { backbone: 'vit', imageSize: 16, vitPatchSize: 4, vitDim: 16, vitDepth: 1, vitHeads: 2 } as const;
const multiCrop = { numLocalViews: 2, localSize: 8, dinoOutDim: 16, dinoHiddenDim: 16, dinoBottleneckDim: 8, comboCap: 8 } as const;
const CASES: [string, Partial<RunConfig>][] = [
  ['simsiam resnet10', { method: 'simsiam' }],
  ['simsiam resnet10 stride-2 stem sizes', { method: 'simsiam', imageSize: 12, backboneWidth: 3 }],
  ['simclr resnet10', { method: 'simclr' }],
  ['byol resnet10', { method: 'byol' }],
  ['simsiam vit', { method: 'simsiam', ...vit, learningRate: 0.0005 }],
  ['dino resnet10', { method: 'dino', ...multiCrop }],
  ['ibot vit', { method: 'ibot', ...vit, ...multiCrop, patchOutDim: 12, maskRatio: 0.3 }],
];

describe('wasm engine vs the cpu backend', () => {
  it.each(CASES)('%s: 5 steps of HVP hard give the same losses within 1e-5', async (_name, o) => {
    const c = tinyConfig({ hvpMode: 'hard', batchSize: 8, learningRate: 0.002, ...o });
    const cpu = await runOn('cpu', c, 5);
    const wasm = await runOn('wasm', c, 5);
    expect(tf.getBackend()).toBe('wasm');
    for (const [i, l] of wasm.entries()) {
      expect(Number.isFinite(l)).toBe(true);
      expect(Math.abs(l - cpu[i]!)).toBeLessThan(1e-5 * Math.max(1, Math.abs(cpu[i]!)));
    }
  }, 120_000);

  it('resumes exactly within wasm: 3 steps + snapshot + 3 steps = 6 steps, weights included', async () => {
    await selectEngine('wasm', { isStrict: true });
    const c = tinyConfig({ hvpMode: 'hard', numTrainImages: 8 }); // 2 batches an epoch: the resume crosses epochs
    const data = builtinDatasetFor(c);
    const straight = createTrainer(c, data);
    const all = await stepLosses(straight, 6);
    const end = await straight.snapshot();
    straight.dispose();
    const first = createTrainer(c, data);
    const head = await stepLosses(first, 3);
    const snap = await first.snapshot();
    first.dispose();
    const resumed = createTrainer(c, data, { resumeFrom: snap });
    const tail = await stepLosses(resumed, 3);
    const endResumed = await resumed.snapshot();
    resumed.dispose();
    expect([...head, ...tail]).toEqual(all);
    expect([...endResumed.model.keys()].sort()).toEqual([...end.model.keys()].sort());
    expectSameValues(endResumed.model, end.model);
  }, 120_000);
});
