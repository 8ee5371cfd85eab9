/**
 * LossChart: the training loss vs step, and from the selection pass (the forward that scores
 * every candidate) the chosen pair's loss against the mean over all C(N,2) pairs. The two
 * selection-pass lines come from one forward, so with HVP "hard" the chosen line is at or above
 * the mean by construction; the gap is how much harder the chosen pairs are than an average pair.
 * The training loss comes from the update pass on the chosen pairs only (BatchNorm sees another
 * batch), so it is drawn on its own and is not comparable line for line. DINO / iBOT: the chosen
 * combination of global and local views against the mean over the candidate combinations.
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
  { key: 'loss', label: 'training loss (update pass)', color: '#d4380d', width: 1.8 },
  { key: 'selectedPairLoss', label: 'chosen pair (selection pass)', color: '#7048e8', isDashed: true },
  { key: 'meanPairLoss', label: 'mean over all pairs (selection pass)', color: '#1f54c4', isDashed: true },
];
const MULTI_CROP_SERIES: readonly SeriesSpec[] = [
  { key: 'loss', label: 'training loss (update pass)', color: '#d4380d', width: 1.8 },
  { key: 'selectedPairLoss', label: 'chosen combination (selection pass)', color: '#7048e8', isDashed: true },
  { key: 'meanPairLoss', label: 'mean over all candidates (selection pass)', color: '#1f54c4', isDashed: true },
];

/** What the three lines are: one pair per image for the pair methods, one combination of 2 global
 * and l local views for DINO / iBOT. */
function seriesText(method: MethodName, numLocalViews: number): string {
  const passes = 'Both dashed lines come from one selection pass, so with "hard" purple is at or above blue; red comes from the update pass on the chosen views alone (other BatchNorm statistics), so it can sit below them.';
  if (method === 'dino') return `Red: training loss. Dashed purple: the chosen combinations; dashed blue: the mean over all candidate combinations — both divided by the ${2 * (2 + numLocalViews) - 2} teacher–student terms HVP sums into a combination's score (the step records say how many), so all three are per term. ${passes}`;
  if (method === 'ibot') return `Red: training loss. Dashed purple: the chosen combinations; dashed blue: the mean over all candidate combinations (CLS mean + patch mean, the same scale). ${passes}`;
  return `Red: training loss. Dashed purple: each image's chosen pair; dashed blue: the mean over all its pairs. ${passes}`;
}

/** Loss vs step. */
export function LossChart() {
  const steps = useAppStore((s) => s.steps);
  const latest = useAppStore((s) => s.latestMetrics);
  const logEvery = useAppStore((s) => selectShownConfig(s).logEvery);
  const method = useAppStore((s) => selectShownConfig(s).method);
  const numLocalViews = useAppStore((s) => selectShownConfig(s).numLocalViews);
  const viewingStep = useAppStore((s) => s.viewingStep);
  // DINO's selection score is a sum over terms (the authors' select_forward), its loss a mean: the
  // step records carry the term count (scoreTerms), and toLossRows puts the dashed lines per term.
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
      caption={`${LOSS_MEANING[method]}. ${seriesText(method, numLocalViews)}`}
    >
      {rows.length === 0 ? (
        <p className={`${parts.empty} ${styles.accent}`}>The loss appears after the first logged step (every {logEvery} step{logEvery > 1 ? 's' : ''}).</p>
      ) : (
        <SeriesChart data={rows} series={method === 'dino' || method === 'ibot' ? MULTI_CROP_SERIES : SERIES} ariaLabel="Training loss, and the chosen pair (combination) and the mean over all candidates from the selection pass, vs step" markerStep={viewingStep} />
      )}
    </Panel>
  );
}
