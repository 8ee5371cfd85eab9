/**
 * Output buffers of the importers: the counted-first uint8 image buffer (allocated once, trimmed
 * only if images were dropped while decoding), and the split of a maxImages budget over the
 * source files in proportion to their sizes.
 * Must not import: tfjs, DOM.
 */
import { formatBytes } from './paths';
import type { PhaseProgress } from './progress';
import { DatasetImportError, type ImportResult } from './types';

/** What one format's importer returns; importFiles picks the name when the importer suggests none. */
export type FormatImport = Omit<ImportResult, 'name'> & { name?: string };

/** Options every format's importer receives from importFiles. */
export interface FormatImportOptions {
  /** Output image side. */
  size: number;
  maxImages?: number;
  progress: PhaseProgress;
}

/**
 * A zeroed [numImages, size, size, 3] uint8 buffer. Throws DatasetImportError with a way out when
 * the engine refuses the allocation.
 */
export function allocateImages(numImages: number, size: number): Uint8Array {
  const bytes = numImages * size * size * 3;
  try {
    return new Uint8Array(bytes);
  } catch {
    throw new DatasetImportError(`Not enough memory for ${numImages} images of ${size}×${size} (${formatBytes(bytes)}): lower the image limit (maxImages) or the image size`);
  }
}

/**
 * `arr` cut to `length` elements as a tight copy, or `arr` itself when nothing is cut. Never a
 * subarray view: postMessage and IndexedDB clone a view's whole underlying buffer.
 */
export function trimTo<T extends Uint8Array | Int32Array>(arr: T, length: number): T {
  return (length === arr.length ? arr : arr.slice(0, length)) as T;
}

/**
 * Splits `budget` images over files holding `counts` images, in proportion (largest remainder),
 * never more than a file holds. With no budget, or a budget ≥ the total, every count is kept.
 */
export function splitBudget(counts: readonly number[], budget: number | undefined): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  if (budget === undefined || budget >= total) return [...counts];
  const exact = counts.map((c) => (c * budget) / total);
  const out = exact.map(Math.floor);
  let left = budget - out.reduce((a, b) => a + b, 0);
  const order = exact.map((_, i) => i).sort((a, b) => exact[b]! - out[b]! - (exact[a]! - out[a]!) || a - b);
  for (const i of order) {
    if (left <= 0) break;
    if (out[i]! < counts[i]!) {
      out[i]!++;
      left--;
    }
  }
  return out;
}

/** Checks a maxImages option: undefined or an integer ≥ 1. */
export function checkMaxImages(maxImages: number | undefined): void {
  if (maxImages !== undefined && !(Number.isInteger(maxImages) && maxImages >= 1)) {
    throw new RangeError(`maxImages must be a whole number ≥ 1, got ${maxImages}`);
  }
}
