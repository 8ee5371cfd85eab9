// DINO as a HvpMethod: eval-mode probe scores are the sums of their terms, the selection picks
// the arg max (hard) / arg min (easy) of its scores and leaves the center alone, and the step's
// optimisation follows the weight-decay schedule and the last-layer freeze.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { tinyConfig } from '../../../tests/helpers/tinyConfig';
import { createDinoModel } from '../models/dinoModel';
import { allCombinations } from '../hvp/combinations';
import { createDinoMethod } from './dinoMethod';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const config = tinyConfig({ method: 'dino', backboneWidth: 2, imageSize: 8, localSize: 4, numLocalViews: 2, numViews: 4, dinoOutDim: 16, dinoHiddenDim: 8, dinoBottleneckDim: 4, numTrainImages: 32, batchSize: 8, freezeLastLayerEpochs: 1, weightDecay: 0.04, weightDecayEnd: 0.4, totalSteps: 20 });
const G = 4, L = 4, l = 2, M = 3;
const views = () => ({
  globals: tf.randomUniform([G * M, 8, 8, 3], -1, 1, 'float32', 1) as tf.Tensor4D,
  locals: tf.randomUniform([L * M, 4, 4, 3], -1, 1, 'float32', 2) as tf.Tensor4D,
});
const combos = allCombinations(G, L, l); // 4 · 6 = 24

describe('DINO method', () => {
  it('probe scores are the sums of each combination\'s terms', async () => {
    const m = createDinoMethod(config, 1);
    const { globals, locals } = views();
    const c = tf.tensor2d(combos.table, [combos.numCombos, 2 + l], 'int32');
    const { terms, scores: comboLosses } = m.probeCandidates(globals, locals, { numGlobals: G, numLocals: L }, c);
    expect(terms!.shape).toEqual([M, G, G + L]);
    const t = (await terms!.array()) as number[][][];
    const s = (await comboLosses.array()) as number[][];
    for (let i = 0; i < M; i++) {
      for (let ci = 0; ci < combos.numCombos; ci++) {
        const row = Array.from(combos.table.subarray(ci * 4, ci * 4 + 4));
        const students = [row[0]!, row[1]!, G + row[2]!, G + row[3]!];
        let sum = 0;
        for (const q of [row[0]!, row[1]!]) for (const v of students) if (v !== q) sum += t[i]![q]![v]!;
        expect(s[i]![ci]!).toBeCloseTo(sum, 4);
      }
    }
    tf.dispose([globals, locals, c, terms!, comboLosses]);
    m.dispose();
  });

  it.each(['hard', 'easy'] as const)('selection (%s) picks the extreme score per image and does not move the center', async (mode) => {
    const m = createDinoMethod(config, 2);
    const { globals, locals } = views();
    const c = tf.tensor2d(combos.table, [combos.numCombos, 2 + l], 'int32');
    m.beginStep(0);
    const rmBefore = Array.from(await m.buffers.get('backbone.bn1.running_mean')!.data());
    const { scores: comboLosses, selected } = m.scoreCandidates(globals, locals, { numGlobals: G, numLocals: L }, c, mode);
    const s = (await comboLosses.array()) as number[][];
    const sel = Array.from(await selected.data());
    s.forEach((row, i) => expect(sel[i]).toBe(row.indexOf(mode === 'hard' ? Math.max(...row) : Math.min(...row))));
    expect(Array.from(await m.buffers.get('center')!.data())).toEqual(new Array(16).fill(0));
    // BN in training mode: the selection forward updates the running stats (as the authors).
    expect(Array.from(await m.buffers.get('backbone.bn1.running_mean')!.data())).not.toEqual(rmBefore);
    tf.dispose([globals, locals, c, comboLosses, selected]);
    m.dispose();
  });

  it('after a training step the center moves toward the training forward\'s teacher outputs (m = centerMomentum)', async () => {
    const c = { ...config, centerMomentum: 0.7 };
    const m = createDinoMethod(c, 5);
    const twin = createDinoModel(c, 5); // same seed: the same initial teacher
    const { globals, locals } = views();
    const g2 = tf.slice(globals, [0, 0, 0, 0], [2 * M, 8, 8, 3]) as tf.Tensor4D; // 2 chosen globals per image
    const l2 = tf.slice(locals, [0, 0, 0, 0], [l * M, 4, 4, 3]) as tf.Tensor4D;
    const chosen = tf.tensor2d([0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1], [M, 2 + l], 'int32');
    const t = twin.teacher(g2, true); // BN batch statistics, as the training forward
    const expected = Array.from(await tf.mul(tf.mean(t.out, 0), 0.3).data());
    m.beginStep(0);
    const { value, grads } = tf.variableGrads(() => m.trainingLoss(g2, l2, chosen, { stepIdx: 0, totalSteps: 20 }), [...m.params.values()]);
    m.afterStep({ stepIdx: 0, totalSteps: 20 });
    const center = Array.from(await m.buffers.get('center')!.data());
    center.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
    tf.dispose([globals, locals, g2, l2, chosen, t.out, value, ...Object.values(grads), ...t.bnStats.flatMap((s) => [s.mean, s.variance])]);
    twin.dispose();
    m.dispose();
  });

  it('steps follow the weight-decay schedule and freeze the last layer for the first epoch', () => {
    const m = createDinoMethod(config, 3);
    const first = m.stepOptimization({ stepIdx: 0, totalSteps: 20 });
    expect(first.weightDecay).toBeCloseTo(0.04, 12);
    expect([...first.frozen]).toEqual(['head.last_layer.weight_v']);
    expect([...m.stepOptimization({ stepIdx: 3, totalSteps: 20 }).frozen]).toEqual(['head.last_layer.weight_v']); // 32 / 8 = 4 steps per epoch
    const fifth = m.stepOptimization({ stepIdx: 4, totalSteps: 20 });
    expect(fifth.frozen.size).toBe(0);
    expect(m.stepOptimization({ stepIdx: 20, totalSteps: 20 }).weightDecay).toBeCloseTo(0.4, 12);
    m.dispose();
  });
});
