/**
 * The dataset slice of the app store: the stored sets the dataset worker lists, the import in
 * progress (stage + fraction), and the report of the last import (what was imported, what was
 * skipped and why, or why it failed). Dataset-worker messages enter only through
 * `applyDatasetMessage`; a successful import selects the new set unless a run holds the config —
 * and so does an import of files already stored, which selects that set (`isDuplicate`).
 * A failed import changes nothing but the report: the selected dataset and the runs stay as they are.
 * Must not import: React, recharts, tfjs; zustand only through appStore.ts.
 */
import { storedDatasetId, storedDatasetRef, type RunConfig } from '../../core/config/runConfig';
import type { FromDatasetWorker, SkippedFile, StorageEstimate, StoredDatasetMeta } from '../../worker/datasetProtocol';

/** What the panel shows after an import or a failed request. */
export type DatasetReport =
  | {
    kind: 'imported'; meta: StoredDatasetMeta; skipped: SkippedFile[]; warnings: string[]; elapsedMs: number; isSelected: boolean;
    /** The files held a stored set's content: nothing was stored, `meta` is that set. */
    isDuplicate: boolean;
    /** The name the set would have had, when another set already had it; else null. */
    renamedFrom: string | null;
  }
  | { kind: 'failed'; source: string; name: string; message: string; hint: string; skipped: SkippedFile[] }
  | { kind: 'error'; name: string; message: string; hint: string };

/** The import the dataset worker is working on. */
export interface DatasetImportProgress {
  requestId: number;
  /** What the user gave, e.g. "cifar-10-binary.tar.gz" or "pets/ (120 files)". */
  source: string;
  stage: string;
  fraction: number;
}

/** Dataset state. */
export interface DatasetSlice {
  /** Stored sets, newest first; null until the dataset worker has listed them. */
  storedDatasets: StoredDatasetMeta[] | null;
  storage: StorageEstimate | null;
  /** Why the stored sets could not be listed (storage blocked…), or null. */
  datasetListError: string | null;
  datasetImport: DatasetImportProgress | null;
  datasetReport: DatasetReport | null;
  /** Ids of stored sets whose delete is under way. */
  deletingDatasetIds: string[];
}

/** Dataset actions. */
export interface DatasetActions {
  /** The only way dataset-worker messages enter the store. */
  applyDatasetMessage(msg: FromDatasetWorker): void;
  /** Called right after the UI sent an import request. */
  beginDatasetImport(requestId: number, source: string): void;
  /** Called right after the UI sent a delete request. */
  noteDatasetDelete(datasetId: string): void;
  dismissDatasetReport(): void;
}

/** The slice's initial state. */
export function initialDatasetSlice(): DatasetSlice {
  return { storedDatasets: null, storage: null, datasetListError: null, datasetImport: null, datasetReport: null, deletingDatasetIds: [] };
}

/** What the reducer needs besides the slice: the config (to select or unselect a set) and
 * whether a run holds it. */
export interface DatasetReducerContext {
  config: RunConfig;
  isConfigLocked: boolean;
}

/** The fields of the slice (and `config`) that `msg` changes. Pure. */
export function reduceDatasetMessage(
  s: DatasetSlice, ctx: DatasetReducerContext, msg: FromDatasetWorker,
): Partial<DatasetSlice> & { config?: RunConfig } {
  switch (msg.type) {
    case 'ready':
      return {};
    case 'progress':
      if (!s.datasetImport || s.datasetImport.requestId !== msg.id) return {};
      return { datasetImport: { ...s.datasetImport, stage: msg.stage, fraction: Math.min(1, Math.max(0, msg.fraction)) } };
    case 'imported': {
      const isSelected = !ctx.isConfigLocked;
      const list = s.storedDatasets ?? [];
      const isListed = list.some((d) => d.id === msg.meta.id);
      return {
        datasetImport: null,
        // A new set goes first (newest first); a duplicate keeps its place.
        storedDatasets: msg.isDuplicate && isListed ? list : [msg.meta, ...list.filter((d) => d.id !== msg.meta.id)],
        datasetReport: {
          kind: 'imported', meta: msg.meta, skipped: msg.skipped, warnings: msg.warnings, elapsedMs: msg.elapsedMs, isSelected,
          isDuplicate: msg.isDuplicate, renamedFrom: msg.renamedFrom,
        },
        ...(isSelected ? { config: { ...ctx.config, dataset: storedDatasetRef(msg.meta.id) } } : {}),
      };
    }
    case 'importFailed':
      return {
        datasetImport: null,
        datasetReport: {
          kind: 'failed', source: s.datasetImport?.source ?? 'the files', name: msg.error.name,
          message: msg.error.message, hint: msg.hint, skipped: msg.skipped,
        },
      };
    case 'datasets':
      return { storedDatasets: msg.datasets, storage: msg.storage, datasetListError: null };
    case 'deleted': {
      const changes: Partial<DatasetSlice> & { config?: RunConfig } = {
        deletingDatasetIds: s.deletingDatasetIds.filter((id) => id !== msg.datasetId),
        storedDatasets: s.storedDatasets?.filter((d) => d.id !== msg.datasetId) ?? null,
      };
      if (storedDatasetId(ctx.config.dataset) === msg.datasetId && !ctx.isConfigLocked) changes.config = { ...ctx.config, dataset: 'builtin' };
      if (s.datasetReport?.kind === 'imported' && s.datasetReport.meta.id === msg.datasetId) changes.datasetReport = null;
      return changes;
    }
    case 'error': {
      const changes: Partial<DatasetSlice> = {
        datasetReport: { kind: 'error', name: msg.error.name, message: msg.error.message, hint: msg.hint },
        deletingDatasetIds: [],
      };
      // A crash or a failed list: the import (if any) is gone, and the list may be unknown.
      if (msg.id === null || (s.datasetImport && s.datasetImport.requestId === msg.id)) changes.datasetImport = null;
      if (s.storedDatasets === null) changes.datasetListError = `${msg.error.message} ${msg.hint}`;
      return changes;
    }
    default: {
      const unknown = msg as { type?: unknown };
      return { datasetReport: { kind: 'error', name: 'ProtocolError', message: `Unknown message "${String(unknown.type)}" from the dataset worker.`, hint: 'Reload the page.' } };
    }
  }
}
