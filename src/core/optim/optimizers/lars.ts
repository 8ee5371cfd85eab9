/**
 * Reference LARS (layer-wise adaptive rate scaling) in plain tfjs ops, as in solo-learn's
 * `solo/utils/lars.py` (the optimizer solo-learn uses for SimCLR/BYOL-style pretraining; LARS itself is
 * You, Gitman & Ginsburg 2017, https://arxiv.org/abs/1708.03888).
 *
 * Per parameter w with gradient g, for parameters that are not excluded and only when ‖w‖ ≠ 0 and ‖g‖ ≠ 0:
 *   trust = η·‖w‖ / (‖g‖ + wd·‖w‖ + eps)        (clipLr: trust ← min(trust / lr, 1))
 *   d = (g + wd·w) · trust
 * otherwise d = g (excluded parameters — by default every rank ≤ 1 tensor, i.e. biases and BN affine,
 * like solo-learn's `exclude_bias_n_norm` — get neither adaptation nor weight decay). Then PyTorch SGD
 * momentum (dampening 0): buf ← m·buf + d (buf ← d on the first step); w ← w − lr·buf.
 * No norm is read back to the CPU: the zero-norm test is a tensor `where`.
 * The fused WebGPU version is gpu/kernels/larsUpdate.ts; both keep state under the same names.
 * Must not import: gpu/, worker/, ui/, DOM or worker globals.
 */
import * as tf from '@tensorflow/tfjs';
import type { Optimizer } from '../optimizer';
import { createMomentumBuffers } from './sgd';

/** Options of LARS. */
export interface LarsOptions {
  /** Momentum factor; 0 disables the buffer. solo-learn default 0.9. */
  momentum: number;
  /** Weight decay, applied (inside the trust ratio) only to adapted parameters. e.g. 1e-5 … 1e-6. */
  weightDecay: number;
  /** Trust coefficient η. solo-learn default 1e-3; its CIFAR SimCLR configs use 0.02. */
  eta: number;
  /** Added to the trust-ratio denominator. Default 1e-8 (solo-learn). */
  eps?: number;
  /** solo-learn `clip_lr`: trust ← min(trust / lr, 1), i.e. the adaptive step never exceeds lr. Default false. */
  clipLr?: boolean;
  /**
   * True for parameters excluded from adaptation and weight decay.
   * Default: rank ≤ 1 (biases, BN scale/shift), as solo-learn's `exclude_bias_n_norm: True`.
   */
  isExcluded?: (name: string, param: tf.Variable) => boolean;
}

/** Default exclusion rule of LARS: biases and BN affine parameters (every tensor of rank ≤ 1). */
export const larsDefaultExcluded = (_name: string, param: tf.Variable): boolean => param.rank <= 1;

/**
 * The LARS-scaled direction d of one parameter (before momentum), in plain tfjs ops.
 * Exported for tests; `lr` only matters with `clipLr`.
 */
export function larsDirection(
  w: tf.Tensor,
  g: tf.Tensor,
  lr: number,
  opts: Pick<LarsOptions, 'weightDecay' | 'eta' | 'eps' | 'clipLr'>,
): tf.Tensor {
  return tf.tidy(() => {
    const wd = opts.weightDecay;
    const pNorm = tf.norm(w);
    const gNorm = tf.norm(g);
    const isAdapted = tf.logicalAnd(pNorm.greater(0), gNorm.greater(0));
    let trust = pNorm.div(gNorm.add(pNorm.mul(wd)).add(opts.eps ?? 1e-8)).mul(opts.eta);
    if (opts.clipLr) trust = tf.minimum(trust.div(lr), 1);
    const scale = tf.where(isAdapted, trust, tf.onesLike(trust));
    const wdEff = tf.where(isAdapted, tf.scalar(wd), tf.scalar(0));
    return g.add(w.mul(wdEff)).mul(scale);
  });
}

/**
 * Reference LARS with momentum. State: `<name>.momentum` (absent until the first step, and when
 * momentum is 0).
 */
export function createLars(opts: LarsOptions): Optimizer {
  const isExcluded = opts.isExcluded ?? larsDefaultExcluded;
  const buffers = createMomentumBuffers(opts.momentum);
  return {
    apply(params, grads, lr, stepWeightDecay) {
      const o = stepWeightDecay === undefined ? opts : { ...opts, weightDecay: stepWeightDecay };
      for (const [name, g] of grads) {
        const w = params.get(name);
        if (!w) throw new Error(`Optimizer got a gradient for unknown parameter "${name}"`);
        tf.tidy(() => buffers.step(name, w, isExcluded(name, w) ? g : larsDirection(w, g, lr, o), lr));
        g.dispose();
      }
    },
    state: () => buffers.state(),
    loadState: (state, params) => buffers.load(state, params, 'LARS'),
    dispose: () => buffers.dispose(),
  };
}
