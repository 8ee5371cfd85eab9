/**
 * The worker's message handler, built from injected dependencies so it runs in Node tests with
 * a fake `post` and no Worker: start (backend → dataset → trainer → run loop), pause, resume,
 * stop, evaluate. Every failure becomes an `error` message with a hint; the UI keeps its data.
 * Must not import: ui/, DOM.
 */
import type { BackendName, RunConfig } from '../core/config/runConfig';
import { validateConfig } from '../core/config/schema';
import type { Dataset } from '../core/data/types';
import { createRunLoop, type RunEvent, type RunLoop } from '../core/train/runLoop';
import type { Trainer } from '../core/train/trainer';
import { PROTOCOL_VERSION, serializeError, type BackendInfo, type FromWorker, type ToWorker } from './protocol';

/** What the handler needs from its environment. */
export interface HandlerDeps {
  post: (msg: FromWorker) => void;
  initBackend: (preferred: BackendName, onGpuFault: (message: string) => void) => Promise<BackendInfo>;
  makeDataset: (config: RunConfig, onProgress: (fraction: number) => void) => Dataset | Promise<Dataset>;
  makeTrainer: (config: RunConfig, dataset: Dataset) => Trainer;
  yieldToEvents?: () => Promise<void>;
}

const datasetKey = (c: RunConfig) => `${c.datasetSeed}:${c.numTrainImages}:${c.numTestImages}`;

/** Builds the handler and posts `ready`. */
export function createHandler(deps: HandlerDeps): (msg: ToWorker) => void {
  const { post } = deps;
  let backend: BackendInfo | null = null;
  let dataset: { key: string; value: Dataset } | null = null;
  let trainer: Trainer | null = null;
  let loop: RunLoop | null = null;
  let running: Promise<void> | null = null;

  const fail = (e: unknown, hint: string, id?: number) => post({ type: 'error', id, error: serializeError(e), isFatal: true, hint });
  const onGpuFault = (message: string) => {
    loop?.stop();
    post({ type: 'error', error: { name: 'GpuFaultError', message }, isFatal: true, hint: 'Reload the page to get a fresh GPU device. If it happens again, use a smaller batch size, backbone width or view size.' });
  };
  const forward = (e: RunEvent) => {
    switch (e.type) {
      case 'state': return post({ type: 'state', state: e.state, step: e.step, message: e.message });
      case 'metrics': return post({ type: 'metrics', metrics: e.metrics });
      case 'knn': return post({ type: 'knn', knn: e.knn });
      case 'probe': return post({ type: 'probe', probe: e.probe });
      case 'done': return post({ type: 'done', step: e.step });
      case 'error': return post({ type: 'error', error: serializeError(e.error), isFatal: e.isFatal, hint: e.hint });
    }
  };

  /** Initialises the backend once per preference; re-initialises if the preference changes. */
  let backendPreference: BackendName | null = null;
  async function ensureBackend(preferred: BackendName): Promise<BackendInfo> {
    if (!backend || backendPreference !== preferred) {
      backendPreference = preferred;
      backend = await deps.initBackend(preferred, onGpuFault);
      post({ type: 'backend', backend });
    }
    return backend;
  }

  async function start(id: number, config: RunConfig, maxSteps?: number): Promise<void> {
    const { issues } = validateConfig(config);
    if (issues.length > 0) return fail(new RangeError(issues.map((i) => i.message).join(' ')), 'Fix the highlighted settings and start again.', id);
    if (running) return fail(new Error('A run is already in progress.'), 'Stop the current run before starting a new one.', id);
    post({ type: 'ack', id });
    post({ type: 'state', state: 'preparing', step: 0, message: 'initialising the backend' });
    try {
      await ensureBackend(config.backend);
      if (!dataset || dataset.key !== datasetKey(config)) {
        post({ type: 'progress', stage: 'Generating the built-in dataset', fraction: 0 });
        dataset = { key: datasetKey(config), value: await deps.makeDataset(config, (f) => post({ type: 'progress', stage: 'Generating the built-in dataset', fraction: f })) };
        post({ type: 'progress', stage: 'Generating the built-in dataset', fraction: 1 });
      }
      post({ type: 'state', state: 'preparing', step: 0, message: 'building the model' });
      trainer?.dispose();
      trainer = deps.makeTrainer(config, dataset.value);
    } catch (e) {
      post({ type: 'state', state: 'failed', step: 0, message: e instanceof Error ? e.message : String(e) });
      return fail(e, 'The run could not be prepared. Reload the page; if it persists, try a smaller configuration or another backend.');
    }
    loop = createRunLoop({ trainer, emit: forward, maxSteps, yieldToEvents: deps.yieldToEvents });
    running = loop.run().finally(() => {
      running = null;
    });
    await running;
  }

  post({ type: 'ready', protocolVersion: PROTOCOL_VERSION });
  return (msg: ToWorker) => {
    switch (msg.type) {
      case 'init':
        ensureBackend(msg.backend).then(
          () => post({ type: 'ack', id: msg.id }),
          (e) => fail(e, 'No backend could be started. Use a recent Chrome or Edge; training needs WebGPU, WebGL or at least JavaScript.', msg.id),
        );
        return;
      case 'start':
        void start(msg.id, msg.config, msg.maxSteps);
        return;
      case 'pause':
      case 'resume':
      case 'stop':
        if (!loop) return fail(new Error(`Nothing to ${msg.type}: no run has been started.`), 'Press Start first.', msg.id);
        loop[msg.type]();
        return post({ type: 'ack', id: msg.id });
      case 'evaluate':
        if (!loop) return fail(new Error('Nothing to evaluate: no run has been started.'), 'Press Start first.', msg.id);
        post({ type: 'ack', id: msg.id });
        loop.evaluateNow().catch((e) => fail(e, 'The evaluation failed; training is unaffected.', msg.id));
        return;
    }
  };
}
