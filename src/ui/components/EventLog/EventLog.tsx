/**
 * EventLog: a collapsible list of everything the worker reported (info, warnings, errors —
 * dismissed banners included), newest first, so nothing shown once is lost.
 * Must not import: zustand, recharts, tfjs.
 */
import { useAppStore } from '../../store/useAppStore';
import styles from './EventLog.module.css';

/** The worker's log lines and errors. */
export function EventLog() {
  const logs = useAppStore((s) => s.logs);
  const numProblems = logs.filter((l) => l.level !== 'info').length;
  return (
    <details className={styles.log} data-testid="event-log">
      <summary className={styles.summary}>
        Event log ({logs.length}{numProblems > 0 ? `, ${numProblems} warnings/errors` : ''})
      </summary>
      {logs.length === 0 ? (
        <p className={styles.empty}>Nothing reported yet.</p>
      ) : (
        <ol className={styles.list} reversed>
          {[...logs].reverse().map((l) => (
            <li key={`${l.level}-${l.seq}`} className={styles[l.level]}>
              <span className={styles.meta}>step {l.step} · {l.level}</span> {l.message}
            </li>
          ))}
        </ol>
      )}
    </details>
  );
}
