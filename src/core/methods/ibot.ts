/**
 * iBOT's losses as device ops (Zhou et al. 2022, arXiv 2111.07832; facebookresearch/ibot main_ibot.py
 * iBOTLoss) and the HVP per-sample score of the authors' ibot branch (iBOTLoss.hvs;
 * ../shared/reference/hvp-reference-code.md §1.6):
 *   CLS term    CE[m, q, v] = −Σ_k softmax((t_q − c)/τ)_k · log_softmax(s_v/τ_s)_k   teacher global q vs
 *               student view v ≠ q (globals, then locals): DINO's terms (methods/dino.ts)
 *   patch term  P[m, g] = Σ_t mask_{g,m,t}·(−Σ_k softmax((t_{g,t} − c2)/τ2)_k · log_softmax(s_{g,t}/τ_s)_k)
 *               / max(Σ_t mask_{g,m,t}, 1), for the SAME global g (q = v; the student saw it masked,
 *               the teacher unmasked)
 *   terms       [M, G, G + L]: CE off the diagonal, P on it (the contract's probe layout)
 *   score       of a combination (globals a, b; locals Λ): λ1 · mean of its 2·(2 + l) − 2 CLS terms
 *               + λ2 · mean of its 2 patch terms, per sample (iBOTLoss.hvs: L1 mean + L2 mean)
 *   batch loss  the mean over images of the score of the chosen combination: exactly iBOTLoss.forward
 *               (λ1·total_loss1/n1 + λ2·total_loss2/n2 with batch means inside), so it equals the
 *               mean of its per-sample scores
 *   centers     center ← m·center + (1 − m)·mean of the raw teacher CLS outputs [1, K];
 *               center2 ← m·center2 + (1 − m)·mean over images and patches of the raw teacher patch
 *               outputs [1, 1, Kp] (iBOTLoss.update_center, one momentum for both as iBOT's defaults)
 * λ1 = 1 (iBOT's lambda1 default). All combination scores come from one matmul with a weight matrix
 * built on the device from the combination table.
 * Views are view-major: row k·M + m = view k of image m.
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import { comboWeights } from './dino';

/** Weight of the CLS loss (iBOT lambda1). */
export const IBOT_CLS_WEIGHT = 1;

/**
 * Per-sample masked-patch terms. teacherPatches, studentPatches [G·M, T, Kp] (raw outputs; the
 * teacher saw the views unmasked, the student masked), masks [G·M, T] of 0/1, center2 [1, 1, Kp] →
 * [M, G]: for each image and global, the masked patches' mean cross-entropy (0 with no masked patch).
 */
export function ibotPatchTerms(
  teacherPatches: tf.Tensor3D, studentPatches: tf.Tensor3D, masks: tf.Tensor2D, center2: tf.Tensor,
  teacherPatchTemp: number, studentTemp: number, numGlobals: number,
): tf.Tensor2D {
  const [R, T] = teacherPatches.shape;
  const M = R / numGlobals;
  if (!Number.isInteger(M) || studentPatches.shape[0] !== R || studentPatches.shape[1] !== T || masks.shape[0] !== R || masks.shape[1] !== T) {
    throw new Error(`ibotPatchTerms: teacher [${teacherPatches.shape}], student [${studentPatches.shape}] and masks [${masks.shape}] do not fit ${numGlobals} globals`);
  }
  return tf.tidy(() => {
    const q = tf.softmax(tf.div(tf.sub(teacherPatches, center2), teacherPatchTemp)); // [G·M, T, Kp]
    const ls = tf.logSoftmax(tf.div(studentPatches, studentTemp)); // [G·M, T, Kp]
    const ce = tf.neg(tf.sum(tf.mul(q, ls), -1)); // [G·M, T]
    const m = tf.cast(masks, 'float32');
    const perView = tf.div(tf.sum(tf.mul(ce, m), 1), tf.maximum(tf.sum(m, 1), 1)); // [G·M]
    return tf.transpose(tf.reshape(perView, [numGlobals, M])) as tf.Tensor2D; // [M, G]
  });
}

/** The contract's term table: CLS terms [M, G, V] (0 on the diagonal) with the patch terms [M, G] on the diagonal v = q. */
export function ibotTerms(clsTerms: tf.Tensor3D, patchTerms: tf.Tensor2D): tf.Tensor3D {
  const [M, G, V] = clsTerms.shape;
  return tf.tidy(() => {
    const diag = tf.cast(tf.equal(tf.reshape(tf.range(0, G, 1, 'int32'), [G, 1]), tf.reshape(tf.range(0, V, 1, 'int32'), [1, V])), 'float32'); // [G, V]
    return tf.add(tf.mul(clsTerms, tf.sub(1, diag)), tf.mul(tf.reshape(patchTerms, [M, G, 1]), diag)) as tf.Tensor3D; // [M, G, V]
  });
}

/**
 * Weight of every term in every combination's score, on the device: combos int32 [C, 2 + l] →
 * [G·(G + L), C]; entry (q·(G + L) + v, c) is λ1/(2·(2 + l) − 2) for a CLS term of combination c
 * (q one of its globals, v ≠ q one of its views), λ2/2 for the patch term of its global q (v = q),
 * else 0.
 */
export function ibotComboWeights(combos: tf.Tensor2D, numGlobals: number, numLocals: number, patchWeight: number): tf.Tensor2D {
  const C = combos.shape[0];
  const l = combos.shape[1] - 2;
  const V = numGlobals + numLocals;
  const numClsTerms = 2 * (2 + l) - 2;
  return tf.tidy(() => {
    const cls = tf.mul(comboWeights(combos, numGlobals, numLocals), IBOT_CLS_WEIGHT / numClsTerms); // [G·V, C]
    // 0/1 tables by comparison, in float32: tfjs-webgpu miscompiles the transposes of int32 data that
    // oneHot + a middle-axis sum or an int32 matMul would run (WGSL type mismatch).
    const ids = tf.cast(combos, 'int32');
    const globalIds = tf.reshape(tf.range(0, numGlobals, 1, 'int32'), [1, numGlobals]); // [1, G]
    const hot = (col: number) => tf.cast(tf.equal(tf.slice(ids, [0, col], [C, 1]), globalIds), 'float32'); // [C, G]
    const globalsIn = tf.add(hot(0), hot(1)); // [C, G]
    const diagPos = tf.reshape(tf.mul(tf.range(0, numGlobals, 1, 'int32'), tf.scalar(V + 1, 'int32')), [numGlobals, 1]); // [G, 1]: q·V + q
    const diagRows = tf.cast(tf.equal(diagPos, tf.reshape(tf.range(0, numGlobals * V, 1, 'int32'), [1, numGlobals * V])), 'float32'); // [G, G·V]
    const patch = tf.mul(tf.matMul(diagRows, globalsIn, true, true), patchWeight / 2); // [G·V, C]
    return tf.add(cls, patch) as tf.Tensor2D;
  });
}

/** Combination scores: terms [M, G, V] · weights [G·V, C] → [M, C]. */
export function ibotComboLosses(terms: tf.Tensor3D, weights: tf.Tensor2D): tf.Tensor2D {
  const [M, G, V] = terms.shape;
  return tf.tidy(() => tf.matMul(tf.reshape(terms, [M, G * V]), weights) as tf.Tensor2D); // [M, C]
}

/**
 * iBOT's batch loss from the terms of the chosen views (2 globals, l locals: terms [M, 2, 2 + l]):
 * λ1·mean of the CLS terms + λ2·mean of the 2 patch terms, averaged over images.
 */
export function ibotLossFromTerms(terms: tf.Tensor3D, patchWeight: number): tf.Scalar {
  const [M, G, V] = terms.shape;
  if (G !== 2) throw new Error(`ibotLossFromTerms: the training loss takes the 2 chosen globals, got ${G}`);
  return tf.tidy(() => {
    const diag = tf.cast(tf.equal(tf.reshape(tf.range(0, G, 1, 'int32'), [G, 1]), tf.reshape(tf.range(0, V, 1, 'int32'), [1, V])), 'float32'); // [G, V]
    const w = tf.add(tf.mul(tf.sub(1, diag), IBOT_CLS_WEIGHT / (2 * V - 2)), tf.mul(diag, patchWeight / 2)); // [G, V]
    return tf.div(tf.sum(tf.mul(terms, w)), M) as tf.Scalar;
  });
}

/** center2 ← momentum·center2 + (1 − momentum)·mean over images and patches of t [R, T, Kp] (raw teacher patch outputs). NOTE: mutates center2 [1, 1, Kp]. */
export function updatePatchCenter(center2: tf.Variable, t: tf.Tensor3D, momentum: number): void {
  tf.tidy(() => center2.assign(tf.add(tf.mul(center2, momentum), tf.mul(tf.mean(t, [0, 1], true), 1 - momentum))));
}
