/**
 * Reference colour operations of the view pipeline (plain TypeScript, float64): torchvision's
 * tensor formulas for ColorJitter (adjust_brightness / _contrast / _saturation / _hue) and
 * Grayscale, on one view stored as interleaved RGB in [0, 1].
 *
 * These are the formulas the tfjs renderer (`renderViewsTf.ts`) and the WGSL view kernel must
 * match. Source: torchvision/transforms/_functional_tensor.py (_blend, adjust_*, _rgb2hsv,
 * _hsv2rgb, rgb_to_grayscale). One deliberate difference: gray weights are 0.299 / 0.587 / 0.114
 * (ITU-R BT.601 as PIL's convert('L')), where torchvision's tensor path uses 0.2989 for red.
 * Must not import: tfjs, DOM, anything outside core.
 */

/** Luma weights of red, green, blue. */
export const GRAY_WEIGHTS: readonly [number, number, number] = [0.299, 0.587, 0.114];

// Jitter operation ids as in ViewParams.jitterOrder (torchvision ColorJitter fn_idx).
/** Jitter op id of brightness. */
export const JITTER_BRIGHTNESS = 0;
/** Jitter op id of contrast. */
export const JITTER_CONTRAST = 1;
/** Jitter op id of saturation. */
export const JITTER_SATURATION = 2;
/** Jitter op id of hue. */
export const JITTER_HUE = 3;

const clamp01 = (x: number): number => Math.min(1, Math.max(0, x));

/** Luma of one pixel. */
export function gray(r: number, g: number, b: number): number {
  return GRAY_WEIGHTS[0] * r + GRAY_WEIGHTS[1] * g + GRAY_WEIGHTS[2] * b;
}

/** Brightness: x ← clamp(f · x) (torchvision _blend(img, 0, f)). NOTE: mutates x ([S·S·3]). */
export function adjustBrightness(x: Float64Array, factor: number): void {
  for (let i = 0; i < x.length; i++) x[i] = clamp01(factor * x[i]!);
}

/**
 * Contrast: x ← clamp(f · x + (1 − f) · μ), μ = mean luma of the whole view (one scalar per view,
 * as torchvision's mean over dims (−3, −2, −1)). NOTE: mutates x ([S·S·3]).
 */
export function adjustContrast(x: Float64Array, factor: number): void {
  const numPixels = x.length / 3;
  let mean = 0;
  for (let p = 0; p < numPixels; p++) mean += gray(x[3 * p]!, x[3 * p + 1]!, x[3 * p + 2]!);
  mean /= numPixels;
  for (let i = 0; i < x.length; i++) x[i] = clamp01(factor * x[i]! + (1 - factor) * mean);
}

/** Saturation: x ← clamp(f · x + (1 − f) · gray(x)) per pixel. NOTE: mutates x ([S·S·3]). */
export function adjustSaturation(x: Float64Array, factor: number): void {
  for (let p = 0; p < x.length / 3; p++) {
    const l = gray(x[3 * p]!, x[3 * p + 1]!, x[3 * p + 2]!);
    for (let c = 0; c < 3; c++) x[3 * p + c] = clamp01(factor * x[3 * p + c]! + (1 - factor) * l);
  }
}

/**
 * RGB → HSV as torchvision _rgb2hsv: h in [0, 1) turns, s = (max − min) / max (0 for gray), v = max.
 * The hue branch is chosen in the order r, then g (if not r), then b, as torchvision's masks.
 */
export function rgbToHsv(r: number, g: number, b: number): [number, number, number] {
  const maxc = Math.max(r, g, b);
  const minc = Math.min(r, g, b);
  const isGray = maxc === minc;
  const cr = maxc - minc;
  const s = cr / (isGray ? 1 : maxc);
  const crDivisor = isGray ? 1 : cr;
  const rc = (maxc - r) / crDivisor;
  const gc = (maxc - g) / crDivisor;
  const bc = (maxc - b) / crDivisor;
  let h: number;
  if (maxc === r) h = bc - gc;
  else if (maxc === g) h = 2 + rc - bc;
  else h = 4 + gc - rc;
  // torch.fmod(h / 6 + 1, 1): the argument is positive, so this is the ordinary remainder.
  h = (h / 6 + 1) % 1;
  return [h, s, maxc];
}

/** HSV → RGB as torchvision _hsv2rgb: sector i = floor(6h) mod 6, with p, q, t clamped to [0, 1]. */
export function hsvToRgb(h: number, s: number, v: number): [number, number, number] {
  const i6 = Math.floor(h * 6);
  const f = h * 6 - i6;
  const p = clamp01(v * (1 - s));
  const q = clamp01(v * (1 - s * f));
  const t = clamp01(v * (1 - s * (1 - f)));
  switch (((i6 % 6) + 6) % 6) {
    case 0: return [v, t, p];
    case 1: return [q, v, p];
    case 2: return [p, v, t];
    case 3: return [p, q, v];
    case 4: return [t, p, v];
    default: return [v, p, q];
  }
}

/** Floor modulo into [0, 1) (Python's x % 1.0 for floats). */
export function mod1(x: number): number {
  return x - Math.floor(x);
}

/** Hue: RGB → HSV, h ← (h + shift) mod 1, HSV → RGB (no clamp after, as torchvision). NOTE: mutates x. */
export function adjustHue(x: Float64Array, shift: number): void {
  for (let p = 0; p < x.length / 3; p++) {
    const [h, s, v] = rgbToHsv(x[3 * p]!, x[3 * p + 1]!, x[3 * p + 2]!);
    const [r, g, b] = hsvToRgb(mod1(h + shift), s, v);
    x[3 * p] = r;
    x[3 * p + 1] = g;
    x[3 * p + 2] = b;
  }
}

/** Grayscale with 3 output channels: every channel ← gray(x). NOTE: mutates x ([S·S·3]). */
export function toGrayscale(x: Float64Array): void {
  for (let p = 0; p < x.length / 3; p++) {
    const l = gray(x[3 * p]!, x[3 * p + 1]!, x[3 * p + 2]!);
    x[3 * p] = l;
    x[3 * p + 1] = l;
    x[3 * p + 2] = l;
  }
}

/**
 * Applies the view's colour jitter: the four operations in `order` (ids above) with their factors.
 * NOTE: mutates x ([S·S·3]).
 */
export function applyJitter(
  x: Float64Array, order: readonly number[], brightness: number, contrast: number, saturation: number, hue: number,
): void {
  for (const op of order) {
    if (op === JITTER_BRIGHTNESS) adjustBrightness(x, brightness);
    else if (op === JITTER_CONTRAST) adjustContrast(x, contrast);
    else if (op === JITTER_SATURATION) adjustSaturation(x, saturation);
    else if (op === JITTER_HUE) adjustHue(x, hue);
    else throw new RangeError(`Unknown jitter op ${op}; expected 0–3`);
  }
}
