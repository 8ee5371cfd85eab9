/**
 * HvpMethod: what every SSL method gives the HVP step (Hard View Pretraining, arXiv 2310.03940,
 * Alg. 1) — SimSiam, SimCLR and BYOL as much as DINO and iBOT. The paper's algorithm is one:
 * render N views per image, score every candidate combination of them per sample, keep the
 * arg max (hard) / arg min (easy), take one ordinary training step on the chosen views.
 *
 * Views of a step, per image m of M (tensors view-major: row k·M + m = view k of image m):
 *   globals — G views at the run's imageSize; locals — L small views at localSize (L = 0 for the
 *             pair methods, which have no locals).
 *   candidate — a combination = 2 global ids + l local ids, an int32 table [C, 2 + l]. A pair
 *             method's candidates are every pair (k, l), k < l, of its G views in pairList order
 *             (hvp/pairs.ts), l = 0; DINO / iBOT pair an even with an odd global and add l locals
 *             (hvp/combinations.ts; candidates.ts says which scheme a method uses).
 *   chosen  — per image the candidate with the highest (hard) / lowest (easy) per-sample score,
 *             ties to the earlier candidate (hvp/selection.ts).
 * All non-trainable state (BN running stats, EMA target or teacher, DINO's centres) sits in
 * `buffers`, so checkpoints save it without knowing the method.
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import type * as tf from '@tensorflow/tfjs';
import type { MethodName } from '../config/runConfig';

/** Schedule position of the step being taken (for momentum and weight-decay schedules). */
export interface StepProgress {
  /** 0-based index of the step (the steps completed before it), as everywhere in core. */
  stepIdx: number;
  totalSteps: number;
}

/** How many views of each kind one forward sees. */
export interface CropCounts {
  /** Global views per image (G). */
  numGlobals: number;
  /** Local views per image (L; 0 for the pair methods). */
  numLocals: number;
}

/** What the optimizer does differently in one step (DINO's and iBOT's schedules). */
export interface StepOptimization {
  /** Weight decay of this step; undefined: the optimizer's own (config.weightDecay). */
  weightDecay?: number;
  /** Parameters left untouched this step (no update, no decay): DINO's last layer in its first epoch. */
  frozen: ReadonlySet<string>;
}

/** Per-sample scores of the candidates [M, C]; `terms` [M, G, G + L] where the method has them. */
export interface CandidateScores {
  scores: tf.Tensor2D;
  /** DINO / iBOT: the loss term of teacher global q (row) vs student view v (column: globals, then
   * locals); null for the pair methods. */
  terms: tf.Tensor3D | null;
}

export interface HvpMethod {
  /** Which candidate scheme the method selects among (hvp/candidates.ts): every pair of its views,
   * or DINO / iBOT's combinations of globals and locals. Also words the explanations. */
  readonly kind: 'pair' | 'multiCrop';
  readonly name: MethodName;
  /** Trainable (student / online) variables by state_dict name (`backbone.conv1.weight`, …). */
  readonly params: Map<string, tf.Variable>;
  /** Non-trainable state by name: BN running stats, `target.*` / `teacher.*`, centres. */
  readonly buffers: Map<string, tf.Variable>;
  /** Backbone feature dimension. */
  readonly featureDim: number;
  /** Loss terms a candidate's score sums (DINO: 2·(2 + l) − 2, as the authors' select_forward; 1 where a score is on the loss's scale). */
  readonly scoreTerms: number;
  /** Backbone features in eval mode, [B, F] (kNN, probes, exports); the method says which network. */
  embed(x: tf.Tensor4D): tf.Tensor2D;
  /** Parameters without weight decay (BN affine, biases, norms). */
  isNoDecay(name: string): boolean;
  /**
   * Called before any forward of a step with its 0-based index. Stochastic parts (ViT drop_path,
   * iBOT's masks) are seeded by (step, call order), so runs and resumes repeat exactly; calling it
   * again for the same step starts that step over.
   */
  beginStep(stepIdx: number): void;
  /** Weight decay and frozen parameters of the step just taken (`progress`). */
  stepOptimization(progress: StepProgress): StepOptimization;
  /**
   * Selection forward without a tape, BN in training mode as the authors (running stats updated;
   * DINO's centre is not). globals [G·M, Sg, Sg, 3], locals [L·M, Sl, Sl, 3] (L = 0: empty),
   * candidates int32 [C, 2 + l]. Returns scores [M, C] and the selected candidate int32 [M].
   */
  scoreCandidates(globals: tf.Tensor4D, locals: tf.Tensor4D, counts: CropCounts, candidates: tf.Tensor2D, mode: 'hard' | 'easy'): { scores: tf.Tensor2D; selected: tf.Tensor1D };
  /** The same scores in eval mode with no side effects (gallery, explanations). */
  probeCandidates(globals: tf.Tensor4D, locals: tf.Tensor4D, counts: CropCounts, candidates: tf.Tensor2D): CandidateScores;
  /**
   * The batch loss on the chosen views, inside tf.variableGrads: globals [2·M, Sg, Sg, 3] (first
   * chosen global of every image, then the second), locals [l·M, Sl, Sl, 3], chosen int32 [M, 2 + l]
   * = the rendered view ids (iBOT gathers its masks by them). Keeps what afterStep needs.
   */
  trainingLoss(globals: tf.Tensor4D, locals: tf.Tensor4D, chosen: tf.Tensor2D, progress: StepProgress): tf.Scalar;
  /** After the optimizer update: BN running stats, EMA target / teacher, centres. */
  afterStep(progress: StepProgress): void;
  dispose(): void;
}
