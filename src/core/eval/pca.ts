/**
 * 2-D PCA map of embeddings: projects centred rows on the top two eigenvectors of their scatter
 * matrix (subspace power iteration, spectrum.ts). Plain TS on host arrays; the scatter matrix comes
 * from the device (health.ts) so only [d, d] and the mapped rows are read back.
 * Must not import: tfjs, DOM.
 */
import type { PcaMap } from './evaluationMetrics';
import { topEigenvectors } from './spectrum';

/**
 * @param centred row-major centred embeddings [n, d] (rows to map)
 * @param scatter the scatter matrix ZcᵀZc [d, d] of all rows the map stands for
 * @param eigenvalues its eigenvalues, descending (for the explained-variance fractions)
 * @param labels class of each row (-1: none)
 */
export function pcaProject(centred: ArrayLike<number>, n: number, d: number, scatter: ArrayLike<number>, eigenvalues: ArrayLike<number>, labels: ArrayLike<number>): PcaMap {
  if (centred.length < n * d) throw new RangeError(`pcaProject: expected ${n}×${d} values, got ${centred.length}`);
  const top = topEigenvectors(scatter, d, 2);
  const dirs = [0, 1].map((c) => top[c] ?? new Float64Array(d));
  // Deterministic signs: the largest-magnitude coordinate of each direction is positive.
  for (const v of dirs) {
    let big = 0;
    for (let j = 0; j < d; j++) if (Math.abs(v[j]!) > Math.abs(v[big]!)) big = j;
    if (v[big]! < 0) for (let j = 0; j < d; j++) v[j] = -v[j]!;
  }
  const coords: number[] = new Array<number>(2 * n);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 2; c++) {
      let dot = 0;
      for (let j = 0; j < d; j++) dot += centred[i * d + j]! * dirs[c]![j]!;
      coords[2 * i + c] = dot;
    }
  }
  let total = 0;
  for (let k = 0; k < eigenvalues.length; k++) total += Math.max(0, eigenvalues[k]!);
  const frac = (k: number) => (total > 0 ? Math.max(0, eigenvalues[k] ?? 0) / total : 0);
  return { coords, labels: Array.from({ length: n }, (_, i) => labels[i] ?? -1), explained: [frac(0), frac(1)] };
}
