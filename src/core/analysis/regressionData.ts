/**
 * The input of the analysis models: rows of named numeric features and one numeric target per row
 * (for "what drives the loss": pair metrics such as iou, centerDistance, colorDistance → the pair's
 * per-sample loss), plus its validation and the per-feature quantile binning the trees split on.
 *
 * Binning (as histogram-based tree learners do): each feature's values are mapped once to at most
 * `maxBins` ordered bins, so finding a node's best split is one pass over its rows and a scan of the
 * bins instead of a sort. Thresholds are midpoints between the largest value of a bin and the
 * smallest of the next, so a split on bins is an ordinary split `x <= threshold` on raw values.
 *
 * Must not import: tfjs, DOM, anything outside core (nothing from core's folders either).
 */

/** Rows of named features and a target. `x` is row-major [numRows, numFeatures]; `y` is [numRows]. */
export interface RegressionData {
  readonly featureNames: readonly string[];
  /** Row-major feature matrix, length numRows · featureNames.length. */
  readonly x: Float64Array;
  /** Target per row (e.g. the pair's per-sample loss). */
  readonly y: Float64Array;
}

/** Bad analysis input (wrong shapes, non-finite values, too few rows). */
export class AnalysisInputError extends Error {
  override name = 'AnalysisInputError';
}

/** Number of rows of `data`. */
export function numRowsOf(data: RegressionData): number {
  return data.y.length;
}

/**
 * Builds RegressionData from plain records, e.g. one object per pair of the view log.
 * Throws AnalysisInputError naming the row and field when a value is missing or not finite.
 */
export function regressionDataFromRecords(
  records: readonly Readonly<Record<string, number>>[],
  featureNames: readonly string[],
  targetName: string,
): RegressionData {
  const p = featureNames.length;
  const x = new Float64Array(records.length * p);
  const y = new Float64Array(records.length);
  records.forEach((r, i) => {
    featureNames.forEach((name, j) => {
      x[i * p + j] = r[name] as number;
    });
    y[i] = r[targetName] as number;
  });
  const data = { featureNames: [...featureNames], x, y };
  validateRegressionData(data, [...featureNames, targetName]);
  return data;
}

/** Throws AnalysisInputError unless shapes agree, there are ≥ 2 rows and every value is finite. */
export function validateRegressionData(data: RegressionData, names?: readonly string[]): void {
  const p = data.featureNames.length;
  const n = data.y.length;
  if (p === 0) throw new AnalysisInputError('no features given');
  if (n < 2) throw new AnalysisInputError(`need at least 2 rows, got ${n}`);
  if (data.x.length !== n * p) {
    throw new AnalysisInputError(`x has ${data.x.length} values, expected ${n} rows × ${p} features`);
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(data.y[i])) {
      throw new AnalysisInputError(`row ${i}: target ${names?.[p] ?? 'y'} is ${data.y[i]}`);
    }
    for (let j = 0; j < p; j++) {
      const v = data.x[i * p + j];
      if (!Number.isFinite(v)) throw new AnalysisInputError(`row ${i}: ${data.featureNames[j]} is ${v}`);
    }
  }
}

/** Per-feature bins: codes per row and the raw-value threshold between bin b and b + 1. */
export interface FeatureBins {
  /** Column-major bin codes: codes[j * numRows + i] is the bin of row i, feature j. */
  readonly codes: Uint8Array;
  /** thresholds[j][b]: split value between bins b and b + 1 of feature j (length numBins_j − 1). */
  readonly thresholds: readonly Float64Array[];
  /** Smallest and largest value of each feature: the box fANOVA integrates over. */
  readonly min: Float64Array;
  readonly max: Float64Array;
}

/** Bins every feature into at most `maxBins` (≤ 256) quantile bins. */
export function binFeatures(data: RegressionData, maxBins: number): FeatureBins {
  const p = data.featureNames.length;
  const n = data.y.length;
  const codes = new Uint8Array(p * n);
  const thresholds: Float64Array[] = [];
  const min = new Float64Array(p);
  const max = new Float64Array(p);
  const col = new Float64Array(n);
  for (let j = 0; j < p; j++) {
    for (let i = 0; i < n; i++) col[i] = data.x[i * p + j];
    const sorted = Float64Array.from(col).sort();
    min[j] = sorted[0];
    max[j] = sorted[n - 1];
    const cuts = binThresholds(sorted, Math.min(256, Math.max(2, maxBins)));
    thresholds.push(cuts);
    for (let i = 0; i < n; i++) codes[j * n + i] = upperBound(cuts, col[i]);
  }
  return { codes, thresholds, min, max };
}

/** Thresholds between ≤ numBins quantile bins of sorted values: midpoints between distinct values. */
function binThresholds(sorted: Float64Array, numBins: number): Float64Array {
  const n = sorted.length;
  const cuts: number[] = [];
  for (let b = 1; b < numBins; b++) {
    const k = Math.floor((b * n) / numBins); // first index of bin b
    if (k <= 0 || k >= n) continue;
    let lo = sorted[k - 1];
    let hi = sorted[k];
    if (lo === hi) {
      // move the cut to the next distinct value so ties stay in one bin
      let m = k;
      while (m < n && sorted[m] === lo) m++;
      if (m >= n) continue;
      hi = sorted[m];
      lo = sorted[m - 1];
    }
    const t = lo + (hi - lo) / 2;
    if (cuts.length === 0 || t > cuts[cuts.length - 1]) cuts.push(t);
  }
  return Float64Array.from(cuts);
}

/** Number of cuts < v: the bin of v, so bin ≤ b exactly when v ≤ cuts[b] (cuts ascending). */
function upperBound(cuts: Float64Array, v: number): number {
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cuts[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
