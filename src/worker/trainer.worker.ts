/**
 * Worker entry: only wiring. Registers our GPU kernels, builds the handler with the real
 * backend, dataset (built-in, or imported and stored in IndexedDB) and trainer, and connects it to the worker's message port.
 * Must not import: ui/.
 */
import { createTrainer } from '../core/train/trainer';
import { createGpuTrainerOptions, registerGpuKernels } from '../gpu/register';
import { createIndexedDbAutosaveStore } from './autosaveStore';
import { initBackend } from './backend';
import { createDatasetCache } from './datasetCache';
import { openDatasetIdb } from './datasetIdb';
import { createHandler } from './handler';
import type { FromWorker, ToWorker } from './protocol';
import { createRunDatasets } from './runDataset';

registerGpuKernels();
const datasets = createRunDatasets(async () => createDatasetCache(await openDatasetIdb()));
const scope = self as unknown as DedicatedWorkerGlobalScope;
const handle = createHandler({
  post: (msg: FromWorker, transfer?: Transferable[]) => scope.postMessage(msg, transfer ?? []),
  initBackend,
  makeDataset: datasets.make,
  findDataset: datasets.findByFingerprint,
  makeTrainer: (config, dataset, resumeFrom) => createTrainer(config, dataset, { ...createGpuTrainerOptions(), resumeFrom }),
  autosaves: createIndexedDbAutosaveStore(),
});
scope.onmessage = (ev: MessageEvent<ToWorker>) => handle(ev.data);
