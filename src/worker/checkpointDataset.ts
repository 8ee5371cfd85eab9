/**
 * A checkpoint's stored set when its id is not in this browser (a run trained by the CLI, PyTorch or
 * another browser on the same files): the stored set whose images give the checkpoint's
 * fingerprint (runDataset.ts findByFingerprint), the config naming that set and a note saying so —
 * or an error naming the set and what to import.
 * Must not import: ui/, DOM, tfjs.
 */
import { UserError } from '../core/userError';
import { storedDatasetRef, type RunConfig } from '../core/config/runConfig';
import type { DatasetFingerprint } from '../core/data/fingerprint';
import type { Dataset } from '../core/data/types';
import type { FoundDataset } from './runDataset';

/** A checkpoint's stored set is not in this browser and no stored set has its images. */
export class CheckpointDatasetMissingError extends UserError {
  override name = 'CheckpointDatasetMissingError';
}

const describeFingerprint = (f: DatasetFingerprint) => `"${f.name}" (${f.numTrain} training + ${f.numTest} held-out images of ${f.height}×${f.width}, fingerprint ${f.hash})`;

/**
 * The stored set with the images of checkpoint `name` (`config`, fingerprint `saved`), found by
 * `findDataset` (none → nothing is found). Throws CheckpointDatasetMissingError naming what to import.
 */
export async function findCheckpointDataset(opts: {
  config: RunConfig;
  saved: DatasetFingerprint;
  name: string;
  findDataset?: (config: RunConfig, fingerprint: DatasetFingerprint, onProgress: (fraction: number) => void) => Promise<FoundDataset | null>;
  onProgress: (fraction: number) => void;
}): Promise<{ config: RunConfig; dataset: Dataset; note: string }> {
  const { config, saved } = opts;
  const found = opts.findDataset ? await opts.findDataset(config, saved, opts.onProgress) : null;
  if (!found) {
    throw new CheckpointDatasetMissingError(
      `${opts.name} was trained on the imported dataset ${describeFingerprint(saved)}, stored as "${config.dataset}", which is not in this browser; no stored set of ${saved.height}×${saved.width} images gives that fingerprint.`,
      `Import the files the run was trained on (the “${saved.name}” files, e.g. the same .tar.gz, IDX files, folder or .zip) in the Datasets panel at view size ${saved.height}, then load the checkpoint again.`);
  }
  const next: RunConfig = { ...config, dataset: storedDatasetRef(found.meta.id) };
  const note = `The run's dataset "${config.dataset}" is not in this browser; the stored set “${found.meta.name}” (${found.meta.source}) has the same images (fingerprint ${saved.hash}), so the run now uses "${next.dataset}".`;
  return { config: next, dataset: found.dataset, note };
}
