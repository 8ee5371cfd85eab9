/**
 * The UI's twin-run commands: start a twin run of the panel's config (with `maxSteps` from the URL),
 * pause, resume and stop it. Each request is recorded in the store, so the buttons stay disabled
 * until the worker answers; Start is a no-op when the twin controls say it is not allowed.
 * Must not import: tfjs, recharts, zustand.
 */
import { useContext, useMemo } from 'react';
import { TrainerContext } from './useTrainer';
import { useAppStoreApi } from '../store/useAppStore';
import { selectTwinControls } from '../store/twinSelectors';

/** Twin-run commands bound to the store's current config. */
export interface TwinCommands {
  start(maxSteps: number | null): void;
  pause(): void;
  resume(): void;
  stop(): void;
}

/** Commands that talk to the worker and note the pending request in the store. */
export function useTwinCommands(): TwinCommands {
  const trainer = useContext(TrainerContext);
  const store = useAppStoreApi();
  if (!trainer) throw new Error('useTwinCommands must be used inside <TrainerContext.Provider>.');
  return useMemo<TwinCommands>(() => ({
    start: (maxSteps) => {
      const s = store.getState();
      if (!selectTwinControls(s).canStart) return;
      const id = trainer.twinStart(s.config, maxSteps ?? undefined);
      store.getState().noteTwinRequest(id, s.config);
      store.getState().notePending(id, 'twinStart');
    },
    pause: () => { store.getState().notePending(trainer.twinPause(), 'twinPause'); },
    resume: () => { store.getState().notePending(trainer.twinResume(), 'twinResume'); },
    stop: () => { store.getState().notePending(trainer.twinStop(), 'twinStop'); },
  }), [trainer, store]);
}
