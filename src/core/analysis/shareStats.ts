/**
 * Per-feature shares summarised over the trees of a forest: the mean and the (population) standard
 * deviation of each feature's share, from the sums and sums of squares the importance methods
 * gather tree by tree (fanova.ts, permutationImportance.ts).
 * Must not import: tfjs, DOM.
 */

/** Mean and SD per feature of `used` trees' shares, from their sums `sum` and squared sums `sumSq`. */
export function shareStats(sum: Float64Array, sumSq: Float64Array, used: number): { mean: Float64Array; sd: Float64Array; numTreesUsed: number } {
  const p = sum.length;
  const mean = new Float64Array(p);
  const sd = new Float64Array(p);
  if (used > 0) {
    for (let j = 0; j < p; j++) {
      mean[j] = sum[j] / used;
      sd[j] = Math.sqrt(Math.max(0, sumSq[j] / used - mean[j] ** 2));
    }
  }
  return { mean, sd, numTreesUsed: used };
}
