/**
 * Weighted kNN classifier on frozen features, as DINO evaluates (Caron et al. 2021, eval_knn.py;
 * Wu et al. 2018): features are L2-normalised, similarity is the dot product (cosine), the top-k
 * neighbours vote for their class with weight exp(sim / T), and the class with the largest summed
 * weight is the prediction.
 * Must not import: DOM, gpu/.
 */
import * as tf from '@tensorflow/tfjs';

/** Options of the weighted kNN vote. */
export interface KnnOptions {
  k: number;
  temperature: number;
  numClasses: number;
  /** Queries per chunk (bounds the [chunk, numBank] similarity matrix). */
  chunkSize?: number;
}

/**
 * Predicts the class of every query. Runs on the device; returns int32 predictions [Q].
 * NOTE: does not dispose its inputs.
 * @param bank L2-normalised bank features [B, F]
 * @param bankLabels int32 class labels [B]
 * @param queries L2-normalised query features [Q, F]
 */
export function knnPredict(bank: tf.Tensor2D, bankLabels: tf.Tensor1D, queries: tf.Tensor2D, opts: KnnOptions): tf.Tensor1D {
  const k = Math.min(opts.k, bank.shape[0]);
  const chunk = opts.chunkSize ?? 256;
  const parts: tf.Tensor1D[] = [];
  for (let start = 0; start < queries.shape[0]; start += chunk) {
    const size = Math.min(chunk, queries.shape[0] - start);
    parts.push(tf.tidy(() => {
      const q = queries.slice([start, 0], [size, -1]); // [q, F]
      const sim = tf.matMul(q, bank, false, true); // [q, B]
      const { values, indices } = tf.topk(sim, k); // [q, k] each
      const weights = values.div(opts.temperature).exp(); // [q, k]
      const neighbourLabels = tf.gather(bankLabels, indices.reshape([-1])).reshape([size, k]); // [q, k]
      const votes = tf.oneHot(neighbourLabels, opts.numClasses).mul(weights.expandDims(2)).sum(1); // [q, C]
      return votes.argMax(1) as tf.Tensor1D;
    }));
  }
  const out = tf.concat(parts) as tf.Tensor1D;
  for (const p of parts) p.dispose();
  return out;
}

/** Top-1 accuracy of weighted kNN. sync point: awaits one scalar read. */
export async function knnAccuracy(bank: tf.Tensor2D, bankLabels: tf.Tensor1D, queries: tf.Tensor2D, queryLabels: tf.Tensor1D, opts: KnnOptions): Promise<number> {
  const pred = knnPredict(bank, bankLabels, queries, opts);
  const acc = tf.tidy(() => pred.equal(queryLabels).cast('float32').mean());
  pred.dispose();
  const value = (await acc.data())[0]!;
  acc.dispose();
  return value;
}
