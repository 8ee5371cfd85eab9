/**
 * Derived values of the dataset slice: whether the selected dataset can be trained on (and why
 * not), what the dataset choices are called, and whether the run's data has labels (the kNN panel
 * says why it is hidden when it has none).
 * Must not import: React, zustand, recharts, tfjs.
 */
import { storedDatasetId, type DatasetRef } from '../../core/config/runConfig';
import type { StoredDatasetMeta } from '../../worker/datasetProtocol';
import type { DatasetSlice } from './datasetSlice';

/** Name of the built-in set as the UI shows it. */
export const BUILTIN_LABEL = 'shapes-10 (built-in)';

/** The stored set a reference points at, undefined when it is not (or not yet known to be) stored,
 * null for the built-in set. */
export function findStoredDataset(ref: DatasetRef, list: readonly StoredDatasetMeta[] | null): StoredDatasetMeta | undefined | null {
  const id = storedDatasetId(ref);
  if (id === null) return null;
  return list?.find((d) => d.id === id);
}

/** Why Start must wait for the dataset, or null when the selected dataset is available. */
export function selectDatasetBlockedReason(
  s: { config: { dataset: DatasetRef } } & Pick<DatasetSlice, 'storedDatasets' | 'datasetListError'>,
): string | null {
  const id = storedDatasetId(s.config.dataset);
  if (id === null) return null;
  if (s.storedDatasets === null) {
    return s.datasetListError ? `The selected dataset cannot be read: ${s.datasetListError}` : 'Reading the stored datasets…';
  }
  if (!s.storedDatasets.some((d) => d.id === id)) {
    return `The selected dataset (${s.config.dataset}) is not stored in this browser. Import it again or choose another dataset.`;
  }
  return null;
}

/** One entry of a dataset select. */
export interface DatasetChoice {
  value: DatasetRef;
  label: string;
}

/** The built-in set, every stored set, and the current value when it is missing from the list. */
export function datasetChoices(current: DatasetRef, list: readonly StoredDatasetMeta[] | null): DatasetChoice[] {
  const choices: DatasetChoice[] = [{ value: 'builtin', label: BUILTIN_LABEL }];
  for (const d of list ?? []) choices.push({ value: `stored:${d.id}`, label: `${d.name} (${d.numImages.toLocaleString('en-US')} images)` });
  if (!choices.some((c) => c.value === current)) {
    choices.push({ value: current, label: list === null ? `${current} (loading…)` : `${current} (not in this browser)` });
  }
  return choices;
}

/** Whether the run's dataset has labels kNN can use; `reason` says why not. */
export interface LabelInfo {
  hasUsableLabels: boolean;
  reason: string | null;
}

/** Label availability of a dataset reference: the built-in set is labelled; a stored set needs
 * labels and at least two classes (with one class every neighbour votes right). */
export function datasetLabelInfo(ref: DatasetRef, list: readonly StoredDatasetMeta[] | null): LabelInfo {
  const meta = findStoredDataset(ref, list);
  if (meta === null || meta === undefined) return { hasUsableLabels: true, reason: null };
  if (!meta.isLabelled) {
    return {
      hasUsableLabels: false,
      reason: `kNN accuracy is hidden: the dataset “${meta.name}” has no class labels (its images are not sorted into class sub-folders). kNN needs labelled held-out images; training itself does not need labels.`,
    };
  }
  if (meta.classNames.length < 2) {
    return {
      hasUsableLabels: false,
      reason: `kNN accuracy is hidden: the dataset “${meta.name}” has a single class (${meta.classNames[0] ?? '?'}), so every neighbour would vote right. Import at least two class folders to measure it.`,
    };
  }
  return { hasUsableLabels: true, reason: null };
}
