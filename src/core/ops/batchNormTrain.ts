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
 * Kernel contract (issue 12, fewer dispatches): where a backend registers 'HvpBatchNormTrain' (gpu/ on
 * 'webgpu': 3 dispatches forward, 3 backward instead of 7 + 15), batchNormTrain runs it instead:
 *   HvpBatchNormTrain      inputs {x [n·C values, channel last], scale [C], offset [C]}, attrs {eps}
 *                          outputs [y (shape of x), mean [C], UNBIASED variance [C] (σ²·n/(n − 1))]
 *   HvpBatchNormTrainGrad  inputs {dy, x, scale, mean, unbiasedVariance}, attrs {eps}
 *                          outputs [dx (shape of x), dscale [C] = Σ(dy·x̂), doffset [C] = Σdy]
 * with the formulas above; the gradient (registered below, for every backend) calls the grad kernel.
 * As in the reference, the returned batch statistics carry no gradient into the op (their contribution
 * is inside the closed-form dx); a loss built on `mean` / `unbiasedVariance` would not reach x.
 * The op returns the UNBIASED variance because its only consumer, the running-stat update (PyTorch keeps
 * running_var unbiased), needs that one: returning σ² would cost the caller one more kernel per BN call.
 * {@link batchNormTrainReference} is the pure-tfjs path, used on every backend without the kernels and
 * by the WebGPU parity test (harness/bnKernels.ts).
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
  /** UNBIASED batch variance per channel (divided by n − 1), [C], for the running-stat update. */
  unbiasedVariance: tf.Tensor1D;
}


/** Registered kernel name of the training BatchNorm forward (see the file header). */
export const BATCH_NORM_TRAIN_KERNEL = 'HvpBatchNormTrain';
/** Registered kernel name of its backward. */
export const BATCH_NORM_TRAIN_GRAD_KERNEL = 'HvpBatchNormTrainGrad';

/** Attributes of both kernels. */
export interface BatchNormTrainAttrs {
  /** Variance epsilon. */
  eps: number;
}

// The gradient of the forward kernel, for any backend that registers both kernels: one grad-kernel call.
// It runs eagerly when the tape reaches the node (inside the engine's 'backward' tidy), and each input's
// gradient closure returns one of its outputs.
tf.registerGradient({
  kernelName: BATCH_NORM_TRAIN_KERNEL,
  inputsToSave: ['x', 'scale'],
  outputsToSave: [false, true, true],
  gradFunc: (dys: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) => {
    const dy = Array.isArray(dys) ? dys[0]! : dys; // dys of mean and variance are ignored (see the header)
    const [x, scale, mean, unbiasedVariance] = saved as [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
    const [dx, dScale, dOffset] = tf.engine().runKernel(
      BATCH_NORM_TRAIN_GRAD_KERNEL,
      { dy, x, scale, mean, unbiasedVariance },
      attrs,
    ) as tf.Tensor[];
    return { x: () => dx!, scale: () => dScale!, offset: () => dOffset! };
  },
});

function checkArgs(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D): number {
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
  return numChannels;
}

/**
 * BatchNorm in training mode with batch statistics, one op for the gradient tape: the registered
 * kernel of the current backend when there is one, else {@link batchNormTrainReference}.
 *
 * @param x input [B, H, W, C] or [B, C]; needs n = size / C ≥ 2 values per channel
 * @param gamma γ [C] (ones when the layer is not affine)
 * @param beta β [C] (zeros when the layer is not affine)
 * @param eps variance epsilon
 * @returns y (shape of x), batch mean [C] and unbiased batch variance [C]
 */
export function batchNormTrain<T extends tf.Tensor2D | tf.Tensor4D>(
  x: T,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  eps: number,
): BatchNormTrainResult<T> {
  if (!tf.getKernel(BATCH_NORM_TRAIN_KERNEL, tf.getBackend())) return batchNormTrainReference(x, gamma, beta, eps);
  checkArgs(x, gamma, beta);
  const attrs: BatchNormTrainAttrs = { eps };
  const [y, mean, unbiasedVariance] = tf.engine().runKernel(
    BATCH_NORM_TRAIN_KERNEL,
    { x, scale: gamma, offset: beta },
    attrs as unknown as tf.NamedAttrMap,
  ) as [T, tf.Tensor1D, tf.Tensor1D];
  return { y, mean, unbiasedVariance };
}

/**
 * The pure-tfjs training BatchNorm (tf.moments + one tf.customGrad with the closed-form backward), on
 * every backend; the reference of the kernels.
 *
 * @param x input [B, H, W, C] or [B, C]; needs n = size / C ≥ 2 values per channel
 * @param gamma γ [C] (ones when the layer is not affine)
 * @param beta β [C] (zeros when the layer is not affine)
 * @param eps variance epsilon
 * @returns y (shape of x), batch mean [C] and unbiased batch variance [C]
 */
export function batchNormTrainReference<T extends tf.Tensor2D | tf.Tensor4D>(
  x: T,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  eps: number,
): BatchNormTrainResult<T> {
  const numChannels = checkArgs(x, gamma, beta);
  const n = x.size / numChannels; // values per channel
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
  // the running stats keep the unbiased variance (as layers.ts computed it before, so CPU results are unchanged)
  return { y, mean, unbiasedVariance: tf.mul(variance, n / (n - 1)) as tf.Tensor1D };
}
