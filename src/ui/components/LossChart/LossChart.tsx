/**
 * LossChart: the training loss on the selected pairs and the mean loss over all C(N,2) pairs of
 * the selection forward, vs step. With HVP "hard" the selected-pair loss sits above the mean;
 * the gap is how much harder the chosen pairs are than an average pair.
 * Must not import: zustand, recharts, tfjs.
 */
import { useMemo } from 'react';
import { SeriesChart, type SeriesSpec } from '../../charts/SeriesChart/SeriesChart';
import { selectPlottedSteps, selectShownConfig, toLossRows } from '../../store/selectors';
import { useAppStore } from '../../store/useAppStore';
import { Panel } from '../Panel/Panel';
import parts from '../Panel/ChartParts.module.css';
import styles from './LossChart.module.css';

const SERIES: readonly SeriesSpec[] = [
  { key: 'loss', label: 'selected pair (trained on)', color: '#d4380d', width: 1.8 },
  { key: 'meanPairLoss', label: 'mean over all pairs', color: '#1f54c4', isDashed: true },
];

/** Loss vs step. */
export function LossChart() {
  const steps = useAppStore((s) => s.steps);
  const latest = useAppStore((s) => s.latestMetrics);
  const logEvery = useAppStore((s) => selectShownConfig(s).logEvery);
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
      aside={aside}
      caption="SimSiam negative cosine loss (−1 is perfect agreement). Red: the pairs actually trained on; blue: the mean over every pair of views, from the selection pass."
    >
      {rows.length === 0 ? (
        <p className={`${parts.empty} ${styles.accent}`}>The loss appears after the first logged step (every {logEvery} step{logEvery > 1 ? 's' : ''}).</p>
      ) : (
        <SeriesChart data={rows} series={SERIES} ariaLabel="Loss of the selected pair and mean loss over all pairs vs step" />
      )}
    </Panel>
  );
}
