/**
 * CIFAR-style ResNet backbone (He et al. 2016, arXiv 1512.03385; the CIFAR stem as in the HVP
 * authors' models/resnet_cifar.py, solo-learn and lightly): 3×3 stride-1 stem conv (no bias) +
 * BN + ReLU and NO max-pool, four stages of BasicBlocks with widths w, 2w, 4w, 8w (stride 2 at
 * the first block of stages 2–4, 1×1 conv + BN downsample when the shape changes), global
 * average pool → features [B, 8w]. The classifier `fc` is omitted (SimSiam replaces it).
 *
 * Parameter names are torchvision's state_dict keys exactly (`conv1.weight`, `bn1.running_var`,
 * `layer2.0.downsample.0.weight`, `layer2.0.downsample.1.weight`, …), under an optional prefix.
 * Initialisation follows torchvision ResNet (kaiming-normal fan_out convs, BN 1/0) and, with
 * `zeroInitResidual`, bn2 of every BasicBlock starts at γ = 0.
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import type { ResNetName } from '../config/runConfig';
import { batchNorm, conv2d, globalAvgPool, type BatchNormVars, type BnStat } from './layers';
import type { ParamStore } from './paramStore';

/** BasicBlocks per stage of each layout. */
export const RESNET_LAYOUTS: Readonly<Record<ResNetName, readonly [number, number, number, number]>> = {
  resnet10: [1, 1, 1, 1],
  resnet18: [2, 2, 2, 2],
};

/** Options of the backbone builder. */
export interface ResNetCifarOptions {
  backbone: ResNetName;
  /** Width w of the first stage; stages are w, 2w, 4w, 8w. */
  width: number;
  /** Prefix of every parameter name, e.g. 'backbone.' ('' for bare torchvision keys). */
  prefix?: string;
  /** Start the last BN of every block at γ = 0 (torchvision zero_init_residual). Default true. */
  zeroInitResidual?: boolean;
}

/** A CIFAR ResNet over variables owned by a ParamStore. */
export interface ResNetCifar {
  /** Feature dimension 8w. */
  featureDim: number;
  /** Every BN module of the backbone by name (prefixed), for running-stat updates. */
  batchNorms: Map<string, BatchNormVars>;
  /**
   * x: [B, S, S, 3] normalised images → pooled features [B, 8w]. In training mode the batch
   * statistics of every BN are pushed onto `stats`.
   */
  forward(x: tf.Tensor4D, isTraining: boolean, stats: BnStat[]): tf.Tensor2D;
}

interface BasicBlock {
  stride: number;
  conv1: tf.Variable;
  bn1: BatchNormVars;
  conv2: tf.Variable;
  bn2: BatchNormVars;
  downsample?: { conv: tf.Variable; bn: BatchNormVars };
}

/** Creates the backbone's variables in `store` (torchvision names) and returns its forward. */
export function createResNetCifar(store: ParamStore, opts: ResNetCifarOptions): ResNetCifar {
  const prefix = opts.prefix ?? '';
  const zeroInit = opts.zeroInitResidual ?? true;
  const w = opts.width;
  if (!Number.isInteger(w) || w < 1) throw new RangeError(`Backbone width must be a positive integer, got ${w}`);
  const layout = RESNET_LAYOUTS[opts.backbone];
  if (!layout) throw new RangeError(`Unknown backbone "${opts.backbone}"`);
  const batchNorms = new Map<string, BatchNormVars>();
  const bnOf = (name: string, c: number, isZeroGamma = false): BatchNormVars => {
    const bn = store.batchNorm(prefix + name, c, { isZeroGamma });
    batchNorms.set(bn.name, bn);
    return bn;
  };

  const stemConv = store.convWeight(`${prefix}conv1.weight`, 3, 3, w);
  const stemBn = bnOf('bn1', w);
  const stages: BasicBlock[][] = [];
  let inPlanes = w;
  layout.forEach((numBlocks, s) => {
    const planes = w * 2 ** s;
    const blocks: BasicBlock[] = [];
    for (let b = 0; b < numBlocks; b++) {
      const name = `layer${s + 1}.${b}`;
      const stride = s > 0 && b === 0 ? 2 : 1;
      const block: BasicBlock = {
        stride,
        conv1: store.convWeight(`${prefix}${name}.conv1.weight`, 3, inPlanes, planes),
        bn1: bnOf(`${name}.bn1`, planes),
        conv2: store.convWeight(`${prefix}${name}.conv2.weight`, 3, planes, planes),
        bn2: bnOf(`${name}.bn2`, planes, zeroInit),
      };
      if (stride !== 1 || inPlanes !== planes) {
        block.downsample = {
          conv: store.convWeight(`${prefix}${name}.downsample.0.weight`, 1, inPlanes, planes),
          bn: bnOf(`${name}.downsample.1`, planes),
        };
      }
      blocks.push(block);
      inPlanes = planes;
    }
    stages.push(blocks);
  });

  const blockForward = (x: tf.Tensor4D, blk: BasicBlock, isTraining: boolean, stats: BnStat[]): tf.Tensor4D => {
    let out = tf.relu(batchNorm(conv2d(x, blk.conv1, blk.stride, 1), blk.bn1, isTraining, stats));
    out = batchNorm(conv2d(out, blk.conv2, 1, 1), blk.bn2, isTraining, stats);
    const identity = blk.downsample
      ? batchNorm(conv2d(x, blk.downsample.conv, blk.stride, 0), blk.downsample.bn, isTraining, stats)
      : x;
    return tf.relu(tf.add(out, identity)) as tf.Tensor4D;
  };

  return {
    featureDim: inPlanes,
    batchNorms,
    forward(x, isTraining, stats) {
      if (x.rank !== 4 || x.shape[3] !== 3) throw new Error(`Backbone expects [B, S, S, 3] input, got [${x.shape}]`);
      let h = tf.relu(batchNorm(conv2d(x, stemConv, 1, 1), stemBn, isTraining, stats)); // [B, S, S, w]
      for (const blocks of stages) for (const blk of blocks) h = blockForward(h, blk, isTraining, stats);
      return globalAvgPool(h); // [B, 8w]
    },
  };
}
