/**
 * The UI's commands to the dataset worker. A context carries the client (created once in
 * main.tsx, outside React); the hooks record each request in the store so the panel shows the
 * import's progress and disables what must wait.
 * Must not import: tfjs, recharts, zustand.
 */
import { createContext, useContext, useEffect, useMemo } from 'react';
import type { DatasetRef } from '../../core/config/runConfig';
import type { DatasetCommands } from '../../worker/datasetClient';
import { describeSource, type ImportFile } from '../../worker/datasetProtocol';
import { datasetChoices, type DatasetChoice } from '../store/datasetSelectors';
import { useAppStore, useAppStoreApi } from '../store/useAppStore';

/** Provides the dataset-worker client (`<DatasetClientContext.Provider value={client}>`). */
export const DatasetClientContext = createContext<DatasetCommands | null>(null);

/** Dataset commands bound to the store. */
export interface DatasetUiCommands {
  /** Imports files at the current config's image size. No-op while another import runs. */
  importFiles(files: ImportFile[]): void;
  /** Deletes a stored set. */
  remove(datasetId: string): void;
  /** Lists the stored sets again. */
  refresh(): void;
}

/** Commands that talk to the dataset worker and note the request in the store. */
export function useDatasetCommands(): DatasetUiCommands {
  const client = useContext(DatasetClientContext);
  const store = useAppStoreApi();
  if (!client) throw new Error('useDatasetCommands must be used inside <DatasetClientContext.Provider>.');
  return useMemo<DatasetUiCommands>(() => ({
    importFiles: (files) => {
      const s = store.getState();
      if (s.datasetImport) return;
      // Ask the browser to keep this site's storage (stored sets, autosaves) under disk pressure; it decides
      // silently (Chrome) or asks the user (Firefox). Requested on the user's import, where it is expected.
      void navigator.storage?.persist?.().catch(() => false);
      const id = client.importFiles(files, s.config.imageSize);
      store.getState().beginDatasetImport(id, files.length > 0 ? describeSource(files) : 'no files');
    },
    remove: (datasetId) => {
      client.remove(datasetId);
      store.getState().noteDatasetDelete(datasetId);
    },
    refresh: () => { client.list(); },
  }), [client, store]);
}

/** Lists the stored sets once when the page opens (StrictMode's second effect run is harmless:
 * a second list answers with the same sets). */
export function useStoredDatasetsOnMount(): void {
  const commands = useDatasetCommands();
  useEffect(() => commands.refresh(), [commands]);
}

/** The choices of a dataset select: built-in, every stored set, and `current` if it is missing. */
export function useDatasetChoices(current: DatasetRef): DatasetChoice[] {
  const list = useAppStore((s) => s.storedDatasets);
  return useMemo(() => datasetChoices(current, list), [current, list]);
}
