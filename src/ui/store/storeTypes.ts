/**
 * State and action types of the app store: the config, run and metrics slices, and AppState, which joins
 * them with the dataset, checkpoint, evaluation, explain and twin slices typed in their own `*Slice.ts`.
 *
 * The store holds only what arrived or what the user chose; everything derived (cross-field
 * issues, chance levels, running hit rate, whether a button is enabled) lives in `selectors.ts`.
 * Must not import: React, recharts, tfjs; zustand only in appStore.ts / useAppStore.ts.
 */
import type { RunConfig } from '../../core/config/runConfig';
import type { KnnMetrics, ProbeSnapshot, StepMetrics } from '../../core/train/metrics';
import type { PairStats } from '../../core/hvp/pairStats';
import type { ViewLogWindow } from './viewLogWindow';
import type { BackendInfo, FromWorker, RunState, ToWorker } from '../../worker/protocol';
import type { CheckpointActions, CheckpointSlice } from './checkpointSlice';
import type { DatasetActions, DatasetSlice } from './datasetSlice';
import type { EvaluationActions, EvaluationSlice } from './evaluationSlice';
import type { ExplainActions, ExplainSlice } from './explainSlice';
import type { TwinActions, TwinSlice } from './twinSlice';
import type { CappedHistory } from './history';

/** A config key. */
export type ConfigKey = keyof RunConfig;

/** The config the user is editing. `config` is always valid field by field. */
export interface ConfigSlice {
  /** Last accepted config; every field passed its schema check. Cross-field rules may still fail. */
  config: RunConfig;
  /** Raw text of fields being edited (shown in the input instead of the config value). */
  drafts: Partial<Record<ConfigKey, string>>;
  /** Why a draft was refused (the schema's message plus the kept value). */
  fieldIssues: Partial<Record<ConfigKey, string>>;
  /** Warnings from decoding the page URL. */
  urlWarnings: string[];
  isUrlNoteDismissed: boolean;
}

/** The kind of request an error answers (e.g. 'loadCheckpoint'): a later success of the same kind
 * dismisses its banner. */
export type ErrorAction = ToWorker['type'];

/** One error as the UI keeps it: shown as a banner until dismissed (by the user, or by a later
 * success of the same action), then still listed in the log. */
export interface ErrorEntry {
  /** Store-local sequence number (React key, dismiss handle). */
  seq: number;
  /** Request id the error answers, if any. */
  requestId: number | null;
  /** Kind of request the error answers, or null when it answers none (a crash, a failed run). */
  action: ErrorAction | null;
  name: string;
  message: string;
  hint: string;
  isFatal: boolean;
  /** Run step when it arrived. */
  step: number;
  isDismissed: boolean;
}

/** An informational or warning line from the worker or the app. */
export interface LogEntry {
  seq: number;
  level: 'info' | 'warn' | 'error';
  message: string;
  step: number;
}

/** A request the UI sent and is waiting on (ack, error or a state change). */
export interface PendingRequest {
  id: number;
  type: ToWorker['type'];
}

/** Where the run and the worker are. */
export interface RunSlice {
  runState: RunState;
  step: number;
  /** Optional text the worker attached to the last state change. */
  stateMessage: string | null;
  /** Config of the current or last run (the panel's config may have changed since). */
  runConfig: RunConfig | null;
  /** Early stop requested for the current run (`?maxSteps=`), or null. */
  maxSteps: number | null;
  backend: BackendInfo | null;
  isBackendNoteDismissed: boolean;
  /** Protocol version the worker announced in `ready`, or null before it did. */
  protocolVersion: number | null;
  /** False once the worker crashed or cannot be used; nothing can be started then. */
  isWorkerAlive: boolean;
  pending: PendingRequest | null;
  /** Pause was asked for and the run has not yet left "running" (the step in flight ends first). */
  isPauseRequested: boolean;
  /** Long work in progress (dataset generation, evaluation); null when none. */
  progress: { stage: string; fraction: number } | null;
  errors: ErrorEntry[];
  logs: LogEntry[];
  /** Next sequence number for errors and logs. */
  nextSeq: number;
}

/** Streamed training metrics of the current or last run. */
export interface MetricsSlice {
  steps: CappedHistory<StepMetrics>;
  /** Newest step metrics, even when decimation did not keep it in `steps`. */
  latestMetrics: StepMetrics | null;
  knn: CappedHistory<KnnMetrics>;
  probe: ProbeSnapshot | null;
  /** Kept gallery snapshots for the step slider (≤ PROBE_HISTORY_CAP, decimated; stepScrub.ts). */
  probeHistory: CappedHistory<ProbeSnapshot>;
  /** Step the panels show while scrubbing back, or null to follow the run (live). */
  viewingStep: number | null;
  /** Pair-property histograms of the last logged steps, oldest first (pairStatsWindow.ts). */
  pairStatsWindow: readonly PairStats[];
  /** Rows of the per-view augmentation log of the newest read selection steps (viewLogWindow.ts). */
  viewLog: ViewLogWindow;
}

/** Everything the store can do. */
export interface AppActions {
  /** The only way worker events enter the store. */
  applyWorkerMessage(msg: FromWorker): void;
  /** Edits one field. Valid values replace the config value; invalid ones are refused (the
   * config keeps its value) and the schema's message is kept in `fieldIssues`. Returns whether
   * the value was accepted. Refused without a message while the run holds the config. */
  setField(key: ConfigKey, raw: string): boolean;
  /** Ends editing of a field: an accepted draft is dropped so the input shows the config value. */
  commitField(key: ConfigKey): void;
  /** Drops a refused draft and its message (the input shows the kept value again). */
  revertField(key: ConfigKey): void;
  /** Replaces the whole config (e.g. from the URL) with its decode warnings. */
  loadConfig(config: RunConfig, warnings: string[]): void;
  /** Restores the defaults. */
  resetConfig(): void;
  dismissUrlWarnings(): void;
  /** Called by the UI right before it sends `start`: records the run's config, clears metrics. */
  beginRun(config: RunConfig, maxSteps: number | null): void;
  /** Records a request the UI just sent. */
  notePending(id: number, type: ToWorker['type']): void;
  dismissError(seq: number): void;
  /** Shows an error the page itself found (e.g. an empty file chosen), as a non-fatal banner.
   * A later success of `action` (default: the one `name` implies, see UI_ERROR_ACTIONS) dismisses it. */
  reportUiError(name: string, message: string, hint: string, action?: ErrorAction | null): void;
  dismissBackendNote(): void;
  /** Scrubs the panels to `step` (clamped to the recorded range), or back to live with null
   * or a step at or past the run's current step. */
  setViewingStep(step: number | null): void;
}

/** The full store state. */
export type AppState = ConfigSlice & RunSlice & MetricsSlice & DatasetSlice & CheckpointSlice & EvaluationSlice & ExplainSlice & TwinSlice & AppActions & DatasetActions & CheckpointActions & EvaluationActions & ExplainActions & TwinActions;

/** Options of `createAppStore`. */
export interface AppStoreOptions {
  /** Initial config (default: DEFAULT_CONFIG). */
  config?: RunConfig;
  /** Maximum kept points per history (default 5000). */
  historyCap?: number;
  /** Maximum kept error and log entries (default 200 each). */
  logCap?: number;
}
