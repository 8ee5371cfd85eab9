/**
 * Op contract 'HvpPairSelect': per-sample loss of every view pair of every image, and the selected
 * (hardest or easiest) pair per image, in one op that every method of the paper can use. The WGSL
 * kernel (gpu/kernels/pairSelect.ts) implements it for 'webgpu'; `pairSelect` falls back to the
 * plain-tfjs reference below on every backend where no kernel is registered (cpu in Node/Vitest).
 * The float64 definition used by tests and the GPU harness is pairSelectNaive.ts.
 *
 * Inputs a, b: [N·M, D] float32, view-major (row v = k·M + m is view k of image m).
 * Outputs: pairLosses [M, P] float32, P = C(N, 2) in pairList order, and selected int32 [M].
 *   pairLosses[m, p] = ½·(f(a_km, b_lm) + f(a_lm, b_km)) for pair p = (k, l), k < l, where f is
 *   - 'negCosine'    (SimSiam, BYOL): f(x, y) = −cos(x, y), each norm clamped at 1e-8 as
 *                    F.cosine_similarity. The caller passes a = predictions p, b = targets z
 *                    (SimSiam's projector output; BYOL's target-network projection).
 *   - 'crossEntropy' (DINO, iBOT [CLS]): f(x, y) = −Σ_j softmax(y)_j · log_softmax(x)_j. The caller
 *                    passes FINAL logits: a = student_out / studentTemp (DINO: s / 0.1) and
 *                    b = (teacher_out − center) / teacherTemp(step), i.e. exactly the tensors whose
 *                    log_softmax / softmax DINOLoss.prepare_outputs takes. The op applies the softmax
 *                    and log_softmax itself; it never centres, scales or updates the center.
 *                    The authors' select_forward SUMS the two terms (no ½); halving does not change
 *                    the argmax. DINO's even × odd global-pair restriction and local-crop subsets are
 *                    not expressed here: all C(N, 2) pairs of the N views passed are scored.
 *   - 'ntXentLogits' (SimCLR): a = b = G, the similarity logits of all views, computed once by the
 *                    caller with a tfjs matmul: G = normalize(Z)·normalize(Z)ᵀ / T, [N·M, N·M] (so D = N·M,
 *                    G[km, lm'] is the logit of view k of image m against view l of image m'). Per image m
 *                    and pair (k, l) the op reduces the authors' NT-Xent row losses with negatives only
 *                    from the 2M views of that pair (automl/hvp simclr branch, acs_fwd):
 *                      row(k→l) = −G[km, lm] + log(Σ_{m'≠m} exp G[km, km'] + Σ_{m'} exp G[km, lm'])
 *                      pairLoss = ½·(row(k→l) + row(l→k))   (authors: the sum; same argmax)
 *                    The positive G[km, lm] is read from b, the denominators from a (pass the same G);
 *                    with M = 1 there are no negatives and every loss is 0. The same numbers as
 *                    methods/simclr.ts simclrPairLosses, up to f32 summation order.
 *   selected[m] = argmax_p (mode 'hard') or argmin_p ('easy') of pairLosses[m, :], the EARLIER pair
 *   on ties (authors' strict comparison), and pair 0 when the row contains a NaN (selection.ts).
 *
 * The op has no gradient: use it in the no-tape selection forward only.
 * Paper: Hard View Pretraining, arXiv 2310.03940; authors' code automl/hvp.
 * Must not import: gpu/, worker/, ui/, DOM or worker globals.
 */
import * as tf from '@tensorflow/tfjs';
import { numPairs, pairList } from '../hvp/pairs';
import { selectCandidates } from '../hvp/selection';
import { negCosinePairLosses } from './negCosine';

/** Kernel name of the op; gpu/ registers its WGSL implementation under this name. */
export const PAIR_SELECT = 'HvpPairSelect';

/** Per-pair score function f (see the file header for what the caller passes as a and b). */
export type PairScore = 'negCosine' | 'crossEntropy' | 'ntXentLogits';

/** hard = highest pair loss (HVP), easy = lowest. */
export type PairSelectMode = 'hard' | 'easy';

/** Attributes of {@link PAIR_SELECT}; also the options of {@link pairSelect}. */
export interface PairSelectAttrs {
  /** Views per image N (≥ 2). */
  numViews: number;
  /** Images M (≥ 1); a and b have N·M rows. */
  numImages: number;
  score: PairScore;
  mode: PairSelectMode;
}

/** The two outputs of the op. */
export interface PairSelectResult {
  /** Per-sample pair losses [M, P], float32, pairList order. */
  pairLosses: tf.Tensor2D;
  /** Selected pair index per image, int32 [M]. */
  selected: tf.Tensor1D;
}

/** Thrown for inputs that do not fit the contract; the message names the offending input. */
export class PairSelectError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PairSelectError';
  }
}

const SCORES: readonly PairScore[] = ['negCosine', 'crossEntropy', 'ntXentLogits'];

/**
 * Checks shapes and attrs of the op (shared by the reference and the GPU kernel).
 * @returns the feature width D and the pair count P
 */
export function checkPairSelect(
  aShape: readonly number[],
  bShape: readonly number[],
  attrs: PairSelectAttrs,
): { dim: number; numPairs: number } {
  const { numViews, numImages, score, mode } = attrs;
  if (!Number.isInteger(numViews) || numViews < 2) throw new PairSelectError(`numViews must be an integer ≥ 2, got ${numViews}`);
  if (!Number.isInteger(numImages) || numImages < 1) throw new PairSelectError(`numImages must be an integer ≥ 1, got ${numImages}`);
  if (!SCORES.includes(score)) throw new PairSelectError(`unknown score '${score}' (expected ${SCORES.join(' | ')})`);
  if (mode !== 'hard' && mode !== 'easy') throw new PairSelectError(`unknown mode '${mode}' (expected hard | easy)`);
  const rows = numViews * numImages;
  if (aShape.length !== 2 || aShape[0] !== rows || !(aShape[1]! >= 1)) {
    throw new PairSelectError(`a must be [N·M = ${rows}, D ≥ 1], got [${aShape}]`);
  }
  if (bShape.length !== 2 || bShape[0] !== aShape[0] || bShape[1] !== aShape[1]) {
    throw new PairSelectError(`b must have the shape of a [${aShape}], got [${bShape}]`);
  }
  if (score === 'ntXentLogits' && aShape[1] !== rows) {
    throw new PairSelectError(`ntXentLogits needs the square logit matrix G [N·M = ${rows}, N·M = ${rows}] as a and b, got [${aShape}]`);
  }
  return { dim: aShape[1]!, numPairs: numPairs(numViews) };
}

/**
 * ½·(F[m, k, l] + F[m, l, k]) for every pair (k, l) in pairList order.
 * f: [M, N, N] with f[m, k, l] = f(a_km, b_lm) → [M, P].
 */
function symmetricPairLosses(f: tf.Tensor3D): tf.Tensor2D {
  const [numImages, numViews] = f.shape;
  const pairs = pairList(numViews);
  return tf.tidy(() => {
    const flat = tf.reshape(f, [numImages, numViews * numViews]); // [M, N·N]
    const kl = tf.tensor1d(pairs.map(([k, l]) => k * numViews + l), 'int32'); // [P]
    const lk = tf.tensor1d(pairs.map(([k, l]) => l * numViews + k), 'int32'); // [P]
    return tf.mul(tf.add(tf.gather(flat, kl, 1), tf.gather(flat, lk, 1)), 0.5) as tf.Tensor2D; // [M, P]
  });
}

/**
 * f(a_km, b_lm) = −Σ_j softmax(b_lm)_j · log_softmax(a_km)_j of every ordered view pair (k, l).
 * a3, b3: [N, M, K] → [M, N, N].
 */
function crossEntropyMatrix(a3: tf.Tensor3D, b3: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy(() => {
    const logStudent = tf.transpose(tf.logSoftmax(a3), [1, 0, 2]); // [M, N, K]
    const teacher = tf.transpose(tf.softmax(b3), [1, 0, 2]); // [M, N, K]
    return tf.neg(tf.matMul(logStudent, teacher, false, true)) as tf.Tensor3D; // [M, N, N]
  });
}

/**
 * Logit of a masked-out entry (the authors use −inf). Finite so that 0·mask stays 0; exp(−1e9 − max)
 * is exactly 0 in float32 for any logit |G| ≤ 1/T.
 */
const SELF_MASK = -1e9;

/**
 * NT-Xent row losses of every ordered view pair from the logits of all views (score 'ntXentLogits').
 * g (denominators), pos (positives): [N·M, N·M] view-major logits, the same G → F [M, N, N], F[m, k, l] = row(k→l) of image m (the file header):
 * block log-sum-exps L[k, m, l] = log Σ_{m'} exp G[km, lm'] (self masked), then per pair
 * log(exp L[k,m,k] + exp L[k,m,l]) − G[km, lm]. Entries with k = l are finite but unused.
 */
function ntXentMatrix(g: tf.Tensor2D, pos: tf.Tensor2D, numViews: number, numImages: number): tf.Tensor3D {
  const [N, M] = [numViews, numImages];
  return tf.tidy(() => {
    const masked = tf.add(g, tf.mul(tf.eye(N * M), SELF_MASK)); // [N·M, N·M], G[km, km] → −1e9
    const g4 = tf.reshape(masked, [N, M, N, M]); // [k, m, l, m']
    const blockLse = tf.logSumExp(g4, 3); // [N, M, N]: L[k, m, l]
    const ownLse = tf.sum(tf.mul(blockLse, tf.reshape(tf.eye(N), [N, 1, N])), 2, true); // [N, M, 1]: L[k, m, k]
    const hi = tf.maximum(ownLse, blockLse); // [N, M, N]
    const lse = tf.add(hi, tf.log(tf.add(tf.exp(tf.sub(ownLse, hi)), tf.exp(tf.sub(blockLse, hi))))); // [N, M, N]
    const positive = tf.sum(tf.mul(tf.reshape(pos, [N, M, N, M]), tf.reshape(tf.eye(M), [1, M, 1, M])), 3); // [N, M, N]: G[km, lm]
    return tf.transpose(tf.sub(lse, positive), [1, 0, 2]) as tf.Tensor3D; // [M, N, N]
  });
}

/**
 * The op composed of plain tfjs ops (any backend): `negCosinePairLosses` (SimSiam's pair loss, ops/negCosine.ts) for 'negCosine',
 * softmax / log_softmax + a batched matmul for 'crossEntropy', block log-sum-exps of the logits for
 * 'ntXentLogits' (a supplies the denominators, b the positives), then `selectCandidates`.
 * a, b: [N·M, D] view-major → {pairLosses [M, P], selected int32 [M]}.
 */
export function pairSelectReference(a: tf.Tensor2D, b: tf.Tensor2D, attrs: PairSelectAttrs): PairSelectResult {
  const { dim } = checkPairSelect(a.shape, b.shape, attrs);
  const { numViews, numImages } = attrs;
  return tf.tidy(() => {
    const a3 = tf.reshape(a, [numViews, numImages, dim]) as tf.Tensor3D; // [N, M, D], a3[k, m] = row k·M + m
    const b3 = tf.reshape(b, [numViews, numImages, dim]) as tf.Tensor3D; // [N, M, D]
    const pairLosses =
      attrs.score === 'negCosine'
        ? negCosinePairLosses(a3, b3)
        : symmetricPairLosses(
            attrs.score === 'crossEntropy' ? crossEntropyMatrix(a3, b3) : ntXentMatrix(a, b, numViews, numImages),
          );
    return { pairLosses, selected: selectCandidates(pairLosses, attrs.mode) };
  });
}

/** True when a kernel for {@link PAIR_SELECT} is registered for the active backend. */
export function hasPairSelectKernel(): boolean {
  return tf.getKernel(PAIR_SELECT, tf.getBackend()) != null;
}

/**
 * Per-sample pair losses and the selected pair per image (see the file header for the contract).
 * Runs the registered kernel of the active backend (WGSL on 'webgpu' after gpu/register),
 * else {@link pairSelectReference}. No GPU → CPU read; results are tracked by the current tidy scope.
 *
 * @param a [N·M, D] float32, view-major: predictions (negCosine) or student logits (crossEntropy)
 * @param b [N·M, D] float32, view-major: targets (negCosine) or teacher logits (crossEntropy)
 */
export function pairSelect(a: tf.Tensor2D, b: tf.Tensor2D, attrs: PairSelectAttrs): PairSelectResult {
  checkPairSelect(a.shape, b.shape, attrs);
  if (!hasPairSelectKernel()) return pairSelectReference(a, b, attrs);
  const out = tf.engine().runKernel(PAIR_SELECT, { a, b }, { ...attrs } as unknown as tf.NamedAttrMap);
  if (!Array.isArray(out) || out.length !== 2) {
    throw new PairSelectError(`kernel ${PAIR_SELECT} on '${tf.getBackend()}' must return [pairLosses, selected]`);
  }
  const [pairLosses, selected] = out as [tf.Tensor2D, tf.Tensor1D];
  return { pairLosses, selected };
}
