/**
 * Everything a CLI run needs before its first step, as the worker prepares a run: the backend, the
 * dataset (the built-in set, regenerated from the config exactly as the browser does), its
 * fingerprint (a checkpoint of other data is refused with the reason), and the trainer — new, or
 * continuing a checkpoint's exact state.
 * Must not import: worker/, ui/, gpu/ (backend.ts brings gpu/register).
 */
import type { LoadedCheckpoint } from '../core/checkpoint/checkpointFile';
import { storedDatasetId, type RunConfig } from '../core/config/runConfig';
import { generateBuiltinDataset } from '../core/data/builtinDataset';
import { fingerprintDataset, fingerprintMismatch, type DatasetFingerprint } from '../core/data/fingerprint';
import type { Dataset } from '../core/data/types';
import { StateMismatchError } from '../core/train/hostTensor';
import { createTrainer, type Trainer } from '../core/train/trainer';
import { describeBackend, initCliBackend, type BackendPreference, type CliBackend } from './backend';
import { CliError } from './cliError';
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

/** The CLI has the built-in dataset only; a checkpoint of an imported set is refused up front. */
export function checkDatasetAvailable(config: RunConfig, source: string): void {
  const id = storedDatasetId(config.dataset);
  if (id !== null) {
    throw new CliError(`${source} was trained on "${config.dataset}", a dataset imported into a browser; the CLI has only the built-in dataset.`, 'Continue this run in the browser that imported the dataset.');
  }
}

/** The run's dataset: the built-in set for the config (the same bytes the browser generates). */
function makeDataset(config: RunConfig, out: CliOutput): Dataset {
  // A terminal shows a live bar; a log gets one line when the set is ready.
  const bar = out.progress({ label: `built-in dataset (${config.numTrainImages} + ${config.numTestImages} images)`, total: 100, lineEvery: 100 });
  const dataset = generateBuiltinDataset({ seed: config.datasetSeed, numTrain: config.numTrainImages, numTest: config.numTestImages }, (f) => bar?.update(Math.round(100 * f)));
  bar?.finish();
  return dataset;
}

/**
 * Backend → dataset → fingerprint check (resume) → trainer. `onGpuFault` hears of GPU faults later.
 * Throws CliError when the checkpoint's data or tensors do not fit.
 */
export async function prepareRun(
  out: CliOutput,
  opts: { config: RunConfig; backend: BackendPreference; checkpoint: CheckpointFile | null; onGpuFault: (message: string) => void },
): Promise<PreparedRun> {
  const { config, checkpoint } = opts;
  checkDatasetAvailable(config, checkpoint ? checkpoint.path : 'This run');
  const backend = await initCliBackend(opts.backend, { isVerbose: out.isVerbose, onGpuFault: opts.onGpuFault });
  out.info(describeBackend(backend));
  const dataset = makeDataset(config, out);
  const fingerprint = fingerprintDataset(dataset);
  if (checkpoint) {
    const mismatch = fingerprintMismatch(checkpoint.record.dataset, fingerprint);
    if (mismatch) {
      throw new CliError(`${checkpoint.path} does not fit the data: ${mismatch}`, 'The CLI regenerates the built-in dataset from the checkpoint\'s settings; a checkpoint of other data resumes only in the app that holds that data.');
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
