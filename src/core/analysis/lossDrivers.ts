/**
 * "What drives the loss" (HVP paper, Sec. 6.1.1 and Fig. 8): fit a random forest of the per-pair
 * loss on the pair metrics (iou, centerDistance, colorDistance, brightness, contrast, saturation,
 * hue) and report each metric's first-order share of variance by functional ANOVA over the forest
 * (the paper's method; default) or by out-of-bag permutation importance (option `method`).
 * One call, plain data in and out, so a worker can run it and post the result as is.
 *
 * Must not import: tfjs, DOM; from core only files directly in src/core/.
 */
import { forestFirstOrderShares } from './fanova';
import { permutationShares } from './permutationImportance';
import { DEFAULT_FOREST_OPTIONS, fitForest, outOfBagR2, type ForestOptions } from './randomForest';
import type { RegressionData } from './regressionData';

/**
 * 'fanova': first-order functional ANOVA over the forest (fanova.ts), uniform over the data's box.
 * 'permutation': out-of-bag permutation importance on the same scale (permutationImportance.ts).
 */
export type ImportanceMethod = 'fanova' | 'permutation';

/** Settings of lossDrivers: the forest's, plus the importance method (default 'fanova'). */
export interface LossDriversOptions extends ForestOptions {
  readonly method?: ImportanceMethod;
}

/** One feature's importance. */
export interface FeatureShare {
  readonly name: string;
  /** First-order share of the forest's predicted variance: in [0, 1] for fanova, ≥ 0 for permutation. */
  readonly share: number;
  /** Standard deviation of the share over the trees (how stable the estimate is). */
  readonly shareSd: number;
}

/** The result of lossDrivers; plain data (structured-clone safe). */
export interface LossDriversResult {
  /** How the shares were computed; the UI names it. */
  readonly method: ImportanceMethod;
  /** One entry per feature, in the input's order. */
  readonly features: readonly FeatureShare[];
  /**
   * 1 − Σ shares (≥ 0): for 'fanova', variance the forest attributes to interactions between
   * features; for 'permutation' only a rough counterpart (interactions count into each share there).
   */
  readonly interactionShare: number;
  /**
   * Out-of-bag R² of the forest: the fraction of the loss's variance it predicts on rows it did not
   * see. The shares split the predicted part; 1 − R² is noise the metrics do not explain.
   */
  readonly outOfBagR2: number;
  readonly numRows: number;
  readonly numTrees: number;
  /** Trees with at least one split; the shares average over these. */
  readonly numTreesUsed: number;
}

/** Fits a forest of data.y on data's features and returns each feature's share. Throws AnalysisInputError on bad input. */
export function lossDrivers(data: RegressionData, options: LossDriversOptions = {}): LossDriversResult {
  const method = options.method ?? 'fanova';
  const forest = fitForest(data, options);
  const { mean, sd, numTreesUsed } =
    method === 'permutation'
      ? permutationShares(forest, data, options.seed ?? DEFAULT_FOREST_OPTIONS.seed)
      : forestFirstOrderShares(forest);
  const features = forest.featureNames.map((name, j) => ({ name, share: mean[j], shareSd: sd[j] }));
  const total = features.reduce((s, f) => s + f.share, 0);
  return {
    method,
    features,
    interactionShare: numTreesUsed > 0 ? Math.max(0, 1 - total) : 0,
    outOfBagR2: outOfBagR2(forest, data),
    numRows: data.y.length,
    numTrees: forest.trees.length,
    numTreesUsed,
  };
}
