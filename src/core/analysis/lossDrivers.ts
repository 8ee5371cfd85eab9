/**
 * "What drives the loss" (HVP paper, Sec. 6.1.1 and Fig. 8): fit a random forest of the per-pair
 * loss on the pair metrics (iou, centerDistance, colorDistance, brightness, contrast, saturation,
 * hue) and report each metric's first-order share of variance by functional ANOVA over the forest.
 * One call, plain data in and out, so a worker can run it and post the result as is.
 *
 * Must not import: tfjs, DOM; from core only files directly in src/core/.
 */
import { forestFirstOrderShares } from './fanova';
import { fitForest, outOfBagR2, type ForestOptions } from './randomForest';
import type { RegressionData } from './regressionData';

/** One feature's importance. */
export interface FeatureShare {
  readonly name: string;
  /** First-order share of the forest's predicted variance, in [0, 1]. */
  readonly share: number;
  /** Standard deviation of the share over the trees (how stable the estimate is). */
  readonly shareSd: number;
}

/** The result of lossDrivers; plain data (structured-clone safe). */
export interface LossDriversResult {
  /** How the shares were computed: 'fanova' (first-order functional ANOVA over the forest). */
  readonly method: 'fanova';
  /** One entry per feature, in the input's order. */
  readonly features: readonly FeatureShare[];
  /** 1 − Σ shares: variance the forest attributes to interactions between features (≥ 0). */
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

/** Fits a forest of data.y on data's features and returns each feature's fANOVA share. */
export function lossDrivers(data: RegressionData, options: ForestOptions = {}): LossDriversResult {
  const forest = fitForest(data, options);
  const { mean, sd, numTreesUsed } = forestFirstOrderShares(forest);
  const features = forest.featureNames.map((name, j) => ({ name, share: mean[j], shareSd: sd[j] }));
  const total = features.reduce((s, f) => s + f.share, 0);
  return {
    method: 'fanova',
    features,
    interactionShare: numTreesUsed > 0 ? Math.max(0, 1 - total) : 0,
    outOfBagR2: outOfBagR2(forest, data),
    numRows: data.y.length,
    numTrees: forest.trees.length,
    numTreesUsed,
  };
}
