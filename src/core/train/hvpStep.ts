/**
 * One HVP training step on the device (Hard View Pretraining, arXiv 2310.03940, Alg. 1), for any
 * PairMethod (methods/pairMethod.ts):
 *   1. selection forward of all N·M views without a tape (BN in training mode, as the authors);
 *   2. the method's per-sample loss of every pair; per image keep the highest (hard) or lowest
 *      (easy), ties to the earlier pair (SimSiam: the pair op core/ops/pairSelect, a WGSL kernel on
 *      WebGPU);
 *   3. gather the two views of each image's pair, take one ordinary training step of the method on
 *      them, then the method's after-step updates (BN running stats, EMA target).
 * No GPU→CPU read happens here: the loss and selections come back as tensors.
 * Must not import: DOM, gpu/.
 */
import * as tf from '@tensorflow/tfjs';
import type { PairMethod } from '../methods/pairMethod';
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

/**
 * Runs selection (if planned) and one optimizer step.
 * NOTE: does not dispose `views`; mutates the method's parameters, buffers and the optimizer state.
 * @param views normalised views [N·M, S, S, 3], view-major (v = k·M + m)
 */
export function hvpTrainStep(method: PairMethod, optimizer: Optimizer, views: tf.Tensor4D, numViews: number, plan: PairPlan, lr: number, progress: { step: number; totalSteps: number }): StepTensors {
  let pairLosses: tf.Tensor2D | null = null;
  let selected: tf.Tensor1D;
  method.beginStep?.(progress.step - 1); // progress.step counts this step; stochastic layers are seeded by its 0-based index
  if (plan.kind === 'select') {
    ({ pairLosses, selected } = method.selectPairs(views, numViews, plan.mode));
  } else {
    selected = tf.tensor1d(plan.pairIdx, 'int32');
  }

  const [x1, x2] = gatherPairViews(views, selected, numViews); // [M, S, S, 3] each
  const varList = [...method.params.values()];
  const { value, grads } = tf.variableGrads(() => method.trainingLoss(x1, x2), varList);
  x1.dispose();
  x2.dispose();

  const byName = new Map<string, tf.Tensor>();
  for (const [name, v] of method.params) {
    const g = grads[v.name];
    if (!g) throw new Error(`No gradient for parameter "${name}"`);
    byName.set(name, g);
  }
  optimizer.apply(method.params, byName, lr);
  method.afterStep(progress);
  return { loss: value, pairLosses, selected };
}
