/**
 * Checkpoints of the worker's current run: build the file bytes (between steps), the autosave entry,
 * and the guard that never autosaves broken weights (a NaN that has not been logged yet would
 * otherwise overwrite the last good autosave).
 * Must not import: ui/, React, DOM.
 */
import { checkpointFileName, encodeCheckpoint } from '../core/checkpoint/checkpointFile';
import { exportBackboneLayersModel } from '../core/checkpoint/layersModelExport';
import type { RunConfig } from '../core/config/runConfig';
import type { DatasetFingerprint } from '../core/data/fingerprint';
import type { RunLoop } from '../core/train/runLoop';
import type { Trainer } from '../core/train/trainer';
import type { TrainerSnapshot } from '../core/train/trainerState';
import { APP_VERSION } from '../core/version';
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

/** Names of model tensors holding NaN or ±Infinity. */
export function nonFiniteTensors(snapshot: TrainerSnapshot): string[] {
  const bad: string[] = [];
  for (const [name, t] of snapshot.model) if (!t.data.every(Number.isFinite)) bad.push(name);
  return bad;
}

/** Snapshot + record → file bytes. Call inside loop.betweenSteps. */
export async function buildCheckpoint(s: RunSession, onProgress?: (fraction: number) => void): Promise<{ bytes: Uint8Array; step: number; name: string; snapshot: TrainerSnapshot }> {
  const snapshot = await s.trainer.snapshot();
  const bytes = encodeCheckpoint(
    {
      appVersion: APP_VERSION,
      createdAt: new Date().toISOString(),
      config: s.config,
      probeRng: s.loop.probeRngState(),
      dataset: s.dataset,
      history: s.loop.history,
      backend: s.backendName,
    },
    snapshot,
    onProgress ? (done, total) => onProgress(done / total) : undefined,
  );
  return { bytes, step: snapshot.progress.step, name: checkpointFileName({ config: s.config }, snapshot.progress.step), snapshot };
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
  const out = exportBackboneLayersModel(snapshot.model, s.config, { weightsFileName: `${base}.weights.bin`, modelName: base });
  const json = new TextEncoder().encode(JSON.stringify(out.modelJson));
  return {
    step,
    files: [
      { name: `${base}.json`, bytes: exactBuffer(json), mimeType: 'application/json' },
      { name: out.weightsFileName, bytes: out.weightData, mimeType: 'application/octet-stream' },
    ],
  };
}
