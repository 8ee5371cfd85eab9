/**
 * Autosaves of the single run: saving the session's checkpoint to browser storage (between steps,
 * at most once per step, never with NaN or Infinity weights), and the list/delete requests of the
 * autosave panel. Owns the step of the current session's last autosave; the session it saves is
 * WorkerState's. Without `deps.autosaves` autosave is off and the list is empty.
 * Must not import: ui/, DOM.
 */
import { autosaveInfo, buildCheckpoint, nonFiniteTensors } from './runCheckpoints';
import type { HandlerDeps, Replies, WorkerState } from './workerState';

export interface AutosaveService {
  /**
   * Saves the session's checkpoint to browser storage unless this step is already saved.
   * `isLoopHook`: called by the loop between steps (it holds the step lock already).
   */
  autosave(reason: string, isLoopHook?: boolean): Promise<void>;
  /** A new session starts: `step` is already saved (a loaded checkpoint's), or -1. */
  resetSavedStep(step: number): void;
  list(id: number): Promise<void>;
  remove(id: number, runId: string): Promise<void>;
}

export function createAutosaveService(state: WorkerState, deps: HandlerDeps, { warn }: Replies): AutosaveService {
  const { post } = deps;
  /** Step of the last autosave of the current session (no duplicate saves on pause/stop). */
  let lastAutosaveStep = -1;

  // Each request gets exactly one final reply with its id: the ack after the list, or the warning.
  async function list(id: number): Promise<void> {
    try {
      post({ type: 'autosaves', entries: deps.autosaves ? await deps.autosaves.list() : [] });
      post({ type: 'ack', id });
    } catch (e) {
      warn(e, 'Autosaves could not be read; export checkpoints to files instead.', id);
    }
  }

  return {
    async autosave(reason, isLoopHook = false) {
      const s = state.session;
      if (!s || !deps.autosaves || s.config.autosaveEvery === 0) return;
      const between = <T,>(fn: () => Promise<T>) => (isLoopHook ? fn() : s.loop.betweenSteps(fn));
      await between(async () => {
        if (s !== state.session || s.trainer.step === lastAutosaveStep || s.trainer.step === 0) return;
        const { bytes, step, snapshot } = await buildCheckpoint(s);
        const bad = nonFiniteTensors(snapshot);
        if (bad.length) {
          post({ type: 'log', level: 'warn', message: `Autosave ${reason} skipped at step ${step}: ${bad.length} weight tensor(s) hold NaN or Infinity (e.g. ${bad[0]}); the previous autosave is kept.` });
          return;
        }
        await deps.autosaves!.put(autosaveInfo(s, step, bytes.byteLength), bytes);
        lastAutosaveStep = step;
        post({ type: 'autosaves', entries: await deps.autosaves!.list() });
      }).catch((e) => warn(e, 'Autosave failed; training goes on. Export a checkpoint by hand, or free browser storage.'));
    },
    resetSavedStep(step) {
      lastAutosaveStep = step;
    },
    list,
    async remove(id, runId) {
      try {
        await deps.autosaves?.remove(runId);
      } catch (e) {
        return warn(e, 'The autosave could not be deleted.', id);
      }
      await list(id);
    },
  };
}
