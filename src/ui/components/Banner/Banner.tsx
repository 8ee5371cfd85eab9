/**
 * Banner: the stack of page-wide notices under the header — the backend fallback ("WebGPU
 * unavailable: …") and every error that has not been dismissed (message + what to do).
 * Dismissing hides a banner; so does a later success of the same action (a checkpoint that
 * loads clears the banner of one that failed, see dismissErrorsOf). The error stays in the event log.
 * Must not import: zustand, recharts, tfjs.
 */
import type { ReactNode } from 'react';
import type { BackendName } from '../../../core/config/runConfig';
import { selectShownConfig, selectVisibleErrors } from '../../store/selectors';
import { useAppStore, useAppStoreApi } from '../../store/useAppStore';
import styles from './Banner.module.css';

const BACKEND_LABELS: Record<BackendName, string> = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WebAssembly (wasm)', cpu: 'CPU' };

interface BannerBoxProps {
  tone: 'warn' | 'error';
  testId: string;
  title: string;
  onDismiss: () => void;
  children: ReactNode;
}

function BannerBox({ tone, testId, title, onDismiss, children }: BannerBoxProps) {
  return (
    <div className={`${styles.banner} ${tone === 'error' ? styles.error : styles.warn}`} role={tone === 'error' ? 'alert' : 'status'} data-testid={testId}>
      <div className={styles.text}>
        <strong className={styles.title}>{title}</strong> {children}
      </div>
      <button type="button" className={styles.close} aria-label={`Dismiss: ${title}`} onClick={onDismiss}>×</button>
    </div>
  );
}

/** Backend-fallback and error banners. */
export function Banner() {
  const store = useAppStoreApi();
  const backend = useAppStore((s) => s.backend);
  const isBackendNoteDismissed = useAppStore((s) => s.isBackendNoteDismissed);
  const errors = useAppStore((s) => s.errors);
  const preferred = useAppStore((s) => selectShownConfig(s).backend);
  const visible = selectVisibleErrors(errors);
  const fallbackReason = isBackendNoteDismissed ? null : backend?.fallbackReason ?? null;

  if (!fallbackReason && visible.length === 0) return null;
  return (
    <div className={styles.stack}>
      {backend && fallbackReason ? (
        <BannerBox tone="warn" testId="banner-backend" title={`${BACKEND_LABELS[preferred]} unavailable:`} onDismiss={() => store.getState().dismissBackendNote()}>
          {fallbackReason.replace(/[.\s]+$/, '')}. Training runs on <code>{backend.name}</code> instead, which is slower.
        </BannerBox>
      ) : null}
      {visible.map((e) => (
        <BannerBox key={e.seq} tone="error" testId="banner-error" title={e.isFatal ? 'Error:' : 'Problem:'} onDismiss={() => store.getState().dismissError(e.seq)}>
          <span data-testid="banner-error-message">{e.message}</span>{' '}
          <span className={styles.hint} data-testid="banner-error-hint">{e.hint}</span>
          {e.step > 0 ? <span className={styles.meta}> (at step {e.step})</span> : null}
        </BannerBox>
      ))}
    </div>
  );
}
