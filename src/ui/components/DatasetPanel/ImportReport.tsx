/**
 * ImportReport: the outcome of the last import — what was stored (count, classes, time), its
 * warnings, and every skipped file with the reason; that the files were already stored (the set
 * is selected, nothing new stored) or that the set got "name (2)" because the name was taken; or,
 * for a failed import, an alert naming the file and the problem, with a note that nothing else changed.
 * Must not import: zustand, recharts, tfjs.
 */
import type { SkippedFile } from '../../../worker/datasetProtocol';
import type { DatasetReport } from '../../store/datasetSlice';
import { describeClasses, formatBytes } from './datasetText';
import styles from './DatasetPanel.module.css';

/** Skipped files shown before "… and N more". */
const MAX_SKIPPED_SHOWN = 50;

function SkippedList({ skipped }: { skipped: SkippedFile[] }) {
  if (skipped.length === 0) return null;
  const shown = skipped.slice(0, MAX_SKIPPED_SHOWN);
  return (
    <details className={styles.skipped} open={skipped.length <= 10} data-testid="dataset-skipped">
      <summary>{skipped.length.toLocaleString('en-US')} file{skipped.length > 1 ? 's' : ''} skipped</summary>
      <ul>
        {shown.map((s, i) => (
          <li key={`${s.path}#${i}`} data-testid="dataset-skipped-item"><code>{s.path}</code>: {s.reason}</li>
        ))}
        {skipped.length > shown.length ? <li>… and {(skipped.length - shown.length).toLocaleString('en-US')} more</li> : null}
      </ul>
    </details>
  );
}

/** Props of ImportReport. */
export interface ImportReportProps {
  report: DatasetReport;
  onDismiss: () => void;
}

/** The last import's outcome. */
export function ImportReport({ report, onDismiss }: ImportReportProps) {
  const close = <button type="button" className={styles.close} aria-label="Dismiss" onClick={onDismiss}>×</button>;
  if (report.kind === 'imported') {
    const m = report.meta;
    const selection = report.isSelected ? 'Selected for the next run.' : 'A run is active: select it after the run.';
    return (
      <div className={styles.reportOk} role="status" data-testid="dataset-report" data-kind="imported" data-duplicate={report.isDuplicate}>
        <div className={styles.reportHead}>
          <strong>{report.isDuplicate ? `Already imported as “${m.name}”` : `Imported “${m.name}”`}</strong>
          {close}
        </div>
        {report.isDuplicate ? (
          <p data-testid="dataset-duplicate">
            These files hold the same {m.numImages.toLocaleString('en-US')} images as the stored set “{m.name}” ({describeClasses(m)},{' '}
            {m.imageSize}×{m.imageSize}), so nothing new was stored. {selection}
          </p>
        ) : (
          <p>
            {m.numImages.toLocaleString('en-US')} images, {describeClasses(m)}, {m.imageSize}×{m.imageSize},{' '}
            {formatBytes(m.numBytes)}, in {(report.elapsedMs / 1000).toFixed(1)} s.{' '}
            {selection}
          </p>
        )}
        {report.renamedFrom !== null ? (
          <p data-testid="dataset-renamed">
            Named “{m.name}”: a stored set with other images is already called “{report.renamedFrom}”.
          </p>
        ) : null}
        {report.warnings.length > 0 ? (
          <ul className={styles.warnings} data-testid="dataset-warnings">
            {report.warnings.map((w) => <li key={w}>{w}</li>)}
          </ul>
        ) : null}
        <SkippedList skipped={report.skipped} />
      </div>
    );
  }
  return (
    <div className={styles.reportError} role="alert" data-testid="dataset-error" data-kind={report.kind}>
      <div className={styles.reportHead}>
        <strong>{report.kind === 'failed' ? `Could not import ${report.source}` : 'Dataset storage problem'}</strong>
        {close}
      </div>
      <p data-testid="dataset-error-message">{report.message}</p>
      <p className={styles.hint}>{report.hint}</p>
      {report.kind === 'failed' ? <SkippedList skipped={report.skipped} /> : null}
    </div>
  );
}
