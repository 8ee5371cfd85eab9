/**
 * The single run: its session (trainer + run loop, in WorkerState) and the requests that act on it —
 * start (backend → dataset → trainer → run loop), pause, resume, stop, evaluate now, and explain the
 * next step (paused runs only). Loop events become worker messages; a pause, stop or end autosaves.
 * While a twin run is active the single run cannot start, resume or explain a step.
 * Must not import: ui/, DOM.
 */
import type { LoadedCheckpoint } from '../core/checkpoint/checkpointFile';
import type { RunConfig } from '../core/config/runConfig';
import { ConfigValueError } from '../core/config/configValueError';
import { validateConfig } from '../core/config/schema';
import { createRunLoop, type RunEvent } from '../core/run/runLoop';
import { viewLogRows } from '../core/hvp/viewLog';
import type { Trainer } from '../core/train/trainer';
import type { AutosaveService } from './autosaveService';
import { serializeError, type BackendInfo } from './protocol';
import { newRunId, type RunSession } from './runCheckpoints';
import type { RunResources } from './runResources';
import type { TwinRunner } from './twinRun';
import { hintOf, isRunActive, TWIN_HINT, type CachedDataset, type HandlerDeps, type Replies, type WorkerState } from './workerState';

export interface RunSessionService {
  start(id: number, config: RunConfig, maxSteps?: number): Promise<void>;
  control(id: number, action: 'pause' | 'resume' | 'stop'): void;
  evaluate(id: number): void;
  explainStep(id: number): Promise<void>;
  /** Makes `s` the session and runs its loop (paused first for a loaded checkpoint). */
  runSession(s: Omit<RunSession, 'loop'>, opts: { maxSteps?: number; loaded?: LoadedCheckpoint }): Promise<void>;
}

/** Images of the batch an explained step shows (stages 1–3). */
const EXPLAIN_NUM_SHOWN = 4;

export function createRunSession(state: WorkerState, deps: HandlerDeps, { fail, warn }: Replies, resources: RunResources, autosaves: AutosaveService, twin: Pick<TwinRunner, 'isActive'>): RunSessionService {
  const { post } = deps;
  const forward = (e: RunEvent) => {
    switch (e.type) {
      case 'state':
        if (e.state === 'paused' || e.state === 'stopped' || e.state === 'done') void autosaves.autosave('on ' + e.state);
        return post({ type: 'state', state: e.state, step: e.step, message: e.message });
      case 'metrics': return post({ type: 'metrics', metrics: e.metrics });
      case 'knn': return post({ type: 'knn', knn: e.knn });
      case 'evaluation': return post({ type: 'evaluation', evaluation: e.evaluation });
      case 'probe': return post({ type: 'probe', probe: e.probe });
      case 'viewLog': return post({ type: 'viewLog', rows: viewLogRows(e.log) });
      case 'done': return post({ type: 'done', step: e.step });
      case 'error': return post({ type: 'error', error: serializeError(e.error), isFatal: e.isFatal, hint: e.hint });
    }
  };

  function runSession(s: Omit<RunSession, 'loop'>, opts: { maxSteps?: number; loaded?: LoadedCheckpoint }): Promise<void> {
    const loop = createRunLoop({
      trainer: s.trainer,
      emit: forward,
      viewLog: 'readSteps', // the steps read anyway: no extra device sync
      maxSteps: opts.maxSteps,
      yieldToEvents: deps.yieldToEvents,
      history: opts.loaded ? structuredClone(opts.loaded.record.history) : undefined,
      probeRngState: opts.loaded?.record.probeRng,
      isStartPaused: Boolean(opts.loaded),
      checkpointEvery: s.config.autosaveEvery,
      onCheckpointDue: () => autosaves.autosave(`at step ${s.trainer.step}`, true),
    });
    state.session?.trainer.dispose();
    state.session = { ...s, loop };
    autosaves.resetSavedStep(opts.loaded ? opts.loaded.record.progress.step : -1);
    const running = loop.run().finally(() => {
      state.running = null;
    });
    state.running = running;
    return running;
  }

  async function start(id: number, config: RunConfig, maxSteps?: number): Promise<void> {
    const { issues } = validateConfig(config);
    if (issues.length > 0) return fail(new ConfigValueError(issues, 'Fix the highlighted settings and start again.'), 'Fix the highlighted settings and start again.', id);
    if (twin.isActive) return warn(new Error('A twin run is in progress, so the single run was not started.'), TWIN_HINT, id);
    if (isRunActive(state)) return fail(new Error('A run is already in progress.'), 'Stop the current run before starting a new one.', id);
    post({ type: 'ack', id });
    post({ type: 'state', state: 'preparing', step: 0, message: 'initialising the backend' });
    state.isPreparing = true;
    let trainer: Trainer;
    let ds: CachedDataset;
    let info: BackendInfo;
    try {
      info = await resources.ensureBackend(config.backend);
      ds = await resources.ensureDataset(config);
      post({ type: 'state', state: 'preparing', step: 0, message: 'building the model' });
      state.session?.trainer.dispose();
      state.session = null;
      trainer = deps.makeTrainer(config, ds.value);
    } catch (e) {
      post({ type: 'state', state: 'failed', step: 0, message: e instanceof Error ? e.message : String(e) });
      return fail(e, hintOf(e, 'The run could not be prepared. Reload the page; if it persists, try a smaller configuration or another backend.'));
    } finally {
      state.isPreparing = false;
    }
    await runSession({ runId: newRunId(), config, trainer, dataset: ds.fingerprint, backendName: info.name }, { maxSteps });
  }

  async function explainStep(id: number): Promise<void> {
    const s = state.session;
    if (!s) return fail(new Error('Nothing to explain: no run has been started or loaded.'), 'Start a run (or load a checkpoint), pause it, then explain the next step.', id);
    if (twin.isActive) return warn(new Error('A twin run is in progress, so the single run takes no step now.'), TWIN_HINT, id);
    if (s.loop.state !== 'paused') return warn(new Error(`Only a paused run can explain its next step (the run is ${s.loop.state}).`), s.loop.state === 'running' ? 'Pause the run first, then press "Explain the next step".' : 'Start a new run (or load a checkpoint) to explain its steps.', id);
    post({ type: 'ack', id });
    try {
      const explanation = await s.loop.explainStep(EXPLAIN_NUM_SHOWN);
      post({ type: 'explained', id, explanation });
    } catch (e) {
      warn(e, 'The step could not be explained; press Resume to go on training.', id);
    }
  }

  return {
    start,
    control(id, action) {
      const s = state.session;
      if (!s) return fail(new Error(`Nothing to ${action}: no run has been started.`), 'Press Start first.', id);
      if (action === 'resume' && twin.isActive) return warn(new Error('A twin run is in progress, so the single run was not resumed.'), TWIN_HINT, id);
      s.loop[action]();
      return post({ type: 'ack', id });
    },
    evaluate(id) {
      const s = state.session;
      if (!s) return fail(new Error('Nothing to evaluate: no run has been started.'), 'Press Start first.', id);
      // One final reply: the ack once the kNN (and probe) records are out, or the error.
      s.loop.evaluateNow().then(() => post({ type: 'ack', id }), (e) => fail(e, 'The evaluation failed; training is unaffected.', id));
    },
    explainStep,
    runSession,
  };
}
