/**
 * The twin run wired to the worker (the runner itself is twinRun.ts): it shares the backend and the
 * dataset cache of RunResources, and is refused while the single run runs or prepares; a paused
 * single run stays paused, untouched. It never switches the backend under a kept single run.
 * Must not import: ui/, DOM.
 */
import type { RunResources } from './runResources';
import { createTwinRunner, type TwinRunner } from './twinRun';
import type { HandlerDeps, WorkerState } from './workerState';

export function createTwinService(state: WorkerState, deps: HandlerDeps, resources: RunResources): TwinRunner {
  return createTwinRunner({
    post: deps.post,
    prepare: async (config) => {
      if (state.session && state.backend && config.backend !== state.backendPreference) {
        throw Object.assign(new Error(`The twin run would switch the backend to ${config.backend} under the kept single run (on ${state.backend.name}).`), {
          hint: `Set the preferred backend back to ${state.backendPreference}, or start the twin run after a page reload.`,
        });
      }
      await resources.ensureBackend(config.backend);
      return (await resources.ensureDataset(config)).value;
    },
    makeTrainer: (config, ds) => deps.makeTrainer(config, ds),
    blockedReason: () => (state.isPreparing || (state.session?.loop.state === 'running' && state.running !== null) ? 'The single run is running, so the twin run was not started.' : null),
    yieldToEvents: deps.yieldToEvents,
  });
}
