/**
 * The SimSiam model (Chen & He 2021, "Exploring Simple Siamese Representation Learning",
 * arXiv 2011.10566), shaped as the HVP authors' builder.py builds it for resnet_cifar backbones:
 *   backbone  CIFAR ResNet or ViT (models/backbone.ts) → features [B, F]      (`backbone.*`)
 *   projector Linear(F, F, no bias) − BN − ReLU − Linear(F, D, no bias) − BN(affine=False)
 *             (`projector.0.weight`, `projector.1.*`, `projector.3.weight`, `projector.4.running_*`)
 *   predictor Linear(D, H, no bias) − BN − ReLU − Linear(H, D)
 *             (`predictor.0.weight`, `predictor.1.*`, `predictor.3.weight`, `predictor.3.bias`)
 * with torchvision's zero_init_residual=True. The stop-gradient on z belongs to the loss
 * (methods/simsiam.ts), not to this forward.
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import type { RunConfig } from '../config/runConfig';
import { createBackbone, type BackboneConfig } from './backbone';
import { createBnRegistry, tidyWithStats } from './bnRegistry';
import { batchNorm, linear, type BatchNormVars, type BnStat } from './layers';
import { createParamStore } from './paramStore';

/** Batch statistics of one BN call in training mode (defined with the layers, re-exported here). */
export type { BnStat } from './layers';

/** Outputs of one SimSiam forward. */
export interface SimSiamOutput {
  /** Backbone features, [B, F]. */
  features: tf.Tensor2D;
  /** Projections, [B, D]. */
  z: tf.Tensor2D;
  /** Predictions, [B, D]. */
  p: tf.Tensor2D;
  /** Batch statistics of every BN (training mode); empty in eval mode. */
  bnStats: BnStat[];
}

/** A SimSiam model over named variables. */
export interface SimSiamModel {
  /** Trainable variables by name. */
  params: Map<string, tf.Variable>;
  /** Non-trainable buffers (BN running_mean/running_var) by name. */
  buffers: Map<string, tf.Variable>;
  /** Backbone feature dimension F (8·backboneWidth for a ResNet, vitDim for the ViT). */
  featureDim: number;
  /**
   * x: [B, S, S, 3] normalised images. Usable inside tf.variableGrads (no data reads); the caller
   * must tf.keep() the bnStats it wants to outlive an enclosing tidy.
   */
  forward(x: tf.Tensor4D, isTraining: boolean): SimSiamOutput;
  /** Backbone features in eval mode (running stats), for kNN: [B, F]. */
  embed(x: tf.Tensor4D): tf.Tensor2D;
  /** Starts training step `stepIdx` (0-based): seeds the backbone's stochastic layers (ViT drop_path). */
  beginStep(stepIdx: number): void;
  /** Running-stat update from bnStats (momentum 0.1). NOTE: disposes the stat tensors. */
  updateRunningStats(stats: BnStat[]): void;
  /** Names of params that get no weight decay (BN affine, biases; ViT LayerNorms, pos_embed, cls_token). */
  isNoDecay(name: string): boolean;
  /** Disposes every variable of the model. */
  dispose(): void;
}

/**
 * Builds a SimSiam model with weights drawn deterministically from `seed`
 * (pass e.g. deriveSeed(runSeed, 'model')).
 */
export function createSimSiamModel(
  cfg: BackboneConfig & Pick<RunConfig, 'projDim' | 'predHiddenDim'>,
  seed: number,
): SimSiamModel {
  for (const key of ['backboneWidth', 'projDim', 'predHiddenDim'] as const) {
    const v = cfg[key];
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`SimSiam ${key} must be a positive integer, got ${v}`);
  }
  const store = createParamStore(seed, 'simsiam');
  const backbone = createBackbone(store, cfg, 'backbone.');
  const f = backbone.featureDim;
  const d = cfg.projDim;
  const h = cfg.predHiddenDim;

  const headBatchNorms = new Map<string, BatchNormVars>();
  const bn = (name: string, c: number, isAffine = true): BatchNormVars => {
    const vars = store.batchNorm(name, c, { isAffine });
    headBatchNorms.set(name, vars);
    return vars;
  };
  const proj0 = store.linear('projector.0', f, f, false);
  const proj1 = bn('projector.1', f);
  const proj3 = store.linear('projector.3', f, d, false);
  const proj4 = bn('projector.4', d, false);
  const pred0 = store.linear('predictor.0', d, h, false);
  const pred1 = bn('predictor.1', h);
  const pred3 = store.linear('predictor.3', h, d, true);

  const bns = createBnRegistry(backbone.batchNorms, headBatchNorms);

  const heads = (features: tf.Tensor2D, isTraining: boolean, stats: BnStat[]): { z: tf.Tensor2D; p: tf.Tensor2D } => {
    let t = tf.relu(batchNorm(linear(features, proj0), proj1, isTraining, stats)); // [B, F]
    const z = batchNorm(linear(t, proj3), proj4, isTraining, stats); // [B, D]
    t = tf.relu(batchNorm(linear(z, pred0), pred1, isTraining, stats)); // [B, H]
    const p = linear(t, pred3); // [B, D]
    return { z, p };
  };

  return {
    params: store.params,
    buffers: store.buffers,
    featureDim: f,
    forward(x, isTraining) {
      const { out, bnStats } = tidyWithStats((stats) => {
        const features = backbone.forward(x, isTraining, stats);
        return { features, ...heads(features, isTraining, stats) };
      });
      return { ...out, bnStats };
    },
    embed(x) {
      return tf.tidy(() => backbone.forward(x, false, []));
    },
    beginStep(stepIdx) {
      backbone.beginStep(stepIdx);
    },
    updateRunningStats: (stats) => bns.updateRunningStats(stats),
    isNoDecay(name) {
      return bns.isNoDecay(name) || backbone.isNoDecay(name);
    },
    dispose() {
      store.dispose();
    },
  };
}
