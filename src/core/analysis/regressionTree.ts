/**
 * One regression tree (CART, squared error) grown on binned features, as a random forest uses it:
 * the rows it sees are given (a bootstrap sample), and at every node only a random subset of
 * `numSplitFeatures` features is searched for the split that most reduces the squared error.
 * Growth stops at `maxDepth`, below `2 · minLeafSize` rows, or when no split leaves at least
 * `minLeafSize` rows on each side. Leaves predict the mean target of their rows.
 *
 * Source: Breiman, "Random Forests", Machine Learning 45 (2001); Breiman et al., CART (1984).
 * Must not import: tfjs, DOM; from core only files directly in src/core/ (random.ts).
 */
import type { Rng } from '../random';
import type { FeatureBins, RegressionData } from './regressionData';

/**
 * A fitted tree as flat arrays over its nodes (node 0 is the root). An inner node sends a row left
 * when x[feature] <= threshold. For a leaf, feature is −1 and left/right are −1.
 */
export interface RegressionTree {
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  /** Mean target of the node's training rows (the prediction at leaves). */
  readonly value: Float64Array;
}

/** Growth limits of one tree. */
export interface TreeLimits {
  readonly maxDepth: number;
  readonly minLeafSize: number;
  /** Features searched at each split (a fresh random subset per node). */
  readonly numSplitFeatures: number;
}

/**
 * Grows a tree on the rows `rowIdx` (repeats allowed: a bootstrap sample).
 * NOTE: mutates `rowIdx` (reorders it) and draws from `rng`.
 */
export function growTree(
  data: RegressionData,
  bins: FeatureBins,
  rowIdx: Int32Array,
  limits: TreeLimits,
  rng: Rng,
): RegressionTree {
  const p = data.featureNames.length;
  const n = data.y.length;
  const y = data.y;
  const nodes = { feature: [] as number[], threshold: [] as number[], left: [] as number[], right: [] as number[], value: [] as number[] };
  const maxBins = bins.thresholds.reduce((m, t) => Math.max(m, t.length + 1), 1);
  const binSum = new Float64Array(maxBins);
  const binCount = new Int32Array(maxBins);
  const featureOrder = Int32Array.from({ length: p }, (_, j) => j);
  const numTry = Math.max(1, Math.min(p, limits.numSplitFeatures));

  const addNode = (value: number): number => {
    nodes.feature.push(-1);
    nodes.threshold.push(0);
    nodes.left.push(-1);
    nodes.right.push(-1);
    nodes.value.push(value);
    return nodes.value.length - 1;
  };

  const grow = (start: number, end: number, depth: number): number => {
    const count = end - start;
    let sum = 0;
    for (let k = start; k < end; k++) sum += y[rowIdx[k]];
    const node = addNode(sum / count);
    if (depth >= limits.maxDepth || count < 2 * limits.minLeafSize) return node;

    // partial Fisher–Yates: the first numTry entries of featureOrder are this node's features
    for (let a = 0; a < numTry; a++) {
      const b = a + rng.int(p - a);
      const t = featureOrder[a];
      featureOrder[a] = featureOrder[b];
      featureOrder[b] = t;
    }
    const parentScore = (sum * sum) / count;
    let bestGain = 1e-12 * Math.max(1, Math.abs(parentScore));
    let bestFeature = -1;
    let bestBin = -1;
    for (let a = 0; a < numTry; a++) {
      const j = featureOrder[a];
      const numBins = bins.thresholds[j].length + 1;
      if (numBins < 2) continue;
      binSum.fill(0, 0, numBins);
      binCount.fill(0, 0, numBins);
      const codes = bins.codes;
      const off = j * n;
      for (let k = start; k < end; k++) {
        const i = rowIdx[k];
        const b = codes[off + i];
        binSum[b] += y[i];
        binCount[b]++;
      }
      let leftSum = 0;
      let leftCount = 0;
      for (let b = 0; b < numBins - 1; b++) {
        leftSum += binSum[b];
        leftCount += binCount[b];
        const rightCount = count - leftCount;
        if (leftCount < limits.minLeafSize) continue;
        if (rightCount < limits.minLeafSize) break;
        if (binCount[b] === 0) continue; // same partition as the previous cut
        const rightSum = sum - leftSum;
        const gain = (leftSum * leftSum) / leftCount + (rightSum * rightSum) / rightCount - parentScore;
        if (gain > bestGain) {
          bestGain = gain;
          bestFeature = j;
          bestBin = b;
        }
      }
    }
    if (bestFeature < 0) return node;

    // partition rowIdx[start, end) so rows with bin <= bestBin come first
    const off = bestFeature * n;
    let mid = start;
    for (let k = start; k < end; k++) {
      const i = rowIdx[k];
      if (bins.codes[off + i] <= bestBin) {
        rowIdx[k] = rowIdx[mid];
        rowIdx[mid] = i;
        mid++;
      }
    }
    nodes.feature[node] = bestFeature;
    nodes.threshold[node] = bins.thresholds[bestFeature][bestBin];
    const l = grow(start, mid, depth + 1);
    const r = grow(mid, end, depth + 1);
    nodes.left[node] = l;
    nodes.right[node] = r;
    return node;
  };

  grow(0, rowIdx.length, 0);
  return {
    feature: Int32Array.from(nodes.feature),
    threshold: Float64Array.from(nodes.threshold),
    left: Int32Array.from(nodes.left),
    right: Int32Array.from(nodes.right),
    value: Float64Array.from(nodes.value),
  };
}

/** Prediction of `tree` for row `i` of a row-major matrix `x` with `p` features. */
export function predictTreeRow(tree: RegressionTree, x: Float64Array, i: number, p: number): number {
  let node = 0;
  while (tree.feature[node] >= 0) {
    node = x[i * p + tree.feature[node]] <= tree.threshold[node] ? tree.left[node] : tree.right[node];
  }
  return tree.value[node];
}
