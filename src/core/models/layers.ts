/**
 * Functional layers over named tf.Variables: conv2d (HWIO kernels), linear ([in, out] weights)
 * and BatchNorm for [B, H, W, C] and [B, C] inputs, with PyTorch semantics so trained weights
 * load into torch unchanged (after the exporter's HWIO → OIHW and [in, out] → [out, in] transposes).
 *
 * BatchNorm follows torch.nn.BatchNorm2d/1d (Ioffe & Szegedy 2015, arXiv 1502.03167):
 * - training: normalise with the batch mean and the BIASED batch variance, and report the batch
 *   mean and UNBIASED variance so the caller can update the running stats later
 *   (running = 0.9·running + 0.1·batch, see `updateRunningStat`);
 * - eval: normalise with running_mean / running_var;
 * - eps 1e-5; `affine=false` means no weight/bias.
 * Gradients flow through the batch statistics in training mode, as in PyTorch.
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import { conv2dFastGrad } from '../ops/conv2dFastGrad';
import { batchNormTrain } from '../ops/batchNormTrain';
import { ema } from '../ops/ema';

/** PyTorch BatchNorm eps. */
export const BN_EPS = 1e-5;
/** PyTorch BatchNorm momentum (weight of the new batch statistic). */
export const BN_MOMENTUM = 0.1;

/** Batch statistics of one BatchNorm call in training mode. */
export interface BnStat {
  /** BN module name, e.g. 'backbone.bn1'. */
  name: string;
  /** Batch mean per channel, [C]. */
  mean: tf.Tensor1D;
  /** Unbiased batch variance per channel (divided by n − 1), [C]. */
  variance: tf.Tensor1D;
}

/** Variables of one BatchNorm module. */
export interface BatchNormVars {
  /** Module name, e.g. 'backbone.layer1.0.bn1'. */
  name: string;
  /** γ, [C]; undefined when affine=false. */
  weight?: tf.Variable;
  /** β, [C]; undefined when affine=false. */
  bias?: tf.Variable;
  /** Running mean buffer, [C]. */
  runningMean: tf.Variable;
  /** Running (unbiased) variance buffer, [C]. */
  runningVar: tf.Variable;
}

/** Variables of one Linear module: weight [in, out] and optional bias [out]. */
export interface LinearVars {
  weight: tf.Variable;
  bias?: tf.Variable;
}

/**
 * 2-D convolution without bias, PyTorch-style symmetric zero padding `pad` on every side
 * (not tfjs 'same', which pads bottom/right only when the stride is 2).
 * x: [B, H, W, Cin], weight: [k, k, Cin, Cout] (HWIO) → [B, H', W', Cout].
 */
export function conv2d(x: tf.Tensor4D, weight: tf.Variable, stride: number, pad: number): tf.Tensor4D {
  // The filter gradient as a forward conv of transposed tensors is 20–80× faster than tfjs's
  // Conv2DBackpropFilter on the CPU backend. On WebGPU it measured slower than stock, so there
  // gpu/ overrides Conv2DBackpropFilter itself with a split-K WGSL kernel (bench/kernels/README.md).
  if (tf.getBackend() === 'cpu') return conv2dFastGrad(x, weight as tf.Tensor4D, stride, pad);
  return tf.conv2d(x, weight as tf.Tensor4D, stride, pad);
}

/** y = x·W + b. x: [B, in], weight: [in, out], bias: [out] → [B, out]. */
export function linear(x: tf.Tensor2D, lin: LinearVars): tf.Tensor2D {
  const y = tf.matMul(x, lin.weight as tf.Tensor2D) as tf.Tensor2D; // [B, out]
  return lin.bias ? (tf.add(y, lin.bias) as tf.Tensor2D) : y;
}

/**
 * BatchNorm over the last (channel) axis of x ([B, H, W, C] or [B, C]).
 * In training mode the batch statistics are pushed to `stats` (mean, unbiased variance); the
 * running buffers are NOT touched here (see `updateRunningStat`), so the function is safe inside
 * tf.variableGrads. In eval mode the running buffers are used and nothing is pushed.
 */
export function batchNorm<T extends tf.Tensor2D | tf.Tensor4D>(
  x: T,
  bn: BatchNormVars,
  isTraining: boolean,
  stats: BnStat[],
): T {
  const numChannels = x.shape[x.rank - 1]!;
  // affine=false still passes scale 1 and offset 0: tfjs' gradient tape fails on a
  // FusedBatchNorm whose scale or offset input is missing.
  const scale = (bn.weight as tf.Tensor1D | undefined) ?? tf.ones([numChannels]);
  const offset = (bn.bias as tf.Tensor1D | undefined) ?? tf.zeros([numChannels]);
  if (!isTraining) {
    return tf.batchNorm(x, bn.runningMean as tf.Tensor1D, bn.runningVar as tf.Tensor1D, offset, scale, BN_EPS) as T;
  }
  const n = x.size / numChannels; // values per channel
  if (n < 2) throw new Error(`BatchNorm "${bn.name}" in training mode needs more than 1 value per channel (got ${n})`);
  // one custom-gradient op with a closed-form backward instead of tf.moments + tf.batchNorm under
  // autodiff (≈ 30 small kernels per layer in the backward; bench/README.md "What limits the step")
  const { y, mean, unbiasedVariance } = batchNormTrain(x, scale, offset, BN_EPS); // [C] each
  stats.push({ name: bn.name, mean, variance: unbiasedVariance });
  return y;
}

/**
 * running = (1 − momentum)·running + momentum·batch for mean and variance (PyTorch, momentum 0.1).
 * NOTE: mutates bn.runningMean / bn.runningVar; does not dispose `stat`.
 */
export function updateRunningStat(bn: BatchNormVars, stat: BnStat, momentum = BN_MOMENTUM): void {
  // ema: one kernel where the backend registers 'HvpEma' (WebGPU), else the same formula in tfjs ops
  tf.tidy(() => {
    bn.runningMean.assign(ema(bn.runningMean as tf.Tensor, stat.mean, momentum));
    bn.runningVar.assign(ema(bn.runningVar as tf.Tensor, stat.variance, momentum));
  });
}

/** Global average pool: [B, H, W, C] → [B, C]. */
export function globalAvgPool(x: tf.Tensor4D): tf.Tensor2D {
  return tf.mean(x, [1, 2]) as tf.Tensor2D; // [B, C]
}
