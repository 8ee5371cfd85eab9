/**
 * The twin run: one config trained twice in this worker — HVP off and HVP on (core/config/twinConfig.ts)
 * — from the same seed, so both twins start from the same weights and draw the same batches in the
 * same order. The twins take turns, one step each (off, then on), on the one GPU; each step is read
 * before the next is queued, so each twin's wall time is its own. Both are evaluated (kNN, online
 * linear probe) after the same steps. Pause and stop act between step pairs: the twin runs on the
 * single run's control loop (core/run/controlLoop.ts), a step of which is one step of each twin.
 *
 * The twin owns its two trainers and disposes them when it ends; the worker's single run (its
 * session, paused or finished) is never touched by it. Errors of the twin are posted as non-fatal
 * `error` messages plus a `twinState` of `failed`, so they never end the single run.
 * Must not import: ui/, DOM.
 */
import { UserError } from '../core/userError';
import type { RunConfig } from '../core/config/runConfig';
import { ConfigValueError } from '../core/config/configValueError';
import { validateConfig } from '../core/config/schema';
import { TWIN_ARMS, twinConfigs, type TwinArm } from '../core/config/twinConfig';
import type { Dataset } from '../core/data/types';
import { nextMacrotask, nowMs } from '../core/timing';
import { createControlLoop, type ControlLoop, type StepOutcome } from '../core/run/controlLoop';
import { evaluateEmbeddings, type OnlineProbeHolder } from '../core/eval/evaluateEmbeddings';
import type { Trainer } from '../core/train/trainer';
import type { TwinEvalRecord, TwinState, TwinStepRecord, TwinTiming } from '../core/run/twinRecords';
import { serializeError, type FromWorker } from './protocol';

/** What the twin needs from the handler. */
export interface TwinDeps {
  post: (msg: FromWorker) => void;
  /** Starts the backend and returns the dataset of `config` (the handler's caches). */
  prepare: (config: RunConfig) => Promise<Dataset>;
  makeTrainer: (config: RunConfig, dataset: Dataset) => Trainer;
  /** Why a twin cannot start now (the single run is running), or null. */
  blockedReason: () => string | null;
  yieldToEvents?: () => Promise<void>;
  now?: () => number;
}

/** The twin-run controls the handler routes messages to. */
export interface TwinRunner {
  start(id: number, config: RunConfig, maxSteps?: number): void;
  pause(id: number): void;
  resume(id: number): void;
  stop(id: number): void;
  /** Whether a twin is preparing, running or paused (the single run may not start or resume then). */
  readonly isActive: boolean;
}

/** Thrown when a twin's loss is NaN or infinite. */
export class TwinNonFiniteLossError extends UserError {
  override name = 'TwinNonFiniteLossError';
  constructor(arm: TwinArm, step: number, loss: number) {
    super(`The HVP-${arm} twin's training loss became ${loss} at step ${step}.`);
  }
}

const ACTIVE: readonly TwinState[] = ['preparing', 'running', 'paused'];

/** Builds the twin controls (one twin at a time). */
export function createTwinRunner(deps: TwinDeps): TwinRunner {
  const { post } = deps;
  const now = deps.now ?? nowMs;
  const yieldToEvents = deps.yieldToEvents ?? nextMacrotask;
  let state: TwinState | null = null;
  let step = 0;
  let targetStep = 0;
  /** The loop of the current twin run (a fresh one per start). */
  let control: ControlLoop | null = null;

  const warn = (e: unknown, hint: string, id?: number) => post({ type: 'error', id, error: serializeError(e), isFatal: false, hint });
  const setState = (s: TwinState, message?: string) => {
    state = s;
    post(message === undefined ? { type: 'twinState', state: s, step, targetStep } : { type: 'twinState', state: s, step, targetStep, message });
  };
  const isActive = () => state !== null && ACTIVE.includes(state);

  /** One step of one twin, read back before returning (sync point: awaits the step's metrics). */
  async function stepOne(arm: TwinArm, trainer: Trainer): Promise<TwinStepRecord> {
    const t0 = now();
    const pending = trainer.trainStep();
    const m = await trainer.readStepMetrics(pending);
    const stepMs = now() - t0;
    if (!Number.isFinite(m.loss)) throw new TwinNonFiniteLossError(arm, m.step, m.loss);
    return { loss: m.loss, stepMs, selectedIou: m.selectedIou, learningRate: m.learningRate };
  }

  async function evaluate(trainer: Trainer, online: OnlineProbeHolder): Promise<TwinEvalRecord> {
    const { knn, evaluation } = await evaluateEmbeddings(trainer, online, false);
    return { knnTop1: knn ? knn.top1 : null, linearProbeTop1: evaluation.linearProbe ? evaluation.linearProbe.top1 : null };
  }

  /**
   * One twin run on the shared control loop (core/run/controlLoop.ts): prepare builds both twins, a
   * step is one step of each (then evaluation when due); run() disposes both twins when it ends.
   */
  function createTwinLoop(config: RunConfig): { control: ControlLoop; run: () => Promise<void> } {
    const configs = twinConfigs(config);
    const trainers: Partial<Record<TwinArm, Trainer>> = {};
    const online: Record<TwinArm, OnlineProbeHolder> = { off: { probe: null }, on: { probe: null } };
    const timing: TwinTiming = { totalMs: { off: 0, on: 0 }, numSteps: 0 };
    const twinStep = async (): Promise<StepOutcome> => {
      const t = trainers as Record<TwinArm, Trainer>;
      const off = await stepOne('off', t.off);
      timing.totalMs.off += off.stepMs;
      const on = await stepOne('on', t.on);
      timing.totalMs.on += on.stepMs;
      step += 1;
      timing.numSteps = step;
      if (step % config.logEvery === 0 || step === targetStep) post({ type: 'twinMetrics', row: { step, off, on }, timing: structuredClone(timing) });
      if (config.knnEvery > 0 && (step % config.knnEvery === 0 || step === targetStep)) {
        post({ type: 'twinEval', row: { step, off: await evaluate(t.off, online.off), on: await evaluate(t.on, online.on) } });
      }
      return 'continue';
    };
    const control = createControlLoop({
      prepare: async () => {
        const dataset = await deps.prepare(config);
        for (const arm of TWIN_ARMS) trainers[arm] = deps.makeTrainer(configs[arm], dataset);
      },
      isDone: () => step >= targetStep,
      step: twinStep,
      onState: setState,
      onError: (e) => {
        // An error may bring its own hint (e.g. a dataset that cannot be read says which setting to change).
        const ownHint = e instanceof Error && 'hint' in e && typeof e.hint === 'string' ? e.hint : null;
        warn(e, e instanceof TwinNonFiniteLossError
          ? `Lower the learning rate (now ${config.learningRate}) and start the twin run again. The twin's curves so far are kept; the single run is unaffected.`
          : ownHint ?? 'The twin run stopped; its curves so far are kept and the single run is unaffected. Try a smaller batch size, width or view size.');
      },
      yieldToEvents,
    });
    const run = async () => {
      try {
        await control.run();
      } finally {
        for (const arm of TWIN_ARMS) {
          online[arm].probe?.dispose();
          trainers[arm]?.dispose();
        }
      }
    };
    return { control, run };
  }

  return {
    start(id, config, maxSteps) {
      if (isActive()) return warn(new Error('A twin run is already in progress.'), 'Stop the twin run before starting another.', id);
      const blocked = deps.blockedReason();
      if (blocked) return warn(new Error(blocked), 'Pause or stop the single run first; a paused single run stays paused and keeps its model, charts and checkpoints.', id);
      const configs = twinConfigs(config);
      const issues = [...validateConfig(configs.off).issues, ...validateConfig(configs.on).issues];
      if (issues.length > 0) {
        const unique = issues.filter((issue, i) => issues.findIndex((o) => o.message === issue.message) === i);
        return warn(new ConfigValueError(unique, 'Fix the highlighted settings and start the twin run again.'), 'Fix the highlighted settings and start the twin run again.', id);
      }
      step = 0;
      targetStep = Math.min(maxSteps ?? config.totalSteps, config.totalSteps);
      post({ type: 'ack', id });
      setState('preparing', 'building both twins');
      const twin = createTwinLoop(config);
      control = twin.control;
      void twin.run();
    },
    pause(id) {
      if (state !== 'running') return warn(new Error(`Nothing to pause: the twin run is ${state ?? 'not started'}.`), 'Start a twin run first.', id);
      control?.pause();
      post({ type: 'ack', id });
    },
    resume(id) {
      if (state !== 'paused') return warn(new Error(`Nothing to resume: the twin run is ${state ?? 'not started'}.`), 'Only a paused twin run can be resumed.', id);
      control?.resume();
      post({ type: 'ack', id });
    },
    stop(id) {
      if (!isActive()) return warn(new Error(`Nothing to stop: the twin run is ${state ?? 'not started'}.`), 'Start a twin run first.', id);
      control?.stop();
      post({ type: 'ack', id });
    },
    get isActive() {
      return isActive();
    },
  };
}
