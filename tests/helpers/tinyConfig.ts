// A tiny RunConfig for Node tests on the tfjs CPU backend (8×8 views, width 2–4, batch 4).
import { DEFAULT_CONFIG, type RunConfig } from '../../src/core/config/runConfig';

/** Tiny config; override any field. */
export function tinyConfig(overrides: Partial<RunConfig> = {}): RunConfig {
  return {
    ...DEFAULT_CONFIG,
    numTrainImages: 32,
    numTestImages: 16,
    numKnnBankImages: 32,
    imageSize: 8,
    batchSize: 4,
    backboneWidth: 2,
    projDim: 16,
    predHiddenDim: 4,
    knnEvery: 0,
    knnK: 3,
    probeEvery: 1000,
    numProbeImages: 2,
    totalSteps: 100,
    warmupSteps: 0,
    learningRate: 0.05,
    seed: 1,
    ...overrides,
  };
}
