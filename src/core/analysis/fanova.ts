/**
 * First-order functional ANOVA of a random forest: for each feature, the share of the variance of a
 * tree's prediction explained by that feature alone, computed exactly from the tree's leaf boxes and
 * averaged over the trees (as Hutter, Hoos & Leyton-Brown, "An Efficient Approach for Assessing
 * Hyperparameter Importance", ICML 2014, and the `fanova` package the HVP paper's Fig. 8 uses).
 *
 * The measure is uniform over the box of the training data ([min_j, max_j] per feature). A tree is
 * piecewise constant on its leaf boxes, so with f∅ = Σ_leaves vol·value its total variance is
 * Σ vol·(value − f∅)², and the marginal of feature j, f_j(x_j) = E[f | x_j], is constant between
 * consecutive split values of j: there it is Σ over the leaves whose j-interval covers it of
 * value · (the leaf's volume fraction in the other features). The first-order share of j is
 * Var(f_j) / Var(f). Shares need not sum to 1; the rest is interactions between features.
 * Trees without a split (zero variance) are left out of the average.
 *
 * Must not import: tfjs, DOM; nothing from core.
 */
import { shareStats } from './shareStats';
import type { RandomForest } from './randomForest';
import type { RegressionTree } from './regressionTree';

/** First-order fANOVA shares of one tree, or null when the tree is constant. */
export function treeFirstOrderShares(
  tree: RegressionTree,
  min: Float64Array,
  max: Float64Array,
): Float64Array | null {
  const p = min.length;
  const width = Float64Array.from({ length: p }, (_, j) => max[j] - min[j]);
  const leaves = leafBoxes(tree, min, max);
  // volume fraction of each leaf box
  const vol = leaves.map((leaf) => {
    let v = 1;
    for (let j = 0; j < p; j++) if (width[j] > 0) v *= (leaf.hi[j] - leaf.lo[j]) / width[j];
    return v;
  });
  let mean = 0;
  leaves.forEach((leaf, l) => (mean += vol[l] * leaf.value));
  let total = 0;
  leaves.forEach((leaf, l) => (total += vol[l] * (leaf.value - mean) ** 2));
  if (!(total > 1e-300)) return null;

  const shares = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    if (!(width[j] > 0)) continue;
    // the points that cut [min_j, max_j] into the intervals where f_j is constant
    const cuts = new Set<number>([min[j], max[j]]);
    for (let node = 0; node < tree.feature.length; node++) {
      if (tree.feature[node] === j) cuts.add(tree.threshold[node]);
    }
    if (cuts.size === 2) continue; // j is never split on: f_j is constant
    const points = Float64Array.from(cuts).sort();
    const diff = new Float64Array(points.length);
    leaves.forEach((leaf, l) => {
      const frac = (leaf.hi[j] - leaf.lo[j]) / width[j];
      if (!(frac > 0)) return;
      const w = (leaf.value * vol[l]) / frac; // value × volume fraction in the other features
      diff[indexOf(points, leaf.lo[j])] += w;
      diff[indexOf(points, leaf.hi[j])] -= w;
    });
    let marginal = 0;
    let varJ = 0;
    for (let i = 0; i + 1 < points.length; i++) {
      marginal += diff[i];
      varJ += ((points[i + 1] - points[i]) / width[j]) * (marginal - mean) ** 2;
    }
    shares[j] = varJ / total;
  }
  return shares;
}

/** First-order shares over the forest: mean and standard deviation over its non-constant trees. */
export function forestFirstOrderShares(forest: RandomForest): {
  mean: Float64Array;
  sd: Float64Array;
  numTreesUsed: number;
} {
  const p = forest.featureNames.length;
  const sum = new Float64Array(p);
  const sumSq = new Float64Array(p);
  let used = 0;
  for (const tree of forest.trees) {
    const s = treeFirstOrderShares(tree, forest.min, forest.max);
    if (!s) continue;
    used++;
    for (let j = 0; j < p; j++) {
      sum[j] += s[j];
      sumSq[j] += s[j] * s[j];
    }
  }
  return shareStats(sum, sumSq, used);
}

interface LeafBox {
  readonly value: number;
  readonly lo: Float64Array;
  readonly hi: Float64Array;
}

/** The box of every leaf, clipped to [min, max]. */
function leafBoxes(tree: RegressionTree, min: Float64Array, max: Float64Array): LeafBox[] {
  const out: LeafBox[] = [];
  const walk = (node: number, lo: Float64Array, hi: Float64Array): void => {
    const j = tree.feature[node];
    if (j < 0) {
      out.push({ value: tree.value[node], lo, hi });
      return;
    }
    const t = Math.min(max[j], Math.max(min[j], tree.threshold[node]));
    const leftHi = Float64Array.from(hi);
    leftHi[j] = Math.min(hi[j], t);
    const rightLo = Float64Array.from(lo);
    rightLo[j] = Math.max(lo[j], t);
    walk(tree.left[node], lo, leftHi);
    walk(tree.right[node], rightLo, hi);
  };
  walk(0, Float64Array.from(min), Float64Array.from(max));
  return out;
}

/** Index of `v` in the sorted `points` (v is one of them; nearest when rounding differs). */
function indexOf(points: Float64Array, v: number): number {
  let lo = 0;
  let hi = points.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (points[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
