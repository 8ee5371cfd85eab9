/**
 * StatusLine: one line in the header — backend and adapter, run state, step / stop step,
 * throughput, and a progress bar while long work (dataset generation, evaluation) runs.
 * Must not import: zustand, recharts, tfjs.
 */
import type { RunState } from '../../../worker/protocol';
import { selectStopStep } from '../../store/selectors';
import { useAppStore } from '../../store/useAppStore';
import styles from './StatusLine.module.css';

const STATE_CLASS: Record<RunState, string> = {
  idle: styles.idle, preparing: styles.busy, running: styles.running, paused: styles.paused,
  stopped: styles.idle, done: styles.done, failed: styles.failed,
};

/** Formats a count with thin grouping (12 345). */
function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US').replace(/,/g, '\u202f');
}

/** Header status of backend, run and throughput. */
export function StatusLine() {
  const backend = useAppStore((s) => s.backend);
  const isWorkerAlive = useAppStore((s) => s.isWorkerAlive);
  const runState = useAppStore((s) => s.runState);
  const step = useAppStore((s) => s.step);
  const stopStep = useAppStore(selectStopStep);
  const latest = useAppStore((s) => s.latestMetrics);
  const progress = useAppStore((s) => s.progress);
  const stateMessage = useAppStore((s) => s.stateMessage);

  const backendText = backend
    ? `${backend.name}${backend.adapter ? ` · ${backend.adapter}` : ''}`
    : isWorkerAlive ? 'backend: not chosen yet' : 'no worker';

  return (
    <div className={styles.status} aria-label="Status">
      <span className={styles.item} data-testid="status-backend" data-backend={backend?.name ?? ''} title={backend?.fallbackReason ?? undefined}>
        <span className={styles.key}>Backend</span> {backendText}
      </span>
      <span className={styles.item}>
        <span className={styles.key}>State</span>{' '}
        <span className={`${styles.state} ${STATE_CLASS[runState]}`} data-testid="run-state" title={stateMessage ?? undefined}>{runState}</span>
        {stateMessage && (runState === 'preparing' || runState === 'failed') ? (
          <span className={styles.stateMessage} data-testid="status-message"> {stateMessage}</span>
        ) : null}
      </span>
      <span className={styles.item} data-testid="status-step" data-step={step}>
        <span className={styles.key}>Step</span> <span className="mono">{formatCount(step)} / {formatCount(stopStep)}</span>
      </span>
      <span className={styles.item} data-testid="status-throughput">
        <span className={styles.key}>Speed</span>{' '}
        <span className="mono">
          {latest ? `${formatCount(latest.imagesPerSec)} img/s · ${latest.msPerStep.toFixed(0)} ms/step` : '—'}
        </span>
      </span>
      {progress ? (
        <span className={styles.progress} data-testid="status-progress" role="progressbar"
          aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(progress.fraction * 100)} aria-label={progress.stage}>
          <span className={styles.stage}>{progress.stage}</span>
          <span className={styles.bar}><span className={styles.fill} style={{ width: `${Math.round(progress.fraction * 100)}%` }} /></span>
          <span className="mono">{Math.round(progress.fraction * 100)}%</span>
        </span>
      ) : null}
    </div>
  );
}
