/**
 * Functional transformer layers over named tf.Variables, with PyTorch/timm semantics so trained
 * weights load into a timm VisionTransformer unchanged (after the exporter's [in, out] → [out, in]
 * transpose of linear weights):
 *   layerNorm       torch.nn.LayerNorm over the last axis, biased variance, eps 1e-6 (timm's ViT)
 *   gelu            the exact erf form, torch.nn.GELU() default: 0.5·x·(1 + erf(x/√2))
 *   linearTokens    nn.Linear on [B, T, in] tokens
 *   selfAttention   timm Attention: one qkv Linear (output order q | k | v, heads inside each),
 *                   softmax(q·kᵀ/√dh)·v per head, heads concatenated, proj Linear
 *   dropPathMask    timm drop_path: per sample keep with probability 1 − rate, survivors scaled by
 *                   1/(1 − rate), drawn from a seeded Rng (core/random.ts), never from tf.random*
 * Sources: Vaswani et al. 2017 (arXiv 1706.03762), Dosovitskiy et al. 2021 (arXiv 2010.11929),
 * Huang et al. 2016 stochastic depth (arXiv 1603.09382), Hendrycks & Gimpel GELU (arXiv 1606.08415).
 * erf: tfjs has an Erf kernel on cpu, webgl and webgpu (Abramowitz–Stegun 7.1.26, |error| ≤ 1.5e-7)
 * with a gradient, so no tanh approximation is needed.
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../random';
import { linear, type LinearVars } from './layers';

/** timm's ViT LayerNorm eps (partial(nn.LayerNorm, eps=1e-6)). */
export const LN_EPS = 1e-6;

/** Variables of one LayerNorm module: weight γ [D], bias β [D]. */
export interface LayerNormVars {
  weight: tf.Variable;
  bias: tf.Variable;
}

/** LayerNorm over the last axis. x: [..., D] → [..., D]. */
export function layerNorm<T extends tf.Tensor>(x: T, ln: LayerNormVars, eps = LN_EPS): T {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, -1, true); // [..., 1] each, variance biased
    const normed = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps))); // [..., D]
    return tf.add(tf.mul(normed, ln.weight), ln.bias) as T;
  });
}

/** Exact GELU, 0.5·x·(1 + erf(x/√2)), elementwise. */
export function gelu<T extends tf.Tensor>(x: T): T {
  return tf.tidy(() => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2)))) as T);
}

/** nn.Linear on tokens. x: [B, T, in], weight [in, out] → [B, T, out]. */
export function linearTokens(x: tf.Tensor3D, lin: LinearVars): tf.Tensor3D {
  const [B, T, inDim] = x.shape;
  const outDim = lin.weight.shape[1]!;
  const y = linear(tf.reshape(x, [B * T, inDim]), lin); // [B·T, out]
  return tf.reshape(y, [B, T, outDim]);
}

/** Variables of one attention module (timm names `attn.qkv`, `attn.proj`). */
export interface AttentionVars {
  /** [D, 3D] weight (+ [3D] bias); output columns are q | k | v, each split into heads h·dh … (h+1)·dh. */
  qkv: LinearVars;
  /** [D, D] weight + [D] bias. */
  proj: LinearVars;
}

/**
 * Multi-head self-attention. x: [B, T, D] → [B, T, D]; `numHeads` must divide D.
 * Same math as timm's Attention.forward (q scaled by dh^−0.5 before q·kᵀ).
 */
export function selfAttention(x: tf.Tensor3D, vars: AttentionVars, numHeads: number): tf.Tensor3D {
  const [B, T, D] = x.shape;
  if (D % numHeads !== 0) throw new RangeError(`Attention: ${numHeads} heads do not divide the token dim ${D}`);
  const dh = D / numHeads;
  return tf.tidy(() => {
    const qkv = linearTokens(x, vars.qkv); // [B, T, 3D]
    const heads = (t: tf.Tensor): tf.Tensor4D => tf.transpose(tf.reshape(t, [B, T, numHeads, dh]), [0, 2, 1, 3]); // [B, H, T, dh]
    const [q, k, v] = tf.split(qkv, 3, 2).map(heads) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
    const scores = tf.matMul(tf.mul(q, dh ** -0.5), k, false, true); // [B, H, T, T]
    const attn = tf.softmax(scores, -1); // [B, H, T, T], rows sum to 1
    const out = tf.matMul(attn, v); // [B, H, T, dh]
    const merged = tf.reshape(tf.transpose(out, [0, 2, 1, 3]), [B, T, D]) as tf.Tensor3D; // [B, T, H·dh]
    return linearTokens(merged, vars.proj); // [B, T, D]
  });
}

/**
 * The per-sample drop_path multiplier for `numSamples` samples: 0 (branch dropped) with
 * probability `rate`, else 1/(1 − rate), as timm's drop_path(scale_by_keep=True). Draws exactly
 * `numSamples` uniforms from `rng` (one per sample, in order). Returns [numSamples, 1, 1] so it
 * broadcasts over a [B, T, D] branch output.
 */
export function dropPathMask(rng: Rng, numSamples: number, rate: number): tf.Tensor3D {
  if (!(rate >= 0 && rate < 1)) throw new RangeError(`drop_path rate must be in [0, 1), got ${rate}`);
  const keep = 1 - rate;
  const values = new Float32Array(numSamples);
  for (let i = 0; i < numSamples; i++) values[i] = rng.next() < keep ? 1 / keep : 0;
  return tf.tensor3d(values, [numSamples, 1, 1]);
}
