/**
 * Checkpoints of the single run: export the checkpoint or the backbone (between steps; the run goes
 * on), and load a checkpoint (a file or an autosave) as a paused run. A checkpoint that cannot be
 * loaded leaves the current run untouched. A checkpoint of a stored set that is not in this browser
 * (a run trained by the CLI or PyTorch on the same files) is matched by content with
 * `deps.findDataset`; the run then names the stored set found, and `loaded.notes` says so.
 * No checkpoint is loaded while a run or a twin run is active.
 * Must not import: ui/, DOM.
 */
import { decodeCheckpoint, type LoadedCheckpoint } from '../core/checkpoint/checkpointFile';
import { CheckpointFormatError } from '../core/checkpoint/checkpointFormatError';
import { storedDatasetId, type RunConfig } from '../core/config/runConfig';
import { fingerprintMismatch } from '../core/data/fingerprint';
import type { Trainer } from '../core/train/trainer';
import { CheckpointDatasetMissingError, findCheckpointDataset } from './checkpointDataset';
import { DatasetNotFoundError } from './datasetCache';
import type { BackendInfo, CheckpointSource } from './protocol';
import { buildBackboneExport, buildCheckpoint, exactBuffer, newRunId } from './runCheckpoints';
import type { RunResources } from './runResources';
import type { RunSessionService } from './runSession';
import type { TwinRunner } from './twinRun';
import { hintOf, isRunActive, TWIN_HINT, type CachedDataset, type HandlerDeps, type Replies, type WorkerState } from './workerState';

export interface CheckpointService {
  exportCheckpoint(id: number): Promise<void>;
  exportBackbone(id: number): Promise<void>;
  loadCheckpoint(id: number, source: CheckpointSource, maxSteps?: number): Promise<void>;
}

export function createCheckpointService(state: WorkerState, deps: HandlerDeps, { fail, warn }: Replies, resources: RunResources, run: RunSessionService, twin: Pick<TwinRunner, 'isActive'>): CheckpointService {
  const { post } = deps;

  async function exportCheckpoint(id: number): Promise<void> {
    const s = state.session;
    if (!s) return fail(new Error('Nothing to export: no run has been started or loaded.'), 'Start a run (or load a checkpoint) first.', id);
    post({ type: 'ack', id });
    const stage = 'Exporting the checkpoint';
    post({ type: 'progress', stage, fraction: 0 });
    try {
      const { bytes, step, name } = await s.loop.betweenSteps(() => buildCheckpoint(s, (f) => post({ type: 'progress', stage, fraction: Math.min(0.99, f) })));
      const buffer = exactBuffer(bytes);
      post({ type: 'exported', id, kind: 'checkpoint', step, files: [{ name, bytes: buffer, mimeType: 'application/octet-stream' }] }, [buffer]);
    } catch (e) {
      warn(e, 'The export failed; the run is unaffected. Try again, or pause the run first.', id);
    } finally {
      post({ type: 'progress', stage, fraction: 1 });
    }
  }

  async function exportBackbone(id: number): Promise<void> {
    const s = state.session;
    if (!s) return fail(new Error('Nothing to export: no run has been started or loaded.'), 'Start a run (or load a checkpoint) first.', id);
    post({ type: 'ack', id });
    try {
      const { step, files } = await s.loop.betweenSteps(() => buildBackboneExport(s));
      post({ type: 'exported', id, kind: 'backbone', step, files }, files.map((f) => f.bytes));
    } catch (e) {
      warn(e, hintOf(e, 'The export failed; the run is unaffected.'), id); // e.g. UnsupportedExportError (ViT): "export the checkpoint instead"
    }
  }

  async function readSource(source: CheckpointSource): Promise<{ bytes: Uint8Array; name: string }> {
    if (source.kind === 'file') return { bytes: new Uint8Array(source.bytes), name: source.name };
    if (!deps.autosaves) throw new Error('Autosaves are not available in this browser.');
    const bytes = await deps.autosaves.get(source.runId);
    if (!bytes) throw new Error(`The autosave "${source.runId}" no longer exists (it may have been replaced by a newer run's autosave).`);
    return { bytes, name: `autosave of ${source.runId}` };
  }

  /**
   * The dataset of a checkpoint's config: its stored set, or — when that id is not in this browser —
   * the stored set whose images give the checkpoint's fingerprint, with the config naming it and a
   * note saying so. Throws CheckpointDatasetMissingError naming what to import.
   */
  async function checkpointDataset(loaded: LoadedCheckpoint, name: string): Promise<{ config: RunConfig; ds: CachedDataset; notes: string[] }> {
    const { config, dataset: saved } = loaded.record;
    try {
      return { config, ds: await resources.ensureDataset(config), notes: loaded.notes };
    } catch (e) {
      const oldId = storedDatasetId(config.dataset);
      if (!(e instanceof DatasetNotFoundError) || oldId === null) throw e;
    }
    const stage = 'Looking for the checkpoint\'s dataset among the stored sets';
    post({ type: 'progress', stage, fraction: 0 });
    const found = await findCheckpointDataset({ config, saved, name, findDataset: deps.findDataset, onProgress: (f) => post({ type: 'progress', stage, fraction: f }) })
      .finally(() => post({ type: 'progress', stage, fraction: 1 }));
    return { config: found.config, ds: resources.adoptDataset(found.config, found.dataset), notes: [...loaded.notes, found.note] };
  }

  async function loadCheckpoint(id: number, source: CheckpointSource, maxSteps?: number): Promise<void> {
    if (twin.isActive) return warn(new Error('A twin run is in progress, so no checkpoint was loaded.'), TWIN_HINT, id);
    if (isRunActive(state)) return warn(new Error('A run is in progress, so no checkpoint was loaded; the run is untouched.'), 'Stop the current run first, then load the checkpoint.', id);
    state.isPreparing = true;
    let loaded: LoadedCheckpoint;
    let trainer: Trainer;
    let ds: CachedDataset;
    let config: RunConfig;
    let notes: string[];
    let info: BackendInfo;
    let name = source.kind === 'file' ? source.name : 'autosave';
    // Each stage says what is happening (the CheckpointPanel shows stages naming the checkpoint).
    const stage = (what: string, fraction: number) => post({ type: 'progress', stage: `Loading the checkpoint: ${what}`, fraction });
    try {
      stage('reading and checking the file', 0.05);
      const read = await readSource(source);
      name = read.name;
      loaded = decodeCheckpoint(read.bytes, name);
      stage('starting the compute backend', 0.2);
      info = await resources.ensureBackend(loaded.record.config.backend);
      stage('preparing its dataset', 0.3);
      ({ config, ds, notes } = await checkpointDataset(loaded, name));
      const mismatch = fingerprintMismatch(loaded.record.dataset, ds.fingerprint);
      if (mismatch) throw new Error(mismatch);
      stage('building the model and optimizer', 0.8);
      trainer = deps.makeTrainer(config, ds.value, loaded.snapshot);
    } catch (e) {
      stage('failed', 1);
      // A file error already says what to do (checkpointFormatError.ts); the hint only adds that nothing changed.
      const hint = e instanceof CheckpointDatasetMissingError ? e.hint
        : e instanceof CheckpointFormatError ? `${name} was not loaded; nothing was changed.`
          : `${name} was not loaded; nothing was changed. Choose a checkpoint exported by HVP Playground for this dataset.`;
      return warn(e, hint, id);
    } finally {
      state.isPreparing = false;
    }
    stage('done', 1);
    post({ type: 'ack', id });
    post({ type: 'loaded', id, config, step: loaded.record.progress.step, history: loaded.record.history, notes, sourceName: name });
    const runId = source.kind === 'autosave' ? source.runId : newRunId();
    await run.runSession({ runId, config, trainer, dataset: ds.fingerprint, backendName: info.name }, { maxSteps, loaded });
  }

  return { exportCheckpoint, exportBackbone, loadCheckpoint };
}
