/**
 * useQuickDemo: one click that loads the quick demo settings (core/config/presets/quickDemo.ts) and
 * starts the run. On a software GPU (WebGPU emulated on the CPU) the demo runs on wasm, which is
 * several times faster there; the settings panel shows the switch like any other setting.
 * Must not import: tfjs, recharts, zustand.
 */
import { useCallback } from 'react';
import { quickDemoConfig } from '../../core/config/presets/quickDemo';
import { selectCanEditConfig, selectControls } from '../store/selectors';
import { useAppStore, useAppStoreApi } from '../store/useAppStore';
import { useRunCommands } from './useTrainer';

/** Whether the quick demo can start now, and the command that starts it. */
export function useQuickDemo(maxSteps: number | null): { canRun: boolean; run: () => void } {
  const store = useAppStoreApi();
  const commands = useRunCommands();
  const canRun = useAppStore((s) => selectCanEditConfig(s) && selectControls(s).canStart);
  const run = useCallback(() => {
    const s = store.getState();
    if (!selectCanEditConfig(s)) return;
    s.loadConfig(quickDemoConfig(s.config, s.backend?.isSoftware ? 'wasm' : s.config.backend), []);
    commands.start(maxSteps);
  }, [store, commands, maxSteps]);
  return { canRun, run };
}
