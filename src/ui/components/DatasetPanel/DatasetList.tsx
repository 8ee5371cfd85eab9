/**
 * DatasetList: the built-in set and every set stored in this browser, one row each with its
 * summary (count, classes, size) and normalisation statistics, a radio to use it for the next run
 * and a two-step Delete.
 * The set an active run trains on cannot be deleted; nothing can be selected while a run is active.
 * Must not import: zustand, recharts, tfjs.
 */
import { useState } from 'react';
import { storedDatasetRef, type DatasetRef } from '../../../core/config/runConfig';
import type { StoredDatasetMeta } from '../../../worker/datasetProtocol';
import { BUILTIN_LABEL } from '../../store/datasetSelectors';
import { BUILTIN_NORMALIZATION_TEXT, describeDatasetNormalization, summarizeDataset } from './datasetText';
import styles from './DatasetPanel.module.css';

/** Props of DatasetList. */
export interface DatasetListProps {
  datasets: StoredDatasetMeta[] | null;
  selected: DatasetRef;
  /** The dataset of the active run, or null when no run is active. */
  inUse: DatasetRef | null;
  canSelect: boolean;
  deletingIds: readonly string[];
  onSelect: (ref: DatasetRef) => void;
  onDelete: (id: string) => void;
}

/** Rows of datasets with select and delete. */
export function DatasetList({ datasets, selected, inUse, canSelect, deletingIds, onSelect, onDelete }: DatasetListProps) {
  const [confirmId, setConfirmId] = useState<string | null>(null);

  const row = (ref: DatasetRef, title: string, summary: string, meta: StoredDatasetMeta | null) => {
    const isSelected = ref === selected;
    const isDeleting = meta !== null && deletingIds.includes(meta.id);
    return (
      <li key={ref} className={`${styles.row} ${isSelected ? styles.selected : ''}`} data-testid="dataset-row"
        data-ref={ref} data-selected={isSelected} data-count={meta?.numImages ?? ''} data-classes={meta ? meta.classNames.length : 10}>
        <label className={styles.rowMain}>
          <input type="radio" name="dataset-choice" checked={isSelected} disabled={!canSelect || isDeleting}
            onChange={() => onSelect(ref)} data-testid="dataset-use" />
          <span>
            <span className={styles.rowName} data-testid="dataset-name">{title}</span>
            <span className={styles.rowSummary} data-testid="dataset-summary">{summary}</span>
            <span className={styles.rowSummary} data-testid="dataset-normalization">
              {meta ? describeDatasetNormalization(meta.normalization) : BUILTIN_NORMALIZATION_TEXT}
            </span>
          </span>
        </label>
        {meta ? (
          confirmId === meta.id ? (
            <span className={styles.confirm}>
              Delete?{' '}
              <button type="button" className={styles.danger} data-testid="dataset-delete-confirm"
                onClick={() => { setConfirmId(null); onDelete(meta.id); }}>Yes</button>
              <button type="button" onClick={() => setConfirmId(null)}>No</button>
            </span>
          ) : (
            <button type="button" className={styles.deleteButton} data-testid="dataset-delete" disabled={isDeleting || inUse === ref}
              title={inUse === ref ? 'The active run trains on this dataset; stop it first.' : `Delete “${meta.name}” from this browser`}
              onClick={() => setConfirmId(meta.id)}>
              {isDeleting ? 'Deleting…' : 'Delete'}
            </button>
          )
        ) : null}
      </li>
    );
  };

  return (
    <ul className={styles.list} data-testid="dataset-list" aria-label="Datasets">
      {row('builtin', BUILTIN_LABEL, 'procedural shapes, 10 classes, 32×32, generated from the dataset seed', null)}
      {datasets === null ? <li className={styles.note}>Reading the stored datasets…</li> : null}
      {(datasets ?? []).map((m) => row(storedDatasetRef(m.id), m.name, summarizeDataset(m), m))}
    </ul>
  );
}
