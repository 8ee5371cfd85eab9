/**
 * DINO's losses as device ops (Caron et al. 2021, arXiv 2104.14294; facebookresearch/dino DINOLoss)
 * and the HVP per-sample score of the authors' dino branch (utils/dino.py DINOLoss.select_forward;
 * ../shared/reference/hvp-reference-code.md §1.5):
 *   teacher probabilities  q = softmax((t − center) / τ_t)      over K prototypes
 *   student log-probs      log p = log_softmax(s / τ_s)
 *   term CE[m, q, v]       = −Σ_k q_{q,m,k} · log p_{v,m,k}      teacher global q vs student view v,
 *                            0 on the diagonal v = q (DINO skips a global against itself)
 *   combination score      Σ of the combination's terms: its 2 globals as teachers × its 2 globals and
 *                            l locals as students, v ≠ q — a SUM, not divided by the 2·(2 + l) − 2
 *                            terms, as select_forward (a constant factor: the argmax is the same)
 *   batch loss             mean over images and over those 2·(2 + l) − 2 terms (DINOLoss.forward)
 *   center                 center ← m·center + (1 − m)·mean of the raw teacher outputs of the batch
 * All terms of all views come from one batched matmul [M, G, K] × [M, K, V]; the combination
 * scores from one matmul with the 0/1 combination-weight matrix built on the device.
 * Views are view-major: row k·M + m = view k of image m.
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import { stopGradient } from './simsiam';

/** softmax((t − center) / temp). t: [R, K], center [1, K] → [R, K]. */
export function dinoTeacherProbs(t: tf.Tensor2D, center: tf.Tensor, temp: number): tf.Tensor2D {
  return tf.tidy(() => tf.softmax(tf.div(tf.sub(t, center), temp)) as tf.Tensor2D);
}

/** log_softmax(s / temp). s: [R, K] → [R, K]. */
export function dinoStudentLogProbs(s: tf.Tensor2D, temp: number): tf.Tensor2D {
  return tf.tidy(() => tf.logSoftmax(tf.div(s, temp)) as tf.Tensor2D);
}

/**
 * Per-sample cross-entropy terms. teacherProbs [G·M, K] (G teacher globals), studentLogProbs
 * [V·M, K] (V student views; views 0…G−1 are the same globals) → terms [M, G, V], term[m, q, v] =
 * −Σ_k q·log p, with 0 where v = q.
 */
export function dinoTerms(teacherProbs: tf.Tensor2D, studentLogProbs: tf.Tensor2D, numGlobals: number, numViews: number): tf.Tensor3D {
  const K = teacherProbs.shape[1];
  const M = teacherProbs.shape[0] / numGlobals;
  if (!Number.isInteger(M) || studentLogProbs.shape[0] !== numViews * M || numViews < numGlobals) {
    throw new Error(`dinoTerms: ${teacherProbs.shape[0]} teacher rows and ${studentLogProbs.shape[0]} student rows do not fit ${numGlobals} globals and ${numViews} views`);
  }
  return tf.tidy(() => {
    const q = tf.transpose(tf.reshape(teacherProbs, [numGlobals, M, K]), [1, 0, 2]); // [M, G, K]
    const ls = tf.transpose(tf.reshape(studentLogProbs, [numViews, M, K]), [1, 0, 2]); // [M, V, K]
    const ce = tf.neg(tf.matMul(q, ls, false, true)); // [M, G, V]
    const offDiag = tf.cast(tf.notEqual(tf.reshape(tf.range(0, numGlobals, 1, 'int32'), [numGlobals, 1]), tf.reshape(tf.range(0, numViews, 1, 'int32'), [1, numViews])), 'float32'); // [G, V], 1 off the diagonal
    // where, not a product, so a non-finite diagonal term cannot leak into the sums. (Masks stay float:
    // tfjs-webgpu miscompiles some int32 / bool transposes and tiles.)
    return tf.where(tf.greater(tf.broadcastTo(offDiag, [M, numGlobals, numViews]), 0), ce, tf.zerosLike(ce)) as tf.Tensor3D;
  });
}

/**
 * The 0/1 weight of every term in every combination, on the device: combos int32 [C, 2 + l]
 * (even global, odd global, l local ids) → [G·(G + L), C]; entry (q·(G + L) + v, c) is 1 when
 * teacher global q and student view v (globals, then locals at G + id) are both in combination c
 * and v ≠ q.
 */
export function comboWeights(combos: tf.Tensor2D, numGlobals: number, numLocals: number): tf.Tensor2D {
  const C = combos.shape[0];
  const l = combos.shape[1] - 2;
  const V = numGlobals + numLocals;
  return tf.tidy(() => {
    const c = tf.cast(combos, 'int32');
    // One column of ids as 0/1 rows [C, depth] by comparison (not oneHot + a middle-axis sum, which
    // tfjs-webgpu miscompiles for int32 data).
    const hot = (col: number, depth: number) => tf.cast(tf.equal(tf.slice(c, [0, col], [C, 1]), tf.reshape(tf.range(0, depth, 1, 'int32'), [1, depth])), 'float32'); // [C, depth]
    const teachers = tf.add(hot(0, numGlobals), hot(1, numGlobals)); // [C, G]
    let students = tf.concat([teachers, tf.zeros([C, numLocals])], 1); // [C, V]
    for (let j = 0; j < l; j++) students = tf.add(students, tf.concat([tf.zeros([C, numGlobals]), hot(2 + j, numLocals)], 1));
    const both = tf.mul(tf.reshape(teachers, [C, numGlobals, 1]), tf.reshape(students, [C, 1, V])); // [C, G, V]
    const offDiag = tf.cast(tf.notEqual(tf.reshape(tf.range(0, numGlobals, 1, 'int32'), [numGlobals, 1]), tf.reshape(tf.range(0, V, 1, 'int32'), [1, V])), 'float32'); // [G, V]
    return tf.transpose(tf.reshape(tf.mul(both, offDiag), [C, numGlobals * V])) as tf.Tensor2D; // [G·V, C]
  });
}

/** Teacher–student terms a combination of 2 globals and l locals sums: 2 teachers × (2 + l) students − the 2 same-view pairs. */
export const dinoScoreTerms = (numLocalViews: number): number => 2 * (2 + numLocalViews) - 2;

/** Combination scores: terms [M, G, V] · weights [G·V, C] → [M, C] (the sum of each combination's terms). */
export function dinoComboLosses(terms: tf.Tensor3D, weights: tf.Tensor2D): tf.Tensor2D {
  const [M, G, V] = terms.shape;
  return tf.tidy(() => tf.matMul(tf.reshape(terms, [M, G * V]), weights) as tf.Tensor2D); // [M, C]
}

/**
 * DINO's batch loss on the chosen views: teacher outputs t [2·M, K] of the 2 globals, student
 * outputs s [(2 + l)·M, K] of the same 2 globals then the l locals (view-major) → scalar, the mean
 * over images and the 2·(2 + l) − 2 teacher/student terms.
 */
export function dinoLoss(t: tf.Tensor2D, s: tf.Tensor2D, center: tf.Tensor, teacherTemp: number, studentTemp: number): tf.Scalar {
  const M = t.shape[0] / 2;
  const V = s.shape[0] / M;
  return tf.tidy(() => {
    const terms = dinoTerms(dinoTeacherProbs(stopGradient(t), center, teacherTemp), dinoStudentLogProbs(s, studentTemp), 2, V); // [M, 2, V]
    return tf.div(tf.sum(terms), M * (2 * V - 2)) as tf.Scalar;
  });
}

/** center ← momentum·center + (1 − momentum)·mean over rows of t. t: raw teacher outputs [R, K]. NOTE: mutates center. */
export function updateCenter(center: tf.Variable, t: tf.Tensor2D, momentum: number): void {
  tf.tidy(() => center.assign(tf.add(tf.mul(center, momentum), tf.mul(tf.mean(t, 0, true), 1 - momentum))));
}
