/**
 * Embeds whole images (no augmentation: the full image resized to the view size, normalised)
 * with the backbone in eval mode, L2-normalised, in chunks. Used by kNN and later by probes/PCA.
 * Must not import: DOM, gpu/.
 */
import * as tf from '@tensorflow/tfjs';
import type { SimSiamModel } from '../models/simsiamModel';
import { normalizeViews } from '../ops/renderViewsTf';

/**
 * @param images float32 0..255 [n, H, W, 3] on the device
 * @param count embed images [0, count)
 * @returns L2-normalised features [count, F]. NOTE: does not dispose `images`.
 */
export function embedImages(model: SimSiamModel, images: tf.Tensor4D, count: number, size: number, chunk = 256): tf.Tensor2D {
  const parts: tf.Tensor2D[] = [];
  for (let start = 0; start < count; start += chunk) {
    const n = Math.min(chunk, count - start);
    parts.push(tf.tidy(() => {
      let x = images.slice([start, 0, 0, 0], [n, -1, -1, -1]).div(255) as tf.Tensor4D; // [n, H, W, 3]
      if (x.shape[1] !== size || x.shape[2] !== size) x = tf.image.resizeBilinear(x, [size, size], false, true);
      const f = model.embed(normalizeViews(x)); // [n, F]
      return f.div(f.norm('euclidean', 1, true).add(1e-12)) as tf.Tensor2D;
    }));
  }
  const out = tf.concat(parts) as tf.Tensor2D;
  for (const p of parts) p.dispose();
  return out;
}
