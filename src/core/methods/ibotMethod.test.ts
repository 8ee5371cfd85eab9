// iBOT as an HvpMethod on the tfjs CPU backend with a tiny ViT (16 px, patch 4, dim 16, depth 1,
// 2 heads): per-sample combination scores = the float64 loop of the authors' iBOTLoss.hvs over the
// model's outputs, selection = argmax / argmin, the training loss on the chosen views = the mean of
// their per-sample scores (so the masks are gathered by `chosen`), centers and EMA by hand, the
// step's optimisation settings, exact resume, the PyTorch state-dict round trip, and a tiny run that
// lowers the loss.
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { perturbWeights } from '../../../tests/helpers/perturbWeights';
import { decodeSafetensors, encodeSafetensors } from '../checkpoint/safetensors';
import { fromTorchStateDict, toTorchStateDict } from '../checkpoint/torchStateDict';
import { DEFAULT_CONFIG, type RunConfig } from '../config/runConfig';
import { crossFieldIssues } from '../config/schema';
import { createIbotModel, IBOT_CENTER2_NAME, IBOT_CENTER_NAME } from '../models/ibotModel';
import { createAdamw } from '../optim/optimizers/adamw';
import { cosineMomentum, dinoWeightDecay } from '../optim/schedules';
import { createMethod } from './createMethod';
import { createIbotMethod } from './ibotMethod';
import { ibotMasks } from './ibotMasks';
import { naiveIbotScore, type NaiveIbotOutputs } from './ibotNaive';
import type { HvpMethod } from '../hvp/hvpMethod';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const CFG: RunConfig = {
  ...DEFAULT_CONFIG,
  method: 'ibot', backbone: 'vit', imageSize: 16, vitPatchSize: 4, vitDim: 16, vitDepth: 1, vitHeads: 2, vitDropPath: 0,
  dinoOutDim: 12, dinoHiddenDim: 16, dinoBottleneckDim: 8, patchOutDim: 10, numViews: 4, numLocalViews: 2, localSize: 8,
  maskRatio: 0.3, teacherTemp: 0.04, teacherTempWarmup: 0.04, teacherTempWarmupSteps: 0, teacherPatchTemp: 0.07, studentTemp: 0.1,
  numTrainImages: 32, batchSize: 4, totalSteps: 10, weightDecay: 0.04, weightDecayEnd: 0.4, freezeLastLayerEpochs: 1,
};
const M = 3;
const G = 4;
const L = 4;
const COMBOS = [[0, 1, 0, 1], [0, 3, 2, 3], [2, 1, 1, 2], [2, 3, 0, 3]];
const SEED = 5;

const globalsOf = (seed: number, n = G): tf.Tensor4D => tf.randomNormal([n * M, 16, 16, 3], 0, 1, 'float32', seed) as tf.Tensor4D;
const localsOf = (seed: number, n = L): tf.Tensor4D => tf.randomNormal([n * M, 8, 8, 3], 0, 1, 'float32', seed) as tf.Tensor4D;
const combosT = (): tf.Tensor2D => tf.tensor2d(COMBOS, [COMBOS.length, 4], 'int32');

/** Rows view·M + m of `views` for each image's chosen view ids (column `col` of `chosen`). */
function gatherChosen(views: tf.Tensor4D, chosen: number[][], cols: number[]): tf.Tensor4D {
  const rows: number[] = [];
  for (const c of cols) for (let m = 0; m < M; m++) rows.push(chosen[m]![c]! * M + m);
  return tf.gather(views, tf.tensor1d(rows, 'int32')) as tf.Tensor4D;
}

let live: HvpMethod[] = [];
afterEach(() => {
  for (const m of live) m.dispose();
  live = [];
});
const make = (cfg: RunConfig = CFG, seed = SEED): HvpMethod => {
  const m = createIbotMethod(cfg, seed);
  perturbWeights([...m.params, ...m.buffers]);
  live.push(m);
  return m;
};

describe('ibotMethod', () => {
  it('scores every combination as the per-sample loop of iBOTLoss.hvs and picks the argmax (hard) / argmin (easy)', () => {
    const method = make();
    const globals = globalsOf(1);
    const locals = localsOf(2);
    method.beginStep(3);
    const hard = method.scoreCandidates(globals, locals, { numGlobals: G, numLocals: L }, combosT(), 'hard');
    const easy = method.scoreCandidates(globals, locals, { numGlobals: G, numLocals: L }, combosT(), 'easy');
    // The same weights in a second model; the masks of step 3, views 0…3.
    const model = createIbotModel(CFG, SEED);
    perturbWeights([...model.params, ...model.buffers]);
    const masks = ibotMasks({ seed: SEED, stepIdx: 3, grid: 4, ratio: 0.3 }, [0, 1, 2, 3], M);
    const t = model.teacher(globals);
    const s = model.student(globals, tf.tensor2d(masks, [G * M, 16]), locals, false);
    const outputs: NaiveIbotOutputs = {
      numGlobals: G, numLocals: L, numImages: M, numPatches: 16,
      tCls: t.cls.dataSync(), sCls: tf.concat([s.globalCls, s.localCls!]).dataSync(), tPatch: t.patches.dataSync(), sPatch: s.globalPatches.dataSync(),
      masks, center: new Float32Array(12), center2: new Float32Array(10), teacherTemp: 0.04, teacherPatchTemp: 0.07, studentTemp: 0.1,
    };
    const losses = hard.scores.arraySync();
    const sel = hard.selected.arraySync();
    const selEasy = easy.selected.arraySync();
    expect(easy.scores.arraySync()).toEqual(losses); // no state changes between the two
    for (let m = 0; m < M; m++) {
      const want = COMBOS.map((c) => naiveIbotScore(outputs, m, c, 1));
      want.forEach((w, c) => expect(losses[m]![c]).toBeCloseTo(w, 3));
      expect(sel[m]).toBe(want.indexOf(Math.max(...want)));
      expect(selEasy[m]).toBe(want.indexOf(Math.min(...want)));
    }
    expect(new Set(losses.flat()).size).toBeGreaterThan(1);
    // The masks matter: the same views under the masks of another step score differently.
    method.beginStep(4);
    const other = method.scoreCandidates(globals, locals, { numGlobals: G, numLocals: L }, combosT(), 'hard').scores.arraySync();
    expect(Math.max(...other.flat().map((v, i) => Math.abs(v - losses.flat()[i]!)))).toBeGreaterThan(1e-2);
    // Selection leaves the centers alone.
    expect(Array.from(method.buffers.get(IBOT_CENTER_NAME)!.dataSync()).every((v) => v === 0)).toBe(true);
    // Probe terms [M, G, G + L] give the same combination scores in eval mode (no drop_path here).
    method.beginStep(3);
    const probe = method.probeCandidates(globals, locals, { numGlobals: G, numLocals: L }, combosT());
    expect(probe.terms!.shape).toEqual([M, G, G + L]);
    const pl = probe.scores.arraySync();
    for (let m = 0; m < M; m++) for (let c = 0; c < COMBOS.length; c++) expect(pl[m]![c]).toBeCloseTo(losses[m]![c]!, 4);
    model.dispose();
  });

  it('trains on the chosen views with their selection masks: batch loss = mean of the per-sample scores; centers and EMA by hand', () => {
    const method = make();
    const globals = globalsOf(3);
    const locals = localsOf(4);
    method.beginStep(2);
    const { scores: comboLosses, selected } = method.scoreCandidates(globals, locals, { numGlobals: G, numLocals: L }, combosT(), 'hard');
    const sel = selected.arraySync();
    const losses = comboLosses.arraySync();
    const chosen = sel.map((c) => COMBOS[c]!);
    const g2 = gatherChosen(globals, chosen, [0, 1]);
    const l2 = gatherChosen(locals, chosen, [2, 3]);
    const loss = method.trainingLoss(g2, l2, tf.tensor2d(chosen, [M, 4], 'int32'), { stepIdx: 2, totalSteps: 10 }).dataSync()[0]!;
    expect(loss).toBeCloseTo(losses.reduce((s, row, m) => s + row[sel[m]!]! / M, 0), 4);

    // Expected centers from the teacher outputs of the chosen globals (teacher = initial weights).
    const model = createIbotModel(CFG, SEED);
    perturbWeights([...model.params, ...model.buffers]);
    const t = model.teacher(g2);
    const c1 = tf.mul(tf.mean(t.cls, 0, true), 0.1).dataSync();
    const c2 = tf.mul(tf.mean(t.patches, [0, 1], true), 0.1).dataSync();
    // Move a student weight so the EMA has something to do.
    const w = method.params.get('head.mlp.0.weight')!;
    w.assign(tf.add(w, 0.5));
    const teacherBefore = method.buffers.get('teacher.head.mlp.0.weight')!.dataSync().slice();
    const student = w.dataSync();
    method.afterStep({ stepIdx: 2, totalSteps: 10 });
    const tau = cosineMomentum(2, CFG.emaMomentum, 10);
    const teacherAfter = method.buffers.get('teacher.head.mlp.0.weight')!.dataSync();
    for (let i = 0; i < teacherAfter.length; i += 37) expect(teacherAfter[i]).toBeCloseTo(teacherBefore[i]! + (1 - tau) * (student[i]! - teacherBefore[i]!), 6);
    const center = method.buffers.get(IBOT_CENTER_NAME)!;
    const center2 = method.buffers.get(IBOT_CENTER2_NAME)!;
    expect(center.shape).toEqual([1, 12]);
    expect(center2.shape).toEqual([1, 1, 10]);
    Array.from(center.dataSync()).forEach((v, k) => expect(v).toBeCloseTo(c1[k]!, 6));
    Array.from(center2.dataSync()).forEach((v, k) => expect(v).toBeCloseTo(c2[k]!, 6));
    // The masked_embed has no teacher copy (iBOT's teacher never sees masks).
    expect(method.params.has('backbone.masked_embed')).toBe(true);
    expect(method.buffers.has('teacher.backbone.masked_embed')).toBe(false);
    model.dispose();
  });

  it('sets the step: cosine weight decay, both last layers frozen for the first epoch, no decay on biases and norms', () => {
    const method = make();
    const epoch = CFG.numTrainImages / CFG.batchSize; // 8 steps
    const first = method.stepOptimization({ stepIdx: 0, totalSteps: 10 });
    expect(first.weightDecay).toBeCloseTo(dinoWeightDecay(0, 0.04, 0.4, 10), 10);
    expect([...first.frozen].sort()).toEqual(['head.last_layer.weight_v', 'head.last_layer2.weight_v']);
    expect(method.stepOptimization({ stepIdx: epoch - 1, totalSteps: 10 }).frozen.size).toBe(2);
    expect(method.stepOptimization({ stepIdx: epoch, totalSteps: 10 }).frozen.size).toBe(0);
    expect(method.stepOptimization({ stepIdx: 9, totalSteps: 10 }).weightDecay).toBeGreaterThan(first.weightDecay!);
    expect(method.isNoDecay('head.mlp.0.bias')).toBe(true);
    expect(method.isNoDecay('backbone.blocks.0.norm1.weight')).toBe(true);
    expect(method.isNoDecay('head.mlp.0.weight')).toBe(false);
    expect(method.isNoDecay('backbone.masked_embed')).toBe(false);
  });

  it('is built by createMethod and refused without the ViT, with a message naming the fix', () => {
    const m = createMethod(CFG, 1);
    live.push(m as HvpMethod);
    expect(m.name).toBe('ibot');
    expect(() => createIbotMethod({ ...CFG, backbone: 'resnet10' }, 1)).toThrow(/iBOT needs the vit backbone/);
    const issues = crossFieldIssues({ ...CFG, backbone: 'resnet10' });
    expect(issues.find((i) => i.key === 'backbone')?.message).toMatch(/iBOT needs the vit backbone .*Set the backbone to vit/);
    expect(crossFieldIssues({ ...CFG, maskRatio: 0.05 }).find((i) => i.key === 'maskRatio')?.message).toMatch(/masks no patch of the 4×4 patch grid/);
    expect(crossFieldIssues({ ...CFG, localSize: 10 }).find((i) => i.key === 'localSize')?.message).toMatch(/multiple of the ViT patch size \(4\)/);
    expect(crossFieldIssues({ ...CFG, teacherPatchTemp: 0.2 }).find((i) => i.key === 'teacherPatchTemp')?.message).toMatch(/below the student temperature/);
    expect(crossFieldIssues(CFG).filter((i) => ['backbone', 'maskRatio', 'teacherPatchTemp', 'localSize'].includes(i.key))).toEqual([]);
  });

  /** `steps` HVP steps from step `from` with plain SGD: selection, gather, grads, update, afterStep. Returns the losses. */
  function run(method: HvpMethod, from: number, steps: number): number[] {
    const out: number[] = [];
    for (let s = from; s < from + steps; s++) {
      const globals = globalsOf(100 + s);
      const locals = localsOf(200 + s);
      method.beginStep(s);
      const { selected } = method.scoreCandidates(globals, locals, { numGlobals: G, numLocals: L }, combosT(), 'hard');
      const chosen = selected.arraySync().map((c) => COMBOS[c]!);
      const g2 = gatherChosen(globals, chosen, [0, 1]);
      const l2 = gatherChosen(locals, chosen, [2, 3]);
      const progress = { stepIdx: s, totalSteps: 10 };
      const { value, grads } = tf.variableGrads(() => method.trainingLoss(g2, l2, tf.tensor2d(chosen, [M, 4], 'int32'), progress));
      out.push(value.dataSync()[0]!);
      for (const [name, g] of Object.entries(grads)) {
        const entry = [...method.params].find(([, v]) => v.name === name)!;
        entry[1].assign(tf.sub(entry[1], tf.mul(g, 0.05)));
      }
      method.afterStep(progress);
      tf.dispose([globals, locals, g2, l2, value, selected, ...Object.values(grads)]);
    }
    return out;
  }
  const stateOf = (m: HvpMethod) => new Map([...m.params, ...m.buffers].map(([n, v]) => [n, Array.from(v.dataSync())]));

  it('resumes exactly: 4 steps = 2 steps + state copied into a fresh method + 2 steps (drop_path and masks seeded by the step)', () => {
    const cfg = { ...CFG, vitDropPath: 0.3, vitDepth: 2 };
    const straight = make(cfg);
    const lossStraight = run(straight, 0, 4);
    const first = make(cfg);
    const lossA = run(first, 0, 2);
    const resumed = make(cfg); // fresh init, overwritten by the copied state
    for (const [n, v] of [...first.params, ...first.buffers]) (resumed.params.get(n) ?? resumed.buffers.get(n))!.assign(v);
    const lossB = run(resumed, 2, 2);
    expect([...lossA, ...lossB]).toEqual(lossStraight);
    expect(stateOf(resumed)).toEqual(stateOf(straight));
  });

  it('round-trips through a PyTorch state dict (safetensors) with iBOT names and shapes, scoring the same after loading', async () => {
    const method = make();
    run(method, 0, 1);
    const state = new Map([...method.params, ...method.buffers].map(([n, v]) => [n, { dtype: 'float32' as const, shape: v.shape, data: v.dataSync() as Float32Array }]));
    const dict = toTorchStateDict(state, 1);
    expect(dict.get('backbone.masked_embed')?.shape).toEqual([1, 16]);
    expect(dict.get('head.last_layer.weight_v')?.shape).toEqual([12, 8]);
    expect(dict.get('head.last_layer2.weight_v')?.shape).toEqual([10, 8]);
    expect(dict.get('head.mlp.4.weight')?.shape).toEqual([8, 16]);
    expect(dict.get('teacher.head.last_layer2.weight_g')?.shape).toEqual([10, 1]);
    expect(dict.get('center')?.shape).toEqual([1, 12]);
    expect(dict.get('center2')?.shape).toEqual([1, 1, 10]);
    expect(dict.has('teacher.backbone.pos_embed')).toBe(true);
    const loaded = fromTorchStateDict(decodeSafetensors(encodeSafetensors(dict)).tensors).state;
    const fresh = make(); // same run seed (it seeds the masks); its initial weights are overwritten by the step-1 state
    for (const [n, v] of [...fresh.params, ...fresh.buffers]) {
      const h = loaded.get(n);
      expect(h?.shape, n).toEqual(v.shape);
      v.assign(tf.tensor(h!.data as Float32Array, h!.shape));
    }
    const score = (m: HvpMethod) => {
      m.beginStep(7);
      return m.probeCandidates(globalsOf(9), localsOf(10), { numGlobals: G, numLocals: L }, combosT()).scores.arraySync();
    };
    expect(score(fresh)).toEqual(score(method));
    expect(Array.from(fresh.embed(globalsOf(11, 1)).dataSync())).toEqual(Array.from(method.embed(globalsOf(11, 1)).dataSync()));
  });

  // With a moving teacher and center the iBOT loss is not a monotone objective (centering raises the
  // targets' entropy, which the cross-entropy includes); with the teacher and center held (momentum 1)
  // it is distillation from fixed targets, which must go down if gradients reach both heads right.
  it('a tiny run on a fixed batch with the teacher and centers held lowers the loss (AdamW)', () => {
    const method = make({ ...CFG, freezeLastLayerEpochs: 0, emaMomentum: 1, centerMomentum: 1 });
    const opt = createAdamw({ weightDecay: 0, isNoDecay: (n) => method.isNoDecay(n) });
    const globals = globalsOf(31, 2);
    const locals = localsOf(32, 2);
    const chosen = tf.tensor2d(Array.from({ length: M }, () => [0, 1, 0, 1]), [M, 4], 'int32');
    const losses: number[] = [];
    const byName = new Map([...method.params].map(([n, v]) => [v.name, n]));
    for (let s = 0; s < 30; s++) {
      method.beginStep(s);
      const progress = { stepIdx: s, totalSteps: 30 };
      const { value, grads } = tf.variableGrads(() => method.trainingLoss(globals, locals, chosen, progress));
      losses.push(value.dataSync()[0]!);
      opt.apply(method.params, new Map(Object.entries(grads).map(([n, g]) => [byName.get(n)!, g])), 3e-3, 0);
      method.afterStep(progress);
      tf.dispose([value, ...Object.values(grads)]);
    }
    const head = (losses[0]! + losses[1]! + losses[2]!) / 3;
    const tail = (losses[27]! + losses[28]! + losses[29]!) / 3;
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(tail).toBeLessThan(head * 0.7);
  });
});
