/**
 * The checkpoint slice: autosaves in this browser, files waiting to be downloaded (an export's
 * answer), and what the last loaded checkpoint was. `reduceCheckpointMessage` turns the worker's
 * `exported` / `loaded` / `autosaves` messages into state; a loaded checkpoint also replaces the
 * config and the metric histories with the checkpoint's own.
 * Must not import: React, zustand, recharts, tfjs.
 */
import type { RunConfig } from '../../core/config/runConfig';
import type { KnnMetrics, StepMetrics } from '../../core/train/metrics';
import type { AutosaveInfo } from '../../worker/autosaveStore';
import type { ExportedFile, FromWorker } from '../../worker/protocol';
import { appendCapped, emptyHistory, type CappedHistory } from './history';

/** Files of one export, waiting for the page to hand them to the browser's download. */
export interface PendingDownload {
  seq: number;
  kind: 'checkpoint' | 'backbone';
  step: number;
  files: ExportedFile[];
}

export interface CheckpointSlice {
  /** Autosaves in this browser, newest first (from the worker). */
  autosaves: AutosaveInfo[];
  /** Whether the user dismissed the "resume the autosaved run?" offer of this page load. */
  isAutosaveOfferDismissed: boolean;
  downloads: PendingDownload[];
  /** The last export handed to the browser (shown as a note). */
  lastExport: { kind: 'checkpoint' | 'backbone'; step: number; names: string[] } | null;
  /** The last checkpoint loaded, with the reader's notes (e.g. settings filled with defaults). */
  loadedCheckpoint: { name: string; step: number; notes: string[] } | null;
  nextDownloadSeq: number;
}

export interface CheckpointActions {
  dismissAutosaveOffer(): void;
  /** Removes a download from the queue once the page started it. */
  takeDownload(seq: number): void;
}

export const initialCheckpointSlice = (): CheckpointSlice => ({
  autosaves: [],
  isAutosaveOfferDismissed: false,
  downloads: [],
  lastExport: null,
  loadedCheckpoint: null,
  nextDownloadSeq: 1,
});

/** The state a checkpoint message changes; also config and metrics for `loaded`. */
export interface LoadedRunChanges {
  config: RunConfig;
  runConfig: RunConfig;
  maxSteps: null;
  step: number;
  steps: CappedHistory<StepMetrics>;
  latestMetrics: StepMetrics | null;
  knn: CappedHistory<KnnMetrics>;
  probe: null;
  drafts: Record<string, never>;
  fieldIssues: Record<string, never>;
}

type CheckpointMessage = Extract<FromWorker, { type: 'exported' | 'loaded' | 'autosaves' }>;

/** The fields a checkpoint message changes. */
export function reduceCheckpointMessage(s: CheckpointSlice, msg: CheckpointMessage, historyCap: number): Partial<CheckpointSlice & LoadedRunChanges> {
  switch (msg.type) {
    case 'autosaves':
      return { autosaves: msg.entries };
    case 'exported':
      return {
        downloads: [...s.downloads, { seq: s.nextDownloadSeq, kind: msg.kind, step: msg.step, files: msg.files }],
        nextDownloadSeq: s.nextDownloadSeq + 1,
        lastExport: { kind: msg.kind, step: msg.step, names: msg.files.map((f) => f.name) },
      };
    case 'loaded': {
      let steps = emptyHistory<StepMetrics>();
      for (const m of msg.history.metrics) steps = appendCapped(steps, m, historyCap);
      let knn = emptyHistory<KnnMetrics>();
      for (const k of msg.history.knn) knn = appendCapped(knn, k, historyCap);
      return {
        config: { ...msg.config },
        runConfig: { ...msg.config },
        maxSteps: null,
        step: msg.step,
        steps,
        latestMetrics: msg.history.metrics.at(-1) ?? null,
        knn,
        probe: null,
        drafts: {},
        fieldIssues: {},
        loadedCheckpoint: { name: msg.sourceName, step: msg.step, notes: msg.notes },
        isAutosaveOfferDismissed: true,
      };
    }
  }
}
