/**
 * Worker entry: only wiring. Registers our GPU kernels, builds the handler with the real
 * backend, dataset and trainer, and connects it to the worker's message port.
 * Must not import: ui/.
 */
import { generateBuiltinDataset } from '../core/data/builtinDataset';
import { createTrainer } from '../core/train/trainer';
import { createGpuTrainerOptions, registerGpuKernels } from '../gpu/register';
import { initBackend } from './backend';
import { createHandler } from './handler';
import type { FromWorker, ToWorker } from './protocol';

registerGpuKernels();
const scope = self as unknown as DedicatedWorkerGlobalScope;
const handle = createHandler({
  post: (msg: FromWorker) => scope.postMessage(msg),
  initBackend,
  makeDataset: (c, onProgress) => generateBuiltinDataset({ seed: c.datasetSeed, numTrain: c.numTrainImages, numTest: c.numTestImages }, onProgress),
  makeTrainer: (config, dataset) => createTrainer(config, dataset, createGpuTrainerOptions()),
});
scope.onmessage = (ev: MessageEvent<ToWorker>) => handle(ev.data);
