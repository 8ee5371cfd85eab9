// The run Dataset the browser builds from an import (dataset worker import → stored set →
// buildStoredRunDataset), for tests that start from real files in Node.
import type { RunConfig } from '../../src/core/config/runConfig';
import type { ImportResult } from '../../src/core/data/formats/types';
import type { Dataset } from '../../src/core/data/types';
import type { StoredDataset } from '../../src/worker/datasetCache';
import { buildStoredRunDataset } from '../../src/worker/runDataset';

/** `result` stored under `name` (default: the importer's name) and split for `config`. */
export function buildRunDataset(result: ImportResult, config: RunConfig, name = result.name): Dataset {
  const isLabelled = result.set.labels !== null;
  const stored = {
    meta: { id: 'x', name, format: result.format, source: '', numImages: result.set.numImages, classNames: isLabelled ? result.classNames : [], isLabelled, imageSize: config.imageSize, numBytes: 0, numSourceTest: 0, numSkipped: 0, warnings: [], createdAt: 0, imagesPerChunk: 1, numChunks: 1 },
    images: result.set.images, labels: result.set.labels, isSourceTest: result.isSourceTest,
  } satisfies StoredDataset;
  return buildStoredRunDataset(stored, config);
}
