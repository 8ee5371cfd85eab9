/**
 * The BYOL model (Grill et al. 2020, "Bootstrap Your Own Latent", arXiv 2006.07733):
 *   online  backbone (`backbone.*`, CIFAR ResNet or ViT, models/backbone.ts) → projector (`projector.*`) → predictor (`predictor.*`)
 *   target  an EMA copy of backbone + projector, kept in `buffers` as `target.backbone.*`,
 *           `target.projector.*` (so checkpoints save it like any buffer)
 * Heads (models/mlpHead.ts): projector Linear(F, F, no bias) − BN − ReLU − Linear(F, D) and
 * predictor Linear(D, H, no bias) − BN − ReLU − Linear(H, D); F = backbone features, D = projDim,
 * H = predHiddenDim. (BYOL / solo-learn: hidden 4096; here the projector's hidden is F, as our
 * SimSiam and SimCLR models, so the heads scale with backboneWidth.)
 *
 * Target BatchNorm: the target runs in TRAINING mode in every training and selection forward (batch
 * statistics), as torch BYOL implementations whose target module is in train mode with the rest
 * of the model (solo-learn). Its running stats are updated by its own forwards (momentum 0.1) and
 * are NOT averaged: the EMA (train/ema.ts) covers trainable parameters only, as solo-learn's
 * MomentumUpdater over `parameters()`. They are used only by eval-mode forwards (probe gallery).
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import type { RunConfig } from '../config/runConfig';
import { emaUpdate, type EmaPair } from '../optim/ema';
import { createBackbone, type Backbone, type BackboneConfig } from './backbone';
import { createBnRegistry, tidyWithStats } from './bnRegistry';
import type { BnStat } from './layers';
import { createMlpHead, type MlpHead } from './mlpHead';
import { createParamStore, type ParamStore } from './paramStore';

/** Name prefix of the target network's tensors. */
export const TARGET_PREFIX = 'target.';

/** Online forward: backbone features [B, F] and predictions p [B, D]. */
export interface ByolOnlineOutput {
  features: tf.Tensor2D;
  p: tf.Tensor2D;
  /** Batch statistics of every online BN (training mode); empty in eval mode. */
  bnStats: BnStat[];
}

/** Target forward: projections z' [B, D]. */
export interface ByolTargetOutput {
  z: tf.Tensor2D;
  /** Batch statistics of every target BN (`target.…`, training mode); empty in eval mode. */
  bnStats: BnStat[];
}

/** A BYOL model: online and target networks over named variables. */
export interface ByolModel {
  /** Online trainable variables. */
  params: Map<string, tf.Variable>;
  /** Online BN running stats and every target tensor (`target.*`). */
  buffers: Map<string, tf.Variable>;
  /** Backbone feature dimension F. */
  featureDim: number;
  /** x: [B, S, S, 3]. No data reads; the caller owns (or keeps) the bnStats. */
  online(x: tf.Tensor4D, isTraining: boolean): ByolOnlineOutput;
  /** x: [B, S, S, 3]. No gradient reaches any variable (the target is not trainable). */
  target(x: tf.Tensor4D, isTraining: boolean): ByolTargetOutput;
  /** Online backbone features in eval mode: [B, F]. */
  embed(x: tf.Tensor4D): tf.Tensor2D;
  /** Starts training step `stepIdx` (0-based): seeds the online backbone's stochastic layers (ViT drop_path). */
  beginStep(stepIdx: number): void;
  /** Running-stat update of online or target BNs by stat name. NOTE: disposes the stat tensors. */
  updateRunningStats(stats: BnStat[]): void;
  /** target ← τ·target + (1 − τ)·online for every backbone and projector parameter. NOTE: mutates the target. */
  updateTarget(momentum: number): void;
  isNoDecay(name: string): boolean;
  dispose(): void;
}

/** The config fields a BYOL model is built from. */
export type ByolConfig = BackboneConfig & Pick<RunConfig, 'projDim' | 'predHiddenDim'>;

/** Backbone + projector built in `store` under `prefix` ('' online, 'target.' target). */
function buildEncoder(store: ParamStore, cfg: ByolConfig, prefix: string): { backbone: Backbone; projector: MlpHead } {
  const backbone = createBackbone(store, cfg, `${prefix}backbone.`);
  const f = backbone.featureDim;
  const projector = createMlpHead(store, `${prefix}projector`, { inDim: f, hiddenDim: f, outDim: cfg.projDim, hasOutputBias: true, hasOutputBn: false });
  return { backbone, projector };
}

/** Builds a BYOL model with online weights drawn from `seed`; the target starts as an exact copy. */
export function createByolModel(cfg: ByolConfig, seed: number): ByolModel {
  const store = createParamStore(seed, 'byol');
  const online = buildEncoder(store, cfg, '');
  const f = online.backbone.featureDim;
  const predictor = createMlpHead(store, 'predictor', { inDim: cfg.projDim, hiddenDim: cfg.predHiddenDim, outDim: cfg.projDim, hasOutputBias: true, hasOutputBn: false });

  // The target is built by the same code in its own store, then overwritten with the online values
  // and made non-trainable; its variables join the online BN stats in `buffers`.
  const targetStore = createParamStore(seed, 'byol_target');
  // No stochastic depth in the target (as DINO's teacher): its outputs are regression targets.
  const target = buildEncoder(targetStore, cfg.vitDropPath === undefined ? cfg : { ...cfg, vitDropPath: 0 }, TARGET_PREFIX);
  const buffers = new Map(store.buffers);
  const emaPairs: EmaPair[] = [];
  for (const [name, v] of [...targetStore.params, ...targetStore.buffers]) {
    const onlineName = name.slice(TARGET_PREFIX.length);
    const src = store.params.get(onlineName) ?? store.buffers.get(onlineName);
    if (!src || src.shape.join() !== v.shape.join()) throw new Error(`BYOL target tensor "${name}" has no online counterpart of shape [${v.shape}]`);
    v.assign(src);
    v.trainable = false;
    buffers.set(name, v);
    if (store.params.has(onlineName)) emaPairs.push({ target: v, online: src });
  }
  const bns = createBnRegistry(online.backbone.batchNorms, online.projector.batchNorms, predictor.batchNorms, target.backbone.batchNorms, target.projector.batchNorms);

  return {
    params: store.params,
    buffers,
    featureDim: f,
    online(x, isTraining) {
      const { out, bnStats } = tidyWithStats((stats) => {
        const features = online.backbone.forward(x, isTraining, stats); // [B, F]
        const z = online.projector.forward(features, isTraining, stats); // [B, D]
        return { features, p: predictor.forward(z, isTraining, stats) }; // p: [B, D]
      });
      return { features: out.features, p: out.p, bnStats };
    },
    target(x, isTraining) {
      const { out, bnStats } = tidyWithStats((stats) => ({ z: target.projector.forward(target.backbone.forward(x, isTraining, stats), isTraining, stats) })); // z: [B, D]
      return { z: out.z, bnStats };
    },
    embed(x) {
      return tf.tidy(() => online.backbone.forward(x, false, []));
    },
    beginStep(stepIdx) {
      online.backbone.beginStep(stepIdx);
      target.backbone.beginStep(stepIdx);
    },
    updateRunningStats: (stats) => bns.updateRunningStats(stats),
    updateTarget(momentum) {
      emaUpdate(emaPairs, momentum);
    },
    isNoDecay: (name) => online.backbone.isNoDecay(name) || bns.isNoDecay(name),
    dispose() {
      store.dispose();
      targetStore.dispose();
    },
  };
}
