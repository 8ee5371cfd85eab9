/**
 * Chance level of the accuracy charts (kNN, linear probe): a classifier that guesses scores
 * 1 / (number of classes) top-1. The class count comes from the dataset the run uses: the
 * built-in shapes set has 10 classes, a stored set as many as its class folders.
 * Must not import: React, zustand, recharts, tfjs.
 */
import type { DatasetRef } from '../../../core/config/runConfig';
import type { StoredDatasetMeta } from '../../../worker/datasetProtocol';
import type { ReferenceSpec } from '../../charts/SeriesChart/SeriesChart';
import { findStoredDataset } from '../../store/datasetSelectors';

/** Classes of the built-in set (core/data/builtinShapes.ts NUM_SHAPE_CLASSES, which ui/ may not
 * import as a value; knnChance.test.ts checks they agree). */
export const BUILTIN_NUM_CLASSES = 10;

/** Classes of the run's dataset, or null while unknown (stored set not listed yet) or unlabelled. */
export function numDatasetClasses(ref: DatasetRef, list: readonly StoredDatasetMeta[] | null): number | null {
  const meta = findStoredDataset(ref, list);
  if (meta === null) return BUILTIN_NUM_CLASSES;
  if (meta === undefined || !meta.isLabelled || meta.classNames.length < 2) return null;
  return meta.classNames.length;
}

/** The dashed chance line of a top-1 chart in percent, or none without a class count. */
export function chanceReferences(numClasses: number | null): ReferenceSpec[] {
  if (numClasses === null || numClasses < 2) return [];
  const y = 100 / numClasses;
  return [{ y, label: `chance 1/${numClasses} = ${Number(y.toFixed(1))} %`, color: '#5a6472' }];
}
