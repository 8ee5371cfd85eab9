/**
 * Permutation importance of a random forest on its out-of-bag rows (Breiman 2001): for each tree,
 * shuffle one feature among the rows the tree did not see and measure how much its squared error
 * grows. For a loss f = g(x_j) + rest + noise, shuffling x_j adds 2 · Var(g) to the error, so
 * share_j = ΔMSE_j / (2 · Var of the tree's out-of-bag predictions) is on the same scale as the
 * first-order fANOVA share (a fraction of the predicted variance), averaged over the trees.
 * Unlike fANOVA it evaluates the forest only at (shuffled) data rows, not over the whole box, so it
 * extrapolates less when features are correlated (iou and centerDistance are), but it is noisy and
 * counts a feature's interactions into its share as well.
 *
 * Must not import: tfjs, DOM; from core only files directly in src/core/ (random.ts).
 */
import { shareStats } from './shareStats';
import { createRng, deriveSeed } from '../random';
import type { RandomForest } from './randomForest';
import type { RegressionData } from './regressionData';
import { predictTreeRow } from './regressionTree';

/** Mean and standard deviation over trees of each feature's permutation share. */
export function permutationShares(
  forest: RandomForest,
  data: RegressionData,
  seed: number,
): { mean: Float64Array; sd: Float64Array; numTreesUsed: number } {
  const p = forest.featureNames.length;
  const rng = createRng(deriveSeed(seed, 'permutationImportance'));
  const sum = new Float64Array(p);
  const sumSq = new Float64Array(p);
  let used = 0;
  forest.trees.forEach((tree, t) => {
    const oob = forest.outOfBag[t];
    const m = oob.length;
    if (m < 2) return;
    const rows = new Float64Array(m * p); // [m, p] copy of the out-of-bag rows
    for (let k = 0; k < m; k++) rows.set(data.x.subarray(oob[k] * p, oob[k] * p + p), k * p);
    const pred = Float64Array.from({ length: m }, (_, k) => predictTreeRow(tree, rows, k, p));
    let predMean = 0;
    let baseErr = 0;
    for (let k = 0; k < m; k++) {
      predMean += pred[k] / m;
      baseErr += (pred[k] - data.y[oob[k]]) ** 2 / m;
    }
    let predVar = 0;
    for (let k = 0; k < m; k++) predVar += (pred[k] - predMean) ** 2 / m;
    if (!(predVar > 1e-300)) return;
    used++;
    const saved = new Float64Array(m);
    for (let j = 0; j < p; j++) {
      for (let k = 0; k < m; k++) saved[k] = rows[k * p + j];
      const perm = rng.permutation(m);
      for (let k = 0; k < m; k++) rows[k * p + j] = saved[perm[k]];
      let err = 0;
      for (let k = 0; k < m; k++) err += (predictTreeRow(tree, rows, k, p) - data.y[oob[k]]) ** 2 / m;
      for (let k = 0; k < m; k++) rows[k * p + j] = saved[k];
      const share = Math.max(0, err - baseErr) / (2 * predVar);
      sum[j] += share;
      sumSq[j] += share * share;
    }
  });
  return shareStats(sum, sumSq, used);
}
