/**
 * Dataset-worker protocol: closed discriminated unions for both directions between the page and
 * `dataset.worker.ts` (import files, list stored sets, delete one), plus its version.
 * Requests carry an `id`; every answer and progress event echoes it.
 * Pure (no Worker globals), so the page imports it too.
 * Must not import: tfjs, DOM, React (type-only imports from core/worker are fine).
 */
import type { SkippedFile } from '../core/data/formats/types';
import type { StoredDatasetMeta } from './datasetCache';
import type { SerializedError } from './protocol';

export type { StoredDatasetMeta } from './datasetCache';
export type { SkippedFile } from '../core/data/formats/types';
/** For the page, which imports only this file of the dataset worker's (STYLE.md layer rules). */
export { formatBytes } from './formatBytes';

export const DATASET_PROTOCOL_VERSION = 1;

/** One file the user gave: its relative path ("pets/cat/001.png" or "data_batch_1.bin") and
 * its contents (a File from an input or a drop; any Blob in tests). Blobs cross to the worker
 * without copying their bytes. */
export interface ImportFile {
  path: string;
  file: Blob;
}

/** Browser storage use and quota in bytes. */
export interface StorageEstimate {
  usage: number;
  quota: number;
}

/** Messages from the page to the dataset worker. */
export type ToDatasetWorker =
  | { type: 'import'; id: number; files: ImportFile[]; imageSize: number }
  | { type: 'list'; id: number }
  | { type: 'delete'; id: number; datasetId: string };

/** Messages from the dataset worker to the page. */
export type FromDatasetWorker =
  | { type: 'ready'; protocolVersion: number }
  | { type: 'progress'; id: number; stage: string; fraction: number }
  /** A finished import. `isDuplicate`: the files hold exactly a stored set's content, so nothing
   * was stored and `meta` is that set. `renamedFrom`: the name the import wanted, when a set with
   * other content already had it (`meta.name` is then e.g. "toys (2)"); else null. */
  | { type: 'imported'; id: number; meta: StoredDatasetMeta; skipped: SkippedFile[]; warnings: string[]; elapsedMs: number; isDuplicate: boolean; renamedFrom: string | null }
  | { type: 'importFailed'; id: number; error: SerializedError; hint: string; skipped: SkippedFile[] }
  | { type: 'datasets'; id: number | null; datasets: StoredDatasetMeta[]; storage: StorageEstimate | null }
  | { type: 'deleted'; id: number; datasetId: string; existed: boolean }
  | { type: 'error'; id: number | null; error: SerializedError; hint: string };

/** "pets/ (1,204 files)", "cifar-10-binary.tar.gz" or "3 files: a.bin, b.bin, c.bin". */
export function describeSource(files: readonly { path: string }[]): string {
  if (files.length === 1) return files[0]!.path;
  const tops = new Set(files.map((f) => (f.path.includes('/') ? f.path.split('/')[0]! : '')));
  if (tops.size === 1 && !tops.has('')) return `${[...tops][0]}/ (${files.length.toLocaleString('en-US')} files)`;
  const names = files.slice(0, 3).map((f) => f.path).join(', ');
  return `${files.length.toLocaleString('en-US')} files: ${names}${files.length > 3 ? ', …' : ''}`;
}
