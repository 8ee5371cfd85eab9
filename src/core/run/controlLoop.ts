/**
 * The control loop shared by the single run (runLoop.ts) and the twin run (worker/twinRun.ts): the
 * states running/paused/stopped/done/failed, pause/resume/stop acting between steps (a paused loop
 * waits on a wake promise), a yield to queued messages after each step, done once `isDone()` holds,
 * and errors (thrown or a step's `{ failed }`) turned into the failed state. What a step is, and
 * what it emits, belongs to the caller; this module only sequences and announces states.
 * Must not import: DOM, gpu/, worker/, ui/.
 */

/** States the loop moves through. */
export type LoopState = 'running' | 'paused' | 'stopped' | 'done' | 'failed';

/** What one step reports: go on, or end the loop as failed with this state message. */
export type StepOutcome = 'continue' | { failed: string };

/** What the loop runs; every hook is awaited in the order of run()'s description. */
export interface ControlLoopDeps {
  /** One step (called while running and not done). */
  step: () => Promise<StepOutcome>;
  /** Whether the step limit is reached (checked before each step). */
  isDone: () => boolean;
  /** Announces a state change (also a repeated one, see stepWhilePaused). */
  onState: (state: LoopState, message?: string) => void;
  /** Lets queued messages (pause/stop) be handled between steps. */
  yieldToEvents: () => Promise<void>;
  /** Before the first state is announced (e.g. building the trainers); its errors end as failed. */
  prepare?: () => Promise<void>;
  /** After the first state is announced, before the first step (e.g. the first gallery probe). */
  onStarted?: () => Promise<void>;
  /** After a paused loop is woken (resumed or stopped), once 'running' was announced if resumed. */
  onWoken?: () => void;
  /** After 'done' was announced. */
  onDone?: () => void;
  /** Reports an error the loop ends on, just before 'failed' is announced with its message. */
  onError: (e: unknown) => void;
  /** Start paused (the first state is 'paused'; resume() starts stepping). */
  isStartPaused?: boolean;
}

/** Controls of the loop; pause/resume/stop act between steps. */
export interface ControlLoop {
  /** Runs until done, stopped or failed; never throws (errors go to onError, then 'failed'). */
  run(): Promise<void>;
  /** Asks a running loop to pause after its current step (ignored when not running). */
  pause(): void;
  resume(): void;
  stop(): void;
  /**
   * While paused: takes one step outside the loop. The loop stays paused (announced again) or, when
   * the step reports `{ failed }`, ends as failed. A thrown error is passed on, the loop unchanged.
   */
  stepWhilePaused(step: () => Promise<StepOutcome>): Promise<void>;
  readonly state: LoopState;
}

/** Creates the loop; call run() once. */
export function createControlLoop(deps: ControlLoopDeps): ControlLoop {
  let state: LoopState = 'running';
  let pauseRequested = deps.isStartPaused ?? false;
  let stopRequested = false;
  /** Set when a step taken while paused failed: the paused loop ends as failed. */
  let isFailedWhilePaused = false;
  let wake: (() => void) | null = null;

  const setState = (s: LoopState, message?: string) => {
    state = s;
    deps.onState(s, message);
  };

  async function loop(): Promise<void> {
    for (;;) {
      if (stopRequested) return setState('stopped');
      if (pauseRequested) {
        if (state !== 'paused') setState('paused');
        await new Promise<void>((r) => (wake = r));
        wake = null;
        if (isFailedWhilePaused) return;
        if (!stopRequested) setState('running');
        deps.onWoken?.();
        continue;
      }
      if (state !== 'running') setState('running'); // resumed before onStarted ended
      if (deps.isDone()) {
        setState('done');
        deps.onDone?.();
        return;
      }
      const outcome = await deps.step();
      if (outcome !== 'continue') return setState('failed', outcome.failed);
      await deps.yieldToEvents();
    }
  }

  return {
    async run() {
      try {
        // No await without a hook: the first state is announced synchronously when run() is called.
        if (deps.prepare) await deps.prepare();
        setState(pauseRequested ? 'paused' : 'running');
        if (deps.onStarted) await deps.onStarted();
        await loop();
      } catch (e) {
        deps.onError(e);
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
    async stepWhilePaused(step) {
      const outcome = await step();
      if (outcome !== 'continue') {
        isFailedWhilePaused = true;
        setState('failed', outcome.failed);
        wake?.();
      } else setState('paused');
    },
    get state() {
      return state;
    },
  };
}
