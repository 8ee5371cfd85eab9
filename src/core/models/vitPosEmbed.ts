/**
 * Position embeddings of a ViT for views of another size than it was built for (DINO / iBOT local
 * crops: a ViT built for 32 px globals also sees 16 px locals). As DINO's and iBOT's
 * VisionTransformer.interpolate_pos_encoding: the patch part of pos_embed, a g×g grid, is resized
 * to the view's g'×g' grid with torch.nn.functional.interpolate(mode='bicubic', scale_factor =
 * (g' + 0.1)/g, align_corners=False); the CLS position is kept.
 *
 * The resize is linear in pos_embed, so it is done as a fixed matrix product, pos' = W·pos with
 * W [g'², g²] = Wrow ⊗ Wcol: differentiable on every backend (tfjs has no bicubic resize and not
 * every backend has a resize gradient) and exactly torch's weights:
 *   src = (dst + 0.5)/scale − 0.5 (the given scale_factor is used, not g'/g), taps floor(src) − 1 …
 *   floor(src) + 2 clamped to [0, g − 1], cubic convolution with A = −0.75 (Keys 1981).
 * Must not import: DOM, gpu/, worker/, ui/.
 */

/** torch's bicubic coefficient A. */
const CUBIC_A = -0.75;

/** Cubic convolution kernel weights of the 4 taps at distance t ∈ [0, 1) from the left inner tap. */
function cubicWeights(t: number): [number, number, number, number] {
  const near = (x: number): number => ((CUBIC_A + 2) * x - (CUBIC_A + 3)) * x * x + 1; // |x| ≤ 1
  const far = (x: number): number => ((CUBIC_A * x - 5 * CUBIC_A) * x + 8 * CUBIC_A) * x - 4 * CUBIC_A; // 1 < |x| < 2
  return [far(t + 1), near(t), near(1 - t), far(2 - t)];
}

/**
 * 1-D bicubic resize matrix [outSize, inSize] (row-major) as torch interpolate with an explicit
 * scale_factor `scale` and align_corners=False.
 */
export function bicubicResizeMatrix(outSize: number, inSize: number, scale: number): Float64Array {
  if (!Number.isInteger(outSize) || !Number.isInteger(inSize) || outSize < 1 || inSize < 1 || !(scale > 0)) {
    throw new RangeError(`bicubicResizeMatrix: sizes must be positive integers and the scale positive, got ${outSize}, ${inSize}, ${scale}`);
  }
  const w = new Float64Array(outSize * inSize);
  for (let o = 0; o < outSize; o++) {
    const src = (o + 0.5) / scale - 0.5;
    const base = Math.floor(src);
    const taps = cubicWeights(src - base);
    for (let k = 0; k < 4; k++) {
      const i = Math.min(Math.max(base - 1 + k, 0), inSize - 1);
      w[o * inSize + i] += taps[k];
    }
  }
  return w;
}

/**
 * The matrix W [g'², g²] (row-major, float32) that maps the patch rows of pos_embed (row-major over
 * a g×g grid) to a g'×g' grid, as DINO's interpolate_pos_encoding. g' = g gives the identity.
 */
export function posEmbedResizeMatrix(outGrid: number, inGrid: number): Float32Array {
  const n = inGrid * inGrid;
  const out = new Float32Array(outGrid * outGrid * n);
  if (outGrid === inGrid) {
    for (let i = 0; i < n; i++) out[i * n + i] = 1;
    return out;
  }
  const w1 = bicubicResizeMatrix(outGrid, inGrid, (outGrid + 0.1) / inGrid); // [g', g], same for rows and columns
  for (let r = 0; r < outGrid; r++) {
    for (let c = 0; c < outGrid; c++) {
      const row = (r * outGrid + c) * n;
      for (let i = 0; i < inGrid; i++) {
        const wr = w1[r * inGrid + i]!;
        if (wr === 0) continue;
        for (let j = 0; j < inGrid; j++) out[row + i * inGrid + j] = wr * w1[c * inGrid + j]!;
      }
    }
  }
  return out;
}
