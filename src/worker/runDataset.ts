/**
 * The training worker's dataset for a run config: the built-in shapes-10 set, or a set stored by
 * the dataset worker, loaded from the cache and split by core/data/runDataset.ts (the CLI's
 * `--data` builds its runs with the same function). A checkpoint whose stored set is not in this
 * browser (trained elsewhere: another browser, the CLI, PyTorch) is matched by content instead:
 * `findByFingerprint` looks for a stored set that gives the checkpoint's fingerprint.
 * Must not import: ui/, DOM, tfjs.
 */
import { storedDatasetId, type RunConfig } from '../core/config/runConfig';
import { fingerprintDataset, fingerprintMismatch, type DatasetFingerprint } from '../core/data/fingerprint';
export { DatasetTooSmallError, HELD_OUT_FRACTION } from '../core/data/runDataset';
import { generateBuiltinDataset } from '../core/data/builtinDataset';
import { buildRunDataset, DatasetTooSmallError } from '../core/data/runDataset';
import type { Dataset } from '../core/data/types';
import type { DatasetCache, StoredDataset, StoredDatasetMeta } from './datasetCache';

/** The run's Dataset from a stored set (pure; copies the pixels it keeps): core/data/runDataset.ts,
 * with the normalisation statistics stored in its meta.
 * `name` names the Dataset (it enters the fingerprint); default: the stored set's name. */
export function buildStoredRunDataset(stored: StoredDataset, config: RunConfig, name: string = stored.meta.name): Dataset {
  const { meta } = stored;
  return buildRunDataset({
    name, format: meta.format, images: stored.images, labels: stored.labels, numImages: meta.numImages,
    imageSize: meta.imageSize, classNames: meta.isLabelled ? meta.classNames : [], isSourceTest: stored.isSourceTest,
    // The set's statistics from its meta (datasetCache: the import's, or worked out on load for an old set).
    ...(meta.normalization ? { normalization: meta.normalization } : {}),
  }, config);
}

/** A stored set that gives a checkpoint's fingerprint, and the run's Dataset built from it. */
export interface FoundDataset {
  meta: StoredDatasetMeta;
  dataset: Dataset;
}

/** The training worker's datasets over one lazily opened cache: `make` for a config, and
 * `findByFingerprint` for a checkpoint whose stored set is not in this browser. */
export interface RunDatasets {
  /** Built-in generation, or loading the config's stored set (DatasetNotFoundError when absent). */
  make(config: RunConfig, onProgress: (fraction: number) => void): Promise<Dataset>;
  /**
   * The stored set whose run Dataset — built with `config` and named `fingerprint.name`, as the run
   * that wrote the checkpoint named it — has `fingerprint`; null when none does. Only sets of the
   * fingerprint's image size with enough images are loaded (one at a time, newest first).
   */
  findByFingerprint(config: RunConfig, fingerprint: DatasetFingerprint, onProgress: (fraction: number) => void): Promise<FoundDataset | null>;
}

/** Builds the training worker's datasets (the cache is opened on first use and kept; opened again
 * after a failure). */
export function createRunDatasets(openCache: () => Promise<DatasetCache>): RunDatasets {
  let cache: DatasetCache | null = null;
  return {
    async make(config, onProgress) {
      const id = storedDatasetId(config.dataset);
      if (id === null) {
        return generateBuiltinDataset({ seed: config.datasetSeed, numTrain: config.numTrainImages, numTest: config.numTestImages }, onProgress);
      }
      cache ??= await openCache();
      const stored = await cache.get(id, (f) => onProgress(0.9 * f));
      const dataset = buildStoredRunDataset(stored, config);
      onProgress(1);
      return dataset;
    },

    async findByFingerprint(config, fingerprint, onProgress) {
      cache ??= await openCache();
      const candidates = (await cache.list()).filter((m) =>
        m.imageSize === fingerprint.height && m.imageSize === fingerprint.width && m.numImages >= fingerprint.numTrain + fingerprint.numTest);
      for (const [k, meta] of candidates.entries()) {
        const stored = await cache.get(meta.id, (f) => onProgress((k + f) / candidates.length));
        let dataset: Dataset;
        try {
          dataset = buildStoredRunDataset(stored, config, fingerprint.name);
        } catch (e) {
          if (e instanceof DatasetTooSmallError) continue;
          throw e;
        }
        if (fingerprintMismatch(fingerprint, fingerprintDataset(dataset)) === null) {
          onProgress(1);
          return { meta, dataset };
        }
      }
      onProgress(1);
      return null;
    },
  };
}

/** The training worker's `makeDataset` alone (createRunDatasets(openCache).make). */
export function createRunDatasetMaker(openCache: () => Promise<DatasetCache>): RunDatasets['make'] {
  return createRunDatasets(openCache).make;
}
