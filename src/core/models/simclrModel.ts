/**
 * The SimCLR model (Chen et al. 2020, "A Simple Framework for Contrastive Learning of Visual
 * Representations", arXiv 2002.05709), shaped as the HVP authors' simclr branch builds it
 * (automl/hvp methods/simclr.py, SimCLRProjectionHead with use_bn=True, num_layers=2):
 *   backbone  CIFAR ResNet or ViT (models/backbone.ts) → features [B, F]       (`backbone.*`)
 *   projector Linear(F, F, no bias) − BN − ReLU − Linear(F, D, no bias) − BN   (`projector.0.weight`,
 *             `projector.1.*`, `projector.3.weight`, `projector.4.*`)
 * Deviations from the authors, on purpose: the hidden width is the backbone width F (authors: 2048
 * for a 512-d ResNet-18), as our SimSiam model, so the head scales with the backboneWidth setting;
 * D = config.projDim (authors: 128). The output Linear has no bias because the BN after it
 * cancels it (the authors' head does the same).
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import type { RunConfig } from '../config/runConfig';
import { createBackbone, type BackboneConfig } from './backbone';
import { createBnRegistry, tidyWithStats } from './bnRegistry';
import type { BnStat } from './layers';
import { createMlpHead } from './mlpHead';
import { createParamStore } from './paramStore';

/** Outputs of one SimCLR forward. */
export interface SimClrOutput {
  /** Backbone features, [B, F]. */
  features: tf.Tensor2D;
  /** Projections (NT-Xent inputs, not normalised), [B, D]. */
  z: tf.Tensor2D;
  /** Batch statistics of every BN (training mode); empty in eval mode. */
  bnStats: BnStat[];
}

/** A SimCLR model over named variables. */
export interface SimClrModel {
  params: Map<string, tf.Variable>;
  /** BN running_mean / running_var by name. */
  buffers: Map<string, tf.Variable>;
  /** Backbone feature dimension F (8·backboneWidth for a ResNet, vitDim for the ViT). */
  featureDim: number;
  /** x: [B, S, S, 3] normalised images. No data reads; the caller owns (or keeps) the bnStats. */
  forward(x: tf.Tensor4D, isTraining: boolean): SimClrOutput;
  /** Backbone features in eval mode (running stats): [B, F]. */
  embed(x: tf.Tensor4D): tf.Tensor2D;
  /** Starts training step `stepIdx` (0-based): seeds the backbone's stochastic layers (ViT drop_path). */
  beginStep(stepIdx: number): void;
  /** Running-stat update (momentum 0.1). NOTE: disposes the stat tensors. */
  updateRunningStats(stats: BnStat[]): void;
  /** BN affine params and biases (and the ViT's LayerNorms, pos_embed, cls_token). */
  isNoDecay(name: string): boolean;
  dispose(): void;
}

/** Builds a SimCLR model with weights drawn deterministically from `seed`. */
export function createSimClrModel(cfg: BackboneConfig & Pick<RunConfig, 'projDim'>, seed: number): SimClrModel {
  const store = createParamStore(seed, 'simclr');
  const backbone = createBackbone(store, cfg, 'backbone.');
  const f = backbone.featureDim;
  const projector = createMlpHead(store, 'projector', { inDim: f, hiddenDim: f, outDim: cfg.projDim, hasOutputBias: false, hasOutputBn: true });
  const bns = createBnRegistry(backbone.batchNorms, projector.batchNorms);

  return {
    params: store.params,
    buffers: store.buffers,
    featureDim: f,
    forward(x, isTraining) {
      const { out, bnStats } = tidyWithStats((stats) => {
        const features = backbone.forward(x, isTraining, stats); // [B, F]
        return { features, z: projector.forward(features, isTraining, stats) }; // z: [B, D]
      });
      return { features: out.features, z: out.z, bnStats };
    },
    embed(x) {
      return tf.tidy(() => backbone.forward(x, false, []));
    },
    beginStep: (stepIdx) => backbone.beginStep(stepIdx),
    updateRunningStats: (stats) => bns.updateRunningStats(stats),
    isNoDecay: (name) => backbone.isNoDecay(name) || bns.isNoDecay(name),
    dispose: () => store.dispose(),
  };
}
