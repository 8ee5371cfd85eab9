/**
 * `resume CHECKPOINT`: continues a run exactly (weights, optimizer state, data order, view and probe
 * streams, metric history) from a checkpoint written by the CLI or the browser, after checking that
 * the dataset (regenerated, or built again from its --data files) has the checkpoint's fingerprint. Saves back to the checkpoint unless --out.
 * Must not import: worker/, ui/, gpu/.
 */
import { choiceOption, hasFlag, intOption, type ParsedArgs } from '../args';
import { BACKEND_PREFERENCES } from '../backend';
import { checkOutputFile, readCheckpoint } from '../checkpointIo';
import type { CliOutput } from '../output';
import { checkDataOption } from '../runSetup';
import { runTraining } from '../trainingRun';
import { checkViewLogPath } from '../viewLogFile';
import { targetStepOf } from './targetStep';

/** Runs `resume`; returns the exit code. */
export async function resumeCommand(args: ParsedArgs, out: CliOutput): Promise<number> {
  const path = args.positionals[0]!;
  const loaded = readCheckpoint(path);
  for (const note of loaded.notes) out.info(note);
  const { config } = loaded.record;
  const dataPaths = args.lists.get('data') ?? [];
  checkDataOption(config, path, loaded.record.dataset.name, dataPaths);
  const targetStep = targetStepOf(args, out, config, loaded.record.progress.step);
  const outPath = args.values.get('out') ?? path;
  checkOutputFile(outPath, { force: hasFlag(args, 'force'), replaceable: path });
  const logViewsPath = args.values.get('log-views') ?? null;
  if (logViewsPath !== null) checkViewLogPath(logViewsPath, hasFlag(args, 'force'));
  return runTraining(out, {
    config,
    checkpoint: { ...loaded, path },
    dataPaths,
    targetStep,
    outPath,
    logViewsPath,
    saveEvery: intOption(args, 'save-every', 0, 1_000_000, config.autosaveEvery),
    backend: choiceOption(args, 'backend', BACKEND_PREFERENCES, 'auto')!,
  });
}
