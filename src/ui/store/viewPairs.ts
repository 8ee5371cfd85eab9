/**
 * View-pair indexing for the UI: the C(N,2) unordered pairs of an image's N views in the fixed
 * order (0,1), (0,2), …, (0,N-1), (1,2), …, (N-2,N-1) — the order of ProbeImage.pairLosses and
 * pairIous. It mirrors core/train/pairs.ts, which ui/ may not import (layer rule: ui takes only
 * core/config from core at runtime); viewPairs.test.ts pins the order.
 * Must not import: React, zustand, recharts, tfjs.
 */

/** Number of unordered pairs of n views, C(n, 2). */
export function numViewPairs(n: number): number {
  return (n * (n - 1)) / 2;
}

/** Index of pair (k, l) (either order, k ≠ l) among the pairs of n views. */
export function viewPairIdx(k: number, l: number, n: number): number {
  const a = Math.min(k, l);
  const b = Math.max(k, l);
  if (a === b || a < 0 || b >= n) throw new RangeError(`Invalid view pair (${k}, ${l}) for ${n} views`);
  // pairs in rows before a: sum over r < a of (n - 1 - r)
  return a * (n - 1) - (a * (a - 1)) / 2 + (b - a - 1);
}
