/**
 * KnnChart: weighted kNN top-1 accuracy on the held-out images vs step — the measure of how good
 * the learned representation is (DINO-style weighted vote over a bank of training embeddings).
 * The latest value is printed large; before the first evaluation the panel says when it comes.
 * For a dataset without usable labels (unlabelled, or a single class) it says why it is hidden.
 * DINO / iBOT embed with the teacher backbone, which the caption says. The y axis zooms to the
 * data and the chance line (1 / classes, knnChance.ts), in %, within 0–100.
 * Must not import: zustand, recharts, tfjs.
 */
import { useMemo } from 'react';
import { SeriesChart, type SeriesSpec } from '../../charts/SeriesChart/SeriesChart';
import { datasetLabelInfo } from '../../store/datasetSelectors';
import { knnScheduleText, selectLatestKnn, selectShownConfig, toKnnRows } from '../../store/selectors';
import { useAppStore, useAppStoreShallow } from '../../store/useAppStore';
import { Panel } from '../Panel/Panel';
import parts from '../Panel/ChartParts.module.css';
import styles from './KnnChart.module.css';
import { chanceReferences, numDatasetClasses } from './knnChance';

const SERIES: readonly SeriesSpec[] = [{ key: 'top1', label: 'kNN top-1 (%)', color: '#6b3fa0', width: 2, hasDots: true }];

/** kNN accuracy vs step. */
export function KnnChart() {
  const knn = useAppStore((s) => s.knn);
  const viewingStep = useAppStore((s) => s.viewingStep);
  const cfg = useAppStoreShallow((s) => {
    const c = selectShownConfig(s);
    return { knnEvery: c.knnEvery, totalSteps: c.totalSteps, knnK: c.knnK, numTestImages: c.numTestImages, method: c.method };
  });
  const isMultiCrop = cfg.method === 'dino' || cfg.method === 'ibot';
  const datasetRef = useAppStore((s) => selectShownConfig(s).dataset);
  const storedDatasets = useAppStore((s) => s.storedDatasets);
  const labels = useMemo(() => datasetLabelInfo(datasetRef, storedDatasets), [datasetRef, storedDatasets]);
  const references = useMemo(() => chanceReferences(numDatasetClasses(datasetRef, storedDatasets)), [datasetRef, storedDatasets]);
  const rows = useMemo(() => toKnnRows(knn.points), [knn]);
  const latest = selectLatestKnn(knn);
  const schedule = knnScheduleText(cfg, latest !== null);

  const aside = (
    <div className={`${parts.latest} ${styles.accent}`}>
      <span className={parts.value} data-testid="knn-value" data-value={latest ? latest.top1 : ''}>
        {latest ? `${(100 * latest.top1).toFixed(1)} %` : '—'}
      </span>
      <span className={parts.unit}>{latest ? `top-1 at step ${latest.step}` : labels.hasUsableLabels ? 'no evaluation yet' : 'not measured: no usable labels'}</span>
    </div>
  );

  return (
    <Panel
      title="kNN accuracy"
      testId="chart-knn"
      numPoints={rows.length}
      pngFileName="hvp-knn"
      aside={aside}
      caption={
        <>
          Weighted {cfg.knnK}-NN top-1 on {latest ? latest.numQueries : cfg.numTestImages} held-out images
          {latest ? ` with a bank of ${latest.numBank} training embeddings` : ''}. {schedule}
          {isMultiCrop ? ` ${cfg.method === 'dino' ? 'DINO' : 'iBOT'}: features of the teacher backbone in eval mode (what DINO evaluates); the linear probe, health and PCA panels use the same features.` : ''}
        </>
      }
    >
      {!labels.hasUsableLabels ? (
        <p className={`${parts.empty} ${styles.accent}`} data-testid="knn-hidden">{labels.reason}</p>
      ) : rows.length === 0 ? (
        <p className={`${parts.empty} ${styles.accent}`}>{schedule}</p>
      ) : (
        <SeriesChart
          data={rows}
          series={SERIES}
          yLimits={[0, 100]}
          yLabel="top-1 (%)"
          formatY={(v) => `${v.toFixed(1)} %`}
          references={references}
          height={200}
          ariaLabel="Weighted kNN top-1 accuracy in percent vs step, with the chance level"
          markerStep={viewingStep}
        />
      )}
    </Panel>
  );
}
