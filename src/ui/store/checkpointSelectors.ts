/**
 * Derived checkpoint state: which export/import actions are possible now and, when not, why
 * (the reason is shown beside the disabled button). Also the autosave the page offers to resume.
 * Must not import: React, zustand, recharts, tfjs.
 */
import type { AutosaveInfo } from '../../worker/autosaveStore';
import type { AppState } from './storeTypes';
import { ACTIVE_STATES } from './workerReducer';

export interface CheckpointControls {
  canExport: boolean;
  /** Why export is disabled, or null. */
  exportBlockedReason: string | null;
  /** The tfjs backbone export needs a ResNet; why it is disabled (beyond exportBlockedReason), or null. */
  backboneExportBlockedReason: string | null;
  canImport: boolean;
  importBlockedReason: string | null;
}

type Needs = Pick<AppState, 'runState' | 'pending' | 'isWorkerAlive' | 'runConfig'>;

/** What the checkpoint buttons may do. */
export function selectCheckpointControls(s: Needs): CheckpointControls {
  const isActive = ACTIVE_STATES.includes(s.runState);
  let exportBlockedReason: string | null = null;
  if (!s.isWorkerAlive) exportBlockedReason = 'The training worker is not running; reload the page (the last autosave is offered then).';
  else if (s.runConfig === null || s.runState === 'idle') exportBlockedReason = 'Start a run or import a checkpoint first.';
  else if (s.runState === 'preparing') exportBlockedReason = 'The run is being prepared.';
  else if (s.runState === 'failed') exportBlockedReason = 'The run failed (its weights may be broken); export the last autosave instead by resuming it.';
  else if (s.pending) exportBlockedReason = 'Waiting for the worker to answer…';
  let importBlockedReason: string | null = null;
  if (!s.isWorkerAlive) importBlockedReason = 'The training worker is not running; reload the page.';
  else if (isActive) importBlockedReason = 'Stop the current run to load a checkpoint (export it first to keep it).';
  else if (s.pending) importBlockedReason = 'Waiting for the worker to answer…';
  const backboneExportBlockedReason = s.runConfig?.backbone === 'vit' ? 'The tfjs export supports the ResNet backbones; export the checkpoint instead (its ViT weights load in PyTorch under timm names).' : null;
  return { canExport: exportBlockedReason === null, exportBlockedReason, backboneExportBlockedReason, canImport: importBlockedReason === null, importBlockedReason };
}

/** The autosave offered for resuming after a reload: the newest one, when no run is going on. */
export function selectAutosaveOffer(s: Pick<AppState, 'autosaves' | 'isAutosaveOfferDismissed' | 'runState'>): AutosaveInfo | null {
  if (s.isAutosaveOfferDismissed || s.runState !== 'idle') return null;
  return s.autosaves[0] ?? null;
}

/** "3 min ago"-style age of an ISO time, relative to `nowMs`. */
export function formatAge(iso: string, nowMs: number): string {
  const sec = Math.max(0, Math.round((nowMs - Date.parse(iso)) / 1000));
  if (!Number.isFinite(sec)) return 'at an unknown time';
  if (sec < 60) return `${sec} s ago`;
  if (sec < 3600) return `${Math.round(sec / 60)} min ago`;
  if (sec < 86400) return `${Math.round(sec / 3600)} h ago`;
  return `${Math.round(sec / 86400)} days ago`;
}
