/**
 * StatusLine: one line in the header — backend and adapter, run state, step / stop step,
 * throughput with the time left, the twin run when one exists, and a progress bar while long work
 * (dataset generation, checkpoint loading, evaluation) runs. Every wait has words: before a run's
 * first logged step it says what the page is doing and for how long (statusText.ts); after Pause it
 * says "pausing after this step…" until the step in flight ends.
 * Must not import: zustand, recharts, tfjs.
 */
import { useEffect, useRef, useState } from 'react';
import type { RunConfig } from '../../../core/config/runConfig';
import type { RunState } from '../../../worker/protocol';
import { selectStopStep } from '../../store/selectors';
import { useAppStore } from '../../store/useAppStore';
import { etaText, waitText } from './statusText';
import styles from './StatusLine.module.css';

const STATE_CLASS: Record<RunState, string> = {
  idle: styles.idle, preparing: styles.busy, running: styles.running, paused: styles.paused,
  stopped: styles.idle, done: styles.done, failed: styles.failed,
};

/** Formats a count with thin grouping (12 345). */
function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US').replace(/,/g, '\u202f');
}

/**
 * While the run is running and no new metrics have arrived since it (re)started: how long it has
 * waited, and whether no step of this run (or loaded checkpoint) has been taken yet. Null otherwise.
 */
function useRunWait(): { elapsedMs: number; isFirstStep: boolean } | null {
  const runState = useAppStore((s) => s.runState);
  const latest = useAppStore((s) => s.latestMetrics);
  const runConfig = useAppStore((s) => s.runConfig);
  const [segment, setSegment] = useState<{ start: number; latest: unknown } | null>(null);
  const stepped = useRef<RunConfig | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const latestRef = useRef(latest);
  latestRef.current = latest;

  useEffect(() => {
    setSegment(runState === 'running' ? { start: Date.now(), latest: latestRef.current } : null);
  }, [runState]);
  const isWaiting = segment !== null && latest === segment.latest;
  if (segment !== null && !isWaiting) stepped.current = runConfig;
  useEffect(() => {
    if (!isWaiting) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [isWaiting]);
  if (!isWaiting) return null;
  return { elapsedMs: Math.max(0, now - segment.start), isFirstStep: stepped.current !== runConfig };
}

/** Props of StatusLine. */
export interface StatusLineProps {
  /** Early stop from `?maxSteps=`: every run started from this page stops there. */
  maxSteps?: number | null;
}

/** Header status of backend, run and throughput. */
export function StatusLine({ maxSteps }: StatusLineProps) {
  const backend = useAppStore((s) => s.backend);
  const isWorkerAlive = useAppStore((s) => s.isWorkerAlive);
  const runState = useAppStore((s) => s.runState);
  const isPausing = useAppStore((s) => s.runState === 'running' && s.isPauseRequested);
  const step = useAppStore((s) => s.step);
  const storeStop = useAppStore(selectStopStep);
  const logEvery = useAppStore((s) => (s.runConfig ?? s.config).logEvery);
  const latest = useAppStore((s) => s.latestMetrics);
  const progress = useAppStore((s) => s.progress);
  const stateMessage = useAppStore((s) => s.stateMessage);
  const twin = useAppStore((s) => s.twin);
  const wait = useRunWait();
  const stopStep = maxSteps != null ? Math.min(storeStop, maxSteps) : storeStop;

  const backendText = backend
    ? `${backend.name}${backend.adapter ? ` · ${backend.adapter}` : ''}${backend.isSoftware ? ' (software GPU)' : ''}`
    : isWorkerAlive ? 'starting…' : 'no worker';
  let waitMessage: string | null = null;
  if (isPausing) waitMessage = 'pausing after this step…';
  else if (wait) {
    const nextLoggedStep = Math.min(stopStep, (Math.floor(step / logEvery) + 1) * logEvery);
    waitMessage = waitText({ ...wait, backendName: backend?.name ?? null, isSoftwareGpu: backend?.isSoftware ?? false, nextLoggedStep });
  }
  const eta = runState === 'running' && !wait && latest ? etaText(stopStep - step, latest.msPerStep) : null;
  const shownMessage = waitMessage ?? (stateMessage && (runState === 'preparing' || runState === 'failed') ? stateMessage : null);

  return (
    <div className={styles.status} aria-label="Status">
      <span className={styles.item} data-testid="status-backend" data-backend={backend?.name ?? ''} title={backend?.fallbackReason ?? undefined}>
        <span className={styles.key}>Backend</span> {backendText}
      </span>
      <span className={styles.item}>
        <span className={styles.key}>State</span>{' '}
        <span className={`${styles.state} ${STATE_CLASS[runState]}`} data-testid="run-state" data-pausing={isPausing ? '1' : undefined} title={stateMessage ?? undefined}>
          {isPausing ? 'pausing' : runState}
        </span>
        {shownMessage ? <span className={styles.stateMessage} data-testid="status-message"> {shownMessage}</span> : null}
      </span>
      <span className={styles.item} data-testid="status-step" data-step={step}>
        <span className={styles.key}>Step</span> <span className="mono">{formatCount(step)} / {formatCount(stopStep)}</span>
      </span>
      <span className={styles.item} data-testid="status-throughput">
        <span className={styles.key}>Speed</span>{' '}
        <span className="mono">
          {latest ? `${formatCount(latest.imagesPerSec)} img/s · ${latest.msPerStep.toFixed(0)} ms/step` : '—'}
        </span>
        {eta ? <span className={styles.stateMessage} data-testid="status-eta"> · {eta}</span> : null}
      </span>
      {twin.phase !== 'idle' ? (
        <span className={styles.item} data-testid="status-twin">
          <span className={styles.key}>Twin run</span>{' '}
          <span className={`${styles.state} ${STATE_CLASS[twin.phase]}`}>{twin.phase}</span>{' '}
          <span className="mono">{formatCount(twin.step)} / {formatCount(twin.targetStep)}</span>
        </span>
      ) : null}
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
