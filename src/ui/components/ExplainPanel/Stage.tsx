/**
 * The parts both explain views share: one numbered stage with its caption (Stage) and a signed
 * loss change (signed). ExplainPanel draws pair methods' steps with them, MultiCropStages DINO /
 * iBOT steps; in their own file so the two views do not import each other.
 * Must not import: zustand, recharts, tfjs.
 */
import type { ReactNode } from 'react';
import styles from './ExplainPanel.module.css';

/** One numbered stage with its caption. */
export function Stage({ n, title, caption, testId, children }: { n: number; title: string; caption: string; testId: string; children: ReactNode }) {
  return (
    <section className={styles.stage} data-testid={testId}>
      <h4 className={styles.stageTitle}><span className={styles.num}>{n}</span>{title}</h4>
      <p className={styles.caption}>{caption}</p>
      {children}
    </section>
  );
}

/** A signed change with a true minus sign. */
export const signed = (d: number) => `${d <= 0 ? '−' : '+'}${Math.abs(d).toFixed(4)}`;
