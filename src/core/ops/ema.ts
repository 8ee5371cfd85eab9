/**
 * Op contract of the exponential moving average update, kernel 'HvpEma', and its pure-tfjs reference:
 *
 *   average' = average·(1 − momentum) + value·momentum
 *
 * BatchNorm's running-stat update (core/models/layers.ts updateRunningStat: PyTorch's running =
 * 0.9·running + 0.1·batch) runs it twice per BN call, in the selection forward and in every training
 * forward. The reference is 3 kernels (two scalar multiplies and an add, plus two scalar uploads); where
 * a backend registers 'HvpEma' (gpu/ on 'webgpu') it is one dispatch (bench/dispatch/).
 *   inputs  average, value: float32, same shape
 *   attrs   EmaAttrs
 *   output  float32, the shape of average
 * Must not import: gpu/, worker/, ui/, DOM or worker globals.
 */
import * as tf from '@tensorflow/tfjs';

/** Registered kernel name of the EMA update. */
export const EMA_KERNEL = 'HvpEma';

/** Attributes of {@link EMA_KERNEL}. */
export interface EmaAttrs {
  /** Weight of the new value, in [0, 1]. */
  momentum: number;
}

/** The pure-tfjs EMA update (every backend): average·(1 − momentum) + value·momentum. */
export function emaReference<T extends tf.Tensor>(average: T, value: T, momentum: number): T {
  return tf.tidy(() => tf.add(tf.mul(average, 1 - momentum), tf.mul(value, momentum)) as T);
}

/**
 * average·(1 − momentum) + value·momentum as a new tensor: the registered kernel of the current backend
 * when there is one, else {@link emaReference}. Inputs are not modified.
 */
export function ema<T extends tf.Tensor>(average: T, value: T, momentum: number): T {
  if (average.shape.join(',') !== value.shape.join(',')) {
    throw new Error(`ema: average [${average.shape}] and value [${value.shape}] must have the same shape`);
  }
  if (!tf.getKernel(EMA_KERNEL, tf.getBackend())) return emaReference(average, value, momentum);
  const attrs: EmaAttrs = { momentum };
  return tf.engine().runKernel(EMA_KERNEL, { average, value }, attrs as unknown as tf.NamedAttrMap) as T;
}
