/**
 * A run's Dataset from an imported image set: the held-out split fixed by `datasetSeed`
 * (formats/split.ts) and, when the set is larger, a seeded training subset of `numTrainImages`;
 * `numTestImages` bounds the held-out part. One function for every place that builds a run on
 * imported data — the browser's training worker (from its stored set), the Node CLI (from the
 * files, `--data`) — so the same images and settings give the same Dataset and fingerprint.
 * A set too small for the config is refused with a message saying which setting to change.
 * python/hvp_torch/data/run_dataset.py is its PyTorch port (tests/torchDataParity.test.ts).
 * Must not import: tfjs, DOM.
 */
import { UserError } from '../userError';
import type { RunConfig } from '../config/runConfig';
import { createRng, deriveSeed } from '../random';
import { toDataset } from './formats/split';
import type { SourceFormat } from './formats/types';
import type { Normalization } from './normalization';
import type { Dataset, ImageSet } from './types';

/** Fraction of a set held out when its source marks no test images (capped by numTestImages). */
export const HELD_OUT_FRACTION = 0.1;

/** A set that cannot serve the run as configured; `hint` names the setting to change. */
export class DatasetTooSmallError extends UserError {
  override name = 'DatasetTooSmallError';
}

/** An imported set as stored: square uint8 images of side imageSize, labels, the source's test marks. */
export interface RunDatasetSource {
  name: string;
  format: SourceFormat;
  images: Uint8Array;
  labels: Int32Array | null;
  numImages: number;
  imageSize: number;
  /** Class names (index = label); ignored for an unlabelled set. */
  classNames: string[];
  isSourceTest: Uint8Array | null;
  /**
   * The set's normalisation statistics as imported (ImportResult / the stored meta). Absent (a set
   * stored before per-dataset normalisation): worked out from the format, name and pixels
   * (normalization.ts normalizationFor), as the import would.
   */
  normalization?: Normalization;
}

/** A seeded subset of `count` images of `set` in their original order (a copy). */
function subset(set: ImageSet, count: number, seed: number): ImageSet {
  const rng = createRng(deriveSeed(seed, 'dataset/trainSubset'));
  const keep = rng.permutation(set.numImages).slice(0, count).sort((a, b) => a - b);
  const per = set.height * set.width * 3;
  const images = new Uint8Array(count * per);
  const labels = set.labels ? new Int32Array(count) : null;
  keep.forEach((src, dst) => {
    images.set(set.images.subarray(src * per, (src + 1) * per), dst * per);
    if (labels) labels[dst] = set.labels![src]!;
  });
  return { images, labels, numImages: count, height: set.height, width: set.width };
}

/** The run's Dataset from an imported set (pure; copies the pixels it keeps). */
export function buildRunDataset(source: RunDatasetSource, config: RunConfig): Dataset {
  const size = source.imageSize;
  const split = toDataset({
    name: source.name,
    format: source.format,
    set: { images: source.images, labels: source.labels, numImages: source.numImages, height: size, width: size },
    classNames: source.labels ? source.classNames : [],
    isSourceTest: source.isSourceTest,
    skipped: [],
    warnings: [],
    ...(source.normalization ? { normalization: source.normalization } : {}),
  }, { name: source.name, seed: config.datasetSeed, testFraction: HELD_OUT_FRACTION, maxTest: config.numTestImages });
  const train = split.train.numImages > config.numTrainImages ? subset(split.train, config.numTrainImages, config.datasetSeed) : split.train;
  const dataset: Dataset = { ...split, train };

  const what = `The dataset “${source.name}” gives ${train.numImages} training and ${split.test.numImages} held-out images`;
  if (train.numImages < config.batchSize) {
    throw new DatasetTooSmallError(`${what}; a batch of ${config.batchSize} needs at least ${config.batchSize} training images.`,
      `Lower “Batch size” to ${Math.max(2, train.numImages)} or less, or import more images.`);
  }
  if (split.test.numImages === 0) {
    throw new DatasetTooSmallError(`${what}; the gallery and evaluation need at least one held-out image.`, 'Import more images.');
  }
  const numBank = Math.min(config.numKnnBankImages, train.numImages);
  if (dataset.train.labels && config.knnEvery > 0 && config.knnK > numBank) {
    throw new DatasetTooSmallError(`${what}; kNN with k = ${config.knnK} needs a bank of at least ${config.knnK} training images.`,
      `Lower “kNN k” to ${numBank} or less, or set “kNN every k steps” to 0.`);
  }
  return dataset;
}
