/**
 * Spectrum of a real symmetric matrix in plain TS (float64), fast enough for d = 512 in a worker:
 * all eigenvalues by Householder tridiagonalisation (≈ 4/3·d³ flops) and Sturm-sequence bisection
 * on the tridiagonal matrix, and the top-k eigenvectors by subspace (block power) iteration with
 * Rayleigh–Ritz. Used by collapse health (the whole spectrum → effective rank) and the PCA map
 * (top-2 directions).
 * Must not import: tfjs, DOM.
 */

/** Tridiagonal form of a symmetric matrix: diagonal [n] and sub-diagonal [n-1]. */
function tridiagonalize(a: ArrayLike<number>, n: number): { diag: Float64Array; off: Float64Array } {
  const m = Float64Array.from(a); // row-major [n, n], overwritten
  const v = new Float64Array(n);
  const p = new Float64Array(n);
  for (let k = 0; k < n - 2; k++) {
    // Householder vector v zeroing m[k+2.., k]: H = I − 2vvᵀ on rows/cols k+1..n-1.
    let norm = 0;
    for (let i = k + 1; i < n; i++) norm += m[i * n + k]! ** 2;
    norm = Math.sqrt(norm);
    if (norm === 0) continue;
    const x0 = m[(k + 1) * n + k]!;
    const alpha = x0 > 0 ? -norm : norm;
    let vnorm = 0;
    for (let i = k + 1; i < n; i++) {
      v[i] = m[i * n + k]! - (i === k + 1 ? alpha : 0);
      vnorm += v[i]! ** 2;
    }
    vnorm = Math.sqrt(vnorm);
    if (vnorm === 0) continue;
    for (let i = k + 1; i < n; i++) v[i] = v[i]! / vnorm;
    // B ← HBH = B − 2(vqᵀ + qvᵀ), p = Bv, K = vᵀp, q = p − Kv.
    let kk = 0;
    for (let i = k + 1; i < n; i++) {
      let s = 0;
      for (let j = k + 1; j < n; j++) s += m[i * n + j]! * v[j]!;
      p[i] = s;
      kk += v[i]! * s;
    }
    for (let i = k + 1; i < n; i++) p[i] = p[i]! - kk * v[i]!;
    for (let i = k + 1; i < n; i++) {
      for (let j = k + 1; j < n; j++) m[i * n + j] = m[i * n + j]! - 2 * (v[i]! * p[j]! + p[i]! * v[j]!);
    }
    m[(k + 1) * n + k] = alpha;
    m[k * n + k + 1] = alpha;
    for (let i = k + 2; i < n; i++) {
      m[i * n + k] = 0;
      m[k * n + i] = 0;
    }
  }
  const diag = Float64Array.from({ length: n }, (_, i) => m[i * n + i]!);
  const off = Float64Array.from({ length: Math.max(0, n - 1) }, (_, i) => m[(i + 1) * n + i]!);
  return { diag, off };
}

/** Number of eigenvalues of the tridiagonal matrix below x (Sturm sequence). */
function countBelow(diag: Float64Array, off2: Float64Array, x: number, tiny: number): number {
  let count = 0;
  let q = diag[0]! - x;
  if (q < 0) count++;
  for (let i = 1; i < diag.length; i++) {
    q = diag[i]! - x - off2[i - 1]! / (q === 0 ? tiny : q);
    if (q < 0) count++;
  }
  return count;
}

/**
 * All eigenvalues of a symmetric matrix, descending.
 * @param a row-major symmetric matrix [n, n] (not modified)
 */
export function symmetricEigenvalues(a: ArrayLike<number>, n: number): Float64Array {
  if (a.length !== n * n) throw new RangeError(`symmetricEigenvalues: expected ${n}×${n} = ${n * n} values, got ${a.length}`);
  if (n === 0) return new Float64Array(0);
  const { diag, off } = tridiagonalize(a, n);
  const off2 = off.map((e) => e * e);
  // Gershgorin bounds of the tridiagonal matrix.
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const r = (i > 0 ? Math.abs(off[i - 1]!) : 0) + (i < n - 1 ? Math.abs(off[i]!) : 0);
    lo = Math.min(lo, diag[i]! - r);
    hi = Math.max(hi, diag[i]! + r);
  }
  const span = Math.max(hi - lo, 1e-300);
  lo -= 1e-9 * span;
  hi += 1e-9 * span;
  const tiny = 1e-300 + 1e-30 * span;
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    // k-th smallest: the least x with countBelow(x) > k.
    let a0 = lo;
    let b0 = hi;
    for (let it = 0; it < 100 && b0 - a0 > 1e-15 * span; it++) {
      const mid = 0.5 * (a0 + b0);
      if (countBelow(diag, off2, mid, tiny) > k) b0 = mid;
      else a0 = mid;
    }
    out[n - 1 - k] = 0.5 * (a0 + b0);
  }
  return out;
}

/**
 * Top-k unit eigenvectors (largest eigenvalues first) of a symmetric positive semi-definite
 * matrix by subspace iteration: V ← orth(AV), then a k×k Rayleigh–Ritz rotation. Deterministic start.
 * @param a row-major [n, n]
 */
export function topEigenvectors(a: ArrayLike<number>, n: number, k: number, iterations = 300): Float64Array[] {
  if (a.length !== n * n) throw new RangeError(`topEigenvectors: expected ${n}×${n} = ${n * n} values, got ${a.length}`);
  k = Math.min(k, n);
  let vs = Array.from({ length: k }, (_, c) => Float64Array.from({ length: n }, (_, i) => Math.cos(0.7 * (i + 1) * (c + 1)) + (i === c ? 1 : 0)));
  const mul = (v: Float64Array) => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += a[i * n + j]! * v[j]!;
      out[i] = s;
    }
    return out;
  };
  const orthonormalize = (list: Float64Array[]) => {
    for (let c = 0; c < list.length; c++) {
      const v = list[c]!;
      for (let p = 0; p < c; p++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += v[i]! * list[p]![i]!;
        for (let i = 0; i < n; i++) v[i] = v[i]! - dot * list[p]![i]!;
      }
      let norm = 0;
      for (let i = 0; i < n; i++) norm += v[i]! ** 2;
      norm = Math.sqrt(norm);
      if (norm < 1e-300) {
        v.fill(0);
        v[c % n] = 1; // a zero matrix: any orthonormal basis is an eigenbasis
        continue;
      }
      for (let i = 0; i < n; i++) v[i] = v[i]! / norm;
    }
  };
  orthonormalize(vs);
  for (let it = 0; it < iterations; it++) {
    const next = vs.map(mul);
    orthonormalize(next);
    let change = 0;
    for (let c = 0; c < k; c++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += next[c]![i]! * vs[c]![i]!;
      change = Math.max(change, 1 - Math.abs(dot));
    }
    vs = next;
    if (change < 1e-14) break;
  }
  if (k === 2) {
    // Rayleigh–Ritz: rotate the 2-D subspace onto the eigenvectors of VᵀAV.
    const av = vs.map(mul);
    const dot = (x: Float64Array, y: Float64Array) => x.reduce((s, xi, i) => s + xi * y[i]!, 0);
    const h00 = dot(vs[0]!, av[0]!), h01 = dot(vs[0]!, av[1]!), h11 = dot(vs[1]!, av[1]!);
    const theta = 0.5 * Math.atan2(2 * h01, h00 - h11);
    const c = Math.cos(theta), s = Math.sin(theta);
    const u0 = vs[0]!.map((x, i) => c * x + s * vs[1]![i]!);
    const u1 = vs[0]!.map((x, i) => -s * x + c * vs[1]![i]!);
    vs = [u0, u1];
  }
  return vs;
}
