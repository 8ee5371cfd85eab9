/**
 * A conditional-logit choice model (McFadden 1974): each candidate c of a group (an image's candidate
 * view pairs) gets the score w · z_c of its standardised features z_c, and the model says the group
 * picks c with probability softmax(scores)_c. One weight vector is shared by all candidates, so the
 * model learns *what makes a pair get selected* (e.g. "lower iou") and works for any number of
 * candidates per group; a constant shift of a feature within a group does not change the choice.
 * It is fitted by Newton's method on the mean negative log-likelihood plus an L2 penalty (convex,
 * no randomness, a few dozen iterations) and predicts the argmax candidate of each group.
 *
 * Why this model for "can the choice be predicted?" (HVP paper, App. F.1.2): HVP picks, per image,
 * the candidate pair with the highest loss, a relative choice among that image's candidates; a
 * model that scores candidates and compares them within the group is the direct fit, its weights
 * read as "what the selection prefers", and it needs no tuning. Its limit: scores are linear in the
 * features, so give it the features whose monotone effect you want to test (min/max per view, pair
 * metrics).
 *
 * Must not import: tfjs, DOM; nothing from core.
 */
import { AnalysisInputError } from './regressionData';

/** One choice: the feature rows of the candidates and which one was selected. */
export interface ChoiceGroup {
  /** Feature row of each candidate, [numCandidates][numFeatures]. */
  readonly candidates: readonly (readonly number[])[];
  /** Index of the selected candidate. */
  readonly selectedIdx: number;
}

/** Fit settings. */
export interface ChoiceModelOptions {
  /** L2 penalty on the standardised weights. Default 1e-3; range 1e-6–10. Larger: flatter model. */
  readonly l2?: number;
  /** Newton iterations at most. Default 50. */
  readonly maxIterations?: number;
}

/** A fitted model: weights on standardised features, and the standardisation. */
export interface ChoiceModel {
  /** Weight per feature on the standardised scale (comparable across features). */
  readonly weights: Float64Array;
  readonly mean: Float64Array;
  /** Standard deviation per feature over the training candidates (1 where a feature is constant). */
  readonly scale: Float64Array;
}

/** Throws AnalysisInputError unless every group has ≥ 1 candidate of `numFeatures` finite values and a valid selectedIdx. */
export function validateChoiceGroups(groups: readonly ChoiceGroup[], numFeatures: number): void {
  groups.forEach((g, gi) => {
    if (g.candidates.length === 0) throw new AnalysisInputError(`group ${gi}: no candidates`);
    if (!Number.isInteger(g.selectedIdx) || g.selectedIdx < 0 || g.selectedIdx >= g.candidates.length) {
      throw new AnalysisInputError(`group ${gi}: selectedIdx ${g.selectedIdx} is not one of its ${g.candidates.length} candidates`);
    }
    g.candidates.forEach((c, ci) => {
      if (c.length !== numFeatures) throw new AnalysisInputError(`group ${gi} candidate ${ci}: ${c.length} features, expected ${numFeatures}`);
      c.forEach((v, j) => {
        if (!Number.isFinite(v)) throw new AnalysisInputError(`group ${gi} candidate ${ci}: feature ${j} is ${v}`);
      });
    });
  });
}

/** Fits the conditional logit to `groups` (all of them are training data). */
export function fitChoiceModel(groups: readonly ChoiceGroup[], numFeatures: number, options: ChoiceModelOptions = {}): ChoiceModel {
  const p = numFeatures;
  const l2 = Math.min(10, Math.max(1e-6, options.l2 ?? 1e-3));
  const maxIterations = Math.max(1, Math.round(options.maxIterations ?? 50));
  const { mean, scale } = standardisation(groups, p);
  const z = groups.map((g) => g.candidates.map((c) => c.map((v, j) => (v - mean[j]) / scale[j])));
  const w = new Float64Array(p);
  const objective = (wt: Float64Array): number => {
    let nll = 0;
    z.forEach((zg, gi) => {
      const s = zg.map((zc) => dot(wt, zc));
      nll += logSumExp(s) - s[groups[gi].selectedIdx];
    });
    return nll / groups.length + 0.5 * l2 * dot(wt, wt);
  };
  let f = objective(w);
  for (let it = 0; it < maxIterations; it++) {
    const grad = Float64Array.from(w, (v) => l2 * v);
    const hess = new Float64Array(p * p);
    for (let j = 0; j < p; j++) hess[j * p + j] = l2;
    z.forEach((zg, gi) => {
      const prob = softmax(zg.map((zc) => dot(w, zc)));
      const ez = new Float64Array(p); // E_prob[z]
      zg.forEach((zc, c) => zc.forEach((v, j) => (ez[j] += prob[c] * v)));
      const sel = zg[groups[gi].selectedIdx];
      for (let j = 0; j < p; j++) grad[j] += (ez[j] - sel[j]) / groups.length;
      zg.forEach((zc, c) => {
        const pc = prob[c] / groups.length;
        for (let a = 0; a < p; a++) {
          const da = zc[a] - ez[a];
          for (let b = 0; b < p; b++) hess[a * p + b] += pc * da * (zc[b] - ez[b]);
        }
      });
    });
    const step = choleskySolve(hess, grad, p);
    // backtracking: halve the Newton step until the objective decreases
    let t = 1;
    let next = w;
    let fNext = f;
    for (let k = 0; k < 30; k++, t /= 2) {
      const cand = Float64Array.from(w, (v, j) => v - t * step[j]);
      const fc = objective(cand);
      if (fc < f) {
        next = cand;
        fNext = fc;
        break;
      }
    }
    if (next === w) break;
    const improvement = f - fNext;
    w.set(next);
    f = fNext;
    if (improvement < 1e-10 * Math.max(1, Math.abs(f))) break;
  }
  return { weights: w, mean, scale };
}

/** The index of the highest-scoring candidate of each group (the first one on ties). */
export function predictChoices(model: ChoiceModel, groups: readonly ChoiceGroup[]): Int32Array {
  return Int32Array.from(groups, (g) => {
    let best = 0;
    let bestScore = -Infinity;
    g.candidates.forEach((c, ci) => {
      let s = 0;
      c.forEach((v, j) => (s += model.weights[j] * ((v - model.mean[j]) / model.scale[j])));
      if (s > bestScore) {
        bestScore = s;
        best = ci;
      }
    });
    return best;
  });
}

function standardisation(groups: readonly ChoiceGroup[], p: number): { mean: Float64Array; scale: Float64Array } {
  const mean = new Float64Array(p);
  const sq = new Float64Array(p);
  let n = 0;
  for (const g of groups) for (const c of g.candidates) {
    n++;
    c.forEach((v, j) => (mean[j] += v));
  }
  for (let j = 0; j < p; j++) mean[j] /= Math.max(1, n);
  for (const g of groups) for (const c of g.candidates) c.forEach((v, j) => (sq[j] += (v - mean[j]) ** 2));
  const scale = Float64Array.from(sq, (s) => {
    const sd = Math.sqrt(s / Math.max(1, n));
    return sd > 1e-12 ? sd : 1;
  });
  return { mean, scale };
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += a[j] * b[j];
  return s;
};

function logSumExp(s: readonly number[]): number {
  const m = Math.max(...s);
  return m + Math.log(s.reduce((acc, v) => acc + Math.exp(v - m), 0));
}

function softmax(s: readonly number[]): number[] {
  const m = Math.max(...s);
  const e = s.map((v) => Math.exp(v - m));
  const total = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / total);
}

/** Solves A x = b for a symmetric positive-definite p × p matrix A (row-major). */
function choleskySolve(a: Float64Array, b: Float64Array, p: number): Float64Array {
  const l = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * p + j];
      for (let k = 0; k < j; k++) s -= l[i * p + k] * l[j * p + k];
      l[i * p + j] = i === j ? Math.sqrt(Math.max(s, 1e-300)) : s / l[j * p + j];
    }
  }
  const y = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * p + k] * y[k];
    y[i] = s / l[i * p + i];
  }
  const x = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < p; k++) s -= l[k * p + i] * x[k];
    x[i] = s / l[i * p + i];
  }
  return x;
}
