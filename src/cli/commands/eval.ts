/**
 * `eval CHECKPOINT`: the evaluations the run recorded in its history (kNN, online linear probe and
 * collapse health at every knnEvery steps), then weighted kNN top-1 of the checkpoint's backbone
 * on the held-out split of its (regenerated) dataset, with the checkpoint's kNN settings (k,
 * temperature, bank size); the same evaluation the browser's kNN chart shows.
 * Must not import: worker/, ui/, gpu/.
 */
import { evaluateKnn } from '../../core/eval/evaluate';
import { choiceOption, type ParsedArgs } from '../args';
import { BACKEND_PREFERENCES } from '../backend';
import { CliError, EXIT_OK } from '../cliError';
import { readCheckpoint } from '../checkpointIo';
import { evaluationRows, evaluationTable } from '../evaluationRecords';
import type { CliOutput } from '../output';
import { prepareRun } from '../runSetup';

/** Runs `eval`; returns the exit code. */
export async function evalCommand(args: ParsedArgs, out: CliOutput): Promise<number> {
  const path = args.positionals[0]!;
  const loaded = readCheckpoint(path);
  const { config } = loaded.record;
  const run = await prepareRun(out, {
    config,
    backend: choiceOption(args, 'backend', BACKEND_PREFERENCES, 'auto')!,
    checkpoint: { ...loaded, path },
    dataPaths: args.lists.get('data') ?? [],
    onGpuFault: (message) => out.warn(message),
  });
  try {
    if (!run.dataset.train.labels || !run.dataset.test.labels) throw new CliError(`The dataset of ${path} has no labels, so kNN accuracy cannot be measured.`, 'Evaluate a checkpoint of a labelled dataset.');
    const numBank = Math.min(config.numKnnBankImages, run.dataset.train.numImages);
    out.info(`Evaluating step ${run.trainer.step}: kNN (k = ${config.knnK}, T = ${config.knnTemperature}) of ${run.dataset.test.numImages} held-out images against a bank of ${numBank} training images…`);
    const knn = await evaluateKnn(run.trainer);
    const text = `kNN top-1 ${(100 * knn.top1).toFixed(2)} % at step ${knn.step} (k = ${config.knnK}, bank ${knn.numBank}, ${knn.numQueries} held-out images, ${run.backend.name})`;
    const history = evaluationRows(loaded.record.history);
    const recorded = ['Evaluations recorded during training:', ...evaluationTable(history).map((l) => `  ${l}`), 'Now:'].join('\n');
    out.result(`${recorded}\n${text}`, { type: 'eval', step: knn.step, top1: knn.top1, k: config.knnK, temperature: config.knnTemperature, numBank: knn.numBank, numQueries: knn.numQueries, backend: run.backend.name, history });
    return EXIT_OK;
  } finally {
    run.trainer.dispose();
  }
}
