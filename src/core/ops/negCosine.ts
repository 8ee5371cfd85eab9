/**
 * Negative cosine with stop-gradient, the score SimSiam and BYOL train on and HVP selects with,
 * as plain tfjs ops: D(p, z) = −cos(p, stopgrad(z)) per row, and per image the pair loss
 * ½·(D(p_k, z_l) + D(p_l, z_k)) of every view pair (k, l). methods/simsiam.ts gives them their
 * SimSiam names; ops/pairSelect.ts uses the pair loss as the reference of its kernel. Cosine
 * follows F.cosine_similarity: each norm clamped at 1e-8. tfjs has no stop-gradient op, so
 * `stopGradient` is a tf.customGrad identity whose gradient is 0.
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

/**
 * Per-sample negative-cosine loss of every view pair (k, l), k < l, in pairList order:
 * out[m, pairIdx] = ½·(D(p[k, m], z[l, m]) + D(p[l, m], z[k, m])).
 * p, z: [N, M, D] (view-major: p[k, m] is view k of image m) → [M, P], P = C(N, 2).
 * Vectorised: one batched matmul of normalised rows gives every cos(p_k, z_l) of an image,
 * then two gathers pick the (k, l) and (l, k) entries of each pair.
 */
export function negCosinePairLosses(p: tf.Tensor3D, z: tf.Tensor3D): tf.Tensor2D {
  const [numViews, numImages, dim] = p.shape;
  if (z.shape[0] !== numViews || z.shape[1] !== numImages || z.shape[2] !== dim) {
    throw new Error(`negCosinePairLosses: p [${p.shape}] and z [${z.shape}] must have the same shape`);
  }
  if (numViews < 2) throw new Error(`negCosinePairLosses needs at least 2 views, got ${numViews}`);
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
