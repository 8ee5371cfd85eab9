// The pair methods' three calls (score all pairs, probe all pairs, train on one pair per image)
// through the one HvpMethod contract, for tests that exercise a pair method directly: every pair
// of N views is the candidate table (hvp/candidates.ts allPairs), there are no locals, and the
// chosen views are the two halves of the globals. Must not import: DOM, gpu/, worker/, ui/.
import * as tf from '@tensorflow/tfjs';
import { allPairs } from '../../src/core/hvp/candidates';
import type { HvpMethod } from '../../src/core/hvp/hvpMethod';

const noLocals = (views: tf.Tensor4D) => tf.zeros([0, views.shape[1], views.shape[2], 3]) as tf.Tensor4D;
const pairTable = (numViews: number) => tf.tensor2d(allPairs(numViews).table, [(numViews * (numViews - 1)) / 2, 2], 'int32'); // [P, 2]

/** scoreCandidates over every pair of views [N·M, S, S, 3]: pair losses [M, P] and the selected pair int32 [M]. */
export function selectPairsOf(method: HvpMethod, views: tf.Tensor4D, numViews: number, mode: 'hard' | 'easy'): { pairLosses: tf.Tensor2D; selected: tf.Tensor1D } {
  const [none, table] = [noLocals(views), pairTable(numViews)];
  const { scores, selected } = method.scoreCandidates(views, none, { numGlobals: numViews, numLocals: 0 }, table, mode);
  tf.dispose([none, table]);
  return { pairLosses: scores, selected };
}

/** probeCandidates over every pair: eval-mode pair losses [M, P]. */
export function probePairLossesOf(method: HvpMethod, views: tf.Tensor4D, numViews: number): tf.Tensor2D {
  const [none, table] = [noLocals(views), pairTable(numViews)];
  const { scores } = method.probeCandidates(views, none, { numGlobals: numViews, numLocals: 0 }, table);
  tf.dispose([none, table]);
  return scores;
}

/** trainingLoss on views x1, x2 [M, S, S, 3] (view 1 and 2 of each image's pair). Call inside tf.variableGrads. */
export function pairTrainingLoss(method: HvpMethod, x1: tf.Tensor4D, x2: tf.Tensor4D): tf.Scalar {
  const M = x1.shape[0];
  const chosen = tf.tensor2d(Array.from({ length: M }, () => [0, 1]), [M, 2], 'int32');
  return method.trainingLoss(tf.concat([x1, x2]), noLocals(x1), chosen, { stepIdx: 0, totalSteps: 1 });
}
