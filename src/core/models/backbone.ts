/**
 * The backbone factory: the run config's `backbone` → the CIFAR ResNet (models/resnetCifar.ts) or
 * the ViT (models/vit.ts) behind one interface. Every pair method (SimSiam, SimCLR, BYOL) builds
 * its encoder(s) here, so a new backbone needs no method changes.
 *
 * Randomness inside the forward (the ViT's drop_path) must repeat exactly in a rerun and after a
 * resume, so it is keyed by position, not by a running generator:
 *   seed of a training forward = deriveSeed(store.seed, `drop_path:<prefix>:<stepIdx>:<callIdx>`)
 * where stepIdx is the 0-based index of the training step (set by `beginStep`, which the method's
 * HvpMethod.beginStep forwards from the trainer) and callIdx counts the training-mode forwards of
 * this backbone within that step (SimSiam with HVP: 0 = selection forward of all views, 1 and 2 =
 * the two training views). The prefix keeps two backbones of one model (e.g. an EMA target)
 * independent. Nothing is stored, so checkpoints need no extra state.
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import type * as tf from '@tensorflow/tfjs';
import { isResNet, type BackboneName, type RunConfig } from '../config/runConfig';
import { createRng, deriveSeed } from '../random';
import type { BatchNormVars, BnStat } from './layers';
import type { ParamStore } from './paramStore';
import { createResNetCifar } from './resnetCifar';
import { createVit } from './vit';

/** The config fields a backbone is built from; the vit* fields and imageSize are needed for 'vit' only. */
export type BackboneConfig = Pick<RunConfig, 'backbone' | 'backboneWidth'> &
  Partial<Pick<RunConfig, 'imageSize' | 'vitPatchSize' | 'vitDim' | 'vitDepth' | 'vitHeads' | 'vitDropPath'>>;

/** A feature extractor over variables owned by a ParamStore. */
export interface Backbone {
  readonly kind: BackboneName;
  /** Feature dim F of forward's output. */
  readonly featureDim: number;
  /** Every BatchNorm of the backbone by (prefixed) name, for running-stat updates; empty for the ViT. */
  readonly batchNorms: Map<string, BatchNormVars>;
  /** Whether the forward is random in training mode (ViT with drop_path > 0). */
  readonly isStochastic: boolean;
  /**
   * x: [B, S, S, 3] normalised images → features [B, F]. In training mode BN batch statistics
   * are pushed onto `stats` and stochastic layers draw from this step's stream (see beginStep).
   */
  forward(x: tf.Tensor4D, isTraining: boolean, stats: BnStat[]): tf.Tensor2D;
  /**
   * Starts training step `stepIdx` (0-based: the steps completed before it): training forwards
   * from now on are seeded by (stepIdx, their order within the step). Required before a training
   * forward of a stochastic backbone.
   */
  beginStep(stepIdx: number): void;
  /** Backbone params without weight decay: BN affine (ResNet); biases, LayerNorms, pos_embed, cls_token (ViT). */
  isNoDecay(name: string): boolean;
}

/** Seed of the `callIdx`-th training forward in step `stepIdx` of the backbone named by `prefix`. */
export function forwardNoiseSeed(storeSeed: number, prefix: string, stepIdx: number, callIdx: number): number {
  return deriveSeed(storeSeed, `drop_path:${prefix}:${stepIdx}:${callIdx}`);
}

/** Value of a vit* field, or a RangeError naming it when the config lacks it. */
function need(cfg: BackboneConfig, key: 'imageSize' | 'vitPatchSize' | 'vitDim' | 'vitDepth' | 'vitHeads' | 'vitDropPath'): number {
  const v = cfg[key];
  if (v === undefined) throw new RangeError(`The vit backbone needs "${key}" in the config`);
  return v;
}

/** Builds the configured backbone's variables in `store` under `prefix` and returns it. */
export function createBackbone(store: ParamStore, cfg: BackboneConfig, prefix = 'backbone.'): Backbone {
  const kind = cfg.backbone;
  if (isResNet(kind)) {
    const net = createResNetCifar(store, { backbone: kind, width: cfg.backboneWidth, prefix });
    const bnAffine = new Set<string>();
    for (const bn of net.batchNorms.values()) bnAffine.add(`${bn.name}.weight`).add(`${bn.name}.bias`);
    return {
      kind,
      featureDim: net.featureDim,
      batchNorms: net.batchNorms,
      isStochastic: false,
      forward: (x, isTraining, stats) => net.forward(x, isTraining, stats),
      beginStep: (stepIdx) => checkStepIdx(stepIdx),
      isNoDecay: (name) => bnAffine.has(name),
    };
  }
  if (kind !== 'vit') throw new RangeError(`Unknown backbone "${String(kind)}"`);
  const vit = createVit(store, {
    imageSize: need(cfg, 'imageSize'),
    patchSize: need(cfg, 'vitPatchSize'),
    dim: need(cfg, 'vitDim'),
    depth: need(cfg, 'vitDepth'),
    numHeads: need(cfg, 'vitHeads'),
    dropPath: need(cfg, 'vitDropPath'),
    prefix,
  });
  const isStochastic = vit.dropPathRates.some((r) => r > 0);
  let stepIdx: number | null = null;
  let callIdx = 0;
  return {
    kind,
    featureDim: vit.featureDim,
    batchNorms: new Map(),
    isStochastic,
    forward(x, isTraining) {
      if (!isTraining || !isStochastic) return vit.forward(x, isTraining, null);
      if (stepIdx === null) {
        throw new Error(`The ViT backbone "${prefix}" has drop_path ${need(cfg, 'vitDropPath')}: call beginStep(stepIdx) before its training forwards, so its masks are seeded by the step (HvpMethod.beginStep).`);
      }
      const rng = createRng(forwardNoiseSeed(store.seed, prefix, stepIdx, callIdx++));
      return vit.forward(x, true, rng);
    },
    beginStep(s) {
      checkStepIdx(s);
      stepIdx = s;
      callIdx = 0;
    },
    isNoDecay: (name) => vit.isNoDecay(name),
  };
}

function checkStepIdx(stepIdx: number): void {
  if (!Number.isSafeInteger(stepIdx) || stepIdx < 0) throw new RangeError(`beginStep: the step index must be a non-negative integer, got ${stepIdx}`);
}
