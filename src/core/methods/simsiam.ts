/**
 * SimSiam losses (Chen & He 2021, arXiv 2011.10566), defined once and reused by training, by
 * hard-view selection and by tests.
 *
 *   D(p, z) = −cos(p, stopgrad(z))                          per row
 *   training loss = ½·(mean D(p1, z2) + mean D(p2, z1))      (authors' SimSiam.forward + loss)
 *   pair loss of views (k, l) of an image = ½·(D(p_k, z_l) + D(p_l, z_k)),
 * which is −1 × the similarity the HVP authors' select_crops_cross minimises per sample
 * (automl/hvp select_crops.py). Cosine follows F.cosine_similarity: each norm clamped at 1e-8.
 *
 * tfjs has no stop-gradient op, so `stopGradient` is a tf.customGrad identity whose gradient is 0.
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import { pairList } from '../hvp/pairs';

/** Norm clamp of F.cosine_similarity. */
const COS_EPS = 1e-8;

const stopGradientOp = tf.customGrad((...inputs) => ({
  value: tf.clone(inputs[0] as tf.Tensor),
  gradFunc: (dy: tf.Tensor | tf.Tensor[]) => tf.zerosLike(dy as tf.Tensor),
}));

/** Identity in the forward pass, zero gradient in the backward pass (torch's .detach()). */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  return stopGradientOp(x) as T;
}

/** Rows scaled to unit L2 norm along the last axis, norm clamped at 1e-8 (gradient-safe at 0). */
export function l2NormalizeRows<T extends tf.Tensor>(x: T): T {
  return tf.tidy(() => {
    const sumSq = tf.sum(tf.square(x), -1, true);
    return tf.mul(x, tf.rsqrt(tf.maximum(sumSq, COS_EPS * COS_EPS))) as T;
  });
}

/** D(p, z) = −cos(p, stopgrad(z)) per row. p, z: [B, D] → [B]. */
export function negCosine(p: tf.Tensor2D, z: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const pn = l2NormalizeRows(p);
    const zn = l2NormalizeRows(stopGradient(z));
    return tf.neg(tf.sum(tf.mul(pn, zn), -1)) as tf.Tensor1D; // [B]
  });
}

/** SimSiam training loss ½·(mean D(p1, z2) + mean D(p2, z1)); p*, z*: [B, D]. Range [−1, 1]. */
export function simsiamTrainingLoss(p1: tf.Tensor2D, z1: tf.Tensor2D, p2: tf.Tensor2D, z2: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.mul(tf.add(tf.mean(negCosine(p1, z2)), tf.mean(negCosine(p2, z1))), 0.5) as tf.Scalar);
}

/**
 * Per-sample SimSiam loss of every view pair (k, l), k < l, in pairList order:
 * out[m, pairIdx] = ½·(D(p[k, m], z[l, m]) + D(p[l, m], z[k, m])).
 * p, z: [N, M, D] (view-major: p[k, m] is view k of image m) → [M, P], P = C(N, 2).
 * Vectorised: one batched matmul of normalised rows gives every cos(p_k, z_l) of an image,
 * then two gathers pick the (k, l) and (l, k) entries of each pair.
 */
export function simsiamPairLosses(p: tf.Tensor3D, z: tf.Tensor3D): tf.Tensor2D {
  const [numViews, numImages, dim] = p.shape;
  if (z.shape[0] !== numViews || z.shape[1] !== numImages || z.shape[2] !== dim) {
    throw new Error(`simsiamPairLosses: p [${p.shape}] and z [${z.shape}] must have the same shape`);
  }
  if (numViews < 2) throw new Error(`simsiamPairLosses needs at least 2 views, got ${numViews}`);
  const pairs = pairList(numViews);
  return tf.tidy(() => {
    const pn = tf.transpose(l2NormalizeRows(p), [1, 0, 2]); // [M, N, D]
    const zn = tf.transpose(l2NormalizeRows(stopGradient(z)), [1, 0, 2]); // [M, N, D]
    const cos = tf.matMul(pn, zn, false, true); // [M, N, N], cos[m, k, l] = cos(p_k, z_l)
    const flat = tf.reshape(cos, [numImages, numViews * numViews]); // [M, N·N]
    const kl = tf.tensor1d(pairs.map(([k, l]) => k * numViews + l), 'int32'); // [P]
    const lk = tf.tensor1d(pairs.map(([k, l]) => l * numViews + k), 'int32'); // [P]
    const sim = tf.add(tf.gather(flat, kl, 1), tf.gather(flat, lk, 1)); // [M, P]
    return tf.mul(sim, -0.5) as tf.Tensor2D;
  });
}
