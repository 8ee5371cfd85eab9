/**
 * The run loop: steps the trainer until done, with pause/resume/stop, throttled metric reads,
 * periodic kNN and probe snapshots, and faults turned into clear events (NaN loss, GPU errors).
 * Shared by the worker handler and the CLI; emits plain events and does no I/O itself.
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import { createRng, deriveSeed } from '../random';
import { nextMacrotask, nowMs } from '../timing';
import { captureProbe, evaluateKnn } from './evaluate';
import type { KnnMetrics, ProbeSnapshot, StepMetrics } from './metrics';
import type { Trainer } from './trainer';

/** States the loop moves through. */
export type LoopState = 'running' | 'paused' | 'stopped' | 'done' | 'failed';

/** Events the loop emits. */
export type RunEvent =
  | { type: 'state'; state: LoopState; step: number; message?: string }
  | { type: 'metrics'; metrics: StepMetrics }
  | { type: 'knn'; knn: KnnMetrics }
  | { type: 'probe'; probe: ProbeSnapshot }
  | { type: 'done'; step: number }
  | { type: 'error'; error: unknown; isFatal: boolean; hint: string };

/** Thrown (as an event payload) when the training loss stops being finite. */
export class NonFiniteLossError extends Error {
  constructor(step: number, loss: number) {
    super(`The training loss became ${loss} at step ${step}.`);
    this.name = 'NonFiniteLossError';
  }
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
  readonly state: LoopState;
}

/** Creates the loop; call run() once. */
export function createRunLoop(deps: RunLoopDeps): RunLoop {
  const { trainer, emit } = deps;
  const cfg = trainer.config;
  const now = deps.now ?? nowMs;
  const yieldToEvents = deps.yieldToEvents ?? nextMacrotask;
  const limit = Math.min(deps.maxSteps ?? cfg.totalSteps, cfg.totalSteps);
  const probeRng = createRng(deriveSeed(cfg.seed, 'probe'));
  let state: LoopState = 'running';
  let pauseRequested = false;
  let stopRequested = false;
  let wake: (() => void) | null = null;
  let evalQueue: Promise<void> = Promise.resolve();

  const setState = (s: LoopState, message?: string) => {
    state = s;
    emit({ type: 'state', state: s, step: trainer.step, message });
  };
  const knn = async () => {
    if (!trainer.dataset.train.labels || !trainer.dataset.test.labels) return;
    emit({ type: 'knn', knn: await evaluateKnn(trainer) });
  };
  const probe = async () => emit({ type: 'probe', probe: await captureProbe(trainer, probeRng) });

  async function loop(): Promise<void> {
    setState('running');
    await probe();
    let lastLog = now();
    let stepsSinceLog = 0;
    for (;;) {
      await evalQueue;
      if (stopRequested) return setState('stopped');
      if (pauseRequested) {
        setState('paused');
        await new Promise<void>((r) => (wake = r));
        wake = null;
        if (!stopRequested) setState('running');
        lastLog = now();
        stepsSinceLog = 0;
        continue;
      }
      if (trainer.step >= limit) {
        setState('done');
        emit({ type: 'done', step: trainer.step });
        return;
      }
      const pending = trainer.trainStep();
      stepsSinceLog += 1;
      const done = trainer.step;
      if (done % cfg.logEvery === 0 || done === limit) {
        const m = await trainer.readStepMetrics(pending, now() - lastLog, stepsSinceLog);
        lastLog = now();
        stepsSinceLog = 0;
        if (!Number.isFinite(m.loss)) {
          emit({ type: 'metrics', metrics: m });
          emit({ type: 'error', error: new NonFiniteLossError(m.step, m.loss), isFatal: true, hint: `Lower the learning rate (now ${cfg.learningRate}) or raise the batch size, then start again. The charts keep this run's history.` });
          return setState('failed', 'loss is not finite');
        }
        emit({ type: 'metrics', metrics: m });
      } else {
        trainer.releaseStep(pending);
      }
      if (cfg.knnEvery > 0 && (done % cfg.knnEvery === 0 || done === limit)) await knn();
      if (done % cfg.probeEvery === 0 || done === limit) await probe();
      await yieldToEvents();
    }
  }

  return {
    async run() {
      try {
        await loop();
      } catch (e) {
        emit({ type: 'error', error: e, isFatal: true, hint: deps.hintFor?.(e) ?? 'Stop the run and start again with a smaller batch, width or view size.' });
        setState('failed', e instanceof Error ? e.message : String(e));
      }
    },
    pause() {
      if (state === 'running') pauseRequested = true;
    },
    resume() {
      pauseRequested = false;
      wake?.();
    },
    stop() {
      stopRequested = true;
      pauseRequested = false;
      wake?.();
    },
    evaluateNow() {
      evalQueue = evalQueue.then(knn);
      return evalQueue;
    },
    get state() {
      return state;
    },
  };
}
