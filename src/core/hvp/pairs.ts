/**
 * Pair bookkeeping for hard-view selection: the C(N,2) unordered view pairs of an image in the
 * fixed order (0,1), (0,2), …, (0,N-1), (1,2), …, (N-2,N-1) (itertools.combinations order, as the
 * authors' code iterates). Pair index p refers to this order everywhere (losses, IoUs, selection).
 * Must not import: tfjs, DOM.
 */

/** All unordered pairs (k, l), k < l, of n views in combinations order. */
export function pairList(n: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let k = 0; k < n; k++) for (let l = k + 1; l < n; l++) out.push([k, l]);
  return out;
}

/** Number of pairs C(n, 2). */
export function numPairs(n: number): number {
  return (n * (n - 1)) / 2;
}

/** Index of pair (k, l) (either order, k ≠ l) in pairList(n). */
export function pairIndex(k: number, l: number, n: number): number {
  const a = Math.min(k, l);
  const b = Math.max(k, l);
  if (a === b || a < 0 || b >= n) throw new RangeError(`Invalid pair (${k}, ${l}) for ${n} views`);
  // pairs before row a: sum_{r<a} (n-1-r) = a*(n-1) - a*(a-1)/2
  return a * (n - 1) - (a * (a - 1)) / 2 + (b - a - 1);
}
