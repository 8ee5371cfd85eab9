/**
 * The training worker's dataset for a run config: the built-in shapes-10 set, or a set stored by
 * the dataset worker, loaded from the cache and split by core/data/runDataset.ts (the CLI's
 * `--data` builds its runs with the same function).
 * Must not import: ui/, DOM, tfjs.
 */
import { storedDatasetId, type RunConfig } from '../core/config/runConfig';
export { DatasetTooSmallError, HELD_OUT_FRACTION } from '../core/data/runDataset';
import { generateBuiltinDataset } from '../core/data/builtinDataset';
import { buildRunDataset } from '../core/data/runDataset';
import type { Dataset } from '../core/data/types';
import type { DatasetCache, StoredDataset } from './datasetCache';

/** The run's Dataset from a stored set (pure; copies the pixels it keeps): core/data/runDataset.ts. */
export function buildStoredRunDataset(stored: StoredDataset, config: RunConfig): Dataset {
  const { meta } = stored;
  return buildRunDataset({
    name: meta.name, format: meta.format, images: stored.images, labels: stored.labels, numImages: meta.numImages,
    imageSize: meta.imageSize, classNames: meta.isLabelled ? meta.classNames : [], isSourceTest: stored.isSourceTest,
  }, config);
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
