/**
 * PairMethod: what an SSL method that trains on one pair of views per image gives the HVP step
 * (SimSiam, SimCLR, BYOL). The trainer and hvpStep.ts see only this contract:
 *   selection  — per-sample loss of every view pair of every image, defined once per method, and
 *                the pair each image keeps (hard = argmax, easy = argmin, ties to the earlier pair);
 *   training   — the method's batch loss on the chosen pair (inside tf.variableGrads);
 *   afterStep  — what follows the optimizer update (BN running stats, EMA target, …).
 * All non-trainable state (BN running stats, EMA target weights) sits in `buffers`, so checkpoints
 * save it without knowing the method.
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import type { MethodName } from '../config/runConfig';

/** Schedule position of the step just taken (for momentum schedules). */
export interface StepProgress {
  /** Steps completed including this one. */
  step: number;
  totalSteps: number;
}

export interface PairMethod {
  readonly name: MethodName;
  /** Trainable variables by state_dict name (`backbone.conv1.weight`, `projector.0.weight`, …). */
  readonly params: Map<string, tf.Variable>;
  /** Non-trainable state by name: BN running stats, EMA target weights (`target.*`), … */
  readonly buffers: Map<string, tf.Variable>;
  /** Backbone feature dimension. */
  readonly featureDim: number;
  /** Backbone features in eval mode, [B, F] (kNN, probes, exports). */
  embed(x: tf.Tensor4D): tf.Tensor2D;
  /** Parameters without weight decay (BN affine, biases). */
  isNoDecay(name: string): boolean;
  /**
   * Selection forward of all views without a tape, as the authors: BN in training mode over all N·M
   * views, running stats updated. views: [N·M, S, S, 3] view-major.
   * Returns pairLosses [M, P] (per-sample loss of each pair, pairList order) and selected int32 [M].
   */
  selectPairs(views: tf.Tensor4D, numViews: number, mode: 'hard' | 'easy'): { pairLosses: tf.Tensor2D; selected: tf.Tensor1D };
  /** Per-sample pair losses [M, P] in eval mode with no side effects (the gallery's probe images). */
  probePairLosses(views: tf.Tensor4D, numViews: number): tf.Tensor2D;
  /**
   * The method's batch loss on views x1, x2 [M, S, S, 3] (view 1 and 2 of each image's pair).
   * Called inside tf.variableGrads; keeps what afterStep needs (e.g. BN batch statistics).
   */
  trainingLoss(x1: tf.Tensor4D, x2: tf.Tensor4D): tf.Scalar;
  /**
   * Called by the step before any of its forwards with the step's 0-based index (steps completed
   * before it). Methods whose backbone is stochastic in training mode (ViT drop_path) pass it to
   * Backbone.beginStep (models/backbone.ts), which seeds each training forward by (step, call
   * order), so runs and resumes repeat exactly; a stochastic backbone refuses to train without it.
   */
  beginStep?(stepIdx: number): void;
  /** After the optimizer update: BN running stats from the training forward, EMA target update, … */
  afterStep(progress: StepProgress): void;
  dispose(): void;
}

/** Rows of view-major outputs [N·M, D] (row k·M + m = view k of image m) as [N, M, D]. */
export function viewMajor(t: tf.Tensor2D, numViews: number): tf.Tensor3D {
  return tf.reshape(t, [numViews, t.shape[0] / numViews, t.shape[1]]);
}

/** What a method passes through from its model unchanged. */
export interface MethodModelParts {
  readonly params: Map<string, tf.Variable>;
  readonly buffers: Map<string, tf.Variable>;
  readonly featureDim: number;
  embed(x: tf.Tensor4D): tf.Tensor2D;
  isNoDecay(name: string): boolean;
  beginStep(stepIdx: number): void;
}

/** The PairMethod fields that delegate to the model (spread into a method object). */
export function modelFields(model: MethodModelParts): Pick<PairMethod, 'params' | 'buffers' | 'featureDim' | 'embed' | 'isNoDecay' | 'beginStep'> {
  return {
    params: model.params,
    buffers: model.buffers,
    featureDim: model.featureDim,
    embed: (x) => model.embed(x),
    isNoDecay: (name) => model.isNoDecay(name),
    beginStep: (stepIdx) => model.beginStep(stepIdx),
  };
}
