/**
 * Worker protocol: closed discriminated unions for both directions, plus PROTOCOL_VERSION.
 * Requests carry an `id` that the worker echoes in `ack`/`error`; streamed events
 * (metrics, knn, probe, progress) are their own variants.
 * Must not import: tfjs (type-only imports from core are fine; core/config/valueText is pure), DOM, React.
 */
import type { BackendName, RunConfig } from '../core/config/runConfig';
import { describeValue, shortText } from '../core/config/valueText';
import type { EvaluationEvent, OfflineProbeResult } from '../core/eval/evaluationMetrics';
import type { StepExplanation } from '../core/explain/stepExplanation';
import type { KnnMetrics, ProbeSnapshot, StepMetrics } from '../core/train/metrics';
import type { ViewLogRow } from '../core/analysis/viewLogRow';
import type { RunHistory } from '../core/run/runHistory';
import type { TwinEvalRow, TwinState, TwinStepRow, TwinTiming } from '../core/run/twinRecords';
import type { AutosaveInfo } from './autosaveStore';

export const PROTOCOL_VERSION = 5;

/** `progress` stage of the offline linear probe (the UI shows it in the probe panel). */
export const OFFLINE_PROBE_STAGE = 'Training the linear probe';

/** Messages from the UI to the worker. */
export type ToWorker =
  | { type: 'init'; id: number; backend: BackendName }
  | { type: 'start'; id: number; config: RunConfig; maxSteps?: number }
  | { type: 'pause'; id: number }
  | { type: 'resume'; id: number }
  | { type: 'stop'; id: number }
  | { type: 'evaluate'; id: number }
  /** Train a fresh linear probe on the embedded train split (progress messages, then `offlineProbe`; the run goes on). */
  | { type: 'linearProbe'; id: number }
  /** Export the current run as a checkpoint file (between steps; the run goes on). */
  | { type: 'exportCheckpoint'; id: number }
  /** Export the backbone as a tfjs LayersModel (model.json + weights.bin). */
  | { type: 'exportBackbone'; id: number }
  /** Load a checkpoint (file bytes, transferred, or an autosave) as a paused run; refused while a run is active. */
  | { type: 'loadCheckpoint'; id: number; source: CheckpointSource; maxSteps?: number }
  | { type: 'listAutosaves'; id: number }
  /** Take the next training step explained (teaching mode); only while paused, the run stays paused at step + 1. */
  | { type: 'explainStep'; id: number }
  | { type: 'deleteAutosave'; id: number; runId: string }
  /** Twin run (worker/twinRun.ts): `config` trained with HVP off and on, alternately; refused while the single run is running. */
  | { type: 'twinStart'; id: number; config: RunConfig; maxSteps?: number }
  | { type: 'twinPause'; id: number }
  | { type: 'twinResume'; id: number }
  | { type: 'twinStop'; id: number };

/** Where a checkpoint to load comes from. */
export type CheckpointSource = { kind: 'file'; name: string; bytes: ArrayBuffer } | { kind: 'autosave'; runId: string };

/** A file the worker made for the user to download. */
export interface ExportedFile {
  name: string;
  bytes: ArrayBuffer;
  mimeType: string;
}

/** Where the run is. `preparing` = building dataset/model; `done` = reached totalSteps or maxSteps. */
export type RunState = 'idle' | 'preparing' | 'running' | 'paused' | 'stopped' | 'done' | 'failed';

/** What the worker runs on. */
export interface BackendInfo {
  name: BackendName;
  /** Human-readable adapter description (vendor, architecture, description), or '' when unknown. */
  adapter: string;
  /** Why a preferred backend was not used (e.g. "navigator.gpu is missing"), or null. */
  fallbackReason: string | null;
  /** True when the GPU is a software one (SwiftShader, llvmpipe…: WebGPU emulated on the CPU), where
   * wasm is several times faster; absent (false) on wasm and cpu. */
  isSoftware?: boolean;
}

/** An error as it crosses the worker boundary. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
}

/** Messages from the worker to the UI. */
export type FromWorker =
  | { type: 'ready'; protocolVersion: number }
  | { type: 'backend'; backend: BackendInfo }
  | { type: 'ack'; id: number }
  | { type: 'state'; state: RunState; step: number; message?: string }
  | { type: 'progress'; stage: string; fraction: number }
  | { type: 'metrics'; metrics: StepMetrics }
  | { type: 'knn'; knn: KnnMetrics }
  /** Online linear probe, collapse health and PCA map at an evaluation point. */
  | { type: 'evaluation'; evaluation: EvaluationEvent }
  /** Result of a `linearProbe` request. */
  | { type: 'offlineProbe'; id: number; result: OfflineProbeResult }
  | { type: 'probe'; probe: ProbeSnapshot }
  /** A read selection step's view-log rows (core/hvp/viewLog.ts), one per image × candidate; the UI keeps a rolling window. */
  | { type: 'viewLog'; rows: ViewLogRow[] }
  /** Result of an `explainStep` request: the four stages of the step just taken (its metrics come as usual). */
  | { type: 'explained'; id: number; explanation: StepExplanation }
  | { type: 'log'; level: 'info' | 'warn'; message: string }
  | { type: 'error'; id?: number; error: SerializedError; isFatal: boolean; hint: string }
  | { type: 'done'; step: number }
  /** Files of an export request (a checkpoint, or the backbone's model.json + weights). */
  | { type: 'exported'; id: number; kind: 'checkpoint' | 'backbone'; step: number; files: ExportedFile[] }
  /** A checkpoint was loaded: the run is paused at `step` with this config and history. */
  | { type: 'loaded'; id: number; config: RunConfig; step: number; history: RunHistory; notes: string[]; sourceName: string }
  /** The autosaves in this browser, newest first (after list, delete, and every autosave). */
  | { type: 'autosaves'; entries: AutosaveInfo[] }
  /** Where the twin run is; `targetStep` = the step both twins stop at. */
  | { type: 'twinState'; state: TwinState; step: number; targetStep: number; message?: string }
  /** Both twins' records at a logged step, and the step wall time summed so far. */
  | { type: 'twinMetrics'; row: TwinStepRow; timing: TwinTiming }
  /** Both twins' kNN and online linear probe after the same step. */
  | { type: 'twinEval'; row: TwinEvalRow };

/** Turns any thrown value into a SerializedError (never toString()). Never throws itself: a thrown
 * non-Error that JSON cannot write (a cycle, a BigInt, a 10^5-deep array) is named by its kind. */
export function serializeError(e: unknown): SerializedError {
  if (e instanceof Error) return { name: e.name, message: e.message, stack: e.stack };
  if (typeof e === 'string') return { name: 'Error', message: e };
  let text: string | undefined;
  try {
    text = JSON.stringify(e);
  } catch {
    text = undefined;
  }
  return { name: 'Error', message: text === undefined ? `A non-error value was thrown (${describeValue(e)}).` : shortText(text, MAX_THROWN_VALUE_CHARS) };
}

/** Most characters of a thrown non-Error value's JSON that an error message carries. */
const MAX_THROWN_VALUE_CHARS = 500;
