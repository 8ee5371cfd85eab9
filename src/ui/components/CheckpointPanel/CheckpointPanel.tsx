/**
 * CheckpointPanel: take a run away and bring it back. Export the run as one `.safetensors`
 * checkpoint (weights, optimizer state, generator states, history; loads in PyTorch) or the backbone
 * as a tfjs LayersModel; import a checkpoint (file picker or drop) as a paused run; and the list
 * of autosaves in this browser to resume or delete. Disabled buttons say why.
 * Must not import: zustand, recharts, tfjs.
 */
import { useEffect, useRef, useState, type DragEvent } from 'react';
import { useRunCommands } from '../../hooks/useTrainer';
import { selectCheckpointControls } from '../../store/checkpointSelectors';
import { useAppStore, useAppStoreShallow } from '../../store/useAppStore';
import { AutosaveList } from './AutosaveList';
import { useDownloads } from './useDownloads';
import styles from './CheckpointPanel.module.css';

/** Props of CheckpointPanel. */
export interface CheckpointPanelProps {
  /** Early stop from `?maxSteps=`, applied to loaded runs too; null for none. */
  maxSteps: number | null;
}

/** The checkpoints card. */
export function CheckpointPanel({ maxSteps }: CheckpointPanelProps) {
  const commands = useRunCommands();
  useDownloads();
  const c = useAppStoreShallow(selectCheckpointControls);
  const lastExport = useAppStore((s) => s.lastExport);
  const loaded = useAppStore((s) => s.loadedCheckpoint);
  const autosaves = useAppStore((s) => s.autosaves);
  const autosaveEvery = useAppStore((s) => (s.runConfig ?? s.config).autosaveEvery);
  const progress = useAppStore((s) => (s.progress && /checkpoint/i.test(s.progress.stage) ? s.progress : null));
  const [isOver, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const listed = useRef(false);

  useEffect(() => {
    if (listed.current) return;
    listed.current = true;
    commands.listAutosaves();
  }, [commands]);

  const onFiles = (files: FileList | null) => {
    const file = files?.[0];
    if (file && c.canImport) void commands.importCheckpoint(file, maxSteps);
    if (input.current) input.current.value = '';
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    onFiles(e.dataTransfer.files);
  };

  return (
    <section className={styles.panel} data-testid="checkpoint-panel" aria-label="Checkpoints">
      <h2 className={styles.title}>Checkpoints</h2>
      <div className={styles.row}>
        <button type="button" data-testid="btn-export-checkpoint" disabled={!c.canExport} onClick={commands.exportCheckpoint}
          title="Downloads the whole run as one .safetensors file: weights, optimizer state, data order, generator states and the charts' history. Import it here or in the CLI to continue exactly; its weights load in PyTorch.">
          Export checkpoint
        </button>
        <button type="button" data-testid="btn-export-backbone" disabled={!c.canExport || c.backboneExportBlockedReason !== null} onClick={commands.exportBackbone}
          title={c.backboneExportBlockedReason ?? 'Downloads the backbone as a TensorFlow.js LayersModel (model.json + weights.bin), for tf.loadLayersModel.'}>
          Export backbone (tfjs)
        </button>
      </div>
      {c.exportBlockedReason ? <p className={styles.note}>{c.exportBlockedReason}</p> : null}
      {!c.exportBlockedReason && c.backboneExportBlockedReason ? <p className={styles.note} data-testid="backbone-export-blocked">{c.backboneExportBlockedReason}</p> : null}
      {progress ? (
        <div className={styles.progress} data-testid="checkpoint-progress">
          <span>{progress.stage}…</span>
          <progress max={1} value={progress.fraction} />
        </div>
      ) : null}
      {lastExport ? (
        <p className={styles.note} data-testid="checkpoint-exported" role="status">
          Downloaded {lastExport.names.join(' and ')} (step {lastExport.step}).
        </p>
      ) : null}

      <div
        className={`${styles.drop} ${isOver ? styles.over : ''}`}
        onDragOver={(e) => { e.preventDefault(); setOver(true); }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <p className={styles.dropText}>Drop a <code>.safetensors</code> checkpoint here, or</p>
        <button type="button" data-testid="btn-import-checkpoint" disabled={!c.canImport} onClick={() => input.current?.click()}>
          Import checkpoint…
        </button>
        <input ref={input} type="file" accept=".safetensors,application/octet-stream" hidden data-testid="checkpoint-file-input"
          onChange={(e) => onFiles(e.currentTarget.files)} />
      </div>
      {c.importBlockedReason ? <p className={styles.note}>{c.importBlockedReason}</p> : null}
      {loaded ? (
        <p className={styles.note} data-testid="checkpoint-loaded">
          Loaded {loaded.name} at step {loaded.step}; press Resume to continue.
          {loaded.notes.map((n) => <span key={n} className={styles.notice}> {n}</span>)}
        </p>
      ) : null}

      <AutosaveList entries={autosaves} canLoad={c.canImport} autosaveEvery={autosaveEvery} onLoad={(runId) => commands.loadAutosave(runId, maxSteps)} onDelete={commands.deleteAutosave} />
    </section>
  );
}
