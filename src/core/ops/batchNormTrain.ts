/**
 * Training-mode BatchNorm over the channel (last) axis as ONE custom-gradient op with a closed-form
 * backward (pure tfjs, every backend).
 *
 * Forward, with the batch mean μ and the BIASED batch variance σ² over all axes but the channel one
 * (n values per channel):
 *
 *   x̂ = (x − μ)·rstd,  rstd = 1/√(σ² + eps),  y = γ·x̂ + β
 *
 * Backward (Ioffe & Szegedy 2015, arXiv 1502.03167, gradients through the batch statistics included),
 * with sums over all axes but the channel one:
 *
 *   dγ = Σ(dy·x̂),  dβ = Σdy,  dx = (γ·rstd / n)·(n·dy − Σdy − x̂·Σ(dy·x̂))
 *
 * Why: under autodiff tfjs composes this backward from `tf.moments` + `tf.batchNorm`'s gradients,
 * ≈ 30 small broadcasting kernels per layer (bench/README.md "What limits the step"). Here the forward
 * is tf.moments plus one FusedBatchNorm and the backward
 * is 7 full-size kernels (x̂, dy·x̂, the two channel sums (each a transpose and a reduce), and
 * dx = a·dy + FusedBatchNorm(x; μ, σ², offset, scale), where the second term folds the per-channel
 * −a/n·Σdy and −a/n·Σ(dy·x̂)·x̂ into one kernel) plus a few [C]-sized ones.
 *
 * μ and σ² are computed by `tf.moments` OUTSIDE the custom gradient and reach it only
 * by closure: the tape sees x, γ, β as the op's inputs, so no gradient is ever propagated through the
 * moments (their contribution is inside the closed-form dx), and the caller receives them for the
 * running-stat update.
 *
 * Must not import: gpu/, worker/, ui/, DOM or worker globals.
 */
import * as tf from '@tensorflow/tfjs';

/** Result of {@link batchNormTrain}. */
export interface BatchNormTrainResult<T extends tf.Tensor2D | tf.Tensor4D> {
  /** Normalised output, same shape as x. */
  y: T;
  /** Batch mean per channel, [C]. */
  mean: tf.Tensor1D;
  /** BIASED batch variance per channel (divided by n), [C]. */
  variance: tf.Tensor1D;
}


/**
 * BatchNorm in training mode with batch statistics, one op for the gradient tape.
 *
 * @param x input [B, H, W, C] or [B, C]; needs n = size / C ≥ 2 values per channel
 * @param gamma γ [C] (ones when the layer is not affine)
 * @param beta β [C] (zeros when the layer is not affine)
 * @param eps variance epsilon
 * @returns y (shape of x), batch mean [C] and biased batch variance [C]
 */
export function batchNormTrain<T extends tf.Tensor2D | tf.Tensor4D>(
  x: T,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  eps: number,
): BatchNormTrainResult<T> {
  if (x.rank !== 2 && x.rank !== 4) {
    throw new Error(`batchNormTrain: x must be [B, C] or [B, H, W, C], got shape [${x.shape}]`);
  }
  const numChannels = x.shape[x.rank - 1]!;
  if (gamma.shape[0] !== numChannels || beta.shape[0] !== numChannels) {
    throw new Error(
      `batchNormTrain: gamma [${gamma.shape}] and beta [${beta.shape}] must both be [${numChannels}] for x [${x.shape}]`,
    );
  }
  const n = x.size / numChannels; // values per channel
  if (n < 2) throw new Error(`batchNormTrain: needs at least 2 values per channel, got ${n} for x [${x.shape}]`);
  // tf.moments as before (Mean, SquaredDifference, Mean)
  const axes = x.rank === 4 ? [0, 1, 2] : [0];
  const moments = tf.moments(x, axes); // [C] each, variance biased
  const mean = moments.mean as tf.Tensor1D;
  const variance = moments.variance as tf.Tensor1D;

  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xIn, gIn, bIn, save] = args as [T, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc];
    save([xIn, gIn, mean, variance]);
    const value = tf.batchNorm(xIn, mean, variance, bIn, gIn, eps) as T; // [..., C]
    const gradFunc = (dy: T, saved: tf.Tensor[]): tf.Tensor[] => {
      const [xs, g, mu, v] = saved as [T, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
      const xhat = tf.batchNorm(xs, mu, v, undefined, undefined, eps); // [..., C]
      // Channel sums with tf.sum (a transpose, then a reduce): as [1, n] × [n, C] matmuls they took
      // 3× longer per call on SwiftShader (tfjs's MatMul with one output row, bench/README.md).
      const dy2d = tf.reshape(dy, [n, numChannels]); // [n, C]
      const prod2d = tf.reshape(tf.mul(dy, xhat), [n, numChannels]); // [n, C]
      const sumDy = tf.sum(dy2d, 0) as tf.Tensor1D; // [C] = dβ
      const sumDyXhat = tf.sum(prod2d, 0) as tf.Tensor1D; // [C] = dγ
      const a = tf.mul(g, tf.rsqrt(tf.add(v, eps))) as tf.Tensor1D; // [C] γ·rstd
      const k = tf.mul(a, -1 / n) as tf.Tensor1D; // [C] −γ·rstd/n
      // −a/n·Σdy − a/n·Σ(dy·x̂)·x̂ as one FusedBatchNorm of x: offset −a/n·Σdy, scale −a/n·Σ(dy·x̂)
      const rest = tf.batchNorm(xs, mu, v, tf.mul(k, sumDy) as tf.Tensor1D, tf.mul(k, sumDyXhat) as tf.Tensor1D, eps);
      const dx = tf.add(tf.mul(dy, a), rest) as T; // [..., C]
      return [dx, sumDyXhat, sumDy];
    };
    return { value, gradFunc };
  });
  // the named scope names the tape node and the profile record 'batchNormTrain' (bench/stepProfile groups by it)
  const y = tf.tidy('batchNormTrain', () => op(x, gamma, beta) as T);
  return { y, mean, variance };
}
