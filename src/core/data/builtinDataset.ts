/**
 * The built-in dataset "shapes-10": procedurally generated, labelled RGB images of ten shape
 * classes (see `builtinShapes.ts`), so the app trains without any download.
 *
 * Each image: a random background (solid, two-colour linear gradient, or a solid colour with
 * low-amplitude gray noise), a random foreground colour whose luminance differs from every
 * background colour by at least MIN_LUMA_CONTRAST (so the shape survives grayscale views), and the
 * class's shape at a random position, radius and rotation, anti-aliased by 4 × 4 supersampling of
 * the pixels on its edges. Colours are drawn from the same distribution for every class; only the
 * structure tells classes apart. Labels are class balanced: round-robin, then a seeded shuffle.
 *
 * Reproducibility: train and test come from independent streams deriveSeed(seed, 'builtin/train')
 * and deriveSeed(seed, 'builtin/test'). Per split the draws are: the label permutation, then per
 * image in index order: background kind, background colour(s) (+ gradient direction), foreground
 * colour (rejection sampled), rotation (rejection-sampled unit vector), radius, centre x, centre y,
 * and for noise backgrounds one draw per pixel in raster order. Only exactly rounded arithmetic is
 * used (no Math.sin/cos), so the bytes are the same in every JS engine.
 * Normalisation: the set keeps CIFAR-10's published statistics (normalization.ts), not its own, so
 * every checkpoint and test made before per-dataset normalisation keeps its numbers.
 * Must not import: tfjs, DOM, anything outside core.
 */
import { createRng, deriveSeed, type Rng } from '../random';
import { isInShape, NUM_SHAPE_CLASSES, SHAPE_CLASS_NAMES } from './builtinShapes';
import { CIFAR10_NORMALIZATION } from './normalization';
import type { Dataset, ImageSet } from './types';

/** Options of generateBuiltinDataset. */
export interface BuiltinDatasetOptions {
  /** Dataset seed; the same seed gives byte-identical images and labels. */
  seed: number;
  numTrain: number;
  numTest: number;
  /** Image side in pixels (square images). Default 32. */
  size?: number;
}

/** Name of the built-in dataset. */
export const BUILTIN_DATASET_NAME = 'shapes-10';

/** Smallest luminance difference between the foreground and each background colour. */
const MIN_LUMA_CONTRAST = 0.3;
/** Largest luminance difference between the two colours of a gradient background. */
const MAX_GRADIENT_LUMA_SPAN = 0.3;
/** Half-amplitude of the per-pixel gray noise of noise backgrounds (fraction of full range). */
const NOISE_AMPLITUDE = 0.05;
/** Shape radius as a fraction of the image side: uniform in [min, max). */
const RADIUS_MIN = 0.28;
const RADIUS_MAX = 0.42;
/** Supersampling grid per pixel axis (SS × SS samples per pixel). */
const SS = 4;

const luma = (r: number, g: number, b: number): number => 0.299 * r + 0.587 * g + 0.114 * b;

interface ImageRecipe {
  bgKind: number; // 0 solid, 1 gradient, 2 noise
  bg1: [number, number, number];
  bg2: [number, number, number];
  gradDx: number;
  gradDy: number;
  fg: [number, number, number];
  cos: number;
  sin: number;
  radius: number;
  cx: number;
  cy: number;
}

/** A uniformly random unit vector (rejection from the square; exactly rounded ops only). */
function unitVector(rng: Rng): [number, number] {
  for (;;) {
    const x = rng.uniform(-1, 1);
    const y = rng.uniform(-1, 1);
    const n2 = x * x + y * y;
    if (n2 > 1e-4 && n2 <= 1) {
      const n = Math.sqrt(n2);
      return [x / n, y / n];
    }
  }
}

const randomColor = (rng: Rng): [number, number, number] => [rng.next(), rng.next(), rng.next()];

function drawRecipe(rng: Rng, size: number): ImageRecipe {
  const bgKind = rng.int(3);
  const bg1 = randomColor(rng);
  let bg2 = bg1;
  let gradDx = 0, gradDy = 0;
  if (bgKind === 1) {
    for (let attempt = 0; attempt < 16; attempt++) {
      const c = randomColor(rng);
      if (Math.abs(luma(...c) - luma(...bg1)) <= MAX_GRADIENT_LUMA_SPAN) {
        bg2 = c;
        break;
      }
    }
    [gradDx, gradDy] = unitVector(rng);
  }
  const y1 = luma(...bg1), y2 = luma(...bg2);
  let fg: [number, number, number] | null = null;
  for (let attempt = 0; attempt < 32 && fg === null; attempt++) {
    const c = randomColor(rng);
    const y = luma(...c);
    if (Math.abs(y - y1) >= MIN_LUMA_CONTRAST && Math.abs(y - y2) >= MIN_LUMA_CONTRAST) fg = c;
  }
  // Fallback (rare): black on a light background, white on a dark one.
  if (fg === null) fg = (y1 + y2) / 2 > 0.5 ? [0, 0, 0] : [1, 1, 1];
  const [cos, sin] = unitVector(rng);
  const radius = size * rng.uniform(RADIUS_MIN, RADIUS_MAX);
  // Keep (almost) the whole bounding disk inside the image; extreme tips may touch the border.
  const margin = Math.min(radius * 0.92, size / 2);
  const cx = rng.uniform(margin, size - margin);
  const cy = rng.uniform(margin, size - margin);
  return { bgKind, bg1, bg2, gradDx, gradDy, fg, cos, sin, radius, cx, cy };
}

/** Whether the image point (px, py) (continuous pixel coordinates) lies inside the shape. */
function isInside(classIdx: number, rc: ImageRecipe, px: number, py: number): boolean {
  const dx = px - rc.cx, dy = py - rc.cy;
  // Rotate into the shape frame: (u, v) = R(−θ)·d / r.
  return isInShape(classIdx, (rc.cos * dx + rc.sin * dy) / rc.radius, (-rc.sin * dx + rc.cos * dy) / rc.radius);
}

/**
 * Coverage of every pixel by the shape, in [0, 1]. NOTE: overwrites `cov` ([size·size]) and uses
 * `corners` ([(size+1)²]) as scratch.
 *
 * Edge-adaptive supersampling: the inside test runs on the pixel-corner grid of the shape's
 * bounding box; a pixel whose four corners agree is taken as fully in or out, any other pixel is
 * supersampled on an SS × SS grid. A structure wider than 1 px always puts a corner of a crossed
 * pixel inside it; at size 32 every stripe, cell, arm and hole is ≥ 2.5 px wide (≥ 1.25 px at size
 * 16), so only sub-pixel slivers of star and crescent tips can be missed.
 */
function shapeCoverage(classIdx: number, rc: ImageRecipe, size: number, cov: Float32Array, corners: Uint8Array): void {
  cov.fill(0);
  const x0 = Math.max(0, Math.floor(rc.cx - rc.radius) - 1), x1 = Math.min(size - 1, Math.floor(rc.cx + rc.radius) + 1);
  const y0 = Math.max(0, Math.floor(rc.cy - rc.radius) - 1), y1 = Math.min(size - 1, Math.floor(rc.cy + rc.radius) + 1);
  const stride = size + 1;
  for (let gy = y0; gy <= y1 + 1; gy++) {
    for (let gx = x0; gx <= x1 + 1; gx++) corners[gy * stride + gx] = isInside(classIdx, rc, gx, gy) ? 1 : 0;
  }
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const k = y * stride + x;
      const numIn = corners[k]! + corners[k + 1]! + corners[k + stride]! + corners[k + stride + 1]!;
      if (numIn === 0 || numIn === 4) {
        cov[y * size + x] = numIn / 4;
        continue;
      }
      let hits = 0;
      for (let sy = 0; sy < SS; sy++) {
        for (let sx = 0; sx < SS; sx++) if (isInside(classIdx, rc, x + (sx + 0.5) / SS, y + (sy + 0.5) / SS)) hits++;
      }
      cov[y * size + x] = hits / (SS * SS);
    }
  }
}

/** Renders one image into `out` at byte offset `offset`, given the shape coverage `cov`.
 * NOTE: mutates out; draws the noise of noise backgrounds from rng. */
function renderImage(rng: Rng, rc: ImageRecipe, cov: Float32Array, size: number, out: Uint8Array, offset: number): void {
  const half = size / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let r = rc.bg1[0], g = rc.bg1[1], b = rc.bg1[2];
      if (rc.bgKind === 1) {
        // Linear gradient along the unit direction, t in [0, 1] across the image.
        const proj = ((x + 0.5 - half) * rc.gradDx + (y + 0.5 - half) * rc.gradDy) / size + 0.5;
        const t = Math.min(1, Math.max(0, proj));
        r += (rc.bg2[0] - r) * t;
        g += (rc.bg2[1] - g) * t;
        b += (rc.bg2[2] - b) * t;
      } else if (rc.bgKind === 2) {
        const n = rng.uniform(-NOISE_AMPLITUDE, NOISE_AMPLITUDE);
        r += n;
        g += n;
        b += n;
      }
      const a = cov[y * size + x]!;
      const o = offset + (y * size + x) * 3;
      out[o] = Math.round(255 * Math.min(1, Math.max(0, r + (rc.fg[0] - r) * a)));
      out[o + 1] = Math.round(255 * Math.min(1, Math.max(0, g + (rc.fg[1] - g) * a)));
      out[o + 2] = Math.round(255 * Math.min(1, Math.max(0, b + (rc.fg[2] - b) * a)));
    }
  }
}

/** Generates one split; `report(done)` is called after every image. */
function generateSplit(seed: number, numImages: number, size: number, report: (done: number) => void): ImageSet {
  const rng = createRng(seed);
  const perm = rng.permutation(numImages);
  const labels = new Int32Array(numImages);
  for (let i = 0; i < numImages; i++) labels[i] = perm[i]! % NUM_SHAPE_CLASSES;
  const images = new Uint8Array(numImages * size * size * 3);
  const cov = new Float32Array(size * size);
  const corners = new Uint8Array((size + 1) * (size + 1));
  for (let i = 0; i < numImages; i++) {
    const recipe = drawRecipe(rng, size);
    shapeCoverage(labels[i]!, recipe, size, cov, corners);
    renderImage(rng, recipe, cov, size, images, i * size * size * 3);
    report(i + 1);
  }
  return { images, labels, numImages, height: size, width: size };
}

/**
 * Generates the built-in "shapes-10" dataset (see the file header). Deterministic in `opts.seed`.
 * `onProgress` receives the finished fraction in (0, 1], about every 1 % and once with 1 at the end.
 * Cost: about 0.1 ms per 32 × 32 image in Node (5000 + 1000 images in ~0.65 s).
 */
export function generateBuiltinDataset(opts: BuiltinDatasetOptions, onProgress?: (fraction: number) => void): Dataset {
  const size = opts.size ?? 32;
  for (const [key, value] of [['numTrain', opts.numTrain], ['numTest', opts.numTest], ['size', size]] as const) {
    if (!Number.isInteger(value) || value < 0) throw new RangeError(`Built-in dataset: ${key} must be a non-negative integer, got ${value}`);
  }
  if (size < 4) throw new RangeError(`Built-in dataset: size must be at least 4 pixels, got ${size}`);
  const total = opts.numTrain + opts.numTest;
  const step = Math.max(1, Math.floor(total / 100));
  let lastReported = 0;
  const reportAt = (done: number): void => {
    if (onProgress && (done - lastReported >= step || done === total)) {
      lastReported = done;
      onProgress(done / total);
    }
  };
  const train = generateSplit(deriveSeed(opts.seed, 'builtin/train'), opts.numTrain, size, reportAt);
  const test = generateSplit(deriveSeed(opts.seed, 'builtin/test'), opts.numTest, size, (done) => reportAt(opts.numTrain + done));
  if (total === 0) onProgress?.(1);
  return {
    name: BUILTIN_DATASET_NAME,
    classNames: [...SHAPE_CLASS_NAMES],
    numClasses: NUM_SHAPE_CLASSES,
    train,
    test,
    normalization: CIFAR10_NORMALIZATION,
  };
}
