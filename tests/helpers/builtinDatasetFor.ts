// The built-in dataset a run of `config` trains on (its datasetSeed, numTrainImages, numTestImages),
// as the worker's default makeDataset builds it; for Node tests on the tfjs CPU backend.
import type { RunConfig } from '../../src/core/config/runConfig';
import { generateBuiltinDataset } from '../../src/core/data/builtinDataset';
import type { Dataset } from '../../src/core/data/types';

/** The built-in dataset of `config`; `onProgress` as in generateBuiltinDataset. */
export function builtinDatasetFor(config: RunConfig, onProgress?: (fraction: number) => void): Dataset {
  return generateBuiltinDataset({ seed: config.datasetSeed, numTrain: config.numTrainImages, numTest: config.numTestImages }, onProgress);
}
