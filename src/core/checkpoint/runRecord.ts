/**
 * Files of a live run, shared by the browser worker and the Node CLI: the checkpoint (snapshot +
 * record → `.safetensors` bytes), the guard that finds broken weights before they overwrite a good
 * save, and the backbone as tfjs LayersModel files. Pure: the caller decides where the bytes go
 * (postMessage, IndexedDB, the file system).
 * Must not import: tfjs runtime, DOM, gpu/, worker/, ui/, cli/.
 */
import type { RunConfig } from '../config/runConfig';
import type { DatasetFingerprint } from '../data/fingerprint';
import { CIFAR10_NORMALIZATION } from '../data/normalization';
import type { RunLoop } from '../run/runLoop';
import type { Trainer } from '../train/trainer';
import type { TrainerSnapshot } from '../state/trainerState';
import { APP_VERSION } from '../version';
import { checkpointFileName, encodeCheckpoint } from './checkpointFile';
import { exportBackboneLayersModel } from './layersModelExport';
import { utf8Encode } from './utf8';

/** What a checkpoint of a live run is built from (the worker's RunSession and the CLI's run both fit). */
export interface RunCheckpointSource {
  config: RunConfig;
  trainer: Pick<Trainer, 'snapshot'>;
  loop: Pick<RunLoop, 'probeRngState' | 'history'>;
  dataset: DatasetFingerprint;
  /** Backend the run trains on ('webgpu', 'cpu', …), recorded for information. */
  backendName: string;
}

/** A built checkpoint: the file bytes, its step, a default file name, and the snapshot it holds. */
export interface BuiltCheckpoint {
  bytes: Uint8Array;
  step: number;
  name: string;
  snapshot: TrainerSnapshot;
}

/** Snapshot + record → file bytes. Call between steps (inside loop.betweenSteps, or after the loop ended). */
export async function buildRunCheckpoint(s: RunCheckpointSource, onProgress?: (fraction: number) => void): Promise<BuiltCheckpoint> {
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

/** Names of model tensors holding NaN or ±Infinity (such weights must not replace a good save). */
export function nonFiniteTensors(snapshot: Pick<TrainerSnapshot, 'model'>): string[] {
  const bad: string[] = [];
  for (const [name, t] of snapshot.model) if (!t.data.every(Number.isFinite)) bad.push(name);
  return bad;
}

/** One file of an export. */
export interface ExportFile {
  name: string;
  bytes: Uint8Array;
  mimeType: string;
}

/**
 * The backbone of a snapshot as a tfjs LayersModel: `<base>.json` (topology + weights manifest, the
 * run's normalisation in its metadata) and `<base>.weights.bin`, loadable with tf.loadLayersModel.
 * Throws StateMismatchError when the model is not the backbone `config` describes.
 */
export function backboneLayersModelFiles(snapshot: Pick<TrainerSnapshot, 'model' | 'normalization'>, config: RunConfig, base: string): ExportFile[] {
  const norm = snapshot.normalization ?? CIFAR10_NORMALIZATION;
  const out = exportBackboneLayersModel(snapshot.model, config, norm, { weightsFileName: `${base}.weights.bin`, modelName: base });
  return [
    { name: `${base}.json`, bytes: utf8Encode(JSON.stringify(out.modelJson)), mimeType: 'application/json' },
    { name: out.weightsFileName, bytes: new Uint8Array(out.weightData), mimeType: 'application/octet-stream' },
  ];
}
