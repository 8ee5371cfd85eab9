/**
 * One HVP training step on the device (Hard View Pretraining, arXiv 2310.03940, Alg. 1;
 * authors' select_crops.py `select_crops_cross` for SimSiam):
 *   1. selection forward of all N·M views without a tape, BatchNorm in training mode (as the
 *      authors: batch statistics over all N·M views, running stats updated);
 *   2. per-sample SimSiam loss of every pair, keep per image the highest (hard) or lowest (easy),
 *      ties to the earlier pair: one op, core/ops/pairSelect (the WGSL kernel on WebGPU once
 *      gpu/register ran, its plain-tfjs reference elsewhere);
 *   3. gather the two views of each image's pair and train one ordinary SimSiam step on them
 *      (the two views forwarded separately, as SimSiam's encoder(x1), encoder(x2)).
 * No GPU→CPU read happens here: the loss and selections come back as tensors.
 * Must not import: DOM, gpu/.
 */
import * as tf from '@tensorflow/tfjs';
import { simsiamTrainingLoss } from '../methods/simsiam';
import type { BnStat, SimSiamModel } from '../models/simsiamModel';
import { pairSelect } from '../ops/pairSelect';
import type { Optimizer } from './optimizer';
import { gatherPairViews } from './selection';

/** How the pair of each image is chosen in this step. */
export type PairPlan =
  | { kind: 'select'; mode: 'hard' | 'easy' }
  | { kind: 'fixed'; pairIdx: Int32Array };

/** Device tensors a step leaves behind for (throttled) metric reads. The caller disposes them. */
export interface StepTensors {
  /** Training loss on the selected pairs. */
  loss: tf.Scalar;
  /** Per-sample pair losses [M, P] of the selection forward, or null when none ran. */
  pairLosses: tf.Tensor2D | null;
  /** Selected pair index per image, int32 [M]. */
  selected: tf.Tensor1D;
}

function keepStats(stats: BnStat[]): BnStat[] {
  for (const s of stats) {
    tf.keep(s.mean);
    tf.keep(s.variance);
  }
  return stats;
}

/**
 * Runs selection (if planned) and one optimizer step.
 * NOTE: does not dispose `views`; mutates the model's parameters, running stats and optimizer state.
 * @param views normalised views [N·M, S, S, 3], view-major (v = k·M + m)
 */
export function hvpTrainStep(model: SimSiamModel, optimizer: Optimizer, views: tf.Tensor4D, numViews: number, plan: PairPlan, lr: number): StepTensors {
  const numImages = views.shape[0] / numViews;
  let pairLosses: tf.Tensor2D | null = null;
  let selected: tf.Tensor1D;
  if (plan.kind === 'select') {
    let stats: BnStat[] = [];
    [pairLosses, selected] = tf.tidy(() => {
      const out = model.forward(views, true);
      stats = keepStats(out.bnStats);
      // out.p, out.z: [N·M, D], view-major (row k·M + m) → losses [M, P], selected int32 [M]
      const sel = pairSelect(out.p, out.z, { numViews, numImages, score: 'negCosine', mode: plan.mode });
      return [sel.pairLosses, sel.selected] as [tf.Tensor2D, tf.Tensor1D];
    });
    model.updateRunningStats(stats);
  } else {
    selected = tf.tensor1d(plan.pairIdx, 'int32');
  }

  const [x1, x2] = gatherPairViews(views, selected, numViews); // [M, S, S, 3] each
  const varList = [...model.params.values()];
  let trainStats: BnStat[] = [];
  const { value, grads } = tf.variableGrads(() => {
    const o1 = model.forward(x1, true);
    const o2 = model.forward(x2, true);
    trainStats = keepStats([...o1.bnStats, ...o2.bnStats]);
    return simsiamTrainingLoss(o1.p, o1.z, o2.p, o2.z);
  }, varList);
  x1.dispose();
  x2.dispose();
  model.updateRunningStats(trainStats);

  const byName = new Map<string, tf.Tensor>();
  for (const [name, v] of model.params) {
    const g = grads[v.name];
    if (!g) throw new Error(`No gradient for parameter "${name}"`);
    byName.set(name, g);
  }
  optimizer.apply(model.params, byName, lr);
  return { loss: value, pairLosses, selected };
}
