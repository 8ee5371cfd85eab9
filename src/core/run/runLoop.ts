/**
 * The run loop: steps the trainer until done, with pause/resume/stop, throttled metric reads,
 * periodic kNN and probe snapshots, and faults turned into clear events (NaN loss, GPU errors).
 * Shared by the worker handler and the CLI; emits plain events and does no I/O itself. Its states,
 * pause/resume/stop and step limit are those of the control loop (controlLoop.ts) it runs on.
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import { UserError } from '../userError';
import { createRng, deriveSeed, rngFromState, type RngState } from '../random';
import { nextMacrotask, nowMs } from '../timing';
import { captureProbe } from '../eval/evaluate';
import { readExplanation } from '../explain/explainStep';
import type { StepExplanation } from '../explain/stepExplanation';
import { evaluateEmbeddings, type OnlineProbeHolder } from '../eval/evaluateEmbeddings';
import type { EvaluationEvent } from '../eval/evaluationMetrics';
import type { KnnMetrics, ProbeSnapshot, StepMetrics } from '../train/metrics';
import { emptyHistory, pushEvaluation, pushMetrics, type RunHistory } from './runHistory';
import type { PendingStep, Trainer } from '../train/trainer';
import type { ViewLogStep } from '../hvp/viewLog';
import { createControlLoop, type LoopState, type StepOutcome } from './controlLoop';

/** States the loop moves through (those of controlLoop.ts). */
export type { LoopState };

/** Events the loop emits. */
export type RunEvent =
  | { type: 'state'; state: LoopState; step: number; message?: string }
  | { type: 'metrics'; metrics: StepMetrics }
  | { type: 'knn'; knn: KnnMetrics }
  /** Online linear probe, collapse health and PCA map, at every kNN point (also for unlabelled sets). */
  | { type: 'evaluation'; evaluation: EvaluationEvent }
  | { type: 'probe'; probe: ProbeSnapshot }
  /** A selection step's view log (deps.viewLog); rows via hvp/viewLog.ts viewLogRows. */
  | { type: 'viewLog'; log: ViewLogStep }
  | { type: 'done'; step: number }
  | { type: 'error'; error: unknown; isFatal: boolean; hint: string };

/** Thrown (as an event payload) when the training loss stops being finite. */
export class NonFiniteLossError extends UserError {
  override name = 'NonFiniteLossError';
  constructor(step: number, loss: number) {
    super(`The training loss became ${loss} at step ${step}.`);
  }
}

/** Thrown by explainStep when the loop is not paused, or has no step left. */
export class ExplainRefusedError extends UserError {
  override name = 'ExplainRefusedError';
}

/** Dependencies of the loop; `now` and `yieldToEvents` are injectable for tests. */
export interface RunLoopDeps {
  trainer: Trainer;
  emit: (e: RunEvent) => void;
  /** Stop after this many completed steps (default: config.totalSteps). */
  maxSteps?: number;
  now?: () => number;
  /** Lets queued messages (pause/stop) be handled between steps. */
  yieldToEvents?: () => Promise<void>;
  /** Turns an unexpected error into a hint for the user. */
  hintFor?: (e: unknown) => string;
  /** History of a resumed run (continued, not copied). */
  history?: RunHistory;
  /** Probe-stream state of a resumed run. */
  probeRngState?: RngState;
  /** Start paused (a loaded checkpoint waits for Resume). */
  isStartPaused?: boolean;
  /** Called between steps every `checkpointEvery` completed steps (autosave); awaited. Errors are reported, not fatal. */
  onCheckpointDue?: (step: number) => Promise<void>;
  checkpointEvery?: number;
  /**
   * Which selection steps emit a 'viewLog' event: 'off' (default), 'readSteps' (those read for
   * metrics anyway, every logEvery: no extra device sync) or 'everySelection' (every selection
   * step; the others are read for the log alone, without a metrics event).
   */
  viewLog?: 'off' | 'readSteps' | 'everySelection';
}

/** Controls of a running loop. */
export interface RunLoop {
  /** Runs until done, stopped or failed. */
  run(): Promise<void>;
  pause(): void;
  resume(): void;
  stop(): void;
  /** Runs a kNN evaluation now (between steps when running). */
  evaluateNow(): Promise<void>;
  /** Runs `fn` between steps (or now, when paused or finished), e.g. a checkpoint export. */
  betweenSteps<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * While paused: takes the next training step explained (explainStep.ts) — the very step a resume
   * would take, with its metrics, kNN, probe and autosave as usual — and stays paused at step + 1.
   * Throws ExplainRefusedError when not paused or when no step is left.
   */
  explainStep(numShown: number): Promise<StepExplanation>;
  readonly state: LoopState;
  /** Metric records so far (including a resumed run's earlier ones). */
  readonly history: RunHistory;
  /** Probe-stream state, for checkpoints. */
  probeRngState(): RngState;
}

/** Creates the loop; call run() once. */
export function createRunLoop(deps: RunLoopDeps): RunLoop {
  const { trainer, emit } = deps;
  const cfg = trainer.config;
  const now = deps.now ?? nowMs;
  const yieldToEvents = deps.yieldToEvents ?? nextMacrotask;
  const limit = Math.min(deps.maxSteps ?? cfg.totalSteps, cfg.totalSteps);
  const probeRng = deps.probeRngState ? rngFromState(deps.probeRngState) : createRng(deriveSeed(cfg.seed, 'probe'));
  const history = deps.history ?? emptyHistory();
  const viewLogMode = deps.viewLog ?? 'off';
  let lastLog = 0;
  let stepsSinceLog = 0;
  const restartTiming = () => {
    lastLog = now();
    stepsSinceLog = 0;
  };
  // One lock orders the steps and everything that must not overlap one (kNN now, checkpoint export).
  let lock: Promise<void> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const result = lock.then(fn);
    lock = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  };

  // The online linear probe lives as long as the loop (see evaluateEmbeddings.ts); thumbnails go once.
  const online: OnlineProbeHolder = { probe: null };
  let isThumbnailsSent = false;
  const knn = async () => {
    const { knn: k, evaluation } = await evaluateEmbeddings(trainer, online, !isThumbnailsSent);
    isThumbnailsSent = true;
    if (k) {
      history.knn.push(k);
      emit({ type: 'knn', knn: k });
    }
    pushEvaluation(history, { step: evaluation.step, linearProbe: evaluation.linearProbe, health: evaluation.health });
    emit({ type: 'evaluation', evaluation });
  };
  const probe = async () => emit({ type: 'probe', probe: await captureProbe(trainer, probeRng) });
  // Probes outside the schedule (a resumed run's first gallery, the last step's) use a side stream, so
  // the probe stream stays that of an uninterrupted run.
  const sideProbe = async () => emit({ type: 'probe', probe: await captureProbe(trainer, createRng(deriveSeed(cfg.seed, `probe-side-${trainer.step}`))) });
  const emitMetrics = (m: StepMetrics) => {
    pushMetrics(history, m);
    emit({ type: 'metrics', metrics: m });
  };

  /** One training step and what follows it (metrics, kNN, probe, autosave), under the lock. */
  async function oneStep(lastLog: number, stepsSinceLog: number, queue: () => Promise<PendingStep> | PendingStep = () => trainer.trainStep(), isLogForced = false): Promise<'logged' | 'unlogged' | 'failed'> {
    const pending = await queue();
    const done = trainer.step;
    let outcome: 'logged' | 'unlogged' = 'unlogged';
    const isMetricsStep = isLogForced || done % cfg.logEvery === 0 || done === limit;
    const isLogStep = pending.isSelectionStep && (viewLogMode === 'everySelection' || (viewLogMode === 'readSteps' && isMetricsStep));
    if (isLogStep && !isMetricsStep) {
      const { viewLog } = await trainer.readStepMetrics(pending, { withViewLog: true });
      if (viewLog) emit({ type: 'viewLog', log: viewLog });
    } else if (isMetricsStep) {
      const { viewLog, ...read } = await trainer.readStepMetrics(pending, { withViewLog: isLogStep });
      if (viewLog) emit({ type: 'viewLog', log: viewLog });
      // The loop owns timing, taken after the read: on WebGPU the step's work only finishes when its values arrive.
      const msPerStep = (now() - lastLog) / Math.max(1, stepsSinceLog);
      const m = { ...read, msPerStep, imagesPerSec: msPerStep > 0 ? (1000 * pending.numImages) / msPerStep : 0 };
      outcome = 'logged';
      emitMetrics(m);
      if (!Number.isFinite(m.loss)) {
        emit({ type: 'error', error: new NonFiniteLossError(m.step, m.loss), isFatal: true, hint: `Lower the learning rate (now ${cfg.learningRate}) or raise the batch size, then start again. The charts keep this run's history.` });
        return 'failed';
      }
    } else {
      trainer.releaseStep(pending);
    }
    if (cfg.knnEvery > 0 && (done % cfg.knnEvery === 0 || done === limit)) await knn();
    // The last step's extra probe comes from a side stream, so a run split at that step keeps the
    // probe stream of an uninterrupted run.
    if (done % cfg.probeEvery === 0) await probe();
    else if (done === limit) await sideProbe();
    if (deps.onCheckpointDue && deps.checkpointEvery && deps.checkpointEvery > 0 && done % deps.checkpointEvery === 0) {
      try {
        await deps.onCheckpointDue(done);
      } catch (e) {
        emit({ type: 'error', error: e, isFatal: false, hint: 'Autosave failed; training goes on. Export a checkpoint by hand, or free browser storage.' });
      }
    }
    return outcome;
  }

  const notFinite: StepOutcome = { failed: 'loss is not finite' };
  const control = createControlLoop({
    isStartPaused: deps.isStartPaused,
    // A loaded run starts paused and says so before its first gallery probe, which compiles the GPU
    // programs (half a minute on a software GPU): Resume and Explain work at once, queued behind it.
    onStarted: async () => {
      await exclusive(() => (trainer.step === 0 ? probe() : sideProbe()));
      restartTiming();
    },
    isDone: () => trainer.step >= limit,
    step: async () => {
      const outcome = await exclusive(() => oneStep(lastLog, stepsSinceLog + 1));
      if (outcome === 'failed') return notFinite;
      if (outcome === 'logged') restartTiming();
      else stepsSinceLog += 1;
      return 'continue';
    },
    onWoken: restartTiming,
    onState: (s, message) => emit({ type: 'state', state: s, step: trainer.step, message }),
    onDone: () => emit({ type: 'done', step: trainer.step }),
    onError: (e) => emit({ type: 'error', error: e, isFatal: true, hint: deps.hintFor?.(e) ?? 'Stop the run and start again with a smaller batch, width or view size.' }),
    yieldToEvents,
  });

  return {
    async run() {
      try {
        await control.run();
      } finally {
        // An evaluation after the run ended (evaluateNow) starts a fresh probe.
        online.probe?.dispose();
        online.probe = null;
      }
    },
    pause: () => control.pause(),
    resume: () => control.resume(),
    stop: () => control.stop(),
    evaluateNow: () => exclusive(knn),
    explainStep(numShown) {
      const refusal = () => new ExplainRefusedError(`Only a paused run can explain its next step (the run is ${control.state}).`);
      if (control.state !== 'paused') return Promise.reject(refusal());
      return exclusive(async () => {
        if (control.state !== 'paused') throw refusal();
        if (trainer.step >= limit) throw new ExplainRefusedError(`The run has no step left to explain (it ends at step ${limit}).`);
        let explanation: StepExplanation | null = null;
        const queue = async () => {
          const ex = trainer.trainStepExplained(numShown);
          explanation = await readExplanation(trainer, ex);
          return ex.pending;
        };
        await control.stepWhilePaused(async () => ((await oneStep(now(), 1, queue, true)) === 'failed' ? notFinite : 'continue'));
        return explanation!;
      });
    },
    betweenSteps: exclusive,
    get state() {
      return control.state;
    },
    get history() {
      return history;
    },
    probeRngState: () => probeRng.getState(),
  };
}
