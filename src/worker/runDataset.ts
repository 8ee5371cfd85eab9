/**
 * The training worker's dataset for a run config: the built-in shapes-10 set, or a set stored by
 * the dataset worker, loaded from the cache and split into train and a held-out part fixed by
 * `datasetSeed` (core/data/formats/split.ts). For a stored set `numTestImages` bounds the held-out
 * part and `numTrainImages` the training part (a seeded subset when the set is larger).
 * A set too small for the config is refused with a message saying which setting to change.
 * Must not import: ui/, DOM, tfjs.
 */
import { storedDatasetId, type RunConfig } from '../core/config/runConfig';
import { generateBuiltinDataset } from '../core/data/builtinDataset';
import { toDataset } from '../core/data/formats/split';
import type { Dataset, ImageSet } from '../core/data/types';
import { createRng, deriveSeed } from '../core/random';
import type { DatasetCache, StoredDataset } from './datasetCache';

/** Fraction of a stored set held out when its source marks no test images (capped by numTestImages). */
export const HELD_OUT_FRACTION = 0.1;

/** A stored set that cannot serve the run as configured; `hint` names the setting to change. */
export class DatasetTooSmallError extends Error {
  constructor(message: string, readonly hint: string) {
    super(message);
    this.name = 'DatasetTooSmallError';
  }
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

/** The run's Dataset from a stored set (pure; copies the pixels it keeps). */
export function buildStoredRunDataset(stored: StoredDataset, config: RunConfig): Dataset {
  const { meta } = stored;
  const size = meta.imageSize;
  const split = toDataset({
    name: meta.name,
    format: meta.format,
    set: { images: stored.images, labels: stored.labels, numImages: meta.numImages, height: size, width: size },
    classNames: meta.isLabelled ? meta.classNames : [],
    isSourceTest: stored.isSourceTest,
    skipped: [],
    warnings: [],
  }, { name: meta.name, seed: config.datasetSeed, testFraction: HELD_OUT_FRACTION, maxTest: config.numTestImages });
  const train = split.train.numImages > config.numTrainImages ? subset(split.train, config.numTrainImages, config.datasetSeed) : split.train;
  const dataset: Dataset = { ...split, train };

  const what = `The dataset “${meta.name}” gives ${train.numImages} training and ${split.test.numImages} held-out images`;
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

/** Builds the training worker's `makeDataset`: built-in generation, or loading from the cache
 * (opened on first use and kept; opened again after a failure). */
export function createRunDatasetMaker(openCache: () => Promise<DatasetCache>) {
  let cache: DatasetCache | null = null;
  return async (config: RunConfig, onProgress: (fraction: number) => void): Promise<Dataset> => {
    const id = storedDatasetId(config.dataset);
    if (id === null) {
      return generateBuiltinDataset({ seed: config.datasetSeed, numTrain: config.numTrainImages, numTest: config.numTestImages }, onProgress);
    }
    cache ??= await openCache();
    const stored = await cache.get(id, (f) => onProgress(0.9 * f));
    const dataset = buildStoredRunDataset(stored, config);
    onProgress(1);
    return dataset;
  };
}
