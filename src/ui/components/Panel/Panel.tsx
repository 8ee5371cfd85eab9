/**
 * Panel: the card every live view sits in — a title, an optional one-line explanation, the
 * content, and the test hooks (`data-testid`, `data-points`) on its outer element. With
 * `pngFileName` it adds a small "PNG" button that saves the chart in its body as an image.
 * Must not import: zustand, recharts, tfjs.
 */
import { useRef, useState, type ReactNode } from 'react';
import { chartToPng } from '../../export/chartPng';
import { downloadBlob } from '../../export/download';
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
  /** File name (without `.png`) for the "PNG" export button; no button when absent. */
  pngFileName?: string;
  children: ReactNode;
}

/** A titled card. */
export function Panel({ title, caption, aside, testId, numPoints, isWide = false, pngFileName, children }: PanelProps) {
  const bodyRef = useRef<HTMLDivElement>(null);
  const [pngError, setPngError] = useState<string | null>(null);
  const onPng = () => {
    const body = bodyRef.current;
    if (!body || pngFileName === undefined) return;
    setPngError(null);
    chartToPng(body, title).then(
      (blob) => downloadBlob(blob, `${pngFileName}.png`),
      (e: unknown) => setPngError(e instanceof Error ? e.message : String(e)),
    );
  };
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
        {aside || pngFileName !== undefined ? (
          <div className={styles.aside}>
            {aside}
            {pngFileName !== undefined ? (
              <button type="button" className={styles.pngButton} data-testid="panel-png" onClick={onPng} disabled={numPoints === 0}
                title={`Save the "${title}" chart as a PNG image (2× resolution).`}>
                PNG
              </button>
            ) : null}
          </div>
        ) : null}
      </header>
      {pngError ? <p className={styles.pngError} role="alert">{pngError}</p> : null}
      <div className={styles.body} ref={bodyRef}>{children}</div>
    </section>
  );
}
