/**
 * SimCLR's NT-Xent loss (Chen et al. 2020, arXiv 2002.05709, eq. 1) with in-batch negatives,
 * defined once and reused by training, by hard-view selection and by tests.
 *
 * For two views za, zb of M images: Z = normalize(cat(za, zb)) [2M, D], s_ij = Z_i·Z_j / T, and
 *   row(i) = −s_{i, pos(i)} + log Σ_{j ≠ i} exp s_ij,   pos(i) = (i + M) mod 2M,
 * i.e. the cross-entropy of the positive against the 2M − 2 in-batch negatives, as the HVP authors'
 * NTXentLoss (automl/hvp simclr branch, losses/nt_xent_loss.py: self-similarity masked to −inf,
 * the positive rolled by M, cross_entropy with label 0).
 *   training loss          = mean over the 2M rows                      (authors' forward, 'mean')
 *   pair loss of views (k, l) of image m = ½·(row(k_m) + row(l_m)), negatives only from the 2M
 *                            views of that pair (authors' acs_fwd on z_k, z_l). Selection computes
 *                            it with the pair op from the logits of all views (ntXentLogits below);
 *                            simclrPairLosses is the batched per-pair definition.
 * Deviation: acs_fwd SUMS the two rows; we halve the sum. Multiplying by ½ is exact in floating
 * point, so the selected pair (ties included) is identical, and the pair losses are on the scale
 * of the training loss: the mean of a pair's per-sample losses over the M images IS the batch
 * NT-Xent of that pair, so the loss chart's two lines and the gallery compare like with like.
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import { pairList } from '../hvp/pairs';
import { l2NormalizeRows } from './simsiam';

/**
 * Added to the self-similarity logits (authors: −inf). Finite because the positive is picked by a
 * one-hot product, and 0·(−inf) would be NaN; exp(−1e9 − max) is exactly 0 in float32 for any
 * logit |s| ≤ 1/T ≤ 100, so the value is the authors'.
 */
const SELF_MASK = -1e9;

function checkTemperature(temperature: number): void {
  if (!(temperature > 0) || !Number.isFinite(temperature)) throw new RangeError(`NT-Xent temperature must be a positive number, got ${temperature}`);
}

/**
 * NT-Xent row losses of B independent view pairs at once.
 * za, zb: [B, M, D] (za[b, m] and zb[b, m] are the two views of image m in pair b) → [B, 2M]:
 * columns 0..M−1 anchor za[b, m] (positive zb[b, m]), columns M..2M−1 anchor zb[b, m].
 */
export function ntXentRowLosses(za: tf.Tensor3D, zb: tf.Tensor3D, temperature: number): tf.Tensor2D {
  checkTemperature(temperature);
  if (za.shape.join() !== zb.shape.join()) throw new Error(`ntXentRowLosses: za [${za.shape}] and zb [${zb.shape}] must have the same shape`);
  // With M = 1 there are no negatives and every row loss is 0 (the positive is the only term).
  const [numPairsB, numImages] = za.shape;
  const n2 = 2 * numImages;
  return tf.tidy(() => {
    const z = l2NormalizeRows(tf.concat([za, zb], 1)); // [B, 2M, D]
    const sim = tf.div(tf.matMul(z, z, false, true), temperature); // [B, 2M, 2M]
    const eye = tf.eye(n2); // [2M, 2M]
    const logits = tf.add(sim, tf.mul(eye, SELF_MASK)); // [B, 2M, 2M], self masked
    const posIdx = Array.from({ length: n2 }, (_, i) => (i + numImages) % n2);
    const posMask = tf.oneHot(tf.tensor1d(posIdx, 'int32'), n2); // [2M, 2M], row i has its 1 at pos(i)
    const logProb = tf.logSoftmax(logits); // [B, 2M, 2M]
    return tf.reshape(tf.neg(tf.sum(tf.mul(logProb, posMask), -1)), [numPairsB, n2]) as tf.Tensor2D; // [B, 2M]
  });
}

/** SimCLR training loss: mean NT-Xent over the 2M rows of views z1, z2 [M, D]. */
export function ntXentLoss(z1: tf.Tensor2D, z2: tf.Tensor2D, temperature: number): tf.Scalar {
  return tf.tidy(() => tf.mean(ntXentRowLosses(tf.expandDims(z1, 0) as tf.Tensor3D, tf.expandDims(z2, 0) as tf.Tensor3D, temperature)) as tf.Scalar);
}

/**
 * Similarity logits of all views, the input of the pair op's 'ntXentLogits' score (core/ops/pairSelect):
 * G = normalize(Z)·normalize(Z)ᵀ / T, the same per-entry computation as ntXentRowLosses' `sim`.
 * z: [R, D] (R = N·M, view-major rows) → [R, R].
 */
export function ntXentLogits(z: tf.Tensor2D, temperature: number): tf.Tensor2D {
  checkTemperature(temperature);
  return tf.tidy(() => {
    const zn = l2NormalizeRows(z); // [R, D]
    return tf.div(tf.matMul(zn, zn, false, true), temperature) as tf.Tensor2D; // [R, R]
  });
}

/**
 * Per-sample SimCLR loss of every view pair (k, l), k < l, in pairList order:
 * out[m, p] = ½·(row of anchor z[k, m] + row of anchor z[l, m]) of the NT-Xent of views k and l.
 * z: [N, M, D] (view-major: z[k, m] is view k of image m) → [M, P], P = C(N, 2).
 * All pairs in one batched computation (pairs as the leading dimension); the same numbers as the
 * authors' loop over itertools.combinations.
 */
export function simclrPairLosses(z: tf.Tensor3D, temperature: number): tf.Tensor2D {
  const [numViews, numImages] = z.shape;
  if (numViews < 2) throw new Error(`simclrPairLosses needs at least 2 views, got ${numViews}`);
  const pairs = pairList(numViews);
  return tf.tidy(() => {
    const za = tf.gather(z, tf.tensor1d(pairs.map(([k]) => k), 'int32')) as tf.Tensor3D; // [P, M, D]
    const zb = tf.gather(z, tf.tensor1d(pairs.map(([, l]) => l), 'int32')) as tf.Tensor3D; // [P, M, D]
    const rows = ntXentRowLosses(za, zb, temperature); // [P, 2M]
    const first = tf.slice(rows, [0, 0], [pairs.length, numImages]); // [P, M]
    const second = tf.slice(rows, [0, numImages], [pairs.length, numImages]); // [P, M]
    return tf.transpose(tf.mul(tf.add(first, second), 0.5)) as tf.Tensor2D; // [M, P]
  });
}
