/**
 * useQuickDemo: one click that loads the quick demo settings (core/config/presets/quickDemo.ts) and
 * starts the run. On a software GPU (WebGPU emulated on the CPU) the demo runs on wasm, which is
 * several times faster there; the settings panel shows the switch like any other setting. A new
 * engine starts first, and the run once the worker has answered.
 * Must not import: tfjs, recharts, zustand.
 */
import { useCallback, useEffect, useRef } from 'react';
import { quickDemoConfig } from '../../core/config/presets/quickDemo';
import { selectCanEditConfig, selectControls } from '../store/selectors';
import { useAppStore, useAppStoreApi } from '../store/useAppStore';
import { useRunCommands } from './useTrainer';

/** Whether the quick demo can start now, and the command that starts it. */
export function useQuickDemo(maxSteps: number | null): { canRun: boolean; run: () => void } {
  const store = useAppStoreApi();
  const commands = useRunCommands();
  const canRun = useAppStore((s) => selectCanEditConfig(s) && selectControls(s).canStart);
  const waiting = useRef<(() => void) | null>(null);
  useEffect(() => () => waiting.current?.(), []);
  const run = useCallback(() => {
    const s = store.getState();
    if (!selectCanEditConfig(s)) return;
    waiting.current?.();
    s.loadConfig(quickDemoConfig(s.config, s.backend?.isSoftware ? 'wasm' : s.config.backend), []);
    // A new engine is started first (useBackendInit sends init on the config change): start once the
    // worker has answered, unless a run was started meanwhile.
    const tryStart = (): void => {
      const now = store.getState();
      if (!selectCanEditConfig(now)) return stop();
      if (!selectControls(now).canStart) return;
      stop();
      commands.start(maxSteps);
    };
    const unsubscribe = store.subscribe(tryStart);
    const stop = (): void => {
      unsubscribe();
      if (waiting.current === stop) waiting.current = null;
    };
    waiting.current = stop;
    tryStart();
  }, [store, commands, maxSteps]);
  return { canRun, run };
}
