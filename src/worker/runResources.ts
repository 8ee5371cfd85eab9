/**
 * The backend and the dataset cache the single run and the twin run share: the backend is started
 * once per preferred backend (again if the preference changes; a GPU fault stops the single run),
 * and the dataset is built once per dataset setting (`datasetKey`). Both live in the shared
 * WorkerState; this service is the only one that starts a backend or builds a dataset.
 * Must not import: ui/, DOM.
 */
import type { BackendName, RunConfig } from '../core/config/runConfig';
import { fingerprintDataset } from '../core/data/fingerprint';
import type { Dataset } from '../core/data/types';
import type { BackendInfo } from './protocol';
import type { CachedDataset, HandlerDeps, WorkerState } from './workerState';

export interface RunResources {
  /** Initialises the backend once per preference; re-initialises if the preference changes. */
  ensureBackend(preferred: BackendName): Promise<BackendInfo>;
  /** The dataset of `config`, from the cache or built now (with progress messages). */
  ensureDataset(config: RunConfig): Promise<CachedDataset>;
  /** Makes `value` the cached dataset of `config` (a checkpoint's set found by content). */
  adoptDataset(config: RunConfig, value: Dataset): CachedDataset;
}

const datasetKey = (c: RunConfig) => `${c.dataset}:${c.datasetSeed}:${c.numTrainImages}:${c.numTestImages}`;

export function createRunResources(state: WorkerState, deps: HandlerDeps): RunResources {
  const { post } = deps;
  const onGpuFault = (message: string) => {
    state.session?.loop.stop();
    post({ type: 'error', error: { name: 'GpuFaultError', message }, isFatal: true, hint: 'Reload the page to get a fresh GPU device; the last autosave is offered then. If it happens again, use a smaller batch size, backbone width or view size.' });
  };
  const adoptDataset = (config: RunConfig, value: Dataset): CachedDataset => (state.dataset = { key: datasetKey(config), value, fingerprint: fingerprintDataset(value) });

  return {
    async ensureBackend(preferred) {
      if (!state.backend || state.backendPreference !== preferred) {
        state.backendPreference = preferred;
        state.backend = await deps.initBackend(preferred, onGpuFault);
        post({ type: 'backend', backend: state.backend });
      }
      return state.backend;
    },
    async ensureDataset(config) {
      if (!state.dataset || state.dataset.key !== datasetKey(config)) {
        const stage = config.dataset === 'builtin' ? 'Generating the built-in dataset' : 'Loading the stored dataset';
        post({ type: 'progress', stage, fraction: 0 });
        const value = await deps.makeDataset(config, (f) => post({ type: 'progress', stage, fraction: f }));
        adoptDataset(config, value);
        post({ type: 'progress', stage, fraction: 1 });
      }
      return state.dataset!;
    },
    adoptDataset,
  };
}
