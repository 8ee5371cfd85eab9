/**
 * BYOL losses (Grill et al. 2020, "Bootstrap Your Own Latent", arXiv 2006.07733, eq. 2), defined
 * once and reused by training, by hard-view selection and by tests.
 *
 *   L(p, z') = ‖p/‖p‖ − z'/‖z'‖‖² = 2 − 2·cos(p, stopgrad(z'))   per row, in [0, 4]
 *   training loss = ½·(mean L(p1, z2') + mean L(p2, z1'))          (p online predictions, z' target projections)
 *   pair loss of views (k, l) of an image = ½·(L(p_k, z'_l) + L(p_l, z'_k))
 * The paper and solo-learn SUM the two directions (range [0, 8]); we take the mean so the scale
 * matches the per-pair losses and the range of one term. The factor does not change the selected
 * pairs; it halves the gradient relative to solo-learn, which the default LARS's trust ratio
 * mostly absorbs for weight matrices (biases and BN, excluded from LARS, take the plain step).
 *
 * Because L = 2 + 2·(−cos), every BYOL loss is an increasing affine map of the SimSiam/pair-op
 * score −cos: `byolFromNegCosine` is that map, the one place the scale is defined.
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import { negCosine, simsiamPairLosses } from './simsiam';

/** 2 + 2·x: a −cos score (per row, or ½-symmetric per pair) on BYOL's 2 − 2·cos scale. */
export function byolFromNegCosine<T extends tf.Tensor>(negCos: T): T {
  return tf.tidy(() => tf.add(tf.mul(negCos, 2), 2) as T);
}

/** L(p, z') = 2 − 2·cos(p, stopgrad(z')) per row. p, z: [B, D] → [B]. */
export function byolRegression(p: tf.Tensor2D, zTarget: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => byolFromNegCosine(negCosine(p, zTarget)));
}

/** BYOL training loss ½·(mean L(p1, z2') + mean L(p2, z1')); all [B, D]. Range [0, 4]. */
export function byolTrainingLoss(p1: tf.Tensor2D, z1Target: tf.Tensor2D, p2: tf.Tensor2D, z2Target: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.mul(tf.add(tf.mean(byolRegression(p1, z2Target)), tf.mean(byolRegression(p2, z1Target))), 0.5) as tf.Scalar);
}

/**
 * Per-sample BYOL loss of every view pair (k, l), k < l, in pairList order:
 * out[m, p] = ½·(L(p[k, m], z'[l, m]) + L(p[l, m], z'[k, m])).
 * p, zTarget: [N, M, D] view-major → [M, P].
 */
export function byolPairLosses(p: tf.Tensor3D, zTarget: tf.Tensor3D): tf.Tensor2D {
  return tf.tidy(() => byolFromNegCosine(simsiamPairLosses(p, zTarget)));
}
