/**
 * Checkpoints of the worker's current run: build the file bytes (between steps), the autosave entry,
 * and the guard that never autosaves broken weights (a NaN that has not been logged yet would
 * otherwise overwrite the last good autosave).
 * Must not import: ui/, React, DOM.
 */
import { backboneLayersModelFiles, buildRunCheckpoint, type BuiltCheckpoint } from '../core/checkpoint/runRecord';
import type { RunConfig } from '../core/config/runConfig';
import type { DatasetFingerprint } from '../core/data/fingerprint';
import type { RunLoop } from '../core/run/runLoop';
import type { Trainer } from '../core/train/trainer';
import type { AutosaveInfo } from './autosaveStore';
import type { ExportedFile } from './protocol';

/** The run the worker holds. */
export interface RunSession {
  runId: string;
  config: RunConfig;
  trainer: Trainer;
  loop: RunLoop;
  dataset: DatasetFingerprint;
  backendName: string;
}

/** A new run id: time + randomness (not the run's seeded streams). */
export function newRunId(): string {
  return `run-${Date.now().toString(36)}-${Math.floor(Math.random() * 2 ** 32).toString(36)}`;
}

export { nonFiniteTensors } from '../core/checkpoint/runRecord';

/** Snapshot + record → file bytes (core/checkpoint/runRecord.ts, shared with the CLI). Call inside loop.betweenSteps. */
export function buildCheckpoint(s: RunSession, onProgress?: (fraction: number) => void): Promise<BuiltCheckpoint> {
  return buildRunCheckpoint(s, onProgress);
}

/** The autosave entry of a checkpoint. */
export function autosaveInfo(s: RunSession, step: number, byteLength: number): AutosaveInfo {
  return {
    runId: s.runId,
    step,
    totalSteps: s.config.totalSteps,
    savedAt: new Date().toISOString(),
    method: s.config.method,
    hvpMode: s.config.hvpMode,
    datasetName: s.dataset.name,
    byteLength,
  };
}

/** An ArrayBuffer holding exactly `bytes` (the backing buffer when it fits, else a copy), for transfer. */
export function exactBuffer(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) return bytes.buffer;
  return bytes.slice().buffer as ArrayBuffer;
}

/** The backbone as a tfjs LayersModel: `<base>.json` (topology + manifest) and `<base>.weights.bin`. Call inside loop.betweenSteps. */
export async function buildBackboneExport(s: RunSession): Promise<{ step: number; files: ExportedFile[] }> {
  const snapshot = await s.trainer.snapshot();
  const step = snapshot.progress.step;
  const base = `hvp-${s.config.method}-backbone-step${step}`;
  const files = backboneLayersModelFiles(snapshot, s.config, base);
  return { step, files: files.map((f) => ({ name: f.name, bytes: exactBuffer(f.bytes), mimeType: f.mimeType })) };
}
