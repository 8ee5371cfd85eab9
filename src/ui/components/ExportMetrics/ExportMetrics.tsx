/**
 * ExportMetrics: "Export CSV" and "Export JSON" buttons for the current run's step metrics and
 * kNN results (from the store). CSV: one row per logged step, kNN merged in by step, every cell a
 * scalar (nested records such as pairStats flattened to columns, export/metricsCsv.ts); JSON: the
 * same records whole plus the run's config and seed. Enabled once a run has logged something.
 * Must not import: zustand, recharts, tfjs.
 */
import { downloadText } from '../../export/download';
import { metricsToCsv } from '../../export/metricsCsv';
import { metricsFileBase, metricsToJson } from '../../export/metricsJson';
import { selectPlottedSteps, selectShownConfig } from '../../store/selectors';
import { useAppStore, useAppStoreApi } from '../../store/useAppStore';
import styles from './ExportMetrics.module.css';

/** The two metric export buttons. */
export function ExportMetrics() {
  const store = useAppStoreApi();
  const hasData = useAppStore((s) => s.steps.points.length > 0 || s.knn.points.length > 0);

  const exportAs = (kind: 'csv' | 'json') => {
    const s = store.getState();
    const config = selectShownConfig(s);
    const steps = selectPlottedSteps(s.steps, s.latestMetrics);
    const base = metricsFileBase(config, s.step);
    if (kind === 'csv') {
      downloadText(metricsToCsv(steps, s.knn.points), `${base}.csv`, 'text/csv;charset=utf-8');
    } else {
      const json = metricsToJson({
        config, runState: s.runState, step: s.step, steps, knn: s.knn.points,
        stepStride: s.steps.stride, numStepsSeen: s.steps.numSeen, exportedAt: new Date().toISOString(),
      });
      downloadText(json, `${base}.json`, 'application/json');
    }
  };

  return (
    <div className={styles.row}>
      <span className={styles.label}>Metrics</span>
      <button type="button" data-testid="btn-export-csv" disabled={!hasData} onClick={() => exportAs('csv')}
        title="Downloads every logged step's metrics as CSV: one row per step, one plain value per cell (pair histograms as pairStats_<name>_selected_<bin> … columns, kNN results as knn_* at their step).">
        Export CSV
      </button>
      <button type="button" data-testid="btn-export-json" disabled={!hasData} onClick={() => exportAs('json')}
        title="Downloads the run's config (with its seed), every logged step's metrics and the kNN results as JSON, nested records whole (the full-fidelity format).">
        Export JSON
      </button>
    </div>
  );
}
