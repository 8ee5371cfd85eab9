/**
 * ProbeChart: linear-probe top-1 on the held-out images vs step, next to kNN top-1, plus the
 * on-demand offline probe (button, progress bar, result). The online probe is warm-started at every
 * evaluation on the detached bank embeddings (no effect on the backbone or the training steps).
 * For a dataset without usable labels it says why nothing is measured. The y axis zooms to the
 * data and the chance line (1 / classes, ../KnnChart/knnChance.ts), in %, within 0–100.
 * Must not import: zustand, recharts, tfjs.
 */
import { useMemo } from 'react';
import { OFFLINE_PROBE_STAGE } from '../../../worker/protocol';
import { SeriesChart, type SeriesSpec } from '../../charts/SeriesChart/SeriesChart';
import { useRunCommands } from '../../hooks/useTrainer';
import { datasetLabelInfo } from '../../store/datasetSelectors';
import { selectLatestProbe, toProbeRows } from '../../store/evaluationSelectors';
import { knnScheduleText, selectShownConfig } from '../../store/selectors';
import { useAppStore } from '../../store/useAppStore';
import { InfoTip } from '../InfoTip/InfoTip';
import { chanceReferences, numDatasetClasses } from '../KnnChart/knnChance';
import { Panel } from '../Panel/Panel';
import parts from '../Panel/ChartParts.module.css';
import styles from './ProbeChart.module.css';

const SERIES: readonly SeriesSpec[] = [
  { key: 'probe', label: 'linear probe top-1 (%)', color: '#b4540a', width: 2, hasDots: true },
  { key: 'knn', label: 'kNN top-1 (%)', color: '#6b3fa0', isDashed: true, hasDots: true },
];

const ONLINE_TIP =
  'Online probe: a softmax-regression classifier on the frozen backbone features (stop-gradient: it never changes the backbone). ' +
  'It lives for the whole run; at every kNN evaluation it is warm-started and trained for 40 full-batch Adam steps on the embedded kNN bank ' +
  '(train split, standardised features), then scored on the held-out images. Unlike solo-learn\'s per-step probe it adds no work and no GPU→CPU read to training steps. ' +
  'A resumed run starts a fresh probe.';
const OFFLINE_TIP =
  'Offline probe: a fresh linear classifier trained from scratch for 300 Adam steps on the embedded train split, scored on the held-out images. ' +
  'The embedding runs between two training steps; the training of the probe then runs alongside the run without blocking it.';

/** Linear-probe accuracy vs step and the offline probe. */
export function ProbeChart() {
  const evaluations = useAppStore((s) => s.evaluations);
  const knn = useAppStore((s) => s.knn);
  const viewingStep = useAppStore((s) => s.viewingStep);
  const offline = useAppStore((s) => s.offlineProbe);
  const progress = useAppStore((s) => (s.progress?.stage === OFFLINE_PROBE_STAGE ? s.progress.fraction : null));
  const runState = useAppStore((s) => s.runState);
  const knnEvery = useAppStore((s) => selectShownConfig(s).knnEvery);
  const totalSteps = useAppStore((s) => selectShownConfig(s).totalSteps);
  const datasetRef = useAppStore((s) => selectShownConfig(s).dataset);
  const storedDatasets = useAppStore((s) => s.storedDatasets);
  const labels = useMemo(() => datasetLabelInfo(datasetRef, storedDatasets), [datasetRef, storedDatasets]);
  const references = useMemo(() => chanceReferences(numDatasetClasses(datasetRef, storedDatasets)), [datasetRef, storedDatasets]);
  const commands = useRunCommands();
  const rows = useMemo(() => toProbeRows(evaluations.points, knn.points), [evaluations, knn]);
  const latest = selectLatestProbe(evaluations.points);
  const schedule = knnScheduleText({ knnEvery, totalSteps }, latest !== null);
  const hasModel = runState !== 'idle' && runState !== 'preparing';
  const isBusy = offline.requestId !== null;

  const aside = (
    <div className={`${parts.latest} ${styles.accent}`}>
      <span className={parts.value} data-testid="probe-value" data-value={latest?.linearProbe ? latest.linearProbe.top1 : ''}>
        {latest?.linearProbe ? `${(100 * latest.linearProbe.top1).toFixed(1)} %` : '—'}
      </span>
      <span className={parts.unit}>{latest ? `online probe at step ${latest.step}` : labels.hasUsableLabels ? 'no evaluation yet' : 'not measured: no usable labels'}</span>
    </div>
  );

  return (
    <Panel
      title="Linear probe"
      testId="chart-linear-probe"
      numPoints={rows.length}
      pngFileName="hvp-linear-probe"
      aside={aside}
      caption={<>Top-1 of a linear classifier on frozen features, next to kNN. <InfoTip label="the online linear probe" text={ONLINE_TIP} /></>}
    >
      {!labels.hasUsableLabels ? (
        <p className={`${parts.empty} ${styles.accent}`} data-testid="probe-hidden">{labels.reason}</p>
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
          ariaLabel="Linear probe and kNN top-1 accuracy in percent vs step, with the chance level"
          markerStep={viewingStep}
        />
      )}
      {labels.hasUsableLabels ? (
        <div className={styles.offline} data-testid="offline-probe">
          <button type="button" data-testid="offline-probe-button" disabled={!hasModel || isBusy} onClick={() => commands.linearProbe()}>
            {isBusy ? 'Training probe…' : 'Train offline probe'}
          </button>
          <InfoTip label="the offline linear probe" text={OFFLINE_TIP} />
          {isBusy ? (
            <progress className={styles.bar} data-testid="offline-probe-progress" max={1} value={progress ?? 0} aria-label="Offline probe progress" />
          ) : null}
          {!isBusy && offline.result ? (
            <span className={styles.result} data-testid="offline-probe-result" data-value={offline.result.top1}>
              {(100 * offline.result.top1).toFixed(1)} % held-out top-1 (train {(100 * offline.result.trainTop1).toFixed(1)} %) on the step-{offline.result.step} backbone,
              {' '}{offline.result.numTrain} train / {offline.result.numTest} held-out images, {(offline.result.elapsedMs / 1000).toFixed(1)} s
            </span>
          ) : null}
          {!isBusy && offline.failure ? <span className={styles.failure} data-testid="offline-probe-failure">Probe failed: {offline.failure}</span> : null}
          {!hasModel && !isBusy ? <span className={styles.note}>Start a run (or load a checkpoint) to probe its backbone.</span> : null}
        </div>
      ) : null}
    </Panel>
  );
}
