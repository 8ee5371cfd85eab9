// The HVP variants of issue 17 through the real trainer (tfjs CPU backend, tiny configs):
//   hvpMode iouPolicy — pairs under the scheduled bound, misses counted in the step metrics, same
//     seed same run, resume exact, DINO's two globals;
//   colorStatic — the selection scores views with one shared colour (stateless stream), training
//     uses each view's own appearance; off / non-selection steps change nothing;
//   selectScale — the selection scores smaller views, training full-size ones.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinDatasetFor } from '../../../tests/helpers/builtinDatasetFor';
import { tinyConfig } from '../../../tests/helpers/tinyConfig';
import { expectSameValues, timeless, trainSteps } from '../../../tests/helpers/trainerSteps';
import type { RunConfig } from '../config/runConfig';
import { validateConfig } from '../config/schema';
import type { ViewParams } from '../data/types';
import { boxIou } from '../hvp/iou';
import { iouPolicyBound } from '../hvp/iouPolicy';
import { gatherChosenViews } from '../hvp/selection';
import { colorOf } from '../hvp/selectionViews';
import { renderViews } from '../ops/renderViewsOp';
import { createTrainer, type Trainer } from './trainer';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Records (clones of) what the method scores and what it trains on during the next steps. */
function spyOn(t: Trainer): { scored: tf.Tensor4D[]; scoredLocals: tf.Tensor4D[]; trained: tf.Tensor4D[]; trainedLocals: tf.Tensor4D[]; dispose(): void } {
  const rec = { scored: [] as tf.Tensor4D[], scoredLocals: [] as tf.Tensor4D[], trained: [] as tf.Tensor4D[], trainedLocals: [] as tf.Tensor4D[], dispose() { tf.dispose([...rec.scored, ...rec.scoredLocals, ...rec.trained, ...rec.trainedLocals]); } };
  const m = t.model;
  const score = m.scoreCandidates.bind(m);
  const loss = m.trainingLoss.bind(m);
  m.scoreCandidates = (g, l, counts, c, mode) => {
    rec.scored.push(tf.keep(g.clone()));
    rec.scoredLocals.push(tf.keep(l.clone()));
    return score(g, l, counts, c, mode);
  };
  m.trainingLoss = (g, l, chosen, progress) => {
    rec.trained.push(tf.keep(g.clone()));
    rec.trainedLocals.push(tf.keep(l.clone()));
    return loss(g, l, chosen, progress);
  };
  return rec;
}

const COLOR_FIELDS = ['hasJitter', 'brightness', 'contrast', 'saturation', 'hue', 'jitterOrder', 'isGrayscale', 'isSolarized'] as const;
const GEOMETRY = (p: ViewParams) => ({ top: p.top, left: p.left, height: p.height, width: p.width, isFlipped: p.isFlipped, blurSigma: p.blurSigma });

describe('hvpMode iouPolicy', () => {
  const base = tinyConfig({ hvpMode: 'iouPolicy', iouPolicyStart: 0.6, iouPolicyEnd: 0.15, totalSteps: 6, numTrainImages: 12, batchSize: 4 });

  it('trains on pairs below the scheduled bound and reports the misses', async () => {
    const t = createTrainer(base, builtinDatasetFor(base));
    for (let s = 0; s < 6; s++) {
      const p = t.trainStep();
      const M = p.numImages;
      expect(p.params).toHaveLength(2 * M);
      expect(p.isSelectionStep).toBe(false);
      const bound = iouPolicyBound(base, s);
      const above = Array.from({ length: M }, (_, m) => boxIou(p.params[m]!, p.params[M + m]!)).filter((iou) => !(iou < bound)).length;
      const r = await t.readStepMetrics(p);
      expect(r.iouPolicyMisses).toBe(above); // every pair not under the bound is a counted miss
      expect(r.iouPolicyBound).toBe(bound);
      if (r.iouPolicyMisses === 0) expect(r.selectedIou).toBeLessThan(bound);
      expect(r.selectedIou).toBeCloseTo(r.meanIou, 12); // one pair per image
    }
    t.dispose();
  });

  it('counts every image as a miss when the bound is unattainable, and still trains', async () => {
    const c = { ...base, iouPolicyStart: 0, iouPolicyEnd: 0 };
    const t = createTrainer(c, builtinDatasetFor(c));
    const m = await trainSteps(t, 2);
    t.dispose();
    for (const r of m) {
      expect(r.iouPolicyMisses).toBe(c.batchSize);
      expect(Number.isFinite(r.loss)).toBe(true);
    }
  });

  it('same seed gives the same run; the other modes report no misses field', async () => {
    const run = async (c: RunConfig, n: number) => {
      const t = createTrainer(c, builtinDatasetFor(c));
      const out = timeless(await trainSteps(t, n));
      t.dispose();
      return out;
    };
    expect(await run(base, 3)).toEqual(await run(base, 3));
    const hard = await run({ ...base, hvpMode: 'hard' }, 1);
    expect('iouPolicyMisses' in hard[0]!).toBe(false);
  });

  it('S + snapshot + S equals 2S steps (the view stream state carries the rejection draws)', async () => {
    const data = builtinDatasetFor(base);
    const straight = createTrainer(base, data);
    const all = timeless(await trainSteps(straight, 6));
    const end = await straight.snapshot();
    straight.dispose();
    const first = createTrainer(base, data);
    const a = timeless(await trainSteps(first, 3));
    const snap = await first.snapshot();
    first.dispose();
    const resumed = createTrainer(base, data, { resumeFrom: snap });
    const b = timeless(await trainSteps(resumed, 3));
    const endResumed = await resumed.snapshot();
    resumed.dispose();
    expect([...a, ...b]).toEqual(all);
    expect(endResumed.progress).toEqual(end.progress);
    expectSameValues(endResumed.model, end.model);
  });

  it('DINO applies the policy to its two globals; the locals are drawn as usual', async () => {
    const c = tinyConfig({ ...base, method: 'dino', numViews: 3, numLocalViews: 2, localSize: 4, dinoOutDim: 16, dinoHiddenDim: 8, dinoBottleneckDim: 4, learningRate: 0.005 });
    expect(validateConfig(c).issues.map((i) => i.key)).toEqual(['numTrainImages']); // tiny set only; odd numViews is fine: iouPolicy ignores N
    const t = createTrainer(c, builtinDatasetFor(c));
    const p = t.trainStep();
    expect(p.params).toHaveLength(2 * p.numImages);
    expect(p.localParams).toHaveLength(2 * p.numImages);
    const r = await t.readStepMetrics(p);
    expect(r.iouPolicyMisses).toBeGreaterThanOrEqual(0);
    expect(Number.isFinite(r.loss)).toBe(true);
    t.dispose();
  });
});

describe('colorStatic selection', () => {
  const base = tinyConfig({ hvpMode: 'hard', numViews: 3, jitterProb: 1, grayscaleProb: 0.3, solarizeProb: 0.3, blurProb: 0.3, hvpEvery: 2 });

  it.each(['step', 'image'] as const)("'%s': the selection scores views with a shared colour, training the chosen views with their own", async (colorStatic) => {
    const c = { ...base, colorStatic };
    const t = createTrainer(c, builtinDatasetFor(c));
    const spy = spyOn(t);
    const p = t.trainStep();
    const M = p.numImages, G = p.rendered.numGlobals;
    const sel = p.selectionParams!.globals;
    expect(sel).toHaveLength(G * M);
    for (let v = 0; v < G * M; v++) {
      expect(GEOMETRY(sel[v]!)).toEqual(GEOMETRY(p.params[v]!)); // crop, flip, blur per view
      const sharer = colorStatic === 'step' ? sel[0]! : sel[v % M]!;
      expect(colorOf(sel[v]!)).toEqual(colorOf(sharer));
    }
    expect(sel.some((q, v) => COLOR_FIELDS.some((k) => JSON.stringify(q[k]) !== JSON.stringify(p.params[v]![k])))).toBe(true);
    if (colorStatic === 'image') expect(new Set(sel.slice(0, M).map((q) => q.brightness)).size).toBe(M);
    const selected = Int32Array.from(await p.tensors.selected!.data());
    const { normalization } = t;
    const idxT = tf.tensor1d(p.imageIdx, 'int32');
    const expectedScored = renderViews(t.images.train, idxT, sel, c.imageSize, { normalization });
    const perView = renderViews(t.images.train, idxT, p.params, c.imageSize, { normalization });
    const chosen = tf.gather(tf.tensor2d(p.candidates.table, [p.candidates.numCombos, 2], 'int32'), tf.tensor1d(selected, 'int32')) as tf.Tensor2D;
    const [expectedTrained] = gatherChosenViews(perView, tf.zeros([0, c.localSize, c.localSize, 3]) as tf.Tensor4D, chosen, p.rendered);
    expect(Array.from(await spy.scored[0]!.data())).toEqual(Array.from(await expectedScored.data()));
    expect(Array.from(await spy.trained[0]!.data())).toEqual(Array.from(await expectedTrained!.data()));
    expect(Array.from(await spy.scored[0]!.data())).not.toEqual(Array.from(await perView.data()));
    await t.readStepMetrics(p);
    // Step 1 is not a selection step (hvpEvery 2): nothing is rendered twice.
    const q = t.trainStep();
    expect(q.selectionParams).toBeUndefined();
    await t.readStepMetrics(q);
    expect(spy.scored).toHaveLength(1);
    tf.dispose([idxT, expectedScored, perView, chosen, expectedTrained!]);
    spy.dispose();
    t.dispose();
  });

  it("'off' scores the trained views themselves; colorStatic leaves the view stream (and so later steps' views) untouched", async () => {
    const t = createTrainer(base, builtinDatasetFor(base));
    const spy = spyOn(t);
    const p = t.trainStep();
    expect(p.selectionParams).toBeUndefined();
    const idxT = tf.tensor1d(p.imageIdx, 'int32');
    const perView = renderViews(t.images.train, idxT, p.params, base.imageSize, { normalization: t.normalization });
    expect(Array.from(await spy.scored[0]!.data())).toEqual(Array.from(await perView.data()));
    await t.readStepMetrics(p);
    tf.dispose([idxT, perView]);
    spy.dispose();
    t.dispose();
    const plain = createTrainer(base, builtinDatasetFor(base));
    const cs = createTrainer({ ...base, colorStatic: 'step' }, builtinDatasetFor(base));
    for (let s = 0; s < 3; s++) {
      const [a, b] = [plain.trainStep(), cs.trainStep()];
      expect(b.params).toEqual(a.params);
      expect(b.imageIdx).toEqual(a.imageIdx);
      plain.releaseStep(a);
      cs.releaseStep(b);
    }
    plain.dispose();
    cs.dispose();
  });

  it('same seed same run, and resume continues exactly', async () => {
    const c = { ...base, colorStatic: 'image' as const, numTrainImages: 12 };
    const data = builtinDatasetFor(c);
    const straight = createTrainer(c, data);
    const all = timeless(await trainSteps(straight, 4));
    straight.dispose();
    const first = createTrainer(c, data);
    const a = timeless(await trainSteps(first, 2));
    const snap = await first.snapshot();
    first.dispose();
    const resumed = createTrainer(c, data, { resumeFrom: snap });
    const b = timeless(await trainSteps(resumed, 2));
    resumed.dispose();
    expect([...a, ...b]).toEqual(all);
  });
});

describe('selectScale', () => {
  it('scores the candidates on smaller views and trains on full-size ones (pair method)', async () => {
    const c = tinyConfig({ hvpMode: 'hard', numViews: 3, imageSize: 16, selectScale: 0.5 });
    const t = createTrainer(c, builtinDatasetFor(c));
    const spy = spyOn(t);
    const r = await t.readStepMetrics(t.trainStep());
    expect(spy.scored[0]!.shape).toEqual([3 * c.batchSize, 8, 8, 3]);
    expect(spy.trained[0]!.shape).toEqual([2 * c.batchSize, 16, 16, 3]);
    expect(Number.isFinite(r.loss)).toBe(true);
    expect(r.isSelectionStep).toBe(true);
    spy.dispose();
    t.dispose();
  });

  it('scales the DINO locals too', async () => {
    const c = tinyConfig({ method: 'dino', hvpMode: 'hard', numViews: 2, numLocalViews: 1, imageSize: 8, localSize: 4, selectScale: 0.5, dinoOutDim: 16, dinoHiddenDim: 8, dinoBottleneckDim: 4, learningRate: 0.005 });
    const t = createTrainer(c, builtinDatasetFor(c));
    const spy = spyOn(t);
    await t.readStepMetrics(t.trainStep());
    expect(spy.scored[0]!.shape.slice(1)).toEqual([4, 4, 3]);
    expect(spy.scoredLocals[0]!.shape.slice(1)).toEqual([2, 2, 3]);
    expect(spy.trained[0]!.shape.slice(1)).toEqual([8, 8, 3]);
    expect(spy.trainedLocals[0]!.shape.slice(1)).toEqual([4, 4, 3]);
    spy.dispose();
    t.dispose();
  });
});

describe('schema of the variants', () => {
  it('fills the defaults for settings files without the new fields', () => {
    const { config, issues } = validateConfig({ hvpMode: 'hard', numViews: 4 });
    expect(issues).toEqual([]);
    expect([config.iouPolicyStart, config.iouPolicyEnd, config.colorStatic, config.selectScale]).toEqual([0.5, 0.2, 'off', 1]);
  });

  it('checks the ranges and choices', () => {
    const keys = (x: Record<string, unknown>) => validateConfig(x).issues.map((i) => i.key);
    expect(keys({ iouPolicyStart: 1.2 })).toEqual(['iouPolicyStart']);
    expect(keys({ iouPolicyEnd: -0.1 })).toEqual(['iouPolicyEnd']);
    expect(keys({ colorStatic: 'view' })).toEqual(['colorStatic']);
    expect(keys({ selectScale: 0.2 })).toEqual(['selectScale']);
    expect(keys({ hvpMode: 'iouPolicy', colorStatic: 'image', selectScale: 0.5 })).toEqual([]);
  });

  it('on the ViT the scaled views must cut into whole patches, and the message says what to set', () => {
    const vit = { backbone: 'vit', imageSize: 32, vitPatchSize: 8, hvpMode: 'hard' } as const;
    const bad = validateConfig({ ...vit, selectScale: 0.6 }).issues;
    expect(bad.map((i) => i.key)).toEqual(['selectScale']);
    expect(bad[0]!.message).toMatch(/32 px → 19 px.*multiple of 8, e\.g\. 0\.25 or 0\.5 or 0\.75 or 1/);
    expect(validateConfig({ ...vit, selectScale: 0.5 }).issues).toEqual([]);
    expect(validateConfig({ ...vit, selectScale: 0.6, hvpMode: 'off' }).issues).toEqual([]); // no selection, no check
    const dinoLocals = validateConfig({ ...vit, vitPatchSize: 4, method: 'dino', numLocalViews: 2, localSize: 12, selectScale: 0.5 }).issues;
    expect(dinoLocals.map((i) => i.key)).toEqual(['selectScale']); // 16 px globals fit, 6 px locals do not
    expect(dinoLocals[0]!.message).toMatch(/local size 12 px → 6 px/);
    const ibot = validateConfig({ ...vit, method: 'ibot', selectScale: 0.5 }).issues;
    expect(ibot.map((i) => i.key)).toEqual(['selectScale']); // its masks are drawn for the full-size grid
    expect(ibot[0]!.message).toMatch(/must be 1 for iBOT.*Set it to 1/);
  });
});
