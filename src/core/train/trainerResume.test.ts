// Resuming from a TrainerSnapshot continues a run exactly (tfjs CPU backend): 2S steps in one go
// give the same losses, selections and weights as S steps, snapshot, a new trainer, S steps —
// across an epoch boundary, for every HVP mode. A snapshot of another config is refused.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinDatasetFor } from '../../../tests/helpers/builtinDatasetFor';
import { tinyConfig } from '../../../tests/helpers/tinyConfig';
import { expectSameValues, trainSteps } from '../../../tests/helpers/trainerSteps';
import { createTrainer, type Trainer } from './trainer';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const steps = async (t: Trainer, n: number) => (await trainSteps(t, n)).map(({ loss, selectedIou }) => ({ loss, selectedIou }));

describe('trainer resume', () => {
  it.each(['hard', 'random', 'off'] as const)('S + snapshot + S equals 2S steps (hvpMode %s, crossing an epoch)', async (hvpMode) => {
    // 12 images, batch 4: 3 batches per epoch, so 4 + 4 steps cross two epoch boundaries.
    const c = tinyConfig({ hvpMode, numViews: 3, numTrainImages: 12, batchSize: 4, momentum: 0.9 });
    const data = builtinDatasetFor(c);
    const straight = createTrainer(c, data);
    const all = await steps(straight, 8);
    const end = await straight.snapshot();
    straight.dispose();

    const first = createTrainer(c, data);
    const firstHalf = await steps(first, 4);
    const snap = await first.snapshot();
    first.dispose();
    expect(snap.progress.step).toBe(4);
    expect(snap.optimizer.size).toBeGreaterThan(0);

    const resumed = createTrainer(c, data, { resumeFrom: snap });
    expect(resumed.step).toBe(4);
    const secondHalf = await steps(resumed, 4);
    const endResumed = await resumed.snapshot();
    resumed.dispose();

    expect([...firstHalf, ...secondHalf]).toEqual(all);
    expect(endResumed.progress).toEqual(end.progress);
    expectSameValues(endResumed.model, end.model);
    expectSameValues(endResumed.optimizer, end.optimizer);
  });

  it('refuses a snapshot of another backbone width, naming the tensors, and leaks nothing', async () => {
    const c = tinyConfig({ hvpMode: 'hard' });
    const data = builtinDatasetFor(c);
    const t = createTrainer(c, data);
    await steps(t, 1);
    const snap = await t.snapshot();
    t.dispose();
    const before = tf.memory().numTensors;
    expect(() => createTrainer({ ...c, backboneWidth: 4 }, data, { resumeFrom: snap })).toThrow(/backbone\.conv1\.weight is \[3, 3, 3, 2\], expected \[3, 3, 3, 4\]/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
