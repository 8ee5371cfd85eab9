/**
 * The iBOT projection head (Zhou et al. 2022, arXiv 2111.07832; facebookresearch/ibot
 * models/head.py iBOTHead with shared_head=False, use_bn=False, nlayers=3, norm_last_layer=True),
 * named like the torch module so state_dict keys match:
 *   `<name>.mlp.0` Linear(D, hidden) − GELU − `<name>.mlp.2` Linear(hidden, hidden) − GELU −
 *   `<name>.mlp.4` Linear(hidden, bottleneck), applied to EVERY token (CLS and patches) →
 *   l2-normalise (eps 1e-12) →
 *   CLS:     `<name>.last_layer`  weight-normalised Linear(bottleneck, K, no bias)
 *   patches: `<name>.last_layer2` weight-normalised Linear(bottleneck, Kp, no bias)
 * The MLP is shared by both outputs; only the last layers differ (iBOT's default student head;
 * its shared_head=True would reuse last_layer for the patches, which ties Kp to K).
 * Weight norm as models/dinoHead.ts: W[:, k] = g_k·v[:, k]/‖v[:, k]‖, `weight_v` trainable
 * ([bottleneck, K] here, [K, bottleneck] in torch), `weight_g` fixed at 1 ([1, K] here, [K, 1] in
 * torch; norm_last_layer=True), so it is a buffer.
 * Init as iBOT/DINO: trunc_normal(std .02) MLP weights, zero biases; the last layers keep torch's
 * default Linear init (they are created after apply(_init_weights)).
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import { DINO_HEAD_INIT_STD } from './dinoHead';
import { linearWeightUniform, truncNormal } from './init';
import { linear, type LinearVars } from './layers';
import type { ParamStore } from './paramStore';
import { gelu } from './transformerLayers';

/** Shape of an iBOT head. */
export interface IbotHeadOptions {
  inDim: number;
  hiddenDim: number;
  bottleneckDim: number;
  /** CLS prototypes K. */
  outDim: number;
  /** Patch prototypes Kp. */
  patchOutDim: number;
}

/** A weight-normalised last layer: trainable direction v [bottleneck, K], fixed magnitude g [1, K]. */
export interface WeightNormLayer {
  v: tf.Variable;
  g: tf.Variable;
  /** State-dict names of v and g. */
  vName: string;
  gName: string;
}

/** Head outputs of a forward. */
export interface IbotHeadOutput {
  /** [B, K] */
  cls: tf.Tensor2D;
  /** [B, T, Kp], or null when no patch tokens were given */
  patches: tf.Tensor3D | null;
}

/** An iBOT head over variables of a ParamStore (and its fixed weight_g's). */
export interface IbotHead {
  lastLayer: WeightNormLayer;
  lastLayer2: WeightNormLayer;
  /** cls [B, D] and optional patch tokens [B, T, D] → logits. */
  forward(cls: tf.Tensor2D, patches: tf.Tensor3D | null): IbotHeadOutput;
  /** Disposes the weight_g variables (the store owns the rest). */
  dispose(): void;
}

/** Builds the head's variables in `store` under `name` (the weight_g's outside it: they are not trainable). */
export function createIbotHead(store: ParamStore, name: string, opts: IbotHeadOptions): IbotHead {
  for (const key of ['inDim', 'hiddenDim', 'bottleneckDim', 'outDim', 'patchOutDim'] as const) {
    const v = opts[key];
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`iBOT head "${name}": ${key} must be a positive integer, got ${v}`);
  }
  const lin = (idx: number, inDim: number, outDim: number): LinearVars => ({
    weight: store.param(`${name}.mlp.${idx}.weight`, [inDim, outDim], (rng, n) => truncNormal(rng, n, DINO_HEAD_INIT_STD)),
    bias: store.param(`${name}.mlp.${idx}.bias`, [outDim], (_rng, n) => new Float32Array(n)),
  });
  const l0 = lin(0, opts.inDim, opts.hiddenDim);
  const l2 = lin(2, opts.hiddenDim, opts.hiddenDim);
  const l4 = lin(4, opts.hiddenDim, opts.bottleneckDim);
  const weightNorm = (layer: string, outDim: number): WeightNormLayer => ({
    v: store.param(`${name}.${layer}.weight_v`, [opts.bottleneckDim, outDim], (rng) => linearWeightUniform(rng, opts.bottleneckDim, outDim)),
    g: tf.tidy(() => tf.variable(tf.ones([1, outDim]), false)), // unnamed: tfjs variable names are global
    vName: `${name}.${layer}.weight_v`,
    gName: `${name}.${layer}.weight_g`,
  });
  const lastLayer = weightNorm('last_layer', opts.outDim);
  const lastLayer2 = weightNorm('last_layer2', opts.patchOutDim);
  /** z [N, bottleneck] (unit rows) through a weight-normalised layer → [N, K]. */
  const project = (z: tf.Tensor2D, layer: WeightNormLayer): tf.Tensor2D => {
    const w = tf.mul(tf.div(layer.v, tf.norm(layer.v, 'euclidean', 0, true)), layer.g); // [bottleneck, K], unit columns × g
    return tf.matMul(z, w) as tf.Tensor2D;
  };
  return {
    lastLayer,
    lastLayer2,
    forward(cls, patches) {
      const B = cls.shape[0];
      const T = patches ? patches.shape[1] : 0;
      const D = cls.shape[1];
      const out = tf.tidy(() => {
        const tokens = patches ? tf.concat([cls, tf.reshape(patches, [B * T, D])], 0) : cls; // [B + B·T, D]
        const h = linear(gelu(linear(gelu(linear(tokens as tf.Tensor2D, l0)), l2)), l4); // [B + B·T, bottleneck]
        const z = tf.div(h, tf.maximum(tf.norm(h, 'euclidean', 1, true), 1e-12)) as tf.Tensor2D; // unit rows
        const c = project(tf.slice(z, [0, 0], [B, -1]), lastLayer); // [B, K]
        if (!patches) return [c];
        const p = project(tf.slice(z, [B, 0], [B * T, -1]), lastLayer2); // [B·T, Kp]
        return [c, tf.reshape(p, [B, T, opts.patchOutDim])];
      });
      return { cls: out[0] as tf.Tensor2D, patches: (out[1] as tf.Tensor3D | undefined) ?? null };
    },
    dispose() {
      lastLayer.g.dispose();
      lastLayer2.g.dispose();
    },
  };
}
