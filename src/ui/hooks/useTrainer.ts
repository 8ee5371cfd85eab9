/**
 * The UI's commands to the training worker. A context carries the client (created once in
 * main.tsx, outside React, so StrictMode and re-renders never spawn a second worker); the hook
 * records each request in the store so buttons stay disabled until the worker answers.
 * Must not import: tfjs, recharts, zustand.
 */
import { createContext, useContext, useEffect, useMemo, useRef } from 'react';
import type { BackendName } from '../../core/config/runConfig';
import type { TrainerCommands } from '../../worker/client';
import { useAppStoreApi } from '../store/useAppStore';
import { selectCanEditConfig, selectControls } from '../store/selectors';

/** Provides the worker client (`<TrainerContext.Provider value={client}>`). */
export const TrainerContext = createContext<TrainerCommands | null>(null);

/** Run commands bound to the store's current config. */
export interface RunCommands {
  /** Starts the preferred backend in the worker (shown in the status line before any run). */
  init(backend: BackendName): void;
  /** Starts a run with the store's config; `maxSteps` stops it early. No-op when Start is disabled. */
  start(maxSteps: number | null): void;
  pause(): void;
  resume(): void;
  stop(): void;
  evaluate(): void;
  /** Trains a fresh linear probe on the current backbone (the run goes on). */
  linearProbe(): void;
  /** Takes the next step of a paused run explained (ExplainPanel shows it). */
  explainStep(): void;
  exportCheckpoint(): void;
  exportBackbone(): void;
  /** Reads a checkpoint file and asks the worker to load it as a paused run. */
  importCheckpoint(file: File, maxSteps: number | null): Promise<void>;
  /** Loads an autosave as a paused run; `maxSteps` (from the URL) stops it early. */
  loadAutosave(runId: string, maxSteps: number | null): void;
  deleteAutosave(runId: string): void;
  listAutosaves(): void;
}

/** Largest checkpoint file the page reads (an ArrayBuffer of it must fit in memory). */
export const MAX_CHECKPOINT_BYTES = 2 ** 31 - 1;

/** Why `file` cannot be a checkpoint before reading it, or null. */
export function checkpointFileProblem(file: { name: string; size: number }): string | null {
  if (file.size === 0) return `${file.name} is empty (0 bytes), so it cannot be a checkpoint. Choose the .safetensors file you exported.`;
  if (file.size < 8) return `${file.name} is only ${file.size} bytes, too short for a .safetensors checkpoint.`;
  if (file.size > MAX_CHECKPOINT_BYTES) return `${file.name} is ${(file.size / 2 ** 30).toFixed(1)} GiB, larger than this page can read (2 GiB).`;
  return null;
}

/** Commands that talk to the worker and note the pending request in the store. */
export function useRunCommands(): RunCommands {
  const trainer = useContext(TrainerContext);
  const store = useAppStoreApi();
  if (!trainer) throw new Error('useRunCommands must be used inside <TrainerContext.Provider>.');
  return useMemo<RunCommands>(() => ({
    init: (backend) => { store.getState().notePending(trainer.init(backend), 'init'); },
    start: (maxSteps) => {
      const s = store.getState();
      if (!selectControls(s).canStart) return;
      s.beginRun(s.config, maxSteps);
      const id = trainer.start(s.config, maxSteps ?? undefined);
      store.getState().notePending(id, 'start');
    },
    pause: () => { store.getState().notePending(trainer.pause(), 'pause'); },
    resume: () => { store.getState().notePending(trainer.resume(), 'resume'); },
    stop: () => { store.getState().notePending(trainer.stop(), 'stop'); },
    evaluate: () => { store.getState().notePending(trainer.evaluate(), 'evaluate'); },
    linearProbe: () => { store.getState().noteOfflineProbeRequest(trainer.linearProbe()); },
    explainStep: () => {
      const id = trainer.explainStep();
      store.getState().noteExplainRequest(id);
      store.getState().notePending(id, 'explainStep');
    },
    exportCheckpoint: () => { store.getState().notePending(trainer.exportCheckpoint(), 'exportCheckpoint'); },
    exportBackbone: () => { store.getState().notePending(trainer.exportBackbone(), 'exportBackbone'); },
    importCheckpoint: async (file, maxSteps) => {
      const problem = checkpointFileProblem(file);
      if (problem) {
        store.getState().reportUiError('CheckpointFileError', problem, 'Nothing was loaded; the current run and settings are unchanged.');
        return;
      }
      let bytes: ArrayBuffer;
      try {
        bytes = await file.arrayBuffer();
      } catch (e) {
        store.getState().reportUiError('CheckpointFileError', `${file.name} could not be read: ${e instanceof Error ? e.message : String(e)}`, 'Check that the file still exists and try again.');
        return;
      }
      store.getState().notePending(trainer.loadCheckpointFile(file.name, bytes, maxSteps ?? undefined), 'loadCheckpoint');
    },
    loadAutosave: (runId, maxSteps) => { store.getState().notePending(trainer.loadAutosave(runId, maxSteps ?? undefined), 'loadCheckpoint'); },
    deleteAutosave: (runId) => { trainer.deleteAutosave(runId); },
    listAutosaves: () => { trainer.listAutosaves(); },
  }), [trainer, store]);
}

/** Asks the worker to start the preferred backend once the URL config is loaded, and again
 * when the user picks another preferred backend while no run is active. Start stays disabled
 * until the worker answers, so a run never races the backend start-up. */
export function useBackendInit(): void {
  const commands = useRunCommands();
  const store = useAppStoreApi();
  // A ref, not an effect-local variable: StrictMode re-runs the effect and must not re-send init.
  const lastSent = useRef<BackendName | null>(null);
  useEffect(() => {
    const sync = (): void => {
      const s = store.getState();
      const preferred = s.config.backend;
      if (preferred === lastSent.current || !s.isWorkerAlive || !selectCanEditConfig(s) || s.pending) return;
      lastSent.current = preferred;
      commands.init(preferred);
    };
    sync();
    return store.subscribe(sync);
  }, [commands, store]);
}

/** Starts one run as soon as Start is enabled when `isEnabled` (the `?autostart=1` flow), e.g.
 * after the backend answered. Runs once per page even under StrictMode's double effects. */
export function useAutostart(isEnabled: boolean, maxSteps: number | null): void {
  const commands = useRunCommands();
  const store = useAppStoreApi();
  const hasStarted = useRef(false);
  useEffect(() => {
    if (!isEnabled) return;
    const tryStart = (): void => {
      if (hasStarted.current || !selectControls(store.getState()).canStart) return;
      hasStarted.current = true;
      commands.start(maxSteps);
    };
    tryStart();
    return store.subscribe(tryStart);
  }, [isEnabled, maxSteps, commands, store]);
}
