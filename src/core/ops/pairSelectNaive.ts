/**
 * The definition of the 'HvpPairSelect' op (contract in pairSelect.ts) as plain float64 loops, one
 * pair at a time, with no tfjs: the oracle for the Node tests of the tfjs reference and for the
 * WebGPU parity harness (harness/pairKernel.ts), which also uses it to find near-ties.
 * Paper: Hard View Pretraining, arXiv 2310.03940; authors' code automl/hvp.
 * Must not import: tfjs, gpu/, worker/, ui/, DOM.
 */
import { pairList } from '../hvp/pairs';
import type { PairScore, PairSelectMode } from './pairSelect';

/** Norm clamp of F.cosine_similarity. */
const COS_EPS = 1e-8;

/** Shape of the naive op's inputs: a, b are flat [N·M·D] arrays, view-major rows. */
export interface NaiveShape {
  numViews: number;
  numImages: number;
  dim: number;
}

type Values = ArrayLike<number>;

function negCosine(a: Values, ia: number, b: Values, ib: number, dim: number): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let d = 0; d < dim; d++) {
    dot += a[ia + d]! * b[ib + d]!;
    na += a[ia + d]! ** 2;
    nb += b[ib + d]! ** 2;
  }
  return -dot / (Math.max(Math.sqrt(na), COS_EPS) * Math.max(Math.sqrt(nb), COS_EPS));
}

/** log Σ exp of a row, stabilised by its maximum. */
function logSumExp(x: Values, i0: number, dim: number): number {
  let max = -Infinity;
  for (let d = 0; d < dim; d++) max = Math.max(max, x[i0 + d]!);
  let s = 0;
  for (let d = 0; d < dim; d++) s += Math.exp(x[i0 + d]! - max);
  return max + Math.log(s);
}

/** −Σ_j softmax(teacher)_j · log_softmax(student)_j of two rows. */
function crossEntropy(student: Values, is: number, teacher: Values, it: number, dim: number): number {
  const lseS = logSumExp(student, is, dim);
  const lseT = logSumExp(teacher, it, dim);
  let ce = 0;
  for (let d = 0; d < dim; d++) ce -= Math.exp(teacher[it + d]! - lseT) * (student[is + d]! - lseS);
  return ce;
}

/**
 * SimCLR's NT-Xent row loss of anchor view k of image m against view l (score 'ntXentLogits'), from the
 * logit matrix G [R, R], R = N·M, view-major: denominators from g, the positive from pos:
 *   −pos[km, lm] + log(Σ_{m'≠m} exp g[km, km'] + Σ_{m'} exp g[km, lm']), stabilised by its maximum.
 */
function ntXentRow(g: Values, pos: Values, k: number, l: number, m: number, numViews: number, numImages: number): number {
  const row = (k * numImages + m) * numViews * numImages;
  const terms: number[] = [];
  for (let j = 0; j < numImages; j++) {
    if (j !== m) terms.push(g[row + k * numImages + j]!);
    terms.push(g[row + l * numImages + j]!);
  }
  const max = Math.max(...terms);
  const lse = max + Math.log(terms.reduce((s, v) => s + Math.exp(v - max), 0));
  return lse - pos[row + l * numImages + m]!;
}

/**
 * pairLosses[m·P + p] = ½·(f(a_km, b_lm) + f(a_lm, b_km)) for pair p = (k, l) in pairList order;
 * for 'ntXentLogits' ½·(row(k→l) + row(l→k)) of the logit matrix (dim = N·M, see pairSelect.ts).
 * @returns float64 [M·P]
 */
export function pairLossesNaive(a: Values, b: Values, shape: NaiveShape, score: PairScore): Float64Array {
  const { numViews, numImages, dim } = shape;
  if (a.length !== numViews * numImages * dim || b.length !== a.length) {
    throw new RangeError(`pairLossesNaive: expected ${numViews * numImages * dim} values, got ${a.length} and ${b.length}`);
  }
  if (score === 'ntXentLogits' && dim !== numViews * numImages) {
    throw new RangeError(`pairLossesNaive: ntXentLogits needs dim = N·M = ${numViews * numImages}, got ${dim}`);
  }
  const pairs = pairList(numViews);
  if (score === 'ntXentLogits') {
    const out = new Float64Array(numImages * pairs.length);
    for (let m = 0; m < numImages; m++) {
      pairs.forEach(([k, l], p) => {
        out[m * pairs.length + p] = 0.5 * (ntXentRow(a, b, k, l, m, numViews, numImages) + ntXentRow(a, b, l, k, m, numViews, numImages));
      });
    }
    return out;
  }
  const f = score === 'negCosine' ? negCosine : crossEntropy;
  const out = new Float64Array(numImages * pairs.length);
  const row = (k: number, m: number): number => (k * numImages + m) * dim;
  for (let m = 0; m < numImages; m++) {
    pairs.forEach(([k, l], p) => {
      out[m * pairs.length + p] = 0.5 * (f(a, row(k, m), b, row(l, m), dim) + f(a, row(l, m), b, row(k, m), dim));
    });
  }
  return out;
}

/**
 * Selected pair per image: first index of the max (hard) or min (easy) of each row of
 * losses [M·P], 0 for a row that contains a NaN.
 */
export function selectPairsNaive(losses: Values, numPairs: number, mode: PairSelectMode): Int32Array {
  const numImages = losses.length / numPairs;
  const out = new Int32Array(numImages);
  for (let m = 0; m < numImages; m++) {
    let best = 0;
    let hasNaN = false;
    for (let p = 0; p < numPairs; p++) {
      const v = losses[m * numPairs + p]!;
      const bestV = losses[m * numPairs + best]!;
      if (Number.isNaN(v)) hasNaN = true;
      else if (mode === 'hard' ? v > bestV : v < bestV) best = p;
    }
    out[m] = hasNaN ? 0 : best;
  }
  return out;
}
