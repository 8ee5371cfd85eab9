import { describe, expect, it } from 'vitest';
import { healthFromScatter } from './health';
import { pcaProject } from './pca';

/** Centred rows [n, d] and their scatter XᵀX. */
function centredAndScatter(rows: number[][]) {
  const n = rows.length, d = rows[0]!.length;
  const mean = Array.from({ length: d }, (_, j) => rows.reduce((a, r) => a + r[j]!, 0) / n);
  const c = rows.map((r) => r.map((v, j) => v - mean[j]!));
  const s = new Float64Array(d * d);
  for (const r of c) for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) s[i * d + j] += r[i]! * r[j]!;
  return { flat: c.flat(), scatter: s, n, d };
}

describe('pcaProject', () => {
  it('data on a known plane in 5-D maps back to its in-plane coordinates (up to sign)', () => {
    // Plane spanned by orthonormal u, v; coordinates a (spread 3) along u, b (spread 1) along v.
    const u = [1, 1, 0, 0, 0].map((x) => x / Math.SQRT2);
    const v = [0, 0, 1, 0, 1].map((x) => x / Math.SQRT2);
    const ab = [[3, 1], [-3, 1], [3, -1], [-3, -1], [0, 0.5], [0, -0.5]];
    const rows = ab.map(([a, b]) => u.map((ui, k) => 7 + a! * ui + b! * v[k]!));
    const { flat, scatter, n, d } = centredAndScatter(rows);
    const { health, eigenvalues } = healthFromScatter(1, scatter, n, d);
    const effectiveRank = health.effectiveRank;
    const map = pcaProject(flat, n, d, scatter, eigenvalues, [0, 1, 0, 1, 2, 2]);
    for (let i = 0; i < n; i++) {
      expect(Math.abs(map.coords[2 * i]!)).toBeCloseTo(Math.abs(ab[i]![0]!), 6);
      expect(Math.abs(map.coords[2 * i + 1]!)).toBeCloseTo(Math.abs(ab[i]![1]!), 6);
    }
    // Two directions carry all variance: 36·4 vs 4 + 0.5 → explained fractions.
    const va = 4 * 9, vb = 4 * 1 + 2 * 0.25;
    expect(map.explained[0]).toBeCloseTo(va / (va + vb), 6);
    expect(map.explained[1]).toBeCloseTo(vb / (va + vb), 6);
    expect(map.labels).toEqual([0, 1, 0, 1, 2, 2]);
    expect(effectiveRank).toBeGreaterThan(1);
    expect(effectiveRank).toBeLessThan(2);
  });

  it('refuses too few values', () => {
    expect(() => pcaProject([1, 2, 3], 2, 2, [1, 0, 0, 1], [1, 1], [])).toThrow(/2×2/);
  });
});
