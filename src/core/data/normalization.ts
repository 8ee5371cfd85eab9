/**
 * Per-dataset normalisation: the per-channel mean and std the views are normalised with,
 * ((x − mean[c]) / std[c] on [0, 1] pixel values), and where they came from.
 *
 * Which statistics a set gets (normalizationFor):
 * - A CIFAR-10 / CIFAR-100 binary import, or an IDX import with MNIST's digit or Fashion-MNIST's class
 *   names: the published statistics of that set (KNOWN_NORMALIZATIONS), because they are what
 *   papers and torchvision recipes train with — also when only part of the set was imported.
 *   Grayscale sets (imported as RGB, R = G = B) have the same value in all three channels.
 *   An IDX set named KMNIST / EMNIST (its archive or folder name) is not MNIST: computed.
 * - Everything else (image folders, zips, other IDX sets): computed over every imported image at
 *   import (computeNormalization): one pass, per channel, float64, population std.
 * - The built-in synthetic shapes set keeps CIFAR-10's statistics (builtinDataset.ts), so existing
 *   checkpoints and tests keep their numbers; so does a checkpoint without the field (the record
 *   predates per-dataset normalisation: it was trained with CIFAR-10's values).
 * A channel whose std is below one grey level (MIN_STD = 1/255: constant or nearly constant) gets
 * std 1 instead: dividing by ~0 would blow its few distinct values up to huge inputs. `note` says so.
 * The record field `dataset.normalization = { mean, std, source }` (checkpoint/record.ts) has this
 * shape; python/hvp_torch/run.py reads it (absent → CIFAR-10's).
 * Must not import: tfjs, DOM.
 */

/** What the statistics are computed over: uint8 RGB pixels, [numImages, height, width, 3]. An ImageSet
 * (types.ts) is one; named here so this file needs nothing from types.ts, which imports Normalization. */
interface RgbPixels {
  images: Uint8Array;
  numImages: number;
}

/** Where a normalisation came from: computed over the imported images, or a set's published statistics. */
export type NormalizationSource = 'computed' | 'cifar10' | 'cifar100' | 'mnist' | 'fashion-mnist';

/** Every source, for validation. */
export const NORMALIZATION_SOURCES: readonly NormalizationSource[] = ['computed', 'cifar10', 'cifar100', 'mnist', 'fashion-mnist'];

/** Per-channel (R, G, B) statistics in [0, 1] pixel units: views are normalised as (x − mean) / std. */
export interface Normalization {
  mean: [number, number, number];
  /** Population std per channel, each > 0. */
  std: [number, number, number];
  source: NormalizationSource;
}

/** Below this std (one grey level) a channel is treated as constant and gets std 1. */
export const MIN_STD = 1 / 255;

const rgb = (v: number): [number, number, number] => [v, v, v];

/**
 * Published statistics (per-channel mean and std of the training images in [0, 1]).
 * CIFAR-10: the values this app has always used (as in many SSL repos); CIFAR-100: the usual
 * (0.5071, 0.4865, 0.4409) / (0.2673, 0.2564, 0.2762); MNIST 0.1307 / 0.3081 (torchvision's MNIST
 * example); Fashion-MNIST 0.2860 / 0.3530.
 */
export const KNOWN_NORMALIZATIONS: Readonly<Record<Exclude<NormalizationSource, 'computed'>, Normalization>> = {
  cifar10: { mean: [0.4914, 0.4822, 0.4465], std: [0.247, 0.243, 0.261], source: 'cifar10' },
  cifar100: { mean: [0.5071, 0.4865, 0.4409], std: [0.2673, 0.2564, 0.2762], source: 'cifar100' },
  mnist: { mean: rgb(0.1307), std: rgb(0.3081), source: 'mnist' },
  'fashion-mnist': { mean: rgb(0.286), std: rgb(0.353), source: 'fashion-mnist' },
};

/** CIFAR-10's statistics: the built-in set's and the fallback of records without the field. */
export const CIFAR10_NORMALIZATION: Normalization = KNOWN_NORMALIZATIONS.cifar10;

/** Human names of the sources, for the UI and the CLI. */
const SOURCE_TITLES: Record<NormalizationSource, string> = {
  computed: 'computed over the imported images',
  cifar10: "CIFAR-10's published statistics",
  cifar100: "CIFAR-100's published statistics",
  mnist: "MNIST's published statistics",
  'fashion-mnist': "Fashion-MNIST's published statistics",
};

/**
 * Mean and population std per channel over every pixel of `set` (uint8 RGB), in [0, 1] units.
 * One pass filling a 256-bin histogram per channel; the moments are then summed in float64 from
 * the histogram (exact counts, two-pass variance over 256 bins, so no cancellation).
 * A channel with std < MIN_STD gets std 1 (see the file header). Throws RangeError on an empty set.
 */
export function computeNormalization(set: RgbPixels): Normalization {
  const { images } = set;
  if (set.numImages === 0 || images.length === 0) throw new RangeError('computeNormalization: the set has no images');
  if (images.length % 3 !== 0) throw new RangeError(`computeNormalization: ${images.length} bytes is not RGB`);
  const hist = [new Float64Array(256), new Float64Array(256), new Float64Array(256)];
  const [hr, hg, hb] = hist as [Float64Array, Float64Array, Float64Array];
  for (let i = 0; i < images.length; i += 3) {
    hr[images[i]!]! += 1;
    hg[images[i + 1]!]! += 1;
    hb[images[i + 2]!]! += 1;
  }
  const count = images.length / 3;
  const mean = rgb(0);
  const std = rgb(0);
  hist.forEach((h, c) => {
    let sum = 0;
    for (let v = 0; v < 256; v++) sum += h[v]! * v;
    const m = sum / count; // in 0..255
    let sq = 0;
    for (let v = 0; v < 256; v++) sq += h[v]! * (v - m) * (v - m);
    const s = Math.sqrt(sq / count) / 255;
    mean[c] = m / 255;
    std[c] = s < MIN_STD ? 1 : s;
  });
  return { mean, std, source: 'computed' };
}

/** What the importers know about a set when its statistics are chosen. */
export interface NormalizationInput {
  /** The importer that read it ('cifar10' | 'cifar100' | 'idx' | 'image-folder'). */
  format: string;
  /** The set's name (archive or folder name). */
  name: string;
  classNames: readonly string[];
  set: RgbPixels;
}

/** Which published statistics fit an import, or null when they must be computed (file header). */
export function knownNormalizationOf(input: Omit<NormalizationInput, 'set'>): Normalization | null {
  if (input.format === 'cifar10') return KNOWN_NORMALIZATIONS.cifar10;
  if (input.format === 'cifar100') return KNOWN_NORMALIZATIONS.cifar100;
  if (input.format !== 'idx' || /[ek]-?mnist/i.test(input.name)) return null;
  if (input.classNames[0] === 'T-shirt/top' && input.classNames.length === 10) return KNOWN_NORMALIZATIONS['fashion-mnist'];
  if (input.classNames.length === 10 && input.classNames.every((n, i) => n === String(i))) return KNOWN_NORMALIZATIONS.mnist;
  return null;
}

/**
 * The statistics an imported set is normalised with: published ones when known, else computed.
 * An empty set (nothing to normalise) gets CIFAR-10's.
 */
export function normalizationFor(input: NormalizationInput): Normalization {
  const known = knownNormalizationOf(input);
  if (known) return known;
  return input.set.numImages === 0 ? CIFAR10_NORMALIZATION : computeNormalization(input.set);
}

/** Why a value is not a valid Normalization, in words, or null when it is one. */
export function normalizationProblem(x: unknown): string | null {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return 'it is not an object { mean, std, source }';
  const n = x as Record<string, unknown>;
  const isTriple = (v: unknown): v is number[] => Array.isArray(v) && v.length === 3 && v.every((e) => typeof e === 'number' && Number.isFinite(e));
  if (!isTriple(n.mean)) return `mean must be three finite numbers, got ${JSON.stringify(n.mean)}`;
  if (!isTriple(n.std) || !n.std.every((s) => s > 0)) return `std must be three finite numbers > 0, got ${JSON.stringify(n.std)}`;
  if (!(NORMALIZATION_SOURCES as readonly unknown[]).includes(n.source)) return `source must be one of ${NORMALIZATION_SOURCES.join(', ')}, got ${JSON.stringify(n.source)}`;
  return null;
}

/** A copy with exactly the three fields (drops extras, so stored forms keep their shape). */
export function cleanNormalization(n: Normalization): Normalization {
  return { mean: [n.mean[0], n.mean[1], n.mean[2]], std: [n.std[0], n.std[1], n.std[2]], source: n.source };
}

/** One line for the UI and `info`: "mean 0.4914 0.4822 0.4465, std 0.2470 0.2430 0.2610 (CIFAR-10's published statistics)". */
export function describeNormalization(n: Normalization): string {
  const f = (v: readonly number[]) => v.map((x) => x.toFixed(4)).join(' ');
  const constant = n.source === 'computed' && n.std.some((s) => s === 1) ? '; a constant channel gets std 1' : '';
  return `mean ${f(n.mean)}, std ${f(n.std)} (${SOURCE_TITLES[n.source]}${constant})`;
}
