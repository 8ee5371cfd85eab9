/**
 * The two-layer MLP heads of SimCLR and BYOL, named like a torch nn.Sequential so state_dict keys
 * match the usual PyTorch modules:
 *   `<name>.0` Linear(in, hidden, no bias) − `<name>.1` BN(hidden) − (2: ReLU) −
 *   `<name>.3` Linear(hidden, out, bias?) − optional `<name>.4` BN(out)
 * The first Linear has no bias because the BN right after it cancels one (the HVP authors'
 * SimCLRProjectionHead: "do not use bias for linear with bn").
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import { batchNorm, linear, type BatchNormVars, type BnStat } from './layers';
import type { ParamStore } from './paramStore';

/** Shape of one head. */
export interface MlpHeadOptions {
  inDim: number;
  hiddenDim: number;
  outDim: number;
  /** Bias on the output Linear (`<name>.3.bias`). */
  hasOutputBias: boolean;
  /** BN on the output (`<name>.4`, with affine weight/bias): SimCLR's use_bn_in_head. */
  hasOutputBn: boolean;
}

/** A head over variables owned by a ParamStore. */
export interface MlpHead {
  /** Every BN of the head by name (`projector.1`, …), for running-stat updates. */
  batchNorms: Map<string, BatchNormVars>;
  /** x: [B, in] → [B, out]; in training mode BN batch statistics are pushed onto `stats`. */
  forward(x: tf.Tensor2D, isTraining: boolean, stats: BnStat[]): tf.Tensor2D;
}

/** Creates the head's variables in `store` under `name` and returns its forward. */
export function createMlpHead(store: ParamStore, name: string, opts: MlpHeadOptions): MlpHead {
  for (const key of ['inDim', 'hiddenDim', 'outDim'] as const) {
    const v = opts[key];
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`Head "${name}": ${key} must be a positive integer, got ${v}`);
  }
  const batchNorms = new Map<string, BatchNormVars>();
  const bn = (bnName: string, c: number): BatchNormVars => {
    const vars = store.batchNorm(bnName, c);
    batchNorms.set(bnName, vars);
    return vars;
  };
  const lin0 = store.linear(`${name}.0`, opts.inDim, opts.hiddenDim, false);
  const bn1 = bn(`${name}.1`, opts.hiddenDim);
  const lin3 = store.linear(`${name}.3`, opts.hiddenDim, opts.outDim, opts.hasOutputBias);
  const bn4 = opts.hasOutputBn ? bn(`${name}.4`, opts.outDim) : null;
  return {
    batchNorms,
    forward(x, isTraining, stats) {
      const h = tf.relu(batchNorm(linear(x, lin0), bn1, isTraining, stats)); // [B, hidden]
      const y = linear(h, lin3); // [B, out]
      return bn4 ? batchNorm(y, bn4, isTraining, stats) : y;
    },
  };
}
