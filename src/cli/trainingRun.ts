/**
 * The training run behind `train` and `resume`: the core run loop (the same one the browser's
 * worker drives) with a progress bar, JSON-lines metrics, periodic atomic saves, and Ctrl-C handling
 * (finish the current step, save, exit 130; a second Ctrl-C quits without saving). Weights that hold
 * NaN or Infinity are never written over a good save. Every knnEvery steps the loop evaluates (kNN,
 * online linear probe, collapse health) into the run history, so every save carries the records.
 * Must not import: worker/, ui/, gpu/ (backend.ts brings gpu/register).
 */
import { resolve } from 'node:path';
import { buildRunCheckpoint, nonFiniteTensors } from '../core/checkpoint/runRecord';
import type { RunConfig } from '../core/config/runConfig';
import { createRunLoop, type RunEvent } from '../core/run/runLoop';
import type { BackendPreference } from './backend';
import { CliError, errorLine, EXIT_INTERRUPTED, EXIT_OK } from './cliError';
import { writeFileAtomic } from './checkpointIo';
import { describeBackbone } from './describeConfig';
import { evaluationLine } from './evaluationRecords';
import type { CliOutput } from './output';
import { prepareRun, type CheckpointFile } from './runSetup';
import { openViewLog, type ViewLogFile } from './viewLogFile';

/** What to train and where to save. */
export interface TrainingOptions {
  config: RunConfig;
  /** The checkpoint to continue, or null for a new run. */
  checkpoint: CheckpointFile | null;
  /** --data: the files of an imported set (none for the built-in set). */
  dataPaths?: readonly string[];
  /** Step to stop at (absolute, ≤ totalSteps). */
  targetStep: number;
  outPath: string;
  /** --log-views: the per-view augmentation log of every selection step (viewLogFile.ts), or null. */
  logViewsPath?: string | null;
  /** Save every this many steps as well (0 = only at the end). */
  saveEvery: number;
  backend: BackendPreference;
}

/** Signal hooks, injectable for tests. */
export interface SignalHooks {
  onInterrupt(handler: () => void): () => void;
  /** Leaves at once (second Ctrl-C). */
  exitNow(code: number): never;
}

const processSignals: SignalHooks = {
  onInterrupt(handler) {
    process.on('SIGINT', handler);
    return () => void process.off('SIGINT', handler);
  },
  exitNow: (code) => process.exit(code),
};

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const GPU_HINT = 'Try a smaller batch size, backbone width or view size, or --backend cpu (--verbose shows the details).';

/** Runs the training; returns the exit code (0 done, 130 interrupted and saved). Throws CliError when it fails. */
export async function runTraining(out: CliOutput, o: TrainingOptions, signals: SignalHooks = processSignals): Promise<number> {
  let fault: string | null = null;
  let stopLoop = () => {};
  const run = await prepareRun(out, {
    config: o.config,
    backend: o.backend,
    checkpoint: o.checkpoint,
    dataPaths: o.dataPaths,
    onGpuFault: (message) => {
      fault ??= message;
      stopLoop();
    },
  });
  const { trainer, config } = run;
  const startStep = trainer.step;
  out.info(o.checkpoint
    ? `Resuming ${o.checkpoint.path} at step ${startStep} of ${config.totalSteps}; training to step ${o.targetStep}.`
    : `Training ${config.method} (HVP ${config.hvpMode}${config.hvpMode === 'off' ? '' : config.hvpMode === 'iouPolicy' ? `, IoU bound ${config.iouPolicyStart} → ${config.iouPolicyEnd}` : `, N = ${config.numViews}`}) on ${run.fingerprint.name}: steps 0 → ${o.targetStep} of ${config.totalSteps}, batch ${config.batchSize}, ${config.imageSize}×${config.imageSize} views, ${describeBackbone(config)}.`);
  const bar = out.progress({ label: o.checkpoint ? 'resume' : 'train', total: o.targetStep, start: startStep, unit: 'step' });
  let lastKnn = '';
  const startedAt = performance.now();
  let lastLog = { at: startedAt, step: startStep };
  let fatal: { message: string; hint: string; error: unknown } | null = null;
  let lastSavedStep = o.checkpoint && resolve(o.outPath) === resolve(o.checkpoint.path) ? startStep : -1;

  let viewLog: ViewLogFile | null = null;
  try {
    viewLog = o.logViewsPath ? openViewLog(o.logViewsPath, true) : null; // the command checked the path (and --force)
  } catch (e) {
    trainer.dispose();
    throw e;
  }
  if (viewLog && config.hvpMode !== 'hard' && config.hvpMode !== 'easy') out.warn(`--log-views: HVP mode ${config.hvpMode} runs no selection step, so ${viewLog.path} gets its header only. Use hvpMode=hard (or easy) to log candidates.`);
  const emit = (e: RunEvent) => {
    switch (e.type) {
      case 'metrics': {
        // Wall-clock time per step between logs, GPU work and readback included.
        const t = performance.now();
        const wallMsPerStep = (t - lastLog.at) / Math.max(1, e.metrics.step - lastLog.step);
        lastLog = { at: t, step: e.metrics.step };
        out.event({ type: 'metrics', ...e.metrics, wallMsPerStep, elapsedMs: t - startedAt });
        // hvpMode iouPolicy: images whose pair missed the IoU bound (trained on their lowest-IoU draw), shown when any did.
        const misses = e.metrics.iouPolicyMisses ? `IoU-policy misses ${e.metrics.iouPolicyMisses}/${config.batchSize}` : '';
        bar?.update(e.metrics.step, [`loss ${e.metrics.loss.toFixed(4)}`, lastKnn, misses, `${Math.round(wallMsPerStep)} ms/step`].filter(Boolean).join('  '));
        return;
      }
      case 'knn':
        lastKnn = `kNN ${pct(e.knn.top1)}`;
        out.event({ type: 'knn', ...e.knn });
        out.info(`step ${e.knn.step}: kNN top-1 ${pct(e.knn.top1)} (${e.knn.numQueries} held-out images)`);
        return;
      case 'evaluation': {
        // The online linear probe and collapse health of this kNN point (the run history keeps them, so the checkpoint does).
        const { step, linearProbe, health } = e.evaluation;
        out.event({ type: 'evaluation', step, linearProbe, health });
        out.info(evaluationLine(e.evaluation));
        if (health.collapse) out.warn(`the embeddings look collapsed at step ${step} (${health.collapse}); see the health numbers above. Lower the learning rate or check the augmentations.`);
        return;
      }
      case 'state':
        out.event({ type: 'state', state: e.state, step: e.step, ...(e.message ? { message: e.message } : {}) });
        return;
      case 'error':
        if (e.isFatal) fatal = { message: errorLine(e.error), hint: e.hint, error: e.error };
        else out.warn(`${errorLine(e.error)} ${e.hint}`);
        return;
      case 'viewLog':
        viewLog?.append(e.log);
        return;
      case 'probe':
      case 'done':
        return;
    }
  };

  /** Builds and writes the checkpoint unless this step is saved already or the weights are broken. */
  const save = async (why: string): Promise<boolean> => {
    if (trainer.step === lastSavedStep) return true;
    const built = await buildRunCheckpoint({ config, trainer, loop, dataset: run.fingerprint, backendName: run.backend.name });
    const bad = nonFiniteTensors(built.snapshot);
    if (bad.length) {
      out.warn(`Not saving step ${built.step} (${why}): ${bad.length} weight tensor(s) hold NaN or Infinity (e.g. ${bad[0]}); ${lastSavedStep >= 0 ? `${o.outPath} keeps step ${lastSavedStep}` : 'nothing was written'}.`);
      return false;
    }
    writeFileAtomic(o.outPath, built.bytes);
    lastSavedStep = built.step;
    out.event({ type: 'saved', step: built.step, path: o.outPath, bytes: built.bytes.byteLength, reason: why });
    if (why !== 'end') out.info(`saved step ${built.step} to ${o.outPath}`);
    return true;
  };

  const loop = createRunLoop({
    trainer,
    emit,
    viewLog: viewLog ? 'everySelection' : 'off',
    maxSteps: o.targetStep,
    history: o.checkpoint ? structuredClone(o.checkpoint.record.history) : undefined,
    probeRngState: o.checkpoint?.record.probeRng,
    hintFor: () => GPU_HINT,
    checkpointEvery: o.saveEvery,
    onCheckpointDue: async () => void (await save('every')),
  });
  stopLoop = () => loop.stop();

  let interrupts = 0;
  const removeHandler = signals.onInterrupt(() => {
    interrupts += 1;
    if (interrupts === 1) {
      out.info('Ctrl-C: finishing the current step, then saving (press Ctrl-C again to quit without saving).');
      loop.stop();
    } else {
      out.warn(`quit without saving${lastSavedStep >= 0 ? `; ${o.outPath} holds step ${lastSavedStep}` : ''}.`);
      signals.exitNow(EXIT_INTERRUPTED);
    }
  });
  try {
    await loop.run();
    bar?.finish();
    const step = trainer.step;
    if (fault || fatal || loop.state === 'failed') {
      const f = fatal as { message: string; hint: string; error: unknown } | null;
      const what = fault ?? f?.message ?? 'training failed';
      const kept = lastSavedStep >= 0 ? `${o.outPath} holds step ${lastSavedStep}.` : 'Nothing was saved.';
      if (out.isVerbose && f?.error instanceof Error && f.error.stack) out.warn(f.error.stack);
      out.event({ type: 'result', state: 'failed', step, message: what, path: lastSavedStep >= 0 ? o.outPath : null });
      throw new CliError(`Training failed at step ${step}: ${what}`, `${fault ? GPU_HINT : (f?.hint ?? '')} ${kept}`.trim());
    }
    const isInterrupted = loop.state === 'stopped';
    const saved = await save(isInterrupted ? 'interrupted' : 'end');
    if (!saved) {
      out.event({ type: 'result', state: 'failed', step, path: lastSavedStep >= 0 ? o.outPath : null });
      throw new CliError(`Training reached step ${step}, but its weights hold NaN or Infinity, so they were not saved.`, `${lastSavedStep >= 0 ? `${o.outPath} holds step ${lastSavedStep}. ` : ''}Lower the learning rate or raise the batch size, and train again.`);
    }
    const last = loop.history.metrics.at(-1);
    const summary = `${isInterrupted ? 'stopped' : 'done'} at step ${step} of ${config.totalSteps}${last ? `, loss ${last.loss.toFixed(4)}` : ''}; saved to ${o.outPath}`;
    out.result(summary, { type: 'result', state: isInterrupted ? 'stopped' : 'done', step, path: o.outPath, loss: last?.loss ?? null });
    return isInterrupted ? EXIT_INTERRUPTED : EXIT_OK;
  } finally {
    removeHandler();
    trainer.dispose();
    if (viewLog) {
      viewLog.close();
      out.info(`view log: ${viewLog.numRows} rows of ${viewLog.numSteps} selection steps in ${viewLog.path}`);
      out.event({ type: 'viewLog', path: viewLog.path, format: viewLog.format, rows: viewLog.numRows, steps: viewLog.numSteps });
    }
  }
}
