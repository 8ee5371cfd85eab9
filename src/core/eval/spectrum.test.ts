import { describe, expect, it } from 'vitest';
import { createRng } from '../random';
import { symmetricEigenvalues, topEigenvectors } from './spectrum';

/** Q diag(λ) Qᵀ for a rotation Q built from Householder reflections of seeded vectors. */
function withSpectrum(values: number[], seed: number): Float64Array {
  const n = values.length;
  const rng = createRng(seed);
  const q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) q[i * n + i] = 1;
  for (let r = 0; r < 3; r++) {
    const v = Array.from({ length: n }, () => rng.next() - 0.5);
    const norm = Math.hypot(...v);
    const u = v.map((x) => x / norm);
    // q ← (I − 2uuᵀ) q
    for (let j = 0; j < n; j++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += u[i]! * q[i * n + j]!;
      for (let i = 0; i < n; i++) q[i * n + j] = q[i * n + j]! - 2 * u[i]! * dot;
    }
  }
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += q[i * n + k]! * values[k]! * q[j * n + k]!;
    a[i * n + j] = s;
  }
  return a;
}

describe('symmetricEigenvalues', () => {
  it('recovers a known 2×2 spectrum', () => {
    const v = symmetricEigenvalues([2, 1, 1, 2], 2);
    expect(v[0]).toBeCloseTo(3, 10);
    expect(v[1]).toBeCloseTo(1, 10);
  });

  it('recovers a planted spectrum (with repeats and zeros) of a rotated 12×12 matrix', () => {
    const values = [9, 5, 5, 3, 2.5, 1, 0.5, 0.25, 0, 0, 0, 0];
    const got = Array.from(symmetricEigenvalues(withSpectrum(values, 3), 12));
    got.forEach((g, i) => expect(g).toBeCloseTo(values[i]!, 8));
  });

  it('handles 1×1, identity and the zero matrix; refuses a wrong size', () => {
    expect(Array.from(symmetricEigenvalues([4], 1))).toEqual([4]);
    Array.from(symmetricEigenvalues(Float64Array.from({ length: 25 }, (_, i) => (i % 6 === 0 ? 1 : 0)), 5)).forEach((x) => expect(x).toBeCloseTo(1, 12));
    Array.from(symmetricEigenvalues(new Float64Array(9), 3)).forEach((x) => expect(x).toBeCloseTo(0, 12));
    expect(() => symmetricEigenvalues([1, 2, 3], 2)).toThrow(/2×2/);
  });
});

describe('topEigenvectors', () => {
  it('finds the top-2 eigenvectors: Av = λv with the planted λ1, λ2', () => {
    const n = 10;
    const a = withSpectrum([7, 4, 1, 1, 0.5, 0.2, 0, 0, 0, 0], 9);
    const [v1, v2] = topEigenvectors(a, n, 2);
    for (const [v, lambda] of [[v1!, 7], [v2!, 4]] as const) {
      for (let i = 0; i < n; i++) {
        let av = 0;
        for (let j = 0; j < n; j++) av += a[i * n + j]! * v[j]!;
        expect(av).toBeCloseTo(lambda * v[i]!, 6);
      }
    }
    expect(v1!.reduce((s, x, i) => s + x * v2![i]!, 0)).toBeCloseTo(0, 10);
  });
});
