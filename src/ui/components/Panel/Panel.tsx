/**
 * Panel: the card every live view sits in — a title, an optional one-line explanation, the
 * content, and the test hooks (`data-testid`, `data-points`) on its outer element.
 * Must not import: zustand, recharts, tfjs.
 */
import type { ReactNode } from 'react';
import styles from './Panel.module.css';

/** Props of Panel. */
export interface PanelProps {
  title: string;
  /** Short explanation under the title (what is plotted, what to look for). */
  caption?: ReactNode;
  /** Content aligned right in the title row (a big number, a button). */
  aside?: ReactNode;
  /** `data-testid` of the panel. */
  testId?: string;
  /** Number of plotted points, exposed as `data-points` for tests. */
  numPoints?: number;
  /** Spans the full width of the panel grid. */
  isWide?: boolean;
  children: ReactNode;
}

/** A titled card. */
export function Panel({ title, caption, aside, testId, numPoints, isWide = false, children }: PanelProps) {
  return (
    <section
      className={`${styles.panel} ${isWide ? styles.wide : ''}`}
      data-testid={testId}
      data-points={numPoints}
      aria-label={title}
    >
      <header className={styles.head}>
        <div>
          <h2 className={styles.title}>{title}</h2>
          {caption ? <p className={styles.caption}>{caption}</p> : null}
        </div>
        {aside ? <div className={styles.aside}>{aside}</div> : null}
      </header>
      <div className={styles.body}>{children}</div>
    </section>
  );
}
