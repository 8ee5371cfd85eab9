// iBOT's loss ops against a float64 loop of the authors' formulas (iBOTLoss.forward / .hvs): the
// per-sample term table, the combination scores λ1·mean(CLS terms) + λ2·mean(patch terms), the
// batch loss = the mean of the chosen combination's per-sample scores, and the patch center update.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../random';
import { dinoStudentLogProbs, dinoTeacherProbs, dinoTerms } from './dino';
import { ibotComboLosses, ibotComboWeights, ibotLossFromTerms, ibotPatchTerms, ibotTerms, updatePatchCenter } from './ibot';
import { naiveClsTerm, naiveIbotScore, naivePatchTerm, type NaiveIbotOutputs } from './ibotNaive';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const G = 4;
const L = 3;
const M = 3;
const T = 5;
const K = 6;
const KP = 7;
const TAU = 0.05;
const TAU2 = 0.08;
const TAU_S = 0.1;

/** Seeded values in [−2, 2). */
const values = (seed: number, n: number): number[] => {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => rng.uniform(-2, 2));
};

// Raw outputs, view-major (row k·M + m).
const tCls = values(1, G * M * K);
const sCls = values(2, (G + L) * M * K);
const tPatch = values(3, G * M * T * KP);
const sPatch = values(4, G * M * T * KP);
const center = values(5, K).map((v) => v / 4);
const center2 = values(6, KP).map((v) => v / 4);
const maskRng = createRng(7);
const masks = Array.from({ length: G * M * T }, () => (maskRng.next() < 0.4 ? 1 : 0));
for (let t = 0; t < T; t++) masks[2 * T + t] = 0; // view 0 of image 2: no masked patch → term 0
const outputs: NaiveIbotOutputs = {
  numGlobals: G, numLocals: L, numImages: M, numPatches: T, tCls, sCls, tPatch, sPatch, masks, center, center2,
  teacherTemp: TAU, teacherPatchTemp: TAU2, studentTemp: TAU_S,
};
const clsTerm = (m: number, q: number, v: number): number => naiveClsTerm(outputs, m, q, v);
const patchTerm = (m: number, g: number): number => naivePatchTerm(outputs, m, g);
const score = (m: number, combo: number[], lambda2: number): number => naiveIbotScore(outputs, m, combo, lambda2);

function deviceTerms(): tf.Tensor3D {
  return tf.tidy(() => {
    const cls = dinoTerms(dinoTeacherProbs(tf.tensor2d(tCls, [G * M, K]), tf.tensor2d(center, [1, K]), TAU), dinoStudentLogProbs(tf.tensor2d(sCls, [(G + L) * M, K]), TAU_S), G, G + L);
    const patch = ibotPatchTerms(tf.tensor3d(tPatch, [G * M, T, KP]), tf.tensor3d(sPatch, [G * M, T, KP]), tf.tensor2d(masks, [G * M, T]), tf.tensor3d(center2, [1, 1, KP]), TAU2, TAU_S, G);
    return ibotTerms(cls, patch);
  });
}

describe('ibot losses', () => {
  it('term table: CLS cross-entropies off the diagonal, masked-patch means on it (0 without masked patches)', () => {
    const terms = deviceTerms().arraySync();
    for (let m = 0; m < M; m++) {
      for (let q = 0; q < G; q++) {
        for (let v = 0; v < G + L; v++) {
          const want = v === q ? patchTerm(m, q) : clsTerm(m, q, v);
          expect(terms[m]![q]![v]).toBeCloseTo(want, 4);
        }
      }
    }
    expect(terms[2]![0]![0]).toBe(0);
  });

  it('combination scores equal the per-sample loop of iBOTLoss.hvs for any λ2', () => {
    const combos = [[0, 1, 0, 2], [2, 3, 1, 2], [0, 3, 0, 1], [2, 1, 2, 0]];
    for (const lambda2 of [1, 0.5, 0]) {
      const losses = tf.tidy(() => ibotComboLosses(deviceTerms(), ibotComboWeights(tf.tensor2d(combos, [4, 4], 'int32'), G, L, lambda2))).arraySync();
      for (let m = 0; m < M; m++) combos.forEach((c, i) => expect(losses[m]![i]).toBeCloseTo(score(m, c, lambda2), 4));
    }
    // Without locals (l = 0) only the two CLS terms a→b, b→a remain.
    const noLocals = tf.tidy(() => ibotComboLosses(deviceTerms(), ibotComboWeights(tf.tensor2d([[0, 3]], [1, 2], 'int32'), G, L, 1))).arraySync();
    for (let m = 0; m < M; m++) expect(noLocals[m]![0]).toBeCloseTo(score(m, [0, 3], 1), 4);
  });

  it('batch loss on 2 globals + l locals = iBOTLoss.forward = the mean over images of the per-sample scores', () => {
    // The chosen views as a 2-global, 2-local set: globals 0 and 1, locals 0 and 1.
    const terms = tf.tidy(() => tf.slice(deviceTerms(), [0, 0, 0], [M, 2, 4]) as tf.Tensor3D);
    // Drop columns 2, 3 (globals 2, 3) by rebuilding [M, 2, 2 + 2] from globals 0, 1 and locals 0, 1 (columns G + 0, G + 1).
    const chosen = tf.tidy(() => tf.concat([tf.slice(deviceTerms(), [0, 0, 0], [M, 2, 2]), tf.slice(deviceTerms(), [0, 0, G], [M, 2, 2])], 2) as tf.Tensor3D);
    for (const lambda2 of [1, 0.3]) {
      const loss = ibotLossFromTerms(chosen, lambda2).dataSync()[0]!;
      let want = 0;
      for (let m = 0; m < M; m++) want += score(m, [0, 1, 0, 1], lambda2) / M;
      expect(loss).toBeCloseTo(want, 4);
      // iBOTLoss.forward's order of means: over terms of batch means.
      let l1 = 0;
      for (const [q, v] of [[0, 1], [1, 0], [0, G], [0, G + 1], [1, G], [1, G + 1]] as const) for (let m = 0; m < M; m++) l1 += clsTerm(m, q, v) / M / 6;
      let l2 = 0;
      for (const g of [0, 1]) for (let m = 0; m < M; m++) l2 += patchTerm(m, g) / M / 2;
      expect(loss).toBeCloseTo(l1 + lambda2 * l2, 4);
    }
    expect(() => ibotLossFromTerms(terms.slice([0, 0, 0], [M, 1, 4]) as tf.Tensor3D, 1)).toThrow(/2 chosen globals, got 1/);
    tf.dispose([terms, chosen]);
  });

  it('updates center2 with the mean over images and patches, by hand', () => {
    const c2 = tf.variable(tf.tensor3d(center2, [1, 1, KP]), false);
    const t = tf.tensor3d(tPatch, [G * M, T, KP]);
    updatePatchCenter(c2, t, 0.9);
    const got = c2.dataSync();
    for (let k = 0; k < KP; k++) {
      let mean = 0;
      for (let r = 0; r < G * M * T; r++) mean += tPatch[r * KP + k]! / (G * M * T);
      expect(got[k]).toBeCloseTo(0.9 * center2[k]! + 0.1 * mean, 5);
    }
    tf.dispose([c2, t]);
  });
});
