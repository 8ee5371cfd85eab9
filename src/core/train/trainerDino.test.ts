// DINO through the real trainer (tfjs CPU backend, tiny configs: resnet10 width 4, 16 px globals,
// 8 px locals, batch 8): the loss falls, every HVP mode runs, hard picks the highest-scoring
// combination, the last layer is frozen for the first epoch, runs repeat by seed without leaks,
// resuming from a snapshot and from a checkpoint file continues exactly, the gallery probe has the
// multi-crop format, kNN embeds, and odd numViews with HVP is refused with a reason (explained steps:
// multiCropExplain.test.ts).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinDatasetFor } from '../../../tests/helpers/builtinDatasetFor';
import { tinyConfig } from '../../../tests/helpers/tinyConfig';
import { expectSameValues, mean, timeless, trainSteps } from '../../../tests/helpers/trainerSteps';
import { selectEngine } from '../engine/selectEngine';
import { decodeCheckpoint, encodeCheckpoint } from '../checkpoint/checkpointFile';
import type { RunConfig } from '../config/runConfig';
import { fingerprintDataset } from '../data/fingerprint';
import { createRng } from '../random';
import { APP_VERSION } from '../version';
import { captureProbe, evaluateKnn } from '../eval/evaluate';
import { readExplanation } from '../explain/explainStep';
import { emptyHistory } from '../run/runHistory';
import { createTrainer, type Trainer } from './trainer';

// On the wasm engine, which runs these tiny models several times faster than the tfjs CPU backend; the
// cpu reference stays in trainer.test.ts / trainerMethods.test.ts, and src/core/engine/wasmParity.test.ts
// ties the two engines together for this method.
beforeAll(async () => {
  await selectEngine('wasm', { isStrict: true });
});

const dino = (o: Partial<RunConfig> = {}): RunConfig => tinyConfig({
  method: 'dino', backbone: 'resnet10', backboneWidth: 4, imageSize: 16, localSize: 8, numLocalViews: 2, numViews: 4, batchSize: 8, numTrainImages: 32,
  dinoOutDim: 32, dinoHiddenDim: 16, dinoBottleneckDim: 8, learningRate: 0.003, weightDecay: 0.04, weightDecayEnd: 0.4, freezeLastLayerEpochs: 0,
  comboCap: 8, emaMomentum: 0.9, teacherTemp: 0.02, teacherTempWarmup: 0.02, totalSteps: 20, ...o,
});

const values = async (t: Trainer, name: string) => Array.from(await t.model.params.get(name)!.data());

describe('trainer with dino', () => {
  it('lowers the loss over a tiny hard-HVP run', async () => {
    const c = dino({ hvpMode: 'hard' });
    const t = createTrainer(c, builtinDatasetFor(c));
    const m = await trainSteps(t, 10);
    t.dispose();
    expect(mean(m.slice(-3).map((x) => x.loss))).toBeLessThan(0.5 * mean(m.slice(0, 3).map((x) => x.loss)));
    for (const x of m) {
      expect(x.isSelectionStep).toBe(true);
      expect(x.meanPairLoss).not.toBeNull();
      expect(x.selectedIou).toBeGreaterThanOrEqual(0);
      expect(x.meanIou).toBeGreaterThan(0);
      expect(x.pairStats!.cropScale.selected.reduce((a, b) => a + b, 0)).toBe(2 * 8); // the chosen global pair of 8 images
      expect(x.pairStats!.cropScale.all.reduce((a, b) => a + b, 0)).toBe(2 * 6 * 8); // all C(4, 2) global pairs
    }
  });

  it('trains a ViT on 16 px globals and 8 px locals (pos_embed resized for the locals)', async () => {
    const c = dino({ hvpMode: 'hard', backbone: 'vit', vitPatchSize: 4, vitDim: 16, vitDepth: 1, vitHeads: 2, vitDropPath: 0.1, totalSteps: 4 });
    const t = createTrainer(c, builtinDatasetFor(c));
    const m = await trainSteps(t, 3);
    const local = tf.zeros([2, 8, 8, 3]) as tf.Tensor4D;
    const global = tf.zeros([2, 16, 16, 3]) as tf.Tensor4D;
    // The backbone takes both sizes; the features have the same width.
    expect(tf.tidy(() => t.model.embed(local).shape)).toEqual(tf.tidy(() => t.model.embed(global).shape));
    tf.dispose([local, global]);
    t.dispose();
    for (const x of m) expect(Number.isFinite(x.loss) && x.loss > 0).toBe(true);
    expect(m[2]!.loss).not.toBe(m[0]!.loss);
  });

  it('runs every HVP mode and hvpEvery; off and random make no selection forward', async () => {
    const run = async (o: Partial<RunConfig>, n: number) => {
      const c = dino(o);
      const t = createTrainer(c, builtinDatasetFor(c));
      const out = await trainSteps(t, n);
      t.dispose();
      return out;
    };
    const off = await run({ hvpMode: 'off' }, 2);
    expect(off.every((x) => !x.isSelectionStep && x.meanPairLoss === null && Number.isFinite(x.loss) && x.lowestIouHitRate === 1)).toBe(true);
    const rnd = await run({ hvpMode: 'random', numLocalViews: 1 }, 2);
    expect(rnd.every((x) => !x.isSelectionStep && x.meanPairLoss === null && Number.isFinite(x.loss))).toBe(true);
    const easy = await run({ hvpMode: 'easy', numLocalViews: 0 }, 2);
    expect(easy.every((x) => x.isSelectionStep && Number.isFinite(x.loss))).toBe(true);
    const every2 = await run({ hvpMode: 'hard', hvpEvery: 2, numViews: 2 }, 3);
    expect(every2.map((x) => x.isSelectionStep)).toEqual([true, false, true]);
  });

  it('hard picks each image\'s highest-scoring combination, at most comboCap of them', async () => {
    const c = dino({ hvpMode: 'hard', comboCap: 5 });
    const t = createTrainer(c, builtinDatasetFor(c));
    const p = t.trainStep();
    const losses = (await p.tensors.scores!.array()) as number[][];
    expect(losses[0]).toHaveLength(5);
    const sel = Array.from(await p.tensors.selected!.data());
    losses.forEach((row, m) => expect(sel[m]).toBe(row.indexOf(Math.max(...row))));
    expect(p.candidates.table).toHaveLength(5 * 4);
    t.releaseStep(p);
    t.dispose();
  });

  it('keeps the last layer unchanged during the frozen first epoch, and trains it after', async () => {
    const c = dino({ hvpMode: 'hard', numTrainImages: 16, freezeLastLayerEpochs: 1 }); // 16 / 8 = 2 frozen steps
    const t = createTrainer(c, builtinDatasetFor(c));
    const v0 = await values(t, 'head.last_layer.weight_v');
    const w0 = await values(t, 'head.mlp.0.weight');
    await trainSteps(t, 2);
    expect(await values(t, 'head.last_layer.weight_v')).toEqual(v0);
    expect(await values(t, 'head.mlp.0.weight')).not.toEqual(w0);
    await trainSteps(t, 1);
    expect(await values(t, 'head.last_layer.weight_v')).not.toEqual(v0);
    t.dispose();
  });

  it('same seed gives the same run, another seed another; live tensors stay constant', async () => {
    const c = dino({ hvpMode: 'hard' });
    const a = createTrainer(c, builtinDatasetFor(c));
    const ma = await trainSteps(a, 2);
    const atStep2 = tf.memory().numTensors;
    await trainSteps(a, 2);
    expect(tf.memory().numTensors).toBe(atStep2);
    a.dispose();
    const b = createTrainer(c, builtinDatasetFor(c));
    const mb = await trainSteps(b, 2);
    b.dispose();
    const d = createTrainer({ ...c, seed: 2 }, builtinDatasetFor(c));
    const md = await trainSteps(d, 2);
    d.dispose();
    expect(timeless(mb)).toEqual(timeless(ma));
    expect(md.map((x) => x.loss)).not.toEqual(ma.map((x) => x.loss));
  });

  it.each(['hard', 'random'] as const)('S + snapshot + S equals 2S steps bit for bit (hvpMode %s, across the last-layer unfreeze)', async (hvpMode) => {
    const c = dino({ hvpMode, numTrainImages: 16, freezeLastLayerEpochs: 1, totalSteps: 8 });
    const data = builtinDatasetFor(c);
    const straight = createTrainer(c, data);
    const all = await trainSteps(straight, 4);
    const end = await straight.snapshot();
    straight.dispose();

    const first = createTrainer(c, data);
    const firstHalf = await trainSteps(first, 2); // still frozen: no optimizer state for the last layer yet
    const snap = await first.snapshot();
    first.dispose();
    expect([...snap.model.keys()]).toEqual(expect.arrayContaining(['center', 'teacher.head.last_layer.weight_v', 'head.last_layer.weight_g']));
    expect([...snap.optimizer.keys()].some((k) => k.startsWith('head.last_layer.'))).toBe(false);

    const resumed = createTrainer(c, data, { resumeFrom: snap });
    const secondHalf = await trainSteps(resumed, 2);
    const endResumed = await resumed.snapshot();
    resumed.dispose();

    expect(timeless([...firstHalf, ...secondHalf])).toEqual(timeless(all));
    expect(endResumed.progress).toEqual(end.progress);
    expect([...endResumed.model.keys()].sort()).toEqual([...end.model.keys()].sort());
    expectSameValues(endResumed.model, end.model);
    expect([...endResumed.optimizer.keys()].sort()).toEqual([...end.optimizer.keys()].sort());
    expectSameValues(endResumed.optimizer, end.optimizer);
  });

  it('S steps + checkpoint file export + import + S steps equals 2S steps', async () => {
    const c = dino({ hvpMode: 'hard', totalSteps: 8 });
    const data = builtinDatasetFor(c);
    const straight = createTrainer(c, data);
    const all = await trainSteps(straight, 2);
    const end = await straight.snapshot();
    straight.dispose();

    const first = createTrainer(c, data);
    const head = await trainSteps(first, 1);
    const bytes = encodeCheckpoint({ appVersion: APP_VERSION, createdAt: new Date(0).toISOString(), config: c, probeRng: createRng(5).getState(), dataset: fingerprintDataset(data), history: emptyHistory(), backend: 'cpu' }, await first.snapshot());
    first.dispose();
    const { record, snapshot, notes } = decodeCheckpoint(bytes, 'dino.safetensors');
    expect(notes).toEqual([]);
    expect(record.config).toEqual(c);
    expect(snapshot.model.get('center')!.shape).toEqual([1, 32]);
    const resumed = createTrainer(record.config, data, { resumeFrom: snapshot });
    const tail = await trainSteps(resumed, 1);
    const endResumed = await resumed.snapshot();
    resumed.dispose();
    expect(timeless([...head, ...tail])).toEqual(timeless(all));
    expectSameValues(endResumed.model, end.model);
  });

  it.each(['hard', 'off'] as const)('captures a multi-crop gallery probe (hvpMode %s) and evaluates kNN', async (hvpMode) => {
    const c = dino({ hvpMode, numProbeImages: 2, knnK: 3 });
    const t = createTrainer(c, builtinDatasetFor(c));
    await trainSteps(t, 1);
    const before = tf.memory().numTensors;
    const snap = await captureProbe(t, createRng(9));
    expect(tf.memory().numTensors).toBe(before);
    const G = hvpMode === 'off' ? 2 : 4;
    const L = hvpMode === 'off' ? 2 : 4;
    expect(snap.numViews).toBe(G);
    for (const img of snap.images) {
      const mc = img.multiCrop!;
      expect([mc.numGlobals, mc.numLocals, mc.localSize]).toEqual([G, L, 8]);
      expect(img.views).toHaveLength(G * 16 * 16 * 3);
      expect(mc.localViews).toHaveLength(L * 8 * 8 * 3);
      expect(mc.localParams).toHaveLength(L);
      expect(mc.terms).toHaveLength(G * (G + L));
      expect(mc.combos).toHaveLength(hvpMode === 'off' ? 1 : 8);
      const chosen = mc.combos[mc.selectedCombo]!;
      expect(img.selectedPair).toEqual([Math.min(...chosen.globals), Math.max(...chosen.globals)]);
      if (hvpMode === 'hard') expect(chosen.loss).toBe(Math.max(...mc.combos.map((x) => x.loss)));
      expect(img.pairLosses).toHaveLength((G * (G - 1)) / 2);
      if (G === 4) expect(Number.isNaN(img.pairLosses[1]!)).toBe(true); // pair (0, 2): same parity, never a candidate
    }
    const knn = await evaluateKnn(t);
    expect(knn.top1).toBeGreaterThanOrEqual(0);
    t.dispose();
  });

  it('explains a step as the run\'s next step, and refuses odd numViews with HVP, with a reason', async () => {
    const c = dino({ hvpMode: 'hard' });
    const t = createTrainer(c, builtinDatasetFor(c));
    const ex = t.trainStepExplained(2);
    expect(t.step).toBe(1);
    expect(ex.shown?.terms).not.toBeNull();
    const e = await readExplanation(t, ex);
    t.releaseStep(ex.pending);
    t.dispose();
    expect(e.images.map((i) => i.multiCrop?.numLocals)).toEqual([4, 4]);
    expect(() => createTrainer(dino({ numViews: 3 }), builtinDatasetFor(c))).toThrow(/even numViews/);
  });
});
