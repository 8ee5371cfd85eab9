/**
 * What the worker's services share: the handler's injected dependencies (`HandlerDeps`), the ONE
 * mutable state object they all read and write (backend, dataset cache, the single run's session,
 * whether a run is being prepared), and the two error replies every service posts (a UserError
 * reaches the UI as its message and its own hint).
 * Services get this object; none keeps its own copy of these fields.
 * Must not import: ui/, DOM.
 */
import type { BackendName, RunConfig } from '../core/config/runConfig';
import { isUserError } from '../core/userError';
import type { DatasetFingerprint } from '../core/data/fingerprint';
import type { Dataset } from '../core/data/types';
import type { LoopState } from '../core/run/runLoop';
import type { Trainer } from '../core/train/trainer';
import type { TrainerSnapshot } from '../core/state/trainerState';
import type { AutosaveStore } from './autosaveStore';
import { serializeError, type BackendInfo, type FromWorker } from './protocol';
import type { FoundDataset } from './runDataset';
import type { RunSession } from './runCheckpoints';

/** What the handler needs from its environment. */
export interface HandlerDeps {
  /** Posts a message; `transfer` lists ArrayBuffers handed over without a copy. */
  post: (msg: FromWorker, transfer?: Transferable[]) => void;
  initBackend: (preferred: BackendName, onGpuFault: (message: string) => void) => Promise<BackendInfo>;
  makeDataset: (config: RunConfig, onProgress: (fraction: number) => void) => Dataset | Promise<Dataset>;
  makeTrainer: (config: RunConfig, dataset: Dataset, resumeFrom?: TrainerSnapshot) => Trainer;
  /** A stored set whose run Dataset (built with `config`) has `fingerprint`, or null; none → a
   * checkpoint of a set that is not in this browser is refused (runDataset.ts findByFingerprint). */
  findDataset?: (config: RunConfig, fingerprint: DatasetFingerprint, onProgress: (fraction: number) => void) => Promise<FoundDataset | null>;
  /** Where autosaves go; none → autosave is off and the UI is told so when it asks. */
  autosaves?: AutosaveStore;
  yieldToEvents?: () => Promise<void>;
}

/** A run's dataset with the cache key it was built for and its fingerprint. */
export interface CachedDataset {
  key: string;
  value: Dataset;
  fingerprint: DatasetFingerprint;
}

/** The worker's shared mutable state (one object, passed to every service). */
export interface WorkerState {
  backend: BackendInfo | null;
  /** The backend preference `backend` was started for. */
  backendPreference: BackendName | null;
  dataset: CachedDataset | null;
  /** The single run (running, paused or finished), or null. */
  session: RunSession | null;
  /** The session's loop while it runs (null once `run()` settles). */
  running: Promise<void> | null;
  /** A run is being started or a checkpoint loaded. */
  isPreparing: boolean;
}

export const createWorkerState = (): WorkerState => ({ backend: null, backendPreference: null, dataset: null, session: null, running: null, isPreparing: false });

const ACTIVE: readonly LoopState[] = ['running', 'paused'];
/** A single run is being prepared, or its loop is running or paused. */
export const isRunActive = (s: WorkerState) => s.isPreparing || (s.session !== null && ACTIVE.includes(s.session.loop.state) && s.running !== null);

/** The hint an error brings along (a UserError's, or dataset errors saying which setting to change)
 * when it has one, else `fallback`. */
export const hintOf = (e: unknown, fallback: string): string => (e instanceof Error && 'hint' in e && typeof e.hint === 'string' && e.hint !== '' ? e.hint : fallback);

/** What the twin-run guards of the single run say. */
export const TWIN_HINT = 'Stop the twin run first (Twin run panel); its curves stay in that panel.';

/** The two error replies: `fail` (fatal) and `warn` (the run goes on). */
export interface Replies {
  fail: (e: unknown, hint: string, id?: number) => void;
  warn: (e: unknown, hint: string, id?: number) => void;
}

/** The replies; a UserError's own hint (what to do about this very error) wins over the caller's
 * general one, and its message is what the UI shows (the UI never shows a stack). */
export function createReplies(post: HandlerDeps['post']): Replies {
  const hintFor = (e: unknown, hint: string): string => (isUserError(e) ? hintOf(e, hint) : hint);
  return {
    fail: (e, hint, id) => post({ type: 'error', id, error: serializeError(e), isFatal: true, hint: hintFor(e, hint) }),
    warn: (e, hint, id) => post({ type: 'error', id, error: serializeError(e), isFatal: false, hint: hintFor(e, hint) }),
  };
}
