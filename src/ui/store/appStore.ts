/**
 * The app store: a vanilla zustand store (testable in Node without React) with eight slices —
 * config (what the user edits), run (worker and run state, errors), metrics (histories), datasets
 * (stored sets and imports), checkpoint (autosaves, exports, the loaded checkpoint), evaluation
 * (probe, health, PCA), explain (the explained step) and twin (the twin run). The first three are
 * typed in storeTypes.ts, the others in their own `*Slice.ts`.
 *
 * Training-worker events enter only through `applyWorkerMessage` (workerReducer.ts hands each slice
 * its messages), dataset-worker events through `applyDatasetMessage`; the UI's own intents (edit a
 * field, begin a run, dismiss a banner) are the other actions. Derived values live in
 * `selectors.ts` and the `*Selectors.ts` beside it.
 * Only `ui/store/` imports zustand. Must not import: React (see useAppStore.ts), recharts, tfjs.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { DEFAULT_CONFIG, type RunConfig } from '../../core/config/runConfig';
import { checkField, fieldSpec } from '../../core/config/schema';
import { initialCheckpointSlice } from './checkpointSlice';
import { initialDatasetSlice, reduceDatasetMessage } from './datasetSlice';
import { initialEvaluationSlice } from './evaluationSlice';
import { initialExplainSlice } from './explainSlice';
import { initialTwinSlice, isTwinActive } from './twinSlice';
import { DEFAULT_HISTORY_CAP, emptyHistory } from './history';
import { clampViewingStep, selectScrubRange } from './stepScrub';
import type { AppState, AppStoreOptions, ConfigKey, ConfigSlice, ErrorAction, MetricsSlice, RunSlice } from './storeTypes';
import { ACTIVE_STATES, addError, reduceWorkerMessage, type ReducerLimits } from './workerReducer';
import { EMPTY_VIEW_LOG } from './viewLogWindow';

/** The store handle the app and tests use (`getState`, `setState`, `subscribe`). */
export type AppStore = StoreApi<AppState>;

/** The request kind an error the page finds itself stands for, by error name: a checkpoint file
 * refused before it reached the worker is a failed 'loadCheckpoint', cleared by the next load. */
export const UI_ERROR_ACTIONS: Readonly<Record<string, ErrorAction>> = { CheckpointFileError: 'loadCheckpoint' };

/** Default maximum number of kept errors and log lines. */
export const DEFAULT_LOG_CAP = 200;

/** Creates a fresh store. */
export function createAppStore(options: AppStoreOptions = {}): AppStore {
  const limits: ReducerLimits = {
    historyCap: options.historyCap ?? DEFAULT_HISTORY_CAP,
    logCap: options.logCap ?? DEFAULT_LOG_CAP,
  };
  const initialConfig: ConfigSlice = {
    config: { ...(options.config ?? DEFAULT_CONFIG) },
    drafts: {},
    fieldIssues: {},
    urlWarnings: [],
    isUrlNoteDismissed: false,
  };
  const initialRun: RunSlice = {
    runState: 'idle',
    step: 0,
    stateMessage: null,
    runConfig: null,
    maxSteps: null,
    backend: null,
    isBackendNoteDismissed: false,
    protocolVersion: null,
    isWorkerAlive: true,
    pending: null,
    isPauseRequested: false,
    progress: null,
    errors: [],
    logs: [],
    nextSeq: 1,
  };

  return createStore<AppState>()((set, get) => {
    // A single or twin run holds the config (the twin's backend and dataset must not change under it).
    const isLocked = (): boolean => ACTIVE_STATES.includes(get().runState) || isTwinActive(get());

    return {
      ...initialConfig,
      ...initialRun,
      ...emptyMetrics(),
      ...initialDatasetSlice(),
      ...initialCheckpointSlice(),
      ...initialEvaluationSlice(),
      ...initialExplainSlice(),
      ...initialTwinSlice(),
      noteTwinRequest: (id, config) => set((s) => ({ twin: { ...s.twin, request: { id, config: { ...config } }, failure: null } })),
      noteExplainRequest: (id) => set((s) => ({ explain: { ...s.explain, requestId: id, failure: null } })),
      noteOfflineProbeRequest: (id) => set((s) => ({ offlineProbe: { ...s.offlineProbe, requestId: id, failure: null } })),

      dismissAutosaveOffer: () => set({ isAutosaveOfferDismissed: true }),
      takeDownload: (seq) => set((s) => ({ downloads: s.downloads.filter((d) => d.seq !== seq) })),

      applyDatasetMessage: (msg) => set((s) => reduceDatasetMessage(s, { config: s.config, isConfigLocked: isLocked() }, msg)),
      beginDatasetImport: (requestId, source) => set({ datasetImport: { requestId, source, stage: 'Starting', fraction: 0 }, datasetReport: null }),
      noteDatasetDelete: (datasetId) => set((s) => ({ deletingDatasetIds: [...s.deletingDatasetIds, datasetId] })),
      dismissDatasetReport: () => set({ datasetReport: null }),

      applyWorkerMessage: (msg) => set((s) => reduceWorkerMessage(s, msg, limits)),

      setField: (key, raw) => {
        if (isLocked()) return false;
        const spec = fieldSpec(key);
        const s = get();
        const r = checkField(spec, raw);
        const drafts = { ...s.drafts, [key]: raw };
        const fieldIssues = { ...s.fieldIssues };
        if (r.issue) {
          fieldIssues[key] = `${r.issue.message} Keeping ${String(s.config[key])}.`;
          set({ drafts, fieldIssues });
          return false;
        }
        delete fieldIssues[key];
        set({ config: { ...s.config, [key]: r.value } as RunConfig, drafts, fieldIssues });
        return true;
      },

      commitField: (key) => {
        const s = get();
        if (!(key in s.drafts) || key in s.fieldIssues) return;
        set({ drafts: without(s.drafts, key) });
      },

      revertField: (key) => {
        const s = get();
        set({ drafts: without(s.drafts, key), fieldIssues: without(s.fieldIssues, key) });
      },

      loadConfig: (config, warnings) => {
        if (isLocked()) return;
        set({ config: { ...config }, drafts: {}, fieldIssues: {}, urlWarnings: [...warnings], isUrlNoteDismissed: false });
      },

      resetConfig: () => {
        if (isLocked()) return;
        set({ config: { ...DEFAULT_CONFIG }, drafts: {}, fieldIssues: {} });
      },

      dismissUrlWarnings: () => set({ isUrlNoteDismissed: true }),

      beginRun: (config, maxSteps) => set({
        ...emptyMetrics(),
        ...initialEvaluationSlice(),
        ...initialExplainSlice(),
        runConfig: { ...config },
        maxSteps,
        step: 0,
        stateMessage: null,
        progress: null,
        isPauseRequested: false,
      }),

      notePending: (id, type) => set(type === 'pause' ? { pending: { id, type }, isPauseRequested: true } : { pending: { id, type } }),

      dismissError: (seq) => set((s) => ({
        errors: s.errors.map((e) => (e.seq === seq ? { ...e, isDismissed: true } : e)),
      })),

      dismissBackendNote: () => set({ isBackendNoteDismissed: true }),

      setViewingStep: (step) => set((s) => ({ viewingStep: clampViewingStep(step, selectScrubRange(s)) })),

      reportUiError: (name, message, hint, action = UI_ERROR_ACTIONS[name] ?? null) => set((s) => addError(s, limits, { requestId: null, action, name, message, hint, isFatal: false })),
    };
  });
}

function emptyMetrics(): MetricsSlice {
  return { steps: emptyHistory(), latestMetrics: null, knn: emptyHistory(), probe: null, probeHistory: emptyHistory(), viewingStep: null, pairStatsWindow: [], viewLog: EMPTY_VIEW_LOG };
}

function without<V>(record: Partial<Record<ConfigKey, V>>, key: ConfigKey): Partial<Record<ConfigKey, V>> {
  const copy = { ...record };
  delete copy[key];
  return copy;
}
