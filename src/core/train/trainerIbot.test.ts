// iBOT through the real trainer (tfjs CPU backend, tiny ViT: 16 px globals, 8 px locals, patch 4,
// dim 16, depth 1, 2 heads, batch 8): every HVP mode runs with finite losses, hard selection scores
// combinations, a run repeats by seed, resuming from a snapshot and from a checkpoint file continues
// exactly (masks and drop_path are seeded by the step), and the gallery probe has the multi-crop
// format with iBOT's masked-patch terms on the diagonal.
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinDatasetFor } from '../../../tests/helpers/builtinDatasetFor';
import { tinyConfig } from '../../../tests/helpers/tinyConfig';
import { expectSameValues, timeless, trainSteps } from '../../../tests/helpers/trainerSteps';
import { selectEngine } from '../engine/selectEngine';
import { decodeCheckpoint, encodeCheckpoint } from '../checkpoint/checkpointFile';
import type { RunConfig } from '../config/runConfig';
import { crossFieldIssues } from '../config/schema';
import { createRng } from '../random';
import { captureProbe } from '../eval/evaluate';
import type { StepMetrics } from './metrics';
import { createTrainer } from './trainer';

// On the wasm engine, which runs these tiny models several times faster than the tfjs CPU backend; the
// cpu reference stays in trainer.test.ts / trainerMethods.test.ts, and src/core/engine/wasmParity.test.ts
// ties the two engines together for this method.
beforeAll(async () => {
  await selectEngine('wasm', { isStrict: true });
});

const ibot = (o: Partial<RunConfig> = {}): RunConfig => tinyConfig({
  method: 'ibot', backbone: 'vit', imageSize: 16, vitPatchSize: 4, vitDim: 16, vitDepth: 1, vitHeads: 2, vitDropPath: 0.1,
  localSize: 8, numLocalViews: 2, numViews: 4, batchSize: 8, numTrainImages: 32, optimizer: 'auto',
  dinoOutDim: 16, dinoHiddenDim: 16, dinoBottleneckDim: 8, patchOutDim: 12, maskRatio: 0.3, learningRate: 0.005,
  weightDecay: 0.04, weightDecayEnd: 0.4, freezeLastLayerEpochs: 0, comboCap: 8, emaMomentum: 0.99, ...o,
});

describe('trainer with ibot', () => {
  it('is a valid config and runs every HVP mode with finite losses', async () => {
    expect(crossFieldIssues(ibot())).toEqual([]);
    for (const hvpMode of ['off', 'hard', 'easy', 'random'] as const) {
      const c = ibot({ hvpMode, totalSteps: 10 });
      const t = createTrainer(c, builtinDatasetFor(c));
      const m = await trainSteps(t, 2);
      t.dispose();
      for (const x of m) {
        expect(Number.isFinite(x.loss), hvpMode).toBe(true);
        expect(x.loss).toBeGreaterThan(0);
        expect(x.isSelectionStep).toBe(hvpMode === 'hard' || hvpMode === 'easy');
        if (x.isSelectionStep) expect(x.meanPairLoss).not.toBeNull();
      }
    }
  }, 120_000);

  // With a moving teacher, this tiny setting first collapses onto a few prototypes (loss near 0)
  // and centering then pushes it out (the loss climbs), for DINO as much as for iBOT (next test);
  // with the teacher held (EMA momentum 1) the run is distillation from fixed targets, so the loss
  // must fall if the HVP step, the masks and both heads' gradients are right.
  it('lowers the loss over a tiny hard-HVP run with the teacher held', async () => {
    const c = ibot({ hvpMode: 'hard', totalSteps: 20, emaMomentum: 1, centerMomentum: 0.999 });
    const t = createTrainer(c, builtinDatasetFor(c));
    const m = await trainSteps(t, 20);
    t.dispose();
    const mean = (xs: StepMetrics[]) => xs.reduce((s, x) => s + x.loss, 0) / xs.length;
    expect(mean(m.slice(-5))).toBeLessThan(0.7 * mean(m.slice(0, 5)));
    expect(m.every((x) => x.isSelectionStep && x.meanPairLoss !== null)).toBe(true);
  }, 120_000);

  it('equals DINO on the same ViT when nothing is masked and the patch loss is off (λ2 = 0)', async () => {
    // Same names → same seeded init; same drop_path streams; iBOT's score is DINO's sum / (2·(2 + l) − 2),
    // so the same combinations win and the losses agree.
    // numLocalViews 0: DINO samples (N/2)·l locals on selection steps and iBOT l (global pairs only),
    // so only without locals do both draw the same views.
    const o = { hvpMode: 'hard', totalSteps: 10, numLocalViews: 0, maskRatio: 0, patchLossWeight: 0 } as const;
    const runOf = async (c: RunConfig) => {
      const t = createTrainer(c, builtinDatasetFor(c));
      const m = await trainSteps(t, 3);
      t.dispose();
      return m.map((x) => x.loss);
    };
    const ours = await runOf(ibot(o));
    const dino = await runOf(ibot({ ...o, method: 'dino' }));
    ours.forEach((l, i) => expect(l).toBeCloseTo(dino[i]!, 4));
    expect(new Set(ours).size).toBe(3);
  }, 120_000);

  it('repeats by seed and resumes exactly from a snapshot and from a checkpoint file', async () => {
    const c = ibot({ hvpMode: 'hard', totalSteps: 10 });
    const data = builtinDatasetFor(c);
    const straight = createTrainer(c, data);
    const all = await trainSteps(straight, 4);
    const end = await straight.snapshot();
    straight.dispose();

    const again = createTrainer(c, data);
    expect(timeless(await trainSteps(again, 4))).toEqual(timeless(all));
    again.dispose();

    const first = createTrainer(c, data);
    const firstHalf = await trainSteps(first, 2);
    const snap = await first.snapshot();
    first.dispose();
    expect(snap.model.has('backbone.masked_embed')).toBe(true);
    expect(snap.model.has('center2')).toBe(true);

    const rng = createRng(1).getState();
    const bytes = encodeCheckpoint(
      { appVersion: 'test', createdAt: '', config: c, probeRng: rng, dataset: { name: 'builtin', numTrain: 32, numTest: 16, height: 32, width: 32, hash: '0' }, history: { metrics: [], knn: [] }, backend: 'cpu' },
      snap,
    );
    const loaded = decodeCheckpoint(bytes);
    for (const resumeFrom of [snap, loaded.snapshot]) {
      const resumed = createTrainer(c, data, { resumeFrom });
      expect(resumed.step).toBe(2);
      const secondHalf = await trainSteps(resumed, 2);
      const endResumed = await resumed.snapshot();
      resumed.dispose();
      expect(timeless([...firstHalf, ...secondHalf])).toEqual(timeless(all));
      expectSameValues(endResumed.model, end.model);
    }
  }, 120_000);

  it('captures a multi-crop probe whose diagonal holds the masked-patch terms', async () => {
    const c = ibot({ hvpMode: 'hard', totalSteps: 10, numProbeImages: 2 });
    const t = createTrainer(c, builtinDatasetFor(c));
    await trainSteps(t, 1);
    const probe = await captureProbe(t, createRng(3));
    t.dispose();
    const mc = probe.images[0]!.multiCrop!;
    expect(mc).toBeDefined();
    const G = mc.numGlobals;
    expect(G).toBe(4);
    // Diagonal (teacher global q vs itself) = iBOT's patch term: positive, unlike DINO's 0.
    const V = G + mc.numLocals;
    expect(mc.terms).toHaveLength(G * V);
    for (let q = 0; q < G; q++) expect(mc.terms[q * V + q]).toBeGreaterThan(0);
    expect(mc.combos.length).toBeGreaterThan(0);
    expect(mc.combos.every((cb) => Number.isFinite(cb.loss))).toBe(true);
  }, 120_000);
});
