// SimSiam + HVP with the ViT backbone on the tfjs CPU backend (16×16 views, patch 4, dim 16, depth
// 2, 2 heads): the loss goes down, no tensor leaks, drop_path is active (runs differ from drop_path 0) yet repeats
// exactly by seed, and resuming from a TrainerSnapshot continues the run bit for bit.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinDatasetFor } from '../../../tests/helpers/builtinDatasetFor';
import { tinyConfig } from '../../../tests/helpers/tinyConfig';
import { expectSameValues, trainSteps } from '../../../tests/helpers/trainerSteps';
import { selectEngine } from '../engine/selectEngine';
import type { RunConfig } from '../config/runConfig';
import { createTrainer, type Trainer } from './trainer';

// On the wasm engine, which runs these tiny models several times faster than the tfjs CPU backend; the
// cpu reference stays in trainer.test.ts / trainerMethods.test.ts, and src/core/engine/wasmParity.test.ts
// ties the two engines together for this method.
beforeAll(async () => {
  await selectEngine('wasm', { isStrict: true });
});

const vitConfig = (overrides: Partial<RunConfig> = {}): RunConfig =>
  tinyConfig({ backbone: 'vit', imageSize: 16, vitPatchSize: 4, vitDim: 16, vitDepth: 2, vitHeads: 2, vitDropPath: 0.1, ...overrides });

const steps = async (t: Trainer, n: number) => (await trainSteps(t, n)).map(({ loss, selectedIou }) => ({ loss, selectedIou }));

describe('trainer with the ViT backbone', () => {
  it('builds SimSiam on the ViT (CLS features → BN projector) and lowers the loss', async () => {
    const c = vitConfig({ learningRate: 0.1, hvpMode: 'hard', numTrainImages: 16, batchSize: 8 });
    const t = createTrainer(c, builtinDatasetFor(c));
    expect(t.model.featureDim).toBe(16);
    expect(t.model.params.get('backbone.blocks.1.attn.qkv.weight')!.shape).toEqual([16, 48]);
    expect(t.model.params.get('projector.0.weight')!.shape).toEqual([16, 16]);
    expect(t.model.buffers.has('projector.1.running_mean')).toBe(true);
    expect([...t.model.buffers.keys()].some((k) => k.startsWith('backbone.'))).toBe(false);
    for (const n of ['backbone.pos_embed', 'backbone.cls_token', 'backbone.blocks.0.norm1.weight', 'projector.1.weight', 'predictor.3.bias']) expect(t.model.isNoDecay(n), n).toBe(true);
    for (const n of ['backbone.blocks.0.attn.qkv.weight', 'backbone.patch_embed.proj.weight', 'projector.0.weight']) expect(t.model.isNoDecay(n), n).toBe(false);
    const m = await steps(t, 30);
    t.dispose();
    const first = m.slice(0, 5).reduce((s, x) => s + x.loss, 0) / 5;
    const last = m.slice(-5).reduce((s, x) => s + x.loss, 0) / 5;
    expect(last).toBeLessThan(first - 0.05);
    for (const x of m) expect(x.loss).toBeGreaterThanOrEqual(-1.0001);
  });

  it('keeps the number of live tensors constant between step 3 and step 12 (drop_path masks are freed)', async () => {
    const c = vitConfig({ hvpMode: 'hard', numViews: 3, vitDropPath: 0.3 });
    const t = createTrainer(c, builtinDatasetFor(c));
    let at3 = 0;
    for (let i = 1; i <= 12; i++) {
      const p = t.trainStep();
      if (i % 2 === 0) await t.readStepMetrics(p);
      else t.releaseStep(p);
      if (i === 3) at3 = tf.memory().numTensors;
    }
    expect(tf.memory().numTensors).toBe(at3);
    t.dispose();
  });

  it('repeats exactly by seed; drop_path changes the run', async () => {
    const c = vitConfig({ hvpMode: 'hard', vitDropPath: 0.4 });
    const data = builtinDatasetFor(c);
    const run = async (cfg: RunConfig) => {
      const t = createTrainer(cfg, data);
      const out = await steps(t, 3);
      t.dispose();
      return out;
    };
    const a = await run(c);
    expect(await run(c)).toEqual(a);
    expect((await run({ ...c, vitDropPath: 0 })).map((x) => x.loss)).not.toEqual(a.map((x) => x.loss));
  });

  it.each(['hard', 'off'] as const)('S + snapshot + S equals 2S steps with drop_path on (hvpMode %s)', async (hvpMode) => {
    const c = vitConfig({ hvpMode, numViews: 3, numTrainImages: 12, batchSize: 4, vitDropPath: 0.3 });
    const data = builtinDatasetFor(c);
    const straight = createTrainer(c, data);
    const all = await steps(straight, 6);
    const end = await straight.snapshot();
    straight.dispose();

    const first = createTrainer(c, data);
    const firstHalf = await steps(first, 3);
    const snap = await first.snapshot();
    first.dispose();
    const resumed = createTrainer(c, data, { resumeFrom: snap });
    const secondHalf = await steps(resumed, 3);
    const endResumed = await resumed.snapshot();
    resumed.dispose();

    expect([...firstHalf, ...secondHalf]).toEqual(all);
    expect(endResumed.progress).toEqual(end.progress);
    expectSameValues(endResumed.model, end.model);
    expectSameValues(endResumed.optimizer, end.optimizer);
  });

  it('refuses a ResNet snapshot for a ViT config, naming a tensor', async () => {
    const c = tinyConfig({ hvpMode: 'off' });
    const data = builtinDatasetFor(c);
    const t = createTrainer(c, data);
    await steps(t, 1);
    const snap = await t.snapshot();
    t.dispose();
    expect(() => createTrainer(vitConfig({ hvpMode: 'off', imageSize: c.imageSize, vitPatchSize: 4 }), data, { resumeFrom: snap })).toThrow(/backbone\./);
  });
});
