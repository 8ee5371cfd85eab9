/**
 * Metric records the trainer produces and the worker streams to the UI. Plain data only.
 * Must not import: tfjs, DOM.
 */
import type { ViewParams } from '../data/types';
import type { PairStats } from '../hvp/pairStats';

/** Metrics of one logged training step. */
export interface StepMetrics {
  step: number;
  /** Training loss on the selected pairs (SimSiam: in [-1, 1], lower is better). */
  loss: number;
  /** Mean per-sample loss over all C(N,2) pairs of the selection forward; null when no selection ran.
   * DINO / iBOT: the mean score over the candidate combinations (DINO's is a SUM over the
   * combination's teacher–student terms, as the authors' select_forward; see scoreTerms). */
  meanPairLoss: number | null;
  /**
   * Loss terms each candidate's score sums (methods' HvpMethod.scoreTerms): DINO 2·(2 + l) − 2, else 1.
   * meanPairLoss / scoreTerms and selectedPairLoss / scoreTerms are on the training loss's per-term
   * scale. Present with meanPairLoss; a loaded checkpoint's older records get it from their config.
   */
  scoreTerms?: number;
  /** Mean over images of the chosen pair's loss in that same selection forward (DINO / iBOT: the
   * chosen combination's score, on meanPairLoss's scale); with "hard" it is ≥ meanPairLoss by
   * construction. null when no selection ran; absent in records made before it was logged. */
  selectedPairLoss?: number | null;
  /** Mean IoU of the selected pairs' crop boxes. */
  selectedIou: number;
  /** Mean IoU over all pairs of every image. */
  meanIou: number;
  /** Fraction of images whose selected pair is also its lowest-IoU pair (chance: 1 / C(N,2)). */
  lowestIouHitRate: number;
  /** Whether this step ran a selection forward (false on random-pair steps of hvpEvery > 1 or mode off). */
  isSelectionStep: boolean;
  /** Mean IoU of one random pair per image (telemetry.ts randomPairIou); absent in records of older
   * checkpoints. */
  randomPairIou?: number;
  /** Crop-scale, centre-distance and jitter-distance histograms, selected vs all pairs (pairStats.ts);
   * absent in records of older checkpoints. */
  pairStats?: PairStats;
  /** hvpMode iouPolicy only: images of the step whose view pair could not be drawn below the
   * step's IoU bound in 100 tries (each trains on its lowest-IoU draw instead; hvp/iouPolicy.ts).
   * Absent for the other modes. */
  iouPolicyMisses?: number;
  /** hvpMode iouPolicy only: the step's IoU bound (linear from iouPolicyStart to iouPolicyEnd). */
  iouPolicyBound?: number;
  learningRate: number;
  /** Images per second over the steps since the last log. */
  imagesPerSec: number;
  /** Milliseconds per step over the steps since the last log. */
  msPerStep: number;
}

/** What the trainer reads of a step: StepMetrics without the timing, which the run loop adds
 * (it knows the wall clock and how many steps ran since the last log). */
export type StepReading = Omit<StepMetrics, 'imagesPerSec' | 'msPerStep'>;

/** kNN evaluation result at a step. */
export interface KnnMetrics {
  step: number;
  /** Weighted kNN top-1 accuracy on the held-out split, in [0, 1]. */
  top1: number;
  numBank: number;
  numQueries: number;
}

/** What the gallery shows for one probe image at a step. */
export interface ProbeImage {
  /** Index into the held-out split. */
  imageIdx: number;
  label: number;
  /** Human-readable class name of `label` ('' for unlabelled sets). */
  className: string;
  /** Source image, uint8 RGB [H, W, 3]. */
  source: Uint8Array;
  sourceSize: number;
  /** The N views' parameters (crop boxes drawn on the source). */
  params: ViewParams[];
  /** Rendered views before normalisation, uint8 RGB, N × [S, S, 3] concatenated. */
  views: Uint8Array;
  viewSize: number;
  /** Per-pair losses in pair order (0,1),(0,2),…,(N-2,N-1) (multi-crop: see `multiCrop`). */
  pairLosses: number[];
  /** Selected pair (k, l), k < l. */
  selectedPair: [number, number];
  /** IoU of each pair, same order as pairLosses. */
  pairIous: number[];
  /** DINO / iBOT only: the local views and the scored combinations. For these methods `params`
   * and `views` hold the G global views, `pairLosses` per global pair the loss of the best-scoring
   * (hard: highest, easy: lowest) candidate combination using it, or NaN where no candidate uses
   * that pair (two globals of the same parity; the gallery must skip NaN cells), and `selectedPair` the chosen combination's globals. */
  multiCrop?: MultiCropProbe;
}

/** What the gallery shows of a multi-crop method's views for one probe image (see ProbeImage). */
export interface MultiCropProbe {
  /** Global (G) and local (L) views rendered for the image. */
  numGlobals: number;
  numLocals: number;
  /** Side of the local views in pixels (globals: ProbeImage.viewSize). */
  localSize: number;
  /** Local views' parameters (crop boxes on the source). */
  localParams: ViewParams[];
  /** Local views before normalisation, uint8 RGB, L × [localSize, localSize, 3] concatenated. */
  localViews: Uint8Array;
  /** Per-sample loss term of teacher global q (row) vs student view v (column: G globals then L
   * locals), G × (G + L) row-major (MultiCropMethod.probeCombos). */
  terms: number[];
  /** The candidate combinations scored this time (global ids [even, odd], local ids), their loss. */
  combos: { globals: [number, number]; locals: number[]; loss: number }[];
  /** Index into `combos` of the chosen combination. */
  selectedCombo: number;
}

export interface ProbeSnapshot {
  step: number;
  numViews: number;
  images: ProbeImage[];
}
