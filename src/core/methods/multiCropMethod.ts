/**
 * MultiCropMethod: what a multi-crop SSL method (DINO, iBOT) gives the HVP step. The pair methods
 * (pairMethod.ts) train on one pair of equally sized views; DINO and iBOT train on 2 global views
 * (the run's imageSize) plus `numLocalViews` small local views (localSize) per image, and HVP picks a
 * whole combination of them (HVP paper §3; the authors' dino branch `index_generator` / `hvs`, iBOT
 * branch `hard_view_selection`; ../shared/reference/hvp-reference-code.md §1.5–1.6).
 *
 * Views of a step, per image m of M:
 *   rendered  — G global views (size Sg) and L local views (size Sl). Without selection G = 2 and
 *               L = l (= config.numLocalViews); on a selection step G = config.numViews (even) and
 *               L = (G/2)·l: "twice the global and local views" at the paper's N = 4 (DINO; iBOT
 *               keeps L = l and selects among global pairs only, as the authors' iBOT code).
 *   candidate — a combination = one even global id × one odd global id (the authors pair even with
 *               odd loader indices to keep DINO's asymmetric gt1/gt2 augmentations) × l of the L
 *               local ids; at most config.comboCap of them per step, drawn by the run's seeded
 *               generator (combinations.ts). Encoded as an int32 table [C, 2 + l]: column 0 the even
 *               global id, column 1 the odd global id, columns 2… the local ids (0-based within locals).
 *   chosen    — per image the combination with the highest (hard) / lowest (easy) per-sample loss,
 *               ties to the earlier combination; the trainer gathers its 2 globals and l locals.
 * Tensors of views are view-major like the pair methods': row k·M + m = view k of image m.
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import type { MethodName } from '../config/runConfig';
import type { StepProgress } from './pairMethod';

/** The multi-crop methods. */
export type MultiCropMethodName = Extract<MethodName, 'dino' | 'ibot'>;

/** How many views of each kind one forward sees. */
export interface CropCounts {
  /** Global views per image (G). */
  numGlobals: number;
  /** Local views per image (L; may be 0). */
  numLocals: number;
}

/** What the optimizer does differently in one step (DINO's schedules). */
export interface StepOptimization {
  /** Weight decay of this step (DINO: cosine from weightDecay to weightDecayEnd). */
  weightDecay: number;
  /** Parameters left untouched this step (no update, no decay): DINO's last layer in its first epoch. */
  frozen: ReadonlySet<string>;
}

export interface MultiCropMethod {
  readonly kind: 'multiCrop';
  readonly name: MultiCropMethodName;
  /** Trainable (student) variables by state_dict name. */
  readonly params: Map<string, tf.Variable>;
  /** Non-trainable state by name: BN running stats, the EMA teacher (`teacher.*`), the centers. */
  readonly buffers: Map<string, tf.Variable>;
  /** Backbone feature dimension. */
  readonly featureDim: number;
  /** Backbone features in eval mode, [B, F] (kNN, probes, exports); say in the method which network. */
  embed(x: tf.Tensor4D): tf.Tensor2D;
  /** Parameters without weight decay (biases, norms). */
  isNoDecay(name: string): boolean;
  /** Seeds the step's stochastic parts (drop_path, iBOT's masks) by the 0-based step index. */
  beginStep(stepIdx: number): void;
  /** Weight decay and frozen parameters of the step with 0-based index progress.step − 1. */
  stepOptimization(progress: StepProgress): StepOptimization;
  /**
   * Selection forward without a tape (BN in training mode as the authors; the center is not
   * updated). globals [G·M, Sg, Sg, 3], locals [L·M, Sl, Sl, 3] (L = 0: an empty tensor),
   * combos int32 [C, 2 + l]. Returns comboLosses [M, C] (the method's per-sample score of each
   * combination) and selected int32 [M].
   */
  selectCombos(globals: tf.Tensor4D, locals: tf.Tensor4D, counts: CropCounts, combos: tf.Tensor2D, mode: 'hard' | 'easy'): { comboLosses: tf.Tensor2D; selected: tf.Tensor1D };
  /**
   * Eval-mode scores without side effects, for the gallery: terms [M, G, G + L], the per-sample
   * loss term of teacher global q (row) against student view v (column: globals, then locals; the
   * diagonal q = v is 0 for DINO, the masked-patch term for iBOT), and comboLosses [M, C] as
   * selectCombos would score them.
   */
  probeCombos(globals: tf.Tensor4D, locals: tf.Tensor4D, counts: CropCounts, combos: tf.Tensor2D): { terms: tf.Tensor3D; comboLosses: tf.Tensor2D };
  /**
   * The batch loss on the chosen views, inside tf.variableGrads: globals [2·M, Sg, Sg, 3] (first
   * chosen global of every image, then the second), locals [l·M, Sl, Sl, 3], chosen int32 [M, 2 + l]
   * = the rendered view ids each image's views came from (iBOT gathers its masks by them).
   * Keeps what afterStep needs (teacher outputs for the center, BN batch statistics).
   */
  trainingLoss(globals: tf.Tensor4D, locals: tf.Tensor4D, chosen: tf.Tensor2D, progress: StepProgress): tf.Scalar;
  /** After the optimizer update: BN running stats, center update, EMA teacher. */
  afterStep(progress: StepProgress): void;
  dispose(): void;
}

/** Whether a method object is a multi-crop one (the trainer branches on this). */
export function isMultiCropMethod(m: object): m is MultiCropMethod {
  return 'kind' in m && m.kind === 'multiCrop';
}
