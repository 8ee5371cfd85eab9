/**
 * LossChart: the training loss on the selected pairs and the mean loss over all C(N,2) pairs of
 * the selection forward, vs step. With HVP "hard" the selected-pair loss sits above the mean;
 * the gap is how much harder the chosen pairs are than an average pair.
 * Must not import: zustand, recharts, tfjs.
 */
import { useMemo } from 'react';
import type { MethodName } from '../../../core/config/runConfig';
import { SeriesChart, type SeriesSpec } from '../../charts/SeriesChart/SeriesChart';
import { selectPlottedSteps, selectShownConfig, toLossRows } from '../../store/selectors';
import { useAppStore } from '../../store/useAppStore';
import { Panel } from '../Panel/Panel';
import parts from '../Panel/ChartParts.module.css';
import styles from './LossChart.module.css';

/** What the loss of each method is, for the caption. */
const LOSS_MEANING: Record<MethodName, string> = {
  simsiam: 'SimSiam negative cosine loss (−1 is perfect agreement)',
  simclr: 'SimCLR NT-Xent loss (lower is better; the other images of the batch are the negatives, so its floor depends on the batch size)',
  byol: 'BYOL loss 2 − 2·cos between online predictions and target projections (0 is perfect agreement)',
  dino: 'DINO loss: cross-entropy between the teacher distribution of each global view and the student distribution of every other view (≥ 0; it falls as the student matches the sharpened, centred teacher)',
  ibot: 'iBOT loss: DINO-style CLS cross-entropy plus the masked-patch cross-entropy of the two global views (≥ 0, lower is better)',
};

const SERIES: readonly SeriesSpec[] = [
  { key: 'loss', label: 'selected pair (trained on)', color: '#d4380d', width: 1.8 },
  { key: 'meanPairLoss', label: 'mean over all pairs', color: '#1f54c4', isDashed: true },
];

/** Loss vs step. */
export function LossChart() {
  const steps = useAppStore((s) => s.steps);
  const latest = useAppStore((s) => s.latestMetrics);
  const logEvery = useAppStore((s) => selectShownConfig(s).logEvery);
  const method = useAppStore((s) => selectShownConfig(s).method);
  const viewingStep = useAppStore((s) => s.viewingStep);
  const rows = useMemo(() => toLossRows(selectPlottedSteps(steps, latest)), [steps, latest]);

  const aside = latest ? (
    <div className={`${parts.latest} ${styles.accent}`}>
      <span className={parts.value}>{latest.loss.toFixed(3)}</span>
      <span className={parts.unit}>loss at step {latest.step}</span>
    </div>
  ) : null;

  return (
    <Panel
      title="Loss"
      testId="chart-loss"
      numPoints={rows.length}
      pngFileName="hvp-loss"
      aside={aside}
      caption={`${LOSS_MEANING[method]}. Red: the pairs actually trained on; blue: the mean over every pair of views, from the selection pass.`}
    >
      {rows.length === 0 ? (
        <p className={`${parts.empty} ${styles.accent}`}>The loss appears after the first logged step (every {logEvery} step{logEvery > 1 ? 's' : ''}).</p>
      ) : (
        <SeriesChart data={rows} series={SERIES} ariaLabel="Loss of the selected pair and mean loss over all pairs vs step" markerStep={viewingStep} />
      )}
    </Panel>
  );
}
