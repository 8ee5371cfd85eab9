/**
 * Embeds whole images (no augmentation: the full image resized to the view size, normalised)
 * with the backbone in eval mode, L2-normalised, in chunks. Used by kNN and later by probes/PCA.
 * Each image goes through the same view op as training (renderViewsOp) with identity parameters
 * (full-image crop, no flip, jitter or blur), so packed and float32 sources embed alike.
 * Must not import: DOM, gpu/.
 */
import * as tf from '@tensorflow/tfjs';
import type { Normalization } from '../data/normalization';
import type { HvpMethod } from '../hvp/hvpMethod';
import { identityViewParams, renderViews, type SourceImages } from '../ops/renderViewsOp';

/**
 * @param images device-resident source images (uploadSourceImages)
 * @param count embed images [0, count)
 * @param normalization the run's per-channel statistics (Trainer.normalization), as in training
 * @returns L2-normalised features [count, F]. NOTE: does not dispose `images`.
 */
export function embedImages(model: Pick<HvpMethod, 'embed'>, images: SourceImages, count: number, size: number, normalization: Pick<Normalization, 'mean' | 'std'>, chunk = 256): tf.Tensor2D {
  const parts: tf.Tensor2D[] = [];
  const identity = identityViewParams(images.height, images.width);
  for (let start = 0; start < count; start += chunk) {
    const n = Math.min(chunk, count - start);
    parts.push(tf.tidy(() => {
      const idx = tf.range(start, start + n, 1, 'int32') as tf.Tensor1D; // [n]
      const x = renderViews(images, idx, Array.from({ length: n }, () => identity), size, { normalization }); // [n, S, S, 3]
      const f = model.embed(x); // [n, F]
      return f.div(f.norm('euclidean', 1, true).add(1e-12)) as tf.Tensor2D;
    }));
  }
  const out = tf.concat(parts) as tf.Tensor2D;
  for (const p of parts) p.dispose();
  return out;
}
