/**
 * The DINO projection head (Caron et al. 2021, arXiv 2104.14294; facebookresearch/dino
 * vision_transformer.py DINOHead with use_bn=False, nlayers=3, norm_last_layer=True), named like
 * the torch module so state_dict keys match:
 *   `<name>.mlp.0` Linear(in, hidden) − GELU − `<name>.mlp.2` Linear(hidden, hidden) − GELU −
 *   `<name>.mlp.4` Linear(hidden, bottleneck) → l2-normalise (F.normalize, eps 1e-12) →
 *   `<name>.last_layer` weight-normalised Linear(bottleneck, K, no bias):
 *       W[:, k] = g_k · v[:, k] / ‖v[:, k]‖   (torch weight_norm, dim 0 of the [K, bottleneck] weight)
 * `weight_v` is trainable ([bottleneck, K] here, [K, bottleneck] in torch after the exporter's
 * transpose); `weight_g` ([1, K] here, [K, 1] in torch) is fixed at 1 (norm_last_layer=True sets
 * requires_grad False), so it is a buffer and never updated.
 * Init as DINO: trunc_normal(std .02) MLP weights, zero biases; the last layer keeps torch's default
 * Linear init (it is created after DINOHead's apply(_init_weights)).
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import { linearWeightUniform, truncNormal } from './init';
import { linear, type LinearVars } from './layers';
import type { ParamStore } from './paramStore';
import { gelu } from './transformerLayers';

/** Std of the truncated-normal init of the MLP weights (DINO). */
export const DINO_HEAD_INIT_STD = 0.02;

/** Shape of a DINO head. */
export interface DinoHeadOptions {
  inDim: number;
  hiddenDim: number;
  bottleneckDim: number;
  /** Prototypes K. */
  outDim: number;
}

/** A DINO head over variables of a ParamStore (and its fixed weight_g). */
export interface DinoHead {
  /** The weight-normalised last layer's trainable direction v, [bottleneck, K]. */
  lastLayerV: tf.Variable;
  /** Its fixed magnitude g (all ones), [1, K]; listed in the model's buffers under `gName`. */
  lastLayerG: tf.Variable;
  gName: string;
  /** x: [B, in] → logits [B, K]. */
  forward(x: tf.Tensor2D): tf.Tensor2D;
  dispose(): void;
}

/** Builds the head's variables in `store` under `name` (weight_g outside it: it is not trainable). */
export function createDinoHead(store: ParamStore, name: string, opts: DinoHeadOptions): DinoHead {
  for (const key of ['inDim', 'hiddenDim', 'bottleneckDim', 'outDim'] as const) {
    const v = opts[key];
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`DINO head "${name}": ${key} must be a positive integer, got ${v}`);
  }
  const lin = (idx: number, inDim: number, outDim: number): LinearVars => ({
    weight: store.param(`${name}.mlp.${idx}.weight`, [inDim, outDim], (rng, n) => truncNormal(rng, n, DINO_HEAD_INIT_STD)),
    bias: store.param(`${name}.mlp.${idx}.bias`, [outDim], (_rng, n) => new Float32Array(n)),
  });
  const l0 = lin(0, opts.inDim, opts.hiddenDim);
  const l2 = lin(2, opts.hiddenDim, opts.hiddenDim);
  const l4 = lin(4, opts.hiddenDim, opts.bottleneckDim);
  const lastLayerV = store.param(`${name}.last_layer.weight_v`, [opts.bottleneckDim, opts.outDim], (rng) => linearWeightUniform(rng, opts.bottleneckDim, opts.outDim));
  const lastLayerG = tf.tidy(() => tf.variable(tf.ones([1, opts.outDim]), false)); // unnamed: tfjs names are global
  return {
    lastLayerV,
    lastLayerG,
    gName: `${name}.last_layer.weight_g`,
    forward(x) {
      return tf.tidy(() => {
        const h = linear(gelu(linear(gelu(linear(x, l0)), l2)), l4); // [B, bottleneck]
        const z = tf.div(h, tf.maximum(tf.norm(h, 'euclidean', 1, true), 1e-12)); // [B, bottleneck], unit rows
        const vNorm = tf.norm(lastLayerV, 'euclidean', 0, true); // [1, K]
        const w = tf.mul(tf.div(lastLayerV, vNorm), lastLayerG); // [bottleneck, K], unit columns × g
        return tf.matMul(z, w) as tf.Tensor2D; // [B, K]
      });
    },
    dispose: () => lastLayerG.dispose(),
  };
}
