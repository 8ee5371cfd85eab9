// "Explain the next step" for DINO and iBOT (tfjs CPU backend, tiny configs): an explained multi-crop
// step IS the next training step — a run with one explained step has the same losses, generator
// states and weights as one without — and it reports the four stages consistently (global and local
// views, combination scores and terms, the chosen combination, its eval-mode score around the update).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinDatasetFor } from '../../../tests/helpers/builtinDatasetFor';
import { tinyConfig } from '../../../tests/helpers/tinyConfig';
import { expectSameValues, stepLosses } from '../../../tests/helpers/trainerSteps';
import { selectEngine } from '../engine/selectEngine';
import type { RunConfig } from '../config/runConfig';
import { readExplanation } from './explainStep';
import { createTrainer } from '../train/trainer';

beforeAll(async () => {
  await selectEngine('wasm', { isStrict: true }); // several times faster than cpu; wasmParity.test.ts ties the engines
});

const dino = (o: Partial<RunConfig> = {}): RunConfig => tinyConfig({
  method: 'dino', backbone: 'resnet10', backboneWidth: 4, imageSize: 16, localSize: 8, numLocalViews: 2, numViews: 4, batchSize: 4, numTrainImages: 16,
  dinoOutDim: 32, dinoHiddenDim: 16, dinoBottleneckDim: 8, learningRate: 0.003, weightDecay: 0.04, weightDecayEnd: 0.4, freezeLastLayerEpochs: 0,
  comboCap: 8, emaMomentum: 0.9, teacherTemp: 0.02, teacherTempWarmup: 0.02, totalSteps: 20, ...o,
});
const ibot = (o: Partial<RunConfig> = {}): RunConfig => tinyConfig({
  method: 'ibot', backbone: 'vit', imageSize: 16, vitPatchSize: 4, vitDim: 16, vitDepth: 1, vitHeads: 2, vitDropPath: 0.1,
  localSize: 8, numLocalViews: 2, numViews: 4, batchSize: 4, numTrainImages: 16, optimizer: 'auto',
  dinoOutDim: 16, dinoHiddenDim: 16, dinoBottleneckDim: 8, patchOutDim: 12, maskRatio: 0.3, learningRate: 0.005,
  weightDecay: 0.04, weightDecayEnd: 0.4, freezeLastLayerEpochs: 0, comboCap: 8, emaMomentum: 0.99, ...o,
});

describe('explained multi-crop step', () => {
  it.each([
    ['dino hard', dino({ hvpMode: 'hard' })],
    ['dino random', dino({ hvpMode: 'random' })],
    ['dino off', dino({ hvpMode: 'off' })],
    ['dino hard, hvpEvery 2 (no selection on the explained step)', dino({ hvpMode: 'hard', hvpEvery: 2 })],
    ['ibot hard', ibot({ hvpMode: 'hard' })],
  ] as const)('equals a normal step: same losses after it, same weights and streams (%s)', async (_name, c) => {
    const data = builtinDatasetFor(c);
    const plain = createTrainer(c, data);
    const plainLosses = await stepLosses(plain, 4);
    const plainEnd = await plain.snapshot();
    plain.dispose();

    const explained = createTrainer(c, data);
    const before = await stepLosses(explained, 1);
    const numTensors = tf.memory().numTensors;
    const ex = explained.trainStepExplained(2);
    expect(explained.step).toBe(2);
    const explanation = await readExplanation(explained, ex);
    const m = await explained.readStepMetrics(ex.pending);
    expect(tf.memory().numTensors).toBe(numTensors); // nothing of the explanation is left on the device
    const after = await stepLosses(explained, 2);
    const end = await explained.snapshot();
    explained.dispose();

    expect([...before, m.loss, ...after]).toEqual(plainLosses);
    expect(explanation.trainingLoss).toBe(m.loss);
    expect(end.progress).toEqual(plainEnd.progress);
    expectSameValues(end.model, plainEnd.model);
    expectSameValues(end.optimizer, plainEnd.optimizer);
  });

  it('reports the four stages of a DINO hard-selection step consistently', async () => {
    const c = dino({ hvpMode: 'hard' });
    const t = createTrainer(c, builtinDatasetFor(c));
    const ex = t.trainStepExplained(3);
    const e = await readExplanation(t, ex);
    t.releaseStep(ex.pending);
    t.dispose();
    expect(e.step).toBe(0);
    expect(e.isSelectionStep).toBe(true);
    expect(e.selectionRule).toMatch(/hardest combination/);
    expect(e.numViews).toBe(4);
    expect(e.images).toHaveLength(3);
    for (const img of e.images) {
      const mc = img.multiCrop!;
      expect(mc.numGlobals).toBe(4);
      expect(mc.numLocals).toBe(4); // (G/2)·l
      expect(img.views).toHaveLength(4 * 16 * 16 * 3);
      expect(mc.localViews).toHaveLength(4 * 8 * 8 * 3);
      expect(mc.localParams).toHaveLength(4);
      expect(mc.terms).toHaveLength(4 * 8);
      expect(mc.terms.every(Number.isFinite)).toBe(true);
      expect(mc.combos).toHaveLength(8); // comboCap
      // Hard: the chosen combination has the highest selection score (ties to the earlier one).
      const scores = mc.combos.map((x) => x.loss);
      expect(mc.selectedCombo).toBe(scores.indexOf(Math.max(...scores)));
      const chosen = mc.combos[mc.selectedCombo]!;
      expect(img.selectedPair).toEqual([...chosen.globals].sort((a, b) => a - b));
      expect(chosen.globals[0] % 2).toBe(0);
      expect(chosen.globals[1] % 2).toBe(1);
      expect(img.pairLosses).toHaveLength(6);
      expect(Number.isFinite(img.lossBefore) && Number.isFinite(img.lossAfter)).toBe(true);
      expect(img.lossAfter).not.toBe(img.lossBefore); // the update changed the model
    }
    expect(Number.isFinite(e.meanLossBefore) && Number.isFinite(e.meanLossAfter)).toBe(true);
  });

  it('on a step without selection shows the fixed combination, scored in eval mode before the update', async () => {
    const c = ibot({ hvpMode: 'hard', hvpEvery: 2 });
    const t = createTrainer(c, builtinDatasetFor(c));
    await stepLosses(t, 1);
    const ex = t.trainStepExplained(2);
    const e = await readExplanation(t, ex);
    t.releaseStep(ex.pending);
    t.dispose();
    expect(e.isSelectionStep).toBe(false);
    expect(e.selectionRule).toMatch(/selection runs every 2 steps/);
    expect(e.numViews).toBe(2);
    for (const img of e.images) {
      const mc = img.multiCrop!;
      expect([mc.numGlobals, mc.numLocals]).toEqual([2, 2]);
      expect(mc.terms).toHaveLength(2 * 4);
      expect(mc.terms.every(Number.isFinite)).toBe(true);
      expect(mc.combos).toEqual([{ globals: [0, 1], locals: [0, 1], loss: img.lossBefore }]);
      expect(mc.selectedCombo).toBe(0);
      expect(img.lossAfter).not.toBe(img.lossBefore);
    }
  });
});
