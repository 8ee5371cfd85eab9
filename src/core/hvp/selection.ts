/**
 * Hard-view selection on the device: pick one candidate per image from the per-sample scores of
 * the candidates (hard = highest, as in HVP; easy = lowest; random = uniform), then gather the
 * chosen views from the view-major views tensors without any GPU → CPU read. A candidate is a
 * view pair (pair methods) or a combination of globals and locals (DINO, iBOT).
 *
 * Tie rule of the authors' code (automl/hvp select_crops.py: running `score` updated with a strict
 * comparison over pairs in combinations order): on ties the EARLIER pair wins. tfjs backends do
 * not promise which index argMax returns on ties, so the rule is built from ops that cannot tie.
 * Paper: Ferreira, Rapant, Franke, Hutter, Beyond Random Augmentations: Pretraining with Hard
 * Views (arXiv 2310.03940; code automl/hvp).
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import type { CropCounts } from './hvpMethod';
import type { Rng } from '../random';
import { numPairs } from './pairs';

/**
 * Index of the candidate with the highest (`hard`) or lowest (`easy`) score per image, earliest
 * candidate on ties. scores: [M, C] → int32 [M]. A row with no extreme value (all NaN) selects 0.
 */
export function selectCandidates(scores: tf.Tensor2D, mode: 'hard' | 'easy'): tf.Tensor1D {
  const C = scores.shape[1];
  if (C < 1) throw new Error('selectCandidates: no candidates');
  return tf.tidy(() => {
    const extreme = mode === 'hard' ? tf.max(scores, 1, true) : tf.min(scores, 1, true); // [M, 1]
    const isExtreme = tf.equal(scores, extreme); // [M, C]
    // Every entry gets a distinct rank: extreme entries 2C − c (> C), the others C − c (≤ C), so
    // argMax is unique and is the earliest extreme candidate (or 0 if no entry is extreme).
    const rank = tf.sub(C, tf.range(0, C, 1, 'float32')); // [C]: C − c
    const ranked = tf.add(rank, tf.mul(tf.cast(isExtreme, 'float32'), C)); // [M, C]
    return tf.argMax(ranked, 1) as tf.Tensor1D; // [M], int32
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
 * The chosen views of every image, gathered on the device.
 * globals [G·M, Sg, Sg, 3], locals [L·M, Sl, Sl, 3] view-major; chosen int32 [M, 2 + l] (each
 * image's chosen candidate row: 2 global ids, then l local ids) → globals [2·M, Sg, Sg, 3] (every
 * image's first chosen global, then its second) and locals [l·M, Sl, Sl, 3] (chosen local j of
 * image m at row j·M + m).
 */
export function gatherChosenViews(globals: tf.Tensor4D, locals: tf.Tensor4D, chosen: tf.Tensor2D, counts: CropCounts): [tf.Tensor4D, tf.Tensor4D] {
  const M = chosen.shape[0];
  const l = chosen.shape[1] - 2;
  if (globals.shape[0] !== counts.numGlobals * M || locals.shape[0] !== counts.numLocals * M) {
    throw new Error(`gatherChosenViews: ${globals.shape[0]} globals and ${locals.shape[0]} locals do not fit ${counts.numGlobals} + ${counts.numLocals} views of ${M} images`);
  }
  return tf.tidy(() => {
    // Row arithmetic in float32 (exact for these small ids; tfjs-webgpu miscompiles int32 transposes), then int32.
    const c = tf.cast(chosen, 'float32');
    const image = tf.reshape(tf.range(0, M, 1, 'float32'), [1, M]); // [1, M]
    const rows = (from: number, n: number) => tf.cast(tf.reshape(tf.add(tf.mul(tf.transpose(tf.slice(c, [0, from], [M, n])), M), image), [n * M]), 'int32') as tf.Tensor1D; // [n·M]: id·M + m
    const g = tf.gather(globals, rows(0, 2)) as tf.Tensor4D; // [2·M, Sg, Sg, 3]
    const lv = l > 0 ? (tf.gather(locals, rows(2, l)) as tf.Tensor4D) : (tf.zeros([0, locals.shape[1], locals.shape[2], locals.shape[3]]) as tf.Tensor4D); // [l·M, Sl, Sl, 3]
    return [g, lv];
  });
}
