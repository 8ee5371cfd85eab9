/**
 * SoftwareGpuBanner: when the GPU in use is a software one (WebGPU emulated on the CPU, e.g.
 * SwiftShader), says so by name and offers, in one click, the quick demo on the wasm engine (several
 * times faster there) or just the switch to wasm for the current settings. Dismissable; it comes
 * back only when another software adapter is reported.
 * Must not import: zustand, recharts, tfjs.
 */
import { useState } from 'react';
import { useQuickDemo } from '../../hooks/useQuickDemo';
import { selectCanEditConfig } from '../../store/selectors';
import { useAppStore, useAppStoreApi } from '../../store/useAppStore';
import styles from './SoftwareGpuBanner.module.css';

/** Props of SoftwareGpuBanner. */
export interface SoftwareGpuBannerProps {
  /** Early stop from `?maxSteps=`, passed to the quick demo's Start. */
  maxSteps: number | null;
}

/** The software-GPU notice with its two offers. */
export function SoftwareGpuBanner({ maxSteps }: SoftwareGpuBannerProps) {
  const store = useAppStoreApi();
  const backend = useAppStore((s) => s.backend);
  const preferred = useAppStore((s) => s.config.backend);
  const canEdit = useAppStore(selectCanEditConfig);
  const demo = useQuickDemo(maxSteps);
  const [dismissedFor, setDismissedFor] = useState<string | null>(null);
  if (!backend?.isSoftware || dismissedFor === backend.adapter) return null;

  const useWasm = () => {
    if (!selectCanEditConfig(store.getState())) return;
    store.getState().setField('backend', 'wasm');
  };
  return (
    <div className={styles.banner} role="status" data-testid="banner-software-gpu">
      <div className={styles.text}>
        <strong>This GPU is a software one</strong> (<span data-testid="software-gpu-name">{backend.adapter}</span>): WebGPU
        runs on the CPU here, so a step of the default settings takes many seconds. The wasm engine is several times
        faster on this machine, and the quick demo shows what HVP does within about a minute.
        <span className={styles.actions}>
          <button type="button" className="action-primary" data-testid="software-gpu-quick-demo" disabled={!demo.canRun} onClick={demo.run}>
            ▶ Run the quick demo on wasm
          </button>
          <button type="button" data-testid="software-gpu-use-wasm" disabled={!canEdit || preferred === 'wasm'} onClick={useWasm}
            title="Keeps your settings and sets the engine to wasm for the next Start.">
            {preferred === 'wasm' ? 'Engine set to wasm' : 'Only switch the engine to wasm'}
          </button>
        </span>
      </div>
      <button type="button" className={styles.close} aria-label="Dismiss: software GPU" onClick={() => setDismissedFor(backend.adapter)}>×</button>
    </div>
  );
}
