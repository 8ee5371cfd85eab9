/**
 * SimSiam losses (Chen & He 2021, arXiv 2011.10566), defined once and reused by training, by
 * hard-view selection and by tests.
 *
 *   D(p, z) = −cos(p, stopgrad(z))                          per row
 *   training loss = ½·(mean D(p1, z2) + mean D(p2, z1))      (authors' SimSiam.forward + loss)
 *   pair loss of views (k, l) of an image = ½·(D(p_k, z_l) + D(p_l, z_k)),
 * which is −1 × the similarity the HVP authors' select_crops_cross minimises per sample
 * (automl/hvp select_crops.py). Cosine follows F.cosine_similarity: each norm clamped at 1e-8.
 *
 * The negative cosine, stop-gradient and the pair loss are plain tfjs ops in ops/negCosine.ts.
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import { negCosine } from '../ops/negCosine';

export { l2NormalizeRows, negCosine, negCosinePairLosses as simsiamPairLosses, stopGradient } from '../ops/negCosine';

/** SimSiam training loss ½·(mean D(p1, z2) + mean D(p2, z1)); p*, z*: [B, D]. Range [−1, 1]. */
export function simsiamTrainingLoss(p1: tf.Tensor2D, z1: tf.Tensor2D, p2: tf.Tensor2D, z2: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.mul(tf.add(tf.mean(negCosine(p1, z2)), tf.mean(negCosine(p2, z1))), 0.5) as tf.Scalar);
}
