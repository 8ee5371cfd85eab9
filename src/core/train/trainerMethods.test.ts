// SimCLR and BYOL through the real trainer (tfjs CPU backend, tiny config, default optimizer 'auto'
// = LARS): the loss falls, every HVP mode runs, runs repeat by seed, no tensor leaks, and resuming
// from a TrainerSnapshot, and from the .safetensors checkpoint file, continues exactly (BYOL: target
// weights included).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinDatasetFor } from '../../../tests/helpers/builtinDatasetFor';
import { tinyConfig } from '../../../tests/helpers/tinyConfig';
import { expectSameValues, mean, timeless, trainSteps } from '../../../tests/helpers/trainerSteps';
import { decodeCheckpoint, encodeCheckpoint } from '../checkpoint/checkpointFile';
import type { RunConfig } from '../config/runConfig';
import { fingerprintDataset } from '../data/fingerprint';
import { createRng } from '../random';
import { APP_VERSION } from '../version';
import { emptyHistory } from '../run/runHistory';
import { createTrainer } from './trainer';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Loss bounds of each method's training loss. */
const LOSS_RANGE: Record<'simclr' | 'byol', [number, number]> = { simclr: [0, Infinity], byol: [0, 4] };

describe.each(['simclr', 'byol'] as const)('trainer with %s', (method) => {
  it('lowers the loss over a tiny hard-HVP run', async () => {
    const c = tinyConfig({ method, hvpMode: 'hard', numTrainImages: 16, batchSize: 8, backboneWidth: 4, learningRate: 1, totalSteps: 30 });
    const t = createTrainer(c, builtinDatasetFor(c));
    const m = await trainSteps(t, 30);
    t.dispose();
    const first = mean(m.slice(0, 5).map((x) => x.loss));
    const last = mean(m.slice(-5).map((x) => x.loss));
    expect(last).toBeLessThan(first - 0.05);
    for (const x of m) {
      expect(x.loss).toBeGreaterThanOrEqual(LOSS_RANGE[method][0]);
      expect(x.loss).toBeLessThanOrEqual(LOSS_RANGE[method][1]);
      expect(x.isSelectionStep).toBe(true);
      expect(x.meanPairLoss).not.toBeNull();
    }
  });

  it('runs every HVP mode and hvpEvery; off and random make no selection forward', async () => {
    const run = async (c: RunConfig, n: number) => {
      const t = createTrainer(c, builtinDatasetFor(c));
      const out = await trainSteps(t, n);
      t.dispose();
      return out;
    };
    const off = await run(tinyConfig({ method, hvpMode: 'off' }), 2);
    expect(off.every((x) => !x.isSelectionStep && x.meanPairLoss === null && Number.isFinite(x.loss))).toBe(true);
    const rnd = await run(tinyConfig({ method, hvpMode: 'random' }), 2);
    expect(rnd.every((x) => !x.isSelectionStep && Number.isFinite(x.loss))).toBe(true);
    const easy = await run(tinyConfig({ method, hvpMode: 'easy' }), 2);
    expect(easy.every((x) => x.isSelectionStep && Number.isFinite(x.loss))).toBe(true);
    const every2 = await run(tinyConfig({ method, hvpMode: 'hard', hvpEvery: 2 }), 4);
    expect(every2.map((x) => x.isSelectionStep)).toEqual([true, false, true, false]);
  });

  it('hard selects each image\'s highest-loss pair of the selection forward', async () => {
    const c = tinyConfig({ method, numViews: 4, batchSize: 8, numTrainImages: 32, hvpMode: 'hard' });
    const t = createTrainer(c, builtinDatasetFor(c));
    for (let s = 0; s < 2; s++) {
      const p = t.trainStep();
      const losses = await p.tensors.scores!.array(); // [M, P]
      const sel = Array.from(await p.tensors.selected!.data());
      losses.forEach((row, m) => expect(sel[m]).toBe(row.indexOf(Math.max(...row))));
      t.releaseStep(p);
    }
    t.dispose();
  });

  it('same seed gives the same run, another seed another; live tensors stay constant', async () => {
    const c = tinyConfig({ method, hvpMode: 'hard', numViews: 3 });
    const a = createTrainer(c, builtinDatasetFor(c));
    const ma = await trainSteps(a, 3);
    const atStep3 = tf.memory().numTensors;
    await trainSteps(a, 3);
    expect(tf.memory().numTensors).toBe(atStep3);
    a.dispose();
    const b = createTrainer(c, builtinDatasetFor(c));
    const mb = await trainSteps(b, 3);
    b.dispose();
    const d = createTrainer({ ...c, seed: 2 }, builtinDatasetFor(c));
    const md = await trainSteps(d, 3);
    d.dispose();
    expect(timeless(mb)).toEqual(timeless(ma));
    expect(md.map((x) => x.loss)).not.toEqual(ma.map((x) => x.loss));
  });

  it.each(['hard', 'random', 'off'] as const)('S + snapshot + S equals 2S steps (hvpMode %s)', async (hvpMode) => {
    const c = tinyConfig({ method, hvpMode, numViews: 3, numTrainImages: 12, batchSize: 4, totalSteps: 8 });
    const data = builtinDatasetFor(c);
    const straight = createTrainer(c, data);
    const all = await trainSteps(straight, 6);
    const end = await straight.snapshot();
    straight.dispose();

    const first = createTrainer(c, data);
    const firstHalf = await trainSteps(first, 3);
    const snap = await first.snapshot();
    first.dispose();
    if (method === 'byol') expect([...snap.model.keys()].some((k) => k.startsWith('target.backbone.'))).toBe(true);

    const resumed = createTrainer(c, data, { resumeFrom: snap });
    const secondHalf = await trainSteps(resumed, 3);
    const endResumed = await resumed.snapshot();
    resumed.dispose();

    expect(timeless([...firstHalf, ...secondHalf])).toEqual(timeless(all));
    expect(endResumed.progress).toEqual(end.progress);
    expect([...endResumed.model.keys()].sort()).toEqual([...end.model.keys()].sort());
    expectSameValues(endResumed.model, end.model);
    expectSameValues(endResumed.optimizer, end.optimizer);
  });
});

describe.each(['simclr', 'byol'] as const)('%s checkpoint file', (method) => {
  it('S steps + export + import + S steps equals 2S steps exactly', async () => {
    const c = tinyConfig({ method, hvpMode: 'hard', numViews: 3, numTrainImages: 16, batchSize: 4, totalSteps: 8, temperature: 0.3, emaMomentum: 0.95 });
    const data = builtinDatasetFor(c);
    const straight = createTrainer(c, data);
    const all = await trainSteps(straight, 4);
    const end = await straight.snapshot();
    straight.dispose();

    const first = createTrainer(c, data);
    const head = await trainSteps(first, 2);
    const bytes = encodeCheckpoint({ appVersion: APP_VERSION, createdAt: new Date(0).toISOString(), config: c, probeRng: createRng(5).getState(), dataset: fingerprintDataset(data), history: emptyHistory(), backend: 'cpu' }, await first.snapshot());
    first.dispose();
    const { record, snapshot, notes } = decodeCheckpoint(bytes, `${method}.safetensors`);
    expect(notes).toEqual([]);
    expect(record.config).toEqual(c);
    const resumed = createTrainer(record.config, data, { resumeFrom: snapshot });
    const tail = await trainSteps(resumed, 2);
    const endResumed = await resumed.snapshot();
    resumed.dispose();
    expect(timeless([...head, ...tail])).toEqual(timeless(all));
    expectSameValues(endResumed.model, end.model);
  });
});

describe('method checkpoints', () => {
  it('a snapshot of one method does not resume as another (names are checked)', async () => {
    const c = tinyConfig({ method: 'byol', hvpMode: 'off' });
    const data = builtinDatasetFor(c);
    const t = createTrainer(c, data);
    await trainSteps(t, 1);
    const snap = await t.snapshot();
    t.dispose();
    expect(() => createTrainer({ ...c, method: 'simclr' }, data, { resumeFrom: snap })).toThrow(/projector\.4|target\.|predictor/);
  });
});
