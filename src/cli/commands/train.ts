/**
 * `train`: a new run from the defaults + --config + --set (validated through the schema), to
 * --steps or totalSteps, saved to --out at the end, every --save-every steps, and on Ctrl-C.
 * Must not import: worker/, ui/, gpu/.
 */
import { choiceOption, hasFlag, intOption, type ParsedArgs } from '../args';
import { BACKEND_PREFERENCES } from '../backend';
import { checkOutputFile } from '../checkpointIo';
import { UsageError } from '../cliError';
import { buildRunConfig, parseSets, readConfigFile } from '../configInput';
import type { CliOutput } from '../output';
import { runTraining } from '../trainingRun';
import { checkViewLogPath } from '../viewLogFile';
import { targetStepOf } from './targetStep';

/** Default checkpoint name of a new run. */
export const defaultTrainOut = (c: { method: string; hvpMode: string; seed: number }) => `hvp-${c.method}-${c.hvpMode}-seed${c.seed}.safetensors`;

/** Runs `train`; returns the exit code. */
export async function trainCommand(args: ParsedArgs, out: CliOutput): Promise<number> {
  const configPath = args.values.get('config');
  const file = configPath === undefined ? null : { path: configPath, values: readConfigFile(configPath) };
  const sets = parseSets(args.lists.get('set') ?? []);
  const dataPaths = args.lists.get('data') ?? [];
  if (dataPaths.length > 0 && 'dataset' in sets) {
    throw new UsageError(`--set dataset=${String(sets.dataset)} and --data both name the run's data.`, 'Drop --set dataset: a run on --data files is named after their fingerprint (stored:files-<hash>).');
  }
  const config = buildRunConfig(file, sets);
  const targetStep = targetStepOf(args, out, config, 0);
  const outPath = args.values.get('out') ?? defaultTrainOut(config);
  checkOutputFile(outPath, { force: hasFlag(args, 'force') });
  const logViewsPath = args.values.get('log-views') ?? null;
  if (logViewsPath !== null) checkViewLogPath(logViewsPath, hasFlag(args, 'force'));
  return runTraining(out, {
    config,
    checkpoint: null,
    dataPaths,
    targetStep,
    outPath,
    logViewsPath,
    saveEvery: intOption(args, 'save-every', 0, 1_000_000, config.autosaveEvery),
    backend: choiceOption(args, 'backend', BACKEND_PREFERENCES, 'auto')!,
  });
}
