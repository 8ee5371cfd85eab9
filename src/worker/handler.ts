/**
 * The worker's message handler, built from injected dependencies so it runs in Node tests with
 * a fake `post` and no Worker. It posts `ready` and routes each request to one small service; the
 * services share ONE mutable WorkerState (backend, dataset cache, the single run's session,
 * isPreparing) and post their own replies:
 * - runResources.ts: the backend and the dataset cache (shared with the twin run);
 * - runSession.ts: start, pause, resume, stop, evaluate, explain the next step (paused runs only);
 * - linearProbeService.ts: the offline linear probe;
 * - checkpointService.ts: export checkpoint/backbone, load a checkpoint as a paused run;
 * - autosaveService.ts: autosave, list and delete autosaves;
 * - twinService.ts: the twin run (twinRun.ts) with its own trainers: while one is active the single
 *   run cannot start, resume, explain a step or load a checkpoint, and a twin cannot start while the
 *   single run runs.
 * Every failure becomes an `error` message with a hint; the UI keeps its data, and a checkpoint that
 * cannot be loaded leaves the current run untouched.
 * Must not import: ui/, DOM.
 */
import { createAutosaveService } from './autosaveService';
import { createCheckpointService } from './checkpointService';
import { createLinearProbeService } from './linearProbeService';
import { PROTOCOL_VERSION, type ToWorker } from './protocol';
import { createRunResources } from './runResources';
import { createRunSession } from './runSession';
import { createTwinService } from './twinService';
import { createReplies, createWorkerState, type HandlerDeps } from './workerState';

export type { HandlerDeps } from './workerState';

/** Builds the handler and posts `ready`. */
export function createHandler(deps: HandlerDeps): (msg: ToWorker) => void {
  const { post } = deps;
  const state = createWorkerState();
  const replies = createReplies(post);
  const { fail } = replies;
  const resources = createRunResources(state, deps);
  const autosaves = createAutosaveService(state, deps, replies);
  const twin = createTwinService(state, deps, resources);
  const run = createRunSession(state, deps, replies, resources, autosaves, twin);
  const offlineProbe = createLinearProbeService(state, deps, replies);
  const checkpoints = createCheckpointService(state, deps, replies, resources, run, twin);

  post({ type: 'ready', protocolVersion: PROTOCOL_VERSION });
  return (msg: ToWorker) => {
    switch (msg.type) {
      case 'init':
        resources.ensureBackend(msg.backend).then(
          () => post({ type: 'ack', id: msg.id }),
          (e) => fail(e, 'No backend could be started. Use a recent Chrome or Edge; training needs WebGPU, WebGL or at least JavaScript.', msg.id),
        );
        return;
      case 'start':
        void run.start(msg.id, msg.config, msg.maxSteps);
        return;
      case 'pause':
      case 'resume':
      case 'stop':
        return run.control(msg.id, msg.type);
      case 'evaluate':
        return run.evaluate(msg.id);
      case 'linearProbe':
        void offlineProbe(msg.id);
        return;
      case 'exportCheckpoint':
        void checkpoints.exportCheckpoint(msg.id);
        return;
      case 'exportBackbone':
        void checkpoints.exportBackbone(msg.id);
        return;
      case 'loadCheckpoint':
        void checkpoints.loadCheckpoint(msg.id, msg.source, msg.maxSteps);
        return;
      case 'listAutosaves':
        void autosaves.list(msg.id);
        return;
      case 'explainStep':
        void run.explainStep(msg.id);
        return;
      case 'deleteAutosave':
        void autosaves.remove(msg.id, msg.runId);
        return;
      case 'twinStart':
        return twin.start(msg.id, msg.config, msg.maxSteps);
      case 'twinPause':
        return twin.pause(msg.id);
      case 'twinResume':
        return twin.resume(msg.id);
      case 'twinStop':
        return twin.stop(msg.id);
    }
  };
}
