/**
 * Parts the methods share: the HvpMethod fields that delegate to a model, the pair methods'
 * fixed fields (no locals, nothing frozen, the optimizer's own weight decay), and the reshapes
 * of view-major tensors.
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import type { CropCounts, HvpMethod } from '../hvp/hvpMethod';

/** What a method passes through from its model unchanged. */
export interface MethodModelParts {
  readonly params: Map<string, tf.Variable>;
  readonly buffers: Map<string, tf.Variable>;
  readonly featureDim: number;
  embed(x: tf.Tensor4D): tf.Tensor2D;
  isNoDecay(name: string): boolean;
  beginStep(stepIdx: number): void;
}

/** The HvpMethod fields that delegate to the model (spread into a method object). */
export function modelFields(model: MethodModelParts): Pick<HvpMethod, 'params' | 'buffers' | 'featureDim' | 'embed' | 'isNoDecay' | 'beginStep'> {
  return {
    params: model.params,
    buffers: model.buffers,
    featureDim: model.featureDim,
    embed: (x) => model.embed(x),
    isNoDecay: (name) => model.isNoDecay(name),
    beginStep: (stepIdx) => model.beginStep(stepIdx),
  };
}

const NONE_FROZEN: ReadonlySet<string> = new Set();

/** A pair method's fixed fields: kind 'pair', no schedule of its own for the optimizer. */
export const pairFields: Pick<HvpMethod, 'kind' | 'stepOptimization' | 'scoreTerms'> = {
  kind: 'pair',
  scoreTerms: 1,
  stepOptimization: () => ({ frozen: NONE_FROZEN }),
};

/**
 * A pair method's candidates must be every pair of its G views in pairList order, without locals
 * (hvp/candidates.ts builds them so); the pair op scores exactly those. Throws otherwise.
 */
export function checkPairCandidates(counts: CropCounts, candidates: tf.Tensor2D): void {
  const G = counts.numGlobals;
  if (counts.numLocals !== 0 || candidates.shape[1] !== 2 || candidates.shape[0] !== (G * (G - 1)) / 2) {
    throw new Error(`A pair method scores every pair of its views: ${candidates.shape[0]} candidates of width ${candidates.shape[1]} do not fit ${G} views and ${counts.numLocals} locals`);
  }
}

/** The two chosen views of every image: globals [2·M, S, S, 3] → [x1 [M, S, S, 3], x2 [M, S, S, 3]]. */
export function pairHalves(globals: tf.Tensor4D): [tf.Tensor4D, tf.Tensor4D] {
  const M = globals.shape[0] / 2;
  return [tf.slice(globals, [0, 0, 0, 0], [M, -1, -1, -1]), tf.slice(globals, [M, 0, 0, 0], [M, -1, -1, -1])];
}

/** Rows of view-major outputs [N·M, D] (row k·M + m = view k of image m) as [N, M, D]. */
export function viewMajor(t: tf.Tensor2D, numViews: number): tf.Tensor3D {
  return tf.reshape(t, [numViews, t.shape[0] / numViews, t.shape[1]]);
}
