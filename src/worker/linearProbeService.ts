/**
 * The offline linear probe of the single run's session: embeds between steps, trains in chunks while
 * the run goes on, one probe at a time (owns that flag); a new session cancels it.
 * Must not import: ui/, DOM.
 */
import { runOfflineProbe } from '../core/eval/evaluateEmbeddings';
import { nextMacrotask } from '../core/timing';
import { OFFLINE_PROBE_STAGE } from './protocol';
import { hintOf, type HandlerDeps, type Replies, type WorkerState } from './workerState';

export function createLinearProbeService(state: WorkerState, deps: HandlerDeps, { fail, warn }: Replies): (id: number) => Promise<void> {
  const { post } = deps;
  let isProbing = false;
  return async function offlineProbe(id: number): Promise<void> {
    const s = state.session;
    if (!s) return fail(new Error('Nothing to probe: no run has been started or loaded.'), 'Start a run (or load a checkpoint) first.', id);
    if (isProbing) return warn(new Error('A linear probe is already training.'), 'Wait for its result; it shows in the linear-probe panel.', id);
    isProbing = true;
    post({ type: 'ack', id });
    const stage = OFFLINE_PROBE_STAGE;
    try {
      const result = await runOfflineProbe(s.trainer, {
        exclusive: (fn) => s.loop.betweenSteps(fn),
        yieldToEvents: deps.yieldToEvents ?? nextMacrotask,
        onProgress: (f) => post({ type: 'progress', stage, fraction: f }),
        isCancelled: () => state.session !== s,
      });
      post({ type: 'offlineProbe', id, result });
    } catch (e) {
      warn(e, hintOf(e, 'The linear probe failed; training is unaffected. Try again.'), id);
    } finally {
      isProbing = false;
      post({ type: 'progress', stage, fraction: 1 });
    }
  };
}
