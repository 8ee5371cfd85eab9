/**
 * Collapse health of an embedding matrix (as in SimSiam §4, Chen & He 2021, and RankMe, Garrido
 * et al. 2023): the std over samples of each dimension of the L2-normalised embeddings, averaged
 * over dims and compared with 1/√d (the value for unit vectors spread evenly over d dims; 0 when
 * every image maps to the same point), and the effective rank (Roy & Vetterli 2007): exp of the
 * entropy of the normalised singular values of the centred embedding matrix (1 = all variance on
 * one direction, min(N, d) = evenly spread).
 * Thresholds: collapsed when std < 0.2/√d (SimSiam's collapsed runs sit near 0, healthy ones
 * near 1/√d, so 0.2 leaves a wide margin for a still-learning run) or effective rank < 2 (all
 * variance on one axis: no linear classifier can separate more than two groups).
 * Must not import: DOM, gpu/.
 */
import * as tf from '@tensorflow/tfjs';
import type { CollapseReason, HealthMetrics } from './evaluationMetrics';
import { symmetricEigenvalues } from './spectrum';

/** Collapsed when meanStd < STD_COLLAPSE_RATIO / √d. */
export const STD_COLLAPSE_RATIO = 0.2;
/** Collapsed when the effective rank is below this. */
export const MIN_EFFECTIVE_RANK = 2;

/** The verdict of `meanStd` and `effectiveRank` against the thresholds above. */
export function collapseReason(meanStd: number, uniformStd: number, effectiveRank: number): CollapseReason {
  const lowStd = meanStd < STD_COLLAPSE_RATIO * uniformStd;
  const lowRank = effectiveRank < MIN_EFFECTIVE_RANK;
  return lowStd && lowRank ? 'std-and-rank' : lowStd ? 'std' : lowRank ? 'rank' : null;
}

/** Singular values below this fraction of the largest are rounding noise and count as 0. */
const RELATIVE_SIGMA_FLOOR = 1e-7;
/** Below this variance per sample (Σλ / N) the embeddings are one point up to float32 noise. */
const VARIANCE_FLOOR = 1e-12;

/** exp(entropy of σ / Σσ) of non-negative eigenvalues λ = σ² of ZcᵀZc; 1 for an all-zero spectrum. */
export function effectiveRankFromEigenvalues(eigenvalues: ArrayLike<number>): number {
  const raw = Array.from(eigenvalues, (l) => Math.sqrt(Math.max(0, l)));
  const top = Math.max(0, ...raw);
  const sigmas = raw.map((s) => (s < RELATIVE_SIGMA_FLOOR * top ? 0 : s));
  const total = sigmas.reduce((a, b) => a + b, 0);
  if (!(total > 0)) return 1;
  let entropy = 0;
  for (const s of sigmas) {
    const p = s / total;
    if (p > 0) entropy -= p * Math.log(p);
  }
  return Math.exp(entropy);
}

/** Per-dimension std, averaged over dims, of rows of a row-major [n, d] matrix. */
export function meanColumnStd(z: ArrayLike<number>, n: number, d: number): number {
  let sum = 0;
  for (let j = 0; j < d; j++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += z[i * d + j]!;
    mean /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (z[i * d + j]! - mean) ** 2;
    sum += Math.sqrt(v / n);
  }
  return sum / d;
}

/** Health from the std and the eigenvalues of the centred scatter matrix ZcᵀZc [d, d]; also returns them (descending). */
export function healthFromScatter(meanStd: number, scatter: ArrayLike<number>, n: number, d: number): { health: HealthMetrics; eigenvalues: Float64Array } {
  const eigenvalues = symmetricEigenvalues(scatter, d);
  const uniformStd = 1 / Math.sqrt(d);
  const variance = eigenvalues.reduce((a, l) => a + Math.max(0, l), 0) / Math.max(1, n);
  const effectiveRank = variance < VARIANCE_FLOOR ? 1 : effectiveRankFromEigenvalues(eigenvalues);
  return { health: { meanStd, uniformStd, effectiveRank, maxRank: Math.min(n, d), dim: d, numSamples: n, collapse: collapseReason(meanStd, uniformStd, effectiveRank) }, eigenvalues };
}

/**
 * Moments of embeddings on the device: per-dim std (mean over dims) and the centred scatter
 * matrix ZcᵀZc. sync point: awaits both reads.
 * @param z embeddings [N, d] (L2-normalised for the std to compare with 1/√d). NOTE: not disposed.
 */
export async function embeddingMoments(z: tf.Tensor2D): Promise<{ meanStd: number; scatter: Float32Array; centred: tf.Tensor2D }> {
  const [meanStd, scatter, centred] = tf.tidy(() => {
    const zc = z.sub(z.mean(0, true)) as tf.Tensor2D; // [N, d]
    const std = zc.square().mean(0).sqrt().mean(); // []
    return [std, tf.matMul(zc, zc, true, false), zc] as [tf.Scalar, tf.Tensor2D, tf.Tensor2D];
  });
  const [s, g] = await Promise.all([meanStd.data(), scatter.data() as Promise<Float32Array>]);
  tf.dispose([meanStd, scatter]);
  return { meanStd: s[0]!, scatter: g, centred };
}
