/**
 * ProblemNote: a panel's inline error — what is wrong and what to do — as the Analysis and Sweeps
 * panels show a refused file or a failed fit (role="alert", so screen readers announce it).
 * Must not import: zustand, recharts, tfjs.
 */
import styles from './ProblemNote.module.css';

export function ProblemNote({ message, hint, testId }: { message: string; hint: string; testId: string }) {
  return (
    <div className={styles.problem} role="alert" data-testid={testId}>
      <p className={styles.problemText}>{message}</p>
      {hint ? <p className={styles.hint}>{hint}</p> : null}
    </div>
  );
}
