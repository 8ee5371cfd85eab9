/**
 * DatasetPanel: bring your own images. Import (files, folder, drop) with a progress bar, the
 * report of the last import (skipped files and why, or the error naming the file), and the list
 * of datasets stored in this browser to pick for the next run or delete. Decoding runs in the
 * dataset worker; a failed import leaves the stored sets, the selection and any run untouched.
 * Must not import: zustand, recharts, tfjs.
 */
import { useDatasetCommands, useStoredDatasetsOnMount } from '../../hooks/useDatasets';
import { findStoredDataset } from '../../store/datasetSelectors';
import { selectCanEditConfig } from '../../store/selectors';
import { useAppStore, useAppStoreApi, useAppStoreShallow } from '../../store/useAppStore';
import { ACTIVE_STATES } from '../../store/workerReducer';
import { DatasetList } from './DatasetList';
import { ImportBox } from './ImportBox';
import { ImportReport } from './ImportReport';
import { formatBytes } from './datasetText';
import styles from './DatasetPanel.module.css';

/** The datasets card. */
export function DatasetPanel() {
  useStoredDatasetsOnMount();
  const store = useAppStoreApi();
  const commands = useDatasetCommands();
  const datasets = useAppStore((s) => s.storedDatasets);
  const progress = useAppStore((s) => s.datasetImport);
  const report = useAppStore((s) => s.datasetReport);
  const storage = useAppStore((s) => s.storage);
  const listError = useAppStore((s) => s.datasetListError);
  const deletingIds = useAppStore((s) => s.deletingDatasetIds);
  const canSelect = useAppStore(selectCanEditConfig);
  const cfg = useAppStoreShallow((s) => ({
    dataset: s.config.dataset, imageSize: s.config.imageSize, numTrainImages: s.config.numTrainImages, numTestImages: s.config.numTestImages,
  }));
  const inUse = useAppStore((s) => (ACTIVE_STATES.includes(s.runState) && s.runConfig ? s.runConfig.dataset : null));
  const selectedMeta = findStoredDataset(cfg.dataset, datasets);

  return (
    <section className={styles.panel} data-testid="dataset-panel" aria-label="Datasets">
      <header className={styles.head}>
        <h2 className={styles.title}>Datasets</h2>
        {storage ? (
          <span className={styles.usage} title="Browser storage of this site (IndexedDB), used and available">
            {formatBytes(storage.usage)} of {formatBytes(storage.quota)} used
          </span>
        ) : null}
      </header>
      <p className={styles.private}>Your images never leave this browser: they are decoded here and kept in its storage.</p>

      <ImportBox progress={progress} imageSize={cfg.imageSize} onImport={commands.importFiles} />
      {report ? <ImportReport report={report} onDismiss={() => store.getState().dismissDatasetReport()} /> : null}
      {listError ? <p className={styles.reportError} role="alert" data-testid="dataset-list-error">{listError}</p> : null}

      <DatasetList
        datasets={datasets}
        selected={cfg.dataset}
        inUse={inUse}
        canSelect={canSelect}
        deletingIds={deletingIds}
        onSelect={(ref) => store.getState().setField('dataset', ref)}
        onDelete={commands.remove}
      />
      {selectedMeta ? (
        <p className={styles.note} data-testid="dataset-usage-note">
          Runs use up to {cfg.numTrainImages.toLocaleString('en-US')} training and {cfg.numTestImages.toLocaleString('en-US')} held-out
          images of “{selectedMeta.name}” (Settings → Data → advanced). {selectedMeta.numSourceTest > 0
            ? 'Held-out images come from the source’s own test split.'
            : 'The held-out split is drawn from the dataset seed.'}
          {selectedMeta.imageSize !== cfg.imageSize
            ? ` Stored at ${selectedMeta.imageSize}×${selectedMeta.imageSize}; views are rendered at ${cfg.imageSize}×${cfg.imageSize} from it.`
            : ''}
        </p>
      ) : null}
      {!canSelect ? <p className={styles.note}>The dataset is locked while a run is active.</p> : null}
    </section>
  );
}
