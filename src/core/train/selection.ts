/**
 * Hard-view selection on the device: pick one view pair per image from the per-sample pair
 * losses (hard = highest loss, as in HVP; easy = lowest; random = uniform), then gather the two
 * views of each picked pair from the view-major views tensor without any GPU → CPU read.
 *
 * Tie rule of the authors' code (automl/hvp select_crops.py: running `score` updated with a strict
 * comparison over pairs in combinations order): on ties the EARLIER pair wins. tfjs backends do
 * not promise which index argMax returns on ties, so the rule is built from ops that cannot tie.
 * Paper: Hard View Pretraining, Koçyiğit et al. (automl/hvp).
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../random';
import { numPairs, pairList } from './pairs';

/**
 * Index of the pair with the highest (`hard`) or lowest (`easy`) loss per image, earliest pair on
 * ties. pairLosses: [M, P] → int32 [M].
 * A row with no extreme value (all NaN) selects pair 0.
 */
export function selectPairs(pairLosses: tf.Tensor2D, mode: 'hard' | 'easy'): tf.Tensor1D {
  const numPairsPerImage = pairLosses.shape[1];
  if (numPairsPerImage < 1) throw new Error('selectPairs: pairLosses has no pairs');
  return tf.tidy(() => {
    const extreme = mode === 'hard' ? tf.max(pairLosses, 1, true) : tf.min(pairLosses, 1, true); // [M, 1]
    const isExtreme = tf.equal(pairLosses, extreme); // [M, P]
    // Every entry gets a distinct score: extreme entries 2P − p (> P), the others P − p (≤ P), so
    // argMax is unique and is the earliest extreme pair (or pair 0 if no entry is extreme).
    const rank = tf.sub(numPairsPerImage, tf.range(0, numPairsPerImage, 1, 'float32')); // [P]: P − p
    const score = tf.add(rank, tf.mul(tf.cast(isExtreme, 'float32'), numPairsPerImage)); // [M, P]
    return tf.argMax(score, 1) as tf.Tensor1D; // [M], int32
  });
}

/** A uniformly random pair index in [0, C(numViews, 2)) per image, drawn from `rng`. NOTE: advances rng. */
export function randomPairs(rng: Rng, numImages: number, numViews: number): Int32Array {
  const p = numPairs(numViews);
  if (p < 1) throw new RangeError(`randomPairs needs at least 2 views, got ${numViews}`);
  const out = new Int32Array(numImages);
  for (let m = 0; m < numImages; m++) out[m] = rng.int(p);
  return out;
}

/**
 * The two views of each image's selected pair, gathered on the device.
 * views: [N·M, S, S, 3] view-major (row k·M + m is view k of image m); pairIdx: int32 [M] into
 * pairList(numViews) → [first views [M, S, S, 3], second views [M, S, S, 3]] (k < l).
 */
export function gatherPairViews(
  views: tf.Tensor4D,
  pairIdx: tf.Tensor1D,
  numViews: number,
): [tf.Tensor4D, tf.Tensor4D] {
  const numRows = views.shape[0];
  if (numViews < 2 || numRows % numViews !== 0) {
    throw new Error(`gatherPairViews: ${numRows} views are not a multiple of numViews = ${numViews}`);
  }
  const numImages = numRows / numViews;
  if (pairIdx.shape[0] !== numImages) {
    throw new Error(`gatherPairViews: expected ${numImages} pair indices, got ${pairIdx.shape[0]}`);
  }
  const pairs = pairList(numViews);
  return tf.tidy(() => {
    const firstTable = tf.tensor1d(pairs.map(([k]) => k), 'int32'); // [P]
    const secondTable = tf.tensor1d(pairs.map(([, l]) => l), 'int32'); // [P]
    const idx = tf.cast(pairIdx, 'int32');
    const imageIdx = tf.range(0, numImages, 1, 'int32'); // [M]
    const rowOf = (table: tf.Tensor1D): tf.Tensor1D =>
      tf.add(tf.mul(tf.gather(table, idx), tf.scalar(numImages, 'int32')), imageIdx) as tf.Tensor1D; // [M]: k·M + m
    return [tf.gather(views, rowOf(firstTable)), tf.gather(views, rowOf(secondTable))] as [tf.Tensor4D, tf.Tensor4D];
  });
}
