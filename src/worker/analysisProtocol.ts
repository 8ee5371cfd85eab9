/**
 * Analysis-worker protocol: closed discriminated unions for both directions between the page and
 * `analysis.worker.ts` ("Why are hard views hard?": read a view-log file, fit what drives the loss,
 * fit whether the choice can be predicted, write the log as CSV / JSON Lines), plus its version and
 * the file-size limit the page checks before reading. Every request carries an `id`; it gets exactly
 * one answer with that id: its result, or `error`.
 * Pure (no Worker globals), so the page imports it too (through analysisClient.ts).
 * Must not import: tfjs, DOM, React (type-only imports from core are fine).
 */
import type { ChoicePredictabilityResult } from '../core/analysis/choicePredictability';
import type { ImportanceMethod, LossDriversResult } from '../core/analysis/lossDrivers';
import type { ViewLogRow } from '../core/analysis/viewLogRow';
import type { SerializedError } from './protocol';

export type { ChoicePredictabilityResult } from '../core/analysis/choicePredictability';
export type { ImportanceMethod, LossDriversResult } from '../core/analysis/lossDrivers';
export type { ViewLogRow } from '../core/analysis/viewLogRow';

export const ANALYSIS_PROTOCOL_VERSION = 1;

/** Largest view-log file the page reads (checked on `file.size` before reading, and again in the worker). */
export const MAX_VIEW_LOG_FILE_BYTES = 256 * 1024 * 1024;

/** The rows an analysis runs on: rows sent along (the live run's window), or the file loaded before. */
export type AnalysisSource =
  | { kind: 'rows'; rows: readonly ViewLogRow[] }
  /** `fileId` of the `parsed` answer; the worker keeps only the newest loaded file. */
  | { kind: 'file'; fileId: number };

/** What a loaded view-log file holds. */
export interface ViewLogSummary {
  /** Names the file in later requests (AnalysisSource 'file'). */
  fileId: number;
  name: string;
  format: 'csv' | 'jsonl';
  numRows: number;
  /** Distinct selection steps (runs of equal `step`). */
  numSteps: number;
  /** Selection groups: runs of equal (step, image). */
  numGroups: number;
  firstStep: number;
  lastStep: number;
  /** Smallest and largest num_candidates of a row. */
  minCandidates: number;
  maxCandidates: number;
}

/** A loss-driver feature with the paper's label and its Fig. 8 share (SimSiam, CIFAR-10). */
export interface PaperFeature {
  name: string;
  label: string;
  paperShare: number;
}

/** Which forest the loss drivers used (the page names it). */
export interface ForestSettings {
  numTrees: number;
  maxDepth: number;
  /** Bootstrap size as a fraction of the rows (below 1 on big logs, to bound the fit's time). */
  sampleFraction: number;
}

/** Messages from the page to the analysis worker. */
export type ToAnalysisWorker =
  /** Read a view-log file (a File / Blob crosses without copying; text or bytes work too). */
  | { type: 'parseFile'; id: number; name: string; data: Blob | ArrayBuffer | string }
  | { type: 'lossDrivers'; id: number; source: AnalysisSource; method: ImportanceMethod }
  | { type: 'choice'; id: number; source: AnalysisSource }
  | { type: 'export'; id: number; source: AnalysisSource; format: 'csv' | 'jsonl' };

/** Messages from the analysis worker to the page. */
export type FromAnalysisWorker =
  | { type: 'ready'; protocolVersion: number }
  | { type: 'parsed'; id: number; summary: ViewLogSummary }
  | { type: 'lossDrivers'; id: number; result: LossDriversResult; features: PaperFeature[]; forest: ForestSettings }
  | { type: 'choice'; id: number; result: ChoicePredictabilityResult }
  | { type: 'exported'; id: number; format: 'csv' | 'jsonl'; text: string; numRows: number }
  /** A request failed: `error.message` says what, `hint` what to do. `id` null: not tied to a request. */
  | { type: 'error'; id: number | null; error: SerializedError; hint: string };
