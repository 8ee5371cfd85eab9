/**
 * AutosaveList: the runs autosaved in this browser (newest first) with Resume and Delete, and how
 * often the current settings autosave. Deleting asks for confirmation: an autosave may be the only
 * copy of a run.
 * Must not import: zustand, recharts, tfjs.
 */
import type { AutosaveInfo } from '../../../worker/autosaveStore';
import { formatAge } from '../../store/checkpointSelectors';
import styles from './CheckpointPanel.module.css';

export interface AutosaveListProps {
  entries: AutosaveInfo[];
  canLoad: boolean;
  autosaveEvery: number;
  onLoad(runId: string): void;
  onDelete(runId: string): void;
}

const mb = (n: number) => `${(n / 2 ** 20).toFixed(n < 2 ** 20 ? 2 : 1)} MB`;

/** The autosave rows. */
export function AutosaveList({ entries, canLoad, autosaveEvery, onLoad, onDelete }: AutosaveListProps) {
  return (
    <div className={styles.autosaves} data-testid="autosave-list">
      <h3 className={styles.sub}>Autosaves in this browser</h3>
      <p className={styles.note}>
        {autosaveEvery > 0 ? `Runs are saved every ${autosaveEvery} steps and on pause or stop; a reload loses at most ${autosaveEvery} steps.` : 'Autosave is off (Autosave every k steps = 0).'}
      </p>
      {entries.length === 0 ? <p className={styles.note}>None yet.</p> : null}
      <ul className={styles.list}>
        {entries.map((e) => (
          <li key={e.runId} className={styles.item} data-testid="autosave-item" data-step={e.step}>
            <span className={styles.itemText}>
              <strong>step {e.step}</strong> of {e.totalSteps} · {e.method} · HVP {e.hvpMode} · {e.datasetName}
              <span className={styles.meta}> · {formatAge(e.savedAt, Date.now())} · {mb(e.byteLength)}</span>
            </span>
            <span className={styles.itemButtons}>
              <button type="button" data-testid="btn-load-autosave" disabled={!canLoad} onClick={() => onLoad(e.runId)}>Resume</button>
              <button type="button" data-testid="btn-delete-autosave" onClick={() => {
                if (window.confirm(`Delete the autosave of this run at step ${e.step}? It cannot be undone.`)) onDelete(e.runId);
              }}>Delete</button>
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
