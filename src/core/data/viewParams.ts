/**
 * Sampling of per-view augmentation parameters (crop box, flip, colour jitter, grayscale, blur,
 * solarize) with torchvision semantics, and their packed layout for the GPU view kernel.
 *
 * Only the parameters are drawn here; the pixels are produced by `core/ops/renderViews*.ts` (and
 * the WGSL view kernel), so the crop boxes stay available for exact pair IoUs (`iou.ts`).
 *
 * Draw order of one view (it defines reproducibility; never reorder):
 *   1. crop, up to 10 attempts of: scale = uniform(scaleMin, scaleMax), logRatio =
 *      uniform(ln ratioMin, ln ratioMax); on an accepted attempt top = intRange(0, H − h), then
 *      left = intRange(0, W − w). The central-crop fallback draws nothing.
 *   2. flip: bernoulli(flipProb).
 *   3. jitter: bernoulli(jitterProb); only if it fires: permutation(4) (3 draws), then brightness,
 *      contrast, saturation, hue (one uniform each, drawn even when that strength is 0, so the
 *      stream does not depend on the strengths).
 *   4. grayscale: bernoulli(grayscaleProb).
 *   5. blur: bernoulli(blurProb); only if it fires: sigma = uniform(blurSigmaMin, blurSigmaMax).
 *   6. solarize: bernoulli(solarizeProb).
 * A batch draws its views in output order v = 0 … N·M − 1 (view-major, v = k·M + m).
 *
 * Sources: torchvision RandomResizedCrop.get_params, ColorJitter.get_params (fn_idx = randperm(4)),
 * RandomApply / RandomGrayscale / GaussianBlur.get_params; bernoulli(p) is `rng.next() < p`, so a
 * probability of 0 never fires and 1 always does.
 * Must not import: tfjs, DOM, anything outside core.
 */
import type { RunConfig } from '../config/runConfig';
import type { Rng } from '../random';
import type { ViewParams } from './types';

/** Augmentation distribution of one view (torchvision argument names in comments). */
export interface AugmentOptions {
  /** RandomResizedCrop scale: crop area fraction drawn uniformly in [scaleMin, scaleMax]. */
  scaleMin: number;
  scaleMax: number;
  /** RandomResizedCrop ratio (w/h), drawn log-uniformly in [ratioMin, ratioMax]; default 3/4–4/3. */
  ratioMin: number;
  ratioMax: number;
  flipProb: number;
  /** RandomApply(ColorJitter, p). */
  jitterProb: number;
  /** ColorJitter strengths: factors in [max(0, 1 − s), 1 + s]; hue shift in [−hue, hue]. */
  brightness: number;
  contrast: number;
  saturation: number;
  hue: number;
  grayscaleProb: number;
  blurProb: number;
  /** Gaussian blur sigma range in output pixels. */
  blurSigmaMin: number;
  blurSigmaMax: number;
  solarizeProb: number;
}

/** Maximum number of RandomResizedCrop attempts before the central-crop fallback (torchvision: 10). */
export const CROP_ATTEMPTS = 10;

function checkRange(name: string, value: number, lo: number, hi: number): void {
  if (!(value >= lo && value <= hi)) throw new RangeError(`Augmentation: ${name} must be in [${lo}, ${hi}], got ${value}`);
}

/** Builds the augmentation options of a run; throws a RangeError naming the field when out of range. */
export function augmentFromConfig(c: RunConfig): AugmentOptions {
  const aug: AugmentOptions = {
    scaleMin: c.cropScaleMin,
    scaleMax: c.cropScaleMax,
    ratioMin: 3 / 4,
    ratioMax: 4 / 3,
    flipProb: c.flipProb,
    jitterProb: c.jitterProb,
    brightness: c.jitterBrightness,
    contrast: c.jitterContrast,
    saturation: c.jitterSaturation,
    hue: c.jitterHue,
    grayscaleProb: c.grayscaleProb,
    blurProb: c.blurProb,
    blurSigmaMin: c.blurSigmaMin,
    blurSigmaMax: c.blurSigmaMax,
    solarizeProb: c.solarizeProb,
  };
  checkRange('cropScaleMin', aug.scaleMin, Number.MIN_VALUE, 1);
  checkRange('cropScaleMax', aug.scaleMax, aug.scaleMin, 1);
  for (const key of ['flipProb', 'jitterProb', 'grayscaleProb', 'blurProb', 'solarizeProb'] as const) checkRange(key, c[key], 0, 1);
  for (const key of ['jitterBrightness', 'jitterContrast', 'jitterSaturation'] as const) checkRange(key, c[key], 0, Infinity);
  checkRange('jitterHue', aug.hue, 0, 0.5);
  checkRange('blurSigmaMin', aug.blurSigmaMin, 0, Infinity);
  checkRange('blurSigmaMax', aug.blurSigmaMax, aug.blurSigmaMin, Infinity);
  return aug;
}

/** Python's round(): nearest integer, ties to even (what torchvision's int(round(...)) does). */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const diff = x - f;
  if (diff > 0.5) return f + 1;
  if (diff < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** torchvision RandomResizedCrop.get_params: integer box (top, left, height, width) inside H × W. */
function sampleCrop(rng: Rng, aug: AugmentOptions, srcHeight: number, srcWidth: number): [number, number, number, number] {
  const area = srcHeight * srcWidth;
  const logRatioMin = Math.log(aug.ratioMin), logRatioMax = Math.log(aug.ratioMax);
  for (let attempt = 0; attempt < CROP_ATTEMPTS; attempt++) {
    const targetArea = area * rng.uniform(aug.scaleMin, aug.scaleMax);
    const aspectRatio = Math.exp(rng.uniform(logRatioMin, logRatioMax));
    const w = roundHalfEven(Math.sqrt(targetArea * aspectRatio));
    const h = roundHalfEven(Math.sqrt(targetArea / aspectRatio));
    if (w > 0 && w <= srcWidth && h > 0 && h <= srcHeight) {
      const top = rng.intRange(0, srcHeight - h);
      const left = rng.intRange(0, srcWidth - w);
      return [top, left, h, w];
    }
  }
  // Fallback: central crop with the ratio clamped to [ratioMin, ratioMax].
  const inRatio = srcWidth / srcHeight;
  let w = srcWidth, h = srcHeight;
  if (inRatio < aug.ratioMin) h = roundHalfEven(w / aug.ratioMin);
  else if (inRatio > aug.ratioMax) w = roundHalfEven(h * aug.ratioMax);
  return [Math.floor((srcHeight - h) / 2), Math.floor((srcWidth - w) / 2), h, w];
}

/**
 * Draws the augmentation parameters of one view of an srcHeight × srcWidth image, in the draw
 * order documented in the file header. NOTE: advances rng.
 */
export function sampleViewParams(rng: Rng, aug: AugmentOptions, srcHeight: number, srcWidth: number): ViewParams {
  const [top, left, height, width] = sampleCrop(rng, aug, srcHeight, srcWidth);
  const isFlipped = rng.bernoulli(aug.flipProb);
  const hasJitter = rng.bernoulli(aug.jitterProb);
  let brightness = 1, contrast = 1, saturation = 1, hue = 0;
  let jitterOrder: [number, number, number, number] = [0, 1, 2, 3];
  if (hasJitter) {
    const perm = rng.permutation(4);
    jitterOrder = [perm[0]!, perm[1]!, perm[2]!, perm[3]!];
    brightness = rng.uniform(Math.max(0, 1 - aug.brightness), 1 + aug.brightness);
    contrast = rng.uniform(Math.max(0, 1 - aug.contrast), 1 + aug.contrast);
    saturation = rng.uniform(Math.max(0, 1 - aug.saturation), 1 + aug.saturation);
    hue = rng.uniform(-aug.hue, aug.hue);
  }
  const isGrayscale = rng.bernoulli(aug.grayscaleProb);
  const blurSigma = rng.bernoulli(aug.blurProb) ? rng.uniform(aug.blurSigmaMin, aug.blurSigmaMax) : 0;
  const isSolarized = rng.bernoulli(aug.solarizeProb);
  return {
    top, left, height, width, isFlipped, hasJitter, brightness, contrast, saturation, hue, jitterOrder,
    isGrayscale, blurSigma, isSolarized,
  };
}

/**
 * Draws the parameters of numViews views of each of numImages images, returned view-major:
 * element v = k·numImages + m is view k of image m; draws happen in that same order.
 * NOTE: advances rng.
 */
export function sampleBatchViewParams(
  rng: Rng, aug: AugmentOptions, numViews: number, numImages: number, srcHeight: number, srcWidth: number,
): ViewParams[] {
  const out: ViewParams[] = [];
  for (let v = 0; v < numViews * numImages; v++) out.push(sampleViewParams(rng, aug, srcHeight, srcWidth));
  return out;
}

/** Floats per view in packViewParams' output (five vec4s, so a WGSL kernel can read vec4<f32>). */
export const VIEW_PARAM_STRIDE = 20;

/**
 * Offsets of each field within one view's VIEW_PARAM_STRIDE floats. Booleans are 0 or 1; integers
 * are exact in float32 (all below 2^24); 17–19 are zero padding.
 *   vec4 0: top, left, height, width          vec4 1: isFlipped, hasJitter, isGrayscale, isSolarized
 *   vec4 2: brightness, contrast, saturation, hue   vec4 3: jitterOrder[0..3]   vec4 4: blurSigma, 0, 0, 0
 */
export const VIEW_PARAM_OFFSETS = {
  top: 0, left: 1, height: 2, width: 3,
  isFlipped: 4, hasJitter: 5, isGrayscale: 6, isSolarized: 7,
  brightness: 8, contrast: 9, saturation: 10, hue: 11,
  jitterOrder: 12,
  blurSigma: 16,
} as const;

/** Packs view parameters into a Float32Array of params.length · VIEW_PARAM_STRIDE floats (layout above). */
export function packViewParams(params: ViewParams[]): Float32Array {
  const out = new Float32Array(params.length * VIEW_PARAM_STRIDE);
  const O = VIEW_PARAM_OFFSETS;
  params.forEach((p, v) => {
    const b = v * VIEW_PARAM_STRIDE;
    out[b + O.top] = p.top;
    out[b + O.left] = p.left;
    out[b + O.height] = p.height;
    out[b + O.width] = p.width;
    out[b + O.isFlipped] = p.isFlipped ? 1 : 0;
    out[b + O.hasJitter] = p.hasJitter ? 1 : 0;
    out[b + O.isGrayscale] = p.isGrayscale ? 1 : 0;
    out[b + O.isSolarized] = p.isSolarized ? 1 : 0;
    out[b + O.brightness] = p.brightness;
    out[b + O.contrast] = p.contrast;
    out[b + O.saturation] = p.saturation;
    out[b + O.hue] = p.hue;
    for (let j = 0; j < 4; j++) out[b + O.jitterOrder + j] = p.jitterOrder[j]!;
    out[b + O.blurSigma] = p.blurSigma;
  });
  return out;
}

/** Inverse of packViewParams for view `v` (factors come back rounded to float32). */
export function unpackViewParams(packed: Float32Array, v: number): ViewParams {
  const b = v * VIEW_PARAM_STRIDE;
  const O = VIEW_PARAM_OFFSETS;
  const at = (o: number): number => packed[b + o]!;
  return {
    top: at(O.top), left: at(O.left), height: at(O.height), width: at(O.width),
    isFlipped: at(O.isFlipped) !== 0, hasJitter: at(O.hasJitter) !== 0,
    brightness: at(O.brightness), contrast: at(O.contrast), saturation: at(O.saturation), hue: at(O.hue),
    jitterOrder: [at(O.jitterOrder), at(O.jitterOrder + 1), at(O.jitterOrder + 2), at(O.jitterOrder + 3)],
    isGrayscale: at(O.isGrayscale) !== 0, blurSigma: at(O.blurSigma), isSolarized: at(O.isSolarized) !== 0,
  };
}
