/**
 * Everything a CLI run needs before its first step, as the worker prepares a run: the backend, the
 * dataset (the built-in set, regenerated from the config exactly as the browser does, or an imported
 * set built from its files with `--data`, dataFiles.ts), its fingerprint (a checkpoint of other data
 * is refused with the reason), and the trainer — new, or continuing a checkpoint's exact state.
 * Dataset references: a run on imported data is `stored:<id>`; a resume keeps the checkpoint's
 * (the browser finds its set by that id) and its dataset name; a new `train --data` run gets
 * `stored:files-<fingerprint hash>`.
 * Must not import: worker/, ui/, gpu/ (backend.ts brings gpu/register).
 */
import type { LoadedCheckpoint } from '../core/checkpoint/checkpointFile';
import { storedDatasetId, storedDatasetRef, type RunConfig } from '../core/config/runConfig';
import { generateBuiltinDataset } from '../core/data/builtinDataset';
import { fingerprintDataset, fingerprintMismatch, type DatasetFingerprint } from '../core/data/fingerprint';
import type { Dataset } from '../core/data/types';
import { StateMismatchError } from '../core/state/hostTensor';
import { createTrainer, type Trainer } from '../core/train/trainer';
import { describeBackend, initCliBackend, type BackendPreference, type CliBackend } from './backend';
import { CliError, UsageError } from './cliError';
import { importDataFiles } from './dataFiles';
import type { CliOutput } from './output';

/** A checkpoint read from disk, with the path it came from. */
export type CheckpointFile = LoadedCheckpoint & { path: string };

/** A run ready to step. */
export interface PreparedRun {
  config: RunConfig;
  backend: CliBackend;
  dataset: Dataset;
  fingerprint: DatasetFingerprint;
  trainer: Trainer;
}

/**
 * Whether the run's data can be had: a checkpoint of an imported set needs `--data`, a built-in one
 * takes none. Checked before anything slow happens.
 */
export function checkDataOption(config: RunConfig, source: string, datasetName: string, dataPaths: readonly string[]): void {
  const isStored = storedDatasetId(config.dataset) !== null;
  if (isStored && dataPaths.length === 0) {
    throw new CliError(`${source} was trained on the imported dataset "${datasetName}"; the CLI builds it again from its files.`, `Pass --data with the files the set was imported from, e.g. --data ${datasetName}.tar.gz (same files, same settings → the same images).`);
  }
  if (!isStored && dataPaths.length > 0) {
    throw new UsageError(`${source} was trained on the built-in dataset, so --data has nothing to replace.`, 'Drop --data to continue it, or start a new run with `train --data …`.');
  }
}

/** The run's dataset and the config that names it (a new run on --data files gets its reference). */
async function makeDataset(config: RunConfig, out: CliOutput, checkpoint: CheckpointFile | null, dataPaths: readonly string[]): Promise<{ config: RunConfig; dataset: Dataset }> {
  if (dataPaths.length > 0) {
    // A resume decodes at the size the set was imported at (record.dataset.height), not the view size.
    const { dataset } = await importDataFiles(dataPaths, config, out, checkpoint?.record.dataset.name, checkpoint?.record.dataset.height);
    if (checkpoint) return { config, dataset };
    return { config: { ...config, dataset: storedDatasetRef(`files-${fingerprintDataset(dataset).hash}`) }, dataset };
  }
  // A terminal shows a live bar; a log gets one line when the set is ready.
  const bar = out.progress({ label: `built-in dataset (${config.numTrainImages} + ${config.numTestImages} images)`, total: 100, lineEvery: 100 });
  const dataset = generateBuiltinDataset({ seed: config.datasetSeed, numTrain: config.numTrainImages, numTest: config.numTestImages }, (f) => bar?.update(Math.round(100 * f)));
  bar?.finish();
  return { config, dataset };
}

/**
 * Backend → dataset → fingerprint check (resume) → trainer. `onGpuFault` hears of GPU faults later.
 * Throws CliError when the checkpoint's data or tensors do not fit.
 */
export async function prepareRun(
  out: CliOutput,
  opts: { config: RunConfig; backend: BackendPreference; checkpoint: CheckpointFile | null; dataPaths?: readonly string[]; onGpuFault: (message: string) => void },
): Promise<PreparedRun> {
  const { checkpoint } = opts;
  const dataPaths = opts.dataPaths ?? [];
  if (checkpoint) checkDataOption(opts.config, checkpoint.path, checkpoint.record.dataset.name, dataPaths);
  const backend = await initCliBackend(opts.backend, { isVerbose: out.isVerbose, onGpuFault: opts.onGpuFault });
  out.info(describeBackend(backend));
  const { config, dataset } = await makeDataset(opts.config, out, checkpoint, dataPaths);
  const fingerprint = fingerprintDataset(dataset);
  if (checkpoint) {
    const mismatch = fingerprintMismatch(checkpoint.record.dataset, fingerprint);
    if (mismatch) {
      throw new CliError(`${checkpoint.path} does not fit the data: ${mismatch}`, dataPaths.length ? 'Pass the files the set was imported from, with the same settings (datasetSeed and the image counts fix the split).' : 'The CLI regenerates the built-in dataset from the checkpoint\'s settings; check that the file was not edited.');
    }
  }
  try {
    const trainer = createTrainer(config, dataset, { ...backend.trainerOptions, resumeFrom: checkpoint?.snapshot });
    return { config, backend, dataset, fingerprint, trainer };
  } catch (e) {
    if (e instanceof StateMismatchError && checkpoint) throw new CliError(`${checkpoint.path} does not fit its own settings: ${e.message}`, 'The file was edited or damaged; export it again from the run that made it.');
    throw e;
  }
}
