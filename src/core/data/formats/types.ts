/**
 * Contracts of the dataset importers (CIFAR binary, MNIST-style IDX, image folders and zips):
 * what goes in (named byte files), what comes out (a uint8 image set + what was skipped), and the
 * injected image decoder (createImageBitmap in the browser, pure-JS decoders in Node).
 * Must not import: tfjs, DOM.
 */
import { UserError } from '../../userError';
import type { Normalization } from '../normalization';
import type { ImageSet } from '../types';

/** One input file as the user gave it. `path` is relative ("cats/001.png", "cifar-10-batches-bin/data_batch_1.bin"). */
export interface InputFile {
  path: string;
  bytes: Uint8Array;
}

/** A file (or archive member) that could not be used, and why, in words a user understands. */
export interface SkippedFile {
  path: string;
  reason: string;
}

/** RGBA pixels of one decoded image, row-major [height, width, 4]. */
export interface DecodedPixels {
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
}

/** Decodes one encoded image (PNG, JPEG, WebP). Throws an Error with a user-facing message when it cannot. */
export type ImageDecoder = (bytes: Uint8Array, path: string) => Promise<DecodedPixels>;

/** Which importer recognised the input. */
export type SourceFormat = 'cifar10' | 'cifar100' | 'idx' | 'image-folder';

/** Progress callback: stage in words, fraction in [0, 1]. */
export type ProgressFn = (stage: string, fraction: number) => void;

/** Options of an import. */
export interface ImportOptions {
  /** Side of the square uint8 images the set is resized to (the run's imageSize). */
  size: number;
  decodeImage: ImageDecoder;
  onProgress?: ProgressFn;
  /** Upper bound on images kept (e.g. 60,000); more are skipped with a reason. */
  maxImages?: number;
}

/** The result of an import: every usable image, resized, uint8, plus what was skipped. */
export interface ImportResult {
  /** Suggested dataset name (archive or folder name). */
  name: string;
  format: SourceFormat;
  /** All usable images, [n, size, size, 3]; labels null when the source has none. */
  set: ImageSet;
  /** Class names (index = label), or [] for an unlabelled set. */
  classNames: string[];
  /** Images the source itself marks as test (CIFAR test_batch, IDX t10k), or null when it marks none. */
  isSourceTest: Uint8Array | null;
  skipped: SkippedFile[];
  /** Non-fatal notes, e.g. "only one class found: kNN needs at least two". */
  warnings: string[];
  /**
   * Per-channel statistics of the set (../normalization.ts): published ones for CIFAR-10/100,
   * MNIST and Fashion-MNIST, else computed over every imported image. importFiles always sets it;
   * absent (a result built from a stored set of an older version) toDataset works it out the same
   * way from the format, names and pixels.
   */
  normalization?: Normalization;
}

/** An import that produced nothing usable; `message` names the file and the problem. A UserError:
 * shown as a message, never as a stack. */
export class DatasetImportError extends UserError {
  override name = 'DatasetImportError';
  constructor(
    message: string,
    readonly skipped: SkippedFile[] = [],
  ) {
    super(message);
  }
}
