// The ViT's token forward for iBOT on the tfjs CPU backend: CLS equal to forward(), patch tokens
// [B, T, D], masked patches replaced by `masked_embed` (their pixels no longer matter, the others'
// do, and masked_embed gets a gradient only through masked patches), its [D, 1] ↔ torch [1, D]
// layout, and views of another size (local crops) through the resized pos_embed.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { toTorchLayout } from '../checkpoint/torchLayout';
import { createParamStore } from './paramStore';
import { createVit } from './vit';
import { posEmbedResizeMatrix } from './vitPosEmbed';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The tiny test ViT: 16 px, patch 4 (4×4 grid), dim 16, depth 1, 2 heads. */
const TINY = { imageSize: 16, patchSize: 4, dim: 16, depth: 1, numHeads: 2, dropPath: 0 };
const images = (seed: number, b = 3, s = 16): tf.Tensor4D => tf.randomNormal([b, s, s, 3], 0, 1, 'float32', seed) as tf.Tensor4D;
const maxDiff = (a: tf.Tensor, b: tf.Tensor): number => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);

describe('vit tokens and masks', () => {
  it('gives the CLS of forward() and the patch tokens; adds masked_embed only when asked', () => {
    const plain = createParamStore(1);
    const vit = createVit(plain, TINY);
    expect(plain.params.has('masked_embed')).toBe(false);
    const x = images(1);
    const { cls, patches } = vit.forwardTokens(x, false, null, null);
    expect(cls.shape).toEqual([3, 16]);
    expect(patches.shape).toEqual([3, 16, 16]);
    expect(maxDiff(cls, vit.forward(x, false, null))).toBe(0);
    expect(() => vit.forwardTokens(x, false, null, tf.zeros([3, 16]))).toThrow(/built without hasMaskedEmbed/);
    const masked = createParamStore(1);
    const mvit = createVit(masked, { ...TINY, hasMaskedEmbed: true });
    const emb = masked.params.get('masked_embed')!;
    expect(emb.shape).toEqual([16, 1]);
    expect(Array.from(emb.dataSync()).every((v) => v === 0)).toBe(true); // iBOT: zeros
    // Same seed, same names → the other weights equal the plain ViT's: a zero mask is no mask.
    const none = mvit.forwardTokens(x, false, null, tf.zeros([3, 16]));
    expect(maxDiff(none.cls, cls)).toBe(0);
    const torch = toTorchLayout('masked_embed', { dtype: 'float32', shape: [16, 1], data: Float32Array.from({ length: 16 }, (_, i) => i) });
    expect(torch.shape).toEqual([1, 16]);
    expect(Array.from(torch.data)).toEqual(Array.from({ length: 16 }, (_, i) => i));
    expect(() => mvit.forwardTokens(x, false, null, tf.zeros([3, 9]))).toThrow(/patch mask must be \[3, 16\], got \[3,9\]/);
    plain.dispose();
    masked.dispose();
  });

  it('replaces masked patch embeddings: their pixels stop mattering, the unmasked ones still do', () => {
    const store = createParamStore(2);
    const vit = createVit(store, { ...TINY, hasMaskedEmbed: true });
    store.params.get('masked_embed')!.assign(tf.randomNormal([16, 1], 0, 1, 'float32', 9));
    const x = images(3, 2);
    const mask = tf.tensor2d([[1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], [0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]]);
    // Pixels of patch (0, 0) of image 0 (masked) and of image 1 (not masked) replaced by noise.
    const noise = tf.pad(tf.randomNormal([2, 4, 4, 3], 0, 3, 'float32', 4), [[0, 0], [0, 12], [0, 12], [0, 0]]) as tf.Tensor4D;
    const y = tf.add(x, noise) as tf.Tensor4D;
    const a = vit.forwardTokens(x, false, null, mask);
    const b = vit.forwardTokens(y, false, null, mask);
    expect(maxDiff(a.patches.slice([0, 0, 0], [1, 16, 16]), b.patches.slice([0, 0, 0], [1, 16, 16]))).toBeLessThan(1e-6);
    expect(maxDiff(a.cls.slice([1, 0], [1, 16]), b.cls.slice([1, 0], [1, 16]))).toBeGreaterThan(1e-3);
    // Masking changes the output, and masked_embed gets a gradient through masked patches only.
    expect(maxDiff(a.cls, vit.forwardTokens(x, false, null, null).cls)).toBeGreaterThan(1e-4);
    const emb = store.params.get('masked_embed')!;
    const grad = (m: tf.Tensor2D) => tf.variableGrads(() => tf.sum(vit.forwardTokens(x, false, null, m).patches) as tf.Scalar, [emb]).grads[emb.name]!;
    expect(tf.max(tf.abs(grad(mask))).dataSync()[0]).toBeGreaterThan(0);
    expect(tf.max(tf.abs(grad(tf.zeros([2, 16])))).dataSync()[0]).toBe(0);
    store.dispose();
  });

  it('takes views of another multiple of the patch size with the resized pos_embed (8 px: 2×2 patches)', () => {
    const store = createParamStore(3);
    const vit = createVit(store, TINY);
    const x = images(5, 2, 8);
    const { cls, patches } = vit.forwardTokens(x, false, null, null);
    expect(cls.shape).toEqual([2, 16]);
    expect(patches.shape).toEqual([2, 4, 16]);
    expect(Array.from(cls.dataSync()).every(Number.isFinite)).toBe(true);
    // Same grid → identity; the rows of a downsizing matrix sum to 1 (bicubic weights are a partition of unity).
    expect(Array.from(posEmbedResizeMatrix(2, 2))).toEqual([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
    const w = posEmbedResizeMatrix(2, 4);
    for (let r = 0; r < 4; r++) expect(w.slice(r * 16, (r + 1) * 16).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 6);
    expect(() => vit.forwardTokens(images(6, 1, 10), false, null, null)).toThrow(/multiple of the patch size 4, got \[1,10,10,3\]/);
    // forward() takes the same sizes (DINO's locals) and gives the CLS of forwardTokens.
    expect(Array.from(vit.forward(x, false, null).dataSync())).toEqual(Array.from(cls.dataSync()));
    expect(() => vit.forward(images(6, 1, 10), false, null)).toThrow(/multiple of the patch size 4.*got \[1,10,10,3\]/);
    store.dispose();
  });
});
