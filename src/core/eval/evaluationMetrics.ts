/**
 * Records of the representation evaluations run at every kNN point besides kNN itself: the online
 * linear probe, collapse health (embedding std vs 1/√d, effective rank) and the 2-D PCA map of the
 * held-out embeddings; plus the offline linear probe's result. Plain data, JSON-serializable
 * (thumbnails are Uint8Arrays, sent once per run loop and never stored in the history).
 * Must not import: tfjs, DOM.
 */

/** Top-1 accuracies of a linear (softmax-regression) probe on frozen backbone features. */
export interface LinearProbeMetrics {
  /** Top-1 on the held-out split, in [0, 1]. */
  top1: number;
  /** Top-1 on the training features it was fitted on, in [0, 1]. */
  trainTop1: number;
  /** Epochs of this fit (online: epochs added at this evaluation; offline: total). */
  epochs: number;
  numTrain: number;
  numTest: number;
}

/** Why a run counts as collapsed (null: healthy). */
export type CollapseReason = 'std' | 'rank' | 'std-and-rank' | null;

/** Collapse health of L2-normalised embeddings [N, d]. */
export interface HealthMetrics {
  /** Std over samples of each embedding dimension, averaged over dims. */
  meanStd: number;
  /** 1/√d: the std of a unit vector spread evenly over d dims (no collapse). */
  uniformStd: number;
  /** exp(entropy) of the normalised singular values of the centred embedding matrix, in [1, min(N, d)]. */
  effectiveRank: number;
  /** Largest possible effective rank here: min(N, d). */
  maxRank: number;
  dim: number;
  numSamples: number;
  collapse: CollapseReason;
}

/** Held-out embeddings projected on their top-2 principal components. */
export interface PcaMap {
  /** Coordinates, [x0, y0, x1, y1, …] for images 0..numPoints-1 of the held-out split. */
  coords: number[];
  /** Class of each point (-1: unlabelled). */
  labels: number[];
  /** Fraction of the total variance each of the two components explains. */
  explained: [number, number];
  /** Names of the classes (index = label), for the legend; absent when unknown. */
  classNames?: string[];
}

/** Small copies of the first held-out images, for the PCA map. */
export interface Thumbnails {
  /** Side of each square thumbnail in px. */
  size: number;
  /** uint8 RGB [count, size, size, 3]. */
  pixels: Uint8Array;
  count: number;
}

/** What the history keeps of one evaluation. */
export interface EvaluationRecord {
  step: number;
  /** Online linear probe; null for datasets without usable labels. */
  linearProbe: LinearProbeMetrics | null;
  health: HealthMetrics;
}

/** What the loop emits at an evaluation: the record plus the map (and, once, the thumbnails). */
export interface EvaluationEvent extends EvaluationRecord {
  pca: PcaMap;
  /** Sent with the first evaluation of a run loop only. */
  thumbnails?: Thumbnails;
}

/** Result of the on-demand (offline) linear probe. */
export interface OfflineProbeResult extends LinearProbeMetrics {
  /** Step of the backbone it was trained on. */
  step: number;
  /** Wall time of embedding + training, ms. */
  elapsedMs: number;
}
