/**
 * Test helper: the authors' iBOT per-sample formulas (iBOTLoss.hvs / forward) as plain float64 loops
 * over host arrays, to check the device ops of methods/ibot.ts and the method against. Not used by
 * production code.
 * Must not import: tfjs, DOM, gpu/, worker/, ui/.
 */

/** Raw outputs of one forward, view-major (row k·M + m = view k of image m), flattened. */
export interface NaiveIbotOutputs {
  numGlobals: number;
  numLocals: number;
  numImages: number;
  numPatches: number;
  /** Teacher CLS [G·M·K]. */
  tCls: ArrayLike<number>;
  /** Student CLS of the globals then the locals [(G + L)·M·K]. */
  sCls: ArrayLike<number>;
  /** Teacher / student patch outputs [G·M·T·Kp]. */
  tPatch: ArrayLike<number>;
  sPatch: ArrayLike<number>;
  /** Masks [G·M·T] of 0/1. */
  masks: ArrayLike<number>;
  center: ArrayLike<number>;
  center2: ArrayLike<number>;
  teacherTemp: number;
  teacherPatchTemp: number;
  studentTemp: number;
}

const row = (a: ArrayLike<number>, r: number, n: number): number[] => Array.from({ length: n }, (_, i) => a[r * n + i]!);

/** −Σ_k softmax((t − c)/τ)_k · log_softmax(s/τs)_k in float64. */
export function naiveCrossEntropy(t: number[], c: ArrayLike<number>, tau: number, s: number[], tauS: number): number {
  const z = t.map((v, k) => (v - c[k]!) / tau);
  const zm = Math.max(...z);
  const e = z.map((v) => Math.exp(v - zm));
  const es = e.reduce((a, b) => a + b, 0);
  const y = s.map((v) => v / tauS);
  const ym = Math.max(...y);
  const lse = ym + Math.log(y.reduce((a, v) => a + Math.exp(v - ym), 0));
  return -e.reduce((a, ek, k) => a + (ek / es) * (y[k]! - lse), 0);
}

/** CLS term of teacher global q vs student view v (globals, then locals at G + id) for image m. */
export function naiveClsTerm(o: NaiveIbotOutputs, m: number, q: number, v: number): number {
  const K = o.center.length;
  return naiveCrossEntropy(row(o.tCls, q * o.numImages + m, K), o.center, o.teacherTemp, row(o.sCls, v * o.numImages + m, K), o.studentTemp);
}

/** Masked-patch term of global g for image m: mean CE over its masked patches (0 if none). */
export function naivePatchTerm(o: NaiveIbotOutputs, m: number, g: number): number {
  const Kp = o.center2.length;
  let sum = 0;
  let n = 0;
  for (let t = 0; t < o.numPatches; t++) {
    const r = (g * o.numImages + m) * o.numPatches + t;
    if (!o.masks[r]) continue;
    sum += naiveCrossEntropy(row(o.tPatch, r, Kp), o.center2, o.teacherPatchTemp, row(o.sPatch, r, Kp), o.studentTemp);
    n++;
  }
  return sum / Math.max(n, 1);
}

/** Per-sample score of combination [a, b, ...locals] for image m: mean CLS terms + λ2 · mean patch terms. */
export function naiveIbotScore(o: NaiveIbotOutputs, m: number, combo: readonly number[], patchWeight: number): number {
  const [a, b, ...locals] = combo as [number, number, ...number[]];
  const views = [a, b, ...locals.map((l) => o.numGlobals + l)];
  let l1 = 0;
  let n1 = 0;
  for (const q of [a, b]) {
    for (const v of views) {
      if (v === q) continue;
      l1 += naiveClsTerm(o, m, q, v);
      n1++;
    }
  }
  return l1 / n1 + (patchWeight * (naivePatchTerm(o, m, a) + naivePatchTerm(o, m, b))) / 2;
}
