/**
 * A small random-forest regressor: bagged regression trees (each on a bootstrap sample of the rows)
 * with a random subset of features searched at every split, seeded through core/random.ts so the
 * same data and seed give the same forest. Its defaults fit ~10^4 rows × ~8 features in well under a
 * second in a worker (see the analysis tests for the timing); every knob is bounded.
 *
 * Source: Breiman, "Random Forests", Machine Learning 45 (2001).
 * Must not import: tfjs, DOM; from core only files directly in src/core/ (random.ts).
 */
import { createRng } from '../random';
import { binFeatures, validateRegressionData, type RegressionData } from './regressionData';
import { growTree, predictTreeRow, type RegressionTree } from './regressionTree';

/** Forest settings; every field is optional (see DEFAULT_FOREST_OPTIONS). */
export interface ForestOptions {
  /** Number of trees. Default 32; range 1–500. More trees: steadier importances, linear cost. */
  readonly numTrees?: number;
  /** Maximum depth of a tree. Default 10; range 1–20. Deeper trees overfit noisy losses. */
  readonly maxDepth?: number;
  /** Fewest training rows in a leaf. Default 5; range 1–1000. */
  readonly minLeafSize?: number;
  /** Features searched per split. Default ceil(numFeatures / 3) (Breiman's regression default). */
  readonly numSplitFeatures?: number;
  /** Quantile bins per feature (≤ 256). Default 64. Fewer bins: faster, coarser thresholds. */
  readonly maxBins?: number;
  /** Bootstrap sample size as a fraction of the rows. Default 1; range (0, 1]. */
  readonly sampleFraction?: number;
  /** Seed of the forest's generator. Default 0. */
  readonly seed?: number;
}

/** The defaults of ForestOptions (numSplitFeatures is derived from the number of features). */
export const DEFAULT_FOREST_OPTIONS = {
  numTrees: 32,
  maxDepth: 10,
  minLeafSize: 5,
  maxBins: 64,
  sampleFraction: 1,
  seed: 0,
} as const;

/** A fitted forest: its trees, the feature names, and the box of the training data. */
export interface RandomForest {
  readonly featureNames: readonly string[];
  readonly trees: readonly RegressionTree[];
  /** Smallest and largest training value of each feature (fANOVA integrates over this box). */
  readonly min: Float64Array;
  readonly max: Float64Array;
  /** Per tree, the rows it did not see (out-of-bag), for held-out checks. */
  readonly outOfBag: readonly Int32Array[];
}

const clampInt = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, Math.round(v)));

/** Fits a forest to `data`. Throws AnalysisInputError on bad input. Deterministic given options.seed. */
export function fitForest(data: RegressionData, options: ForestOptions = {}): RandomForest {
  validateRegressionData(data);
  const p = data.featureNames.length;
  const n = data.y.length;
  const o = { ...DEFAULT_FOREST_OPTIONS, ...options };
  const numTrees = clampInt(o.numTrees, 1, 500);
  const limits = {
    maxDepth: clampInt(o.maxDepth, 1, 20),
    minLeafSize: clampInt(o.minLeafSize, 1, 1000),
    numSplitFeatures: clampInt(options.numSplitFeatures ?? Math.ceil(p / 3), 1, p),
  };
  const sampleSize = Math.max(2, Math.round(n * Math.min(1, Math.max(1e-3, o.sampleFraction))));
  const bins = binFeatures(data, clampInt(o.maxBins, 2, 256));
  const rng = createRng(o.seed);
  const trees: RegressionTree[] = [];
  const outOfBag: Int32Array[] = [];
  const seen = new Uint8Array(n);
  for (let t = 0; t < numTrees; t++) {
    seen.fill(0);
    const rowIdx = new Int32Array(sampleSize);
    for (let k = 0; k < sampleSize; k++) {
      const i = rng.int(n);
      rowIdx[k] = i;
      seen[i] = 1;
    }
    const oob: number[] = [];
    for (let i = 0; i < n; i++) if (!seen[i]) oob.push(i);
    outOfBag.push(Int32Array.from(oob));
    trees.push(growTree(data, bins, rowIdx, limits, rng));
  }
  return { featureNames: [...data.featureNames], trees, min: bins.min, max: bins.max, outOfBag };
}

/** Forest prediction (mean over trees) for every row of a row-major matrix `x`. */
export function predictForest(forest: RandomForest, x: Float64Array): Float64Array {
  const p = forest.featureNames.length;
  const n = Math.floor(x.length / p);
  const out = new Float64Array(n);
  for (const tree of forest.trees) {
    for (let i = 0; i < n; i++) out[i] += predictTreeRow(tree, x, i, p);
  }
  for (let i = 0; i < n; i++) out[i] /= forest.trees.length;
  return out;
}

/**
 * Out-of-bag R² of the forest on its training data: each row is predicted only by the trees that
 * did not see it (rows every tree saw are skipped). NaN when no row is out of bag or y is constant.
 */
export function outOfBagR2(forest: RandomForest, data: RegressionData): number {
  const p = forest.featureNames.length;
  const n = data.y.length;
  const sum = new Float64Array(n);
  const count = new Int32Array(n);
  forest.trees.forEach((tree, t) => {
    for (const i of forest.outOfBag[t]) {
      sum[i] += predictTreeRow(tree, data.x, i, p);
      count[i]++;
    }
  });
  let m = 0;
  let numRows = 0;
  for (let i = 0; i < n; i++) if (count[i] > 0) { m += data.y[i]; numRows++; }
  if (numRows === 0) return NaN;
  m /= numRows;
  let sse = 0;
  let sst = 0;
  for (let i = 0; i < n; i++) {
    if (count[i] === 0) continue;
    sse += (data.y[i] - sum[i] / count[i]) ** 2;
    sst += (data.y[i] - m) ** 2;
  }
  return sst > 0 ? 1 - sse / sst : NaN;
}
