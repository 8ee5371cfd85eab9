/**
 * IouChart: does HVP pick pairs with little overlap? Plots the crop-box IoU of the selected pairs
 * against the mean IoU over all pairs and the IoU of a random pair (a seeded baseline,
 * core/train/telemetry.ts randomPairIou), and the running fraction of images whose selected pair
 * is their lowest-IoU pair, against the chance level 1 / C(N,2) of a random pick. DINO / iBOT: the
 * chosen combination's two global views among the (N/2)² even × odd candidate global pairs.
 * IoU (0–1) is on the left axis, the hit rate and its chance line in % on the right axis.
 * Must not import: zustand, recharts, tfjs.
 */
import { useMemo } from 'react';
import { SeriesChart, type AxisSpec, type ReferenceSpec, type SeriesSpec } from '../../charts/SeriesChart/SeriesChart';
import { chanceOfLowestIou, iouPolicyMissTotals, lastRunningHitRate, selectPlottedSteps, selectShownConfig, toIouRows, type IouRow } from '../../store/selectors';
import { useAppStore, useAppStoreShallow } from '../../store/useAppStore';
import { numViewPairs } from '../../store/viewPairs';
import { Panel } from '../Panel/Panel';
import parts from '../Panel/ChartParts.module.css';
import styles from './IouChart.module.css';

const SERIES: readonly SeriesSpec[] = [
  { key: 'selectedIou', label: 'IoU of selected pair', color: '#d4380d', width: 1.8 },
  { key: 'meanIou', label: 'mean IoU of all pairs', color: '#1f54c4', isDashed: true },
  { key: 'randomPairIou', label: 'IoU of a random pair', color: '#8c8c8c', width: 1.2 },
  { key: 'runningHitRatePct', label: 'running share: selected = lowest-IoU pair (%, right axis)', color: '#17713a', width: 2, isRightAxis: true },
];

/** Without a selection (HVP off) there is no hit rate: the IoU lines only. */
const IOU_SERIES = SERIES.filter((s) => !s.isRightAxis);
/** hvpMode iouPolicy: the IoU lines and the policy's scheduled bound. */
const POLICY_SERIES: readonly SeriesSpec[] = [...IOU_SERIES, { key: 'iouPolicyBound', label: 'IoU policy bound (pairs are drawn below it)', color: '#222222', isDashed: true, width: 1.4 }];

const pct = (v: number): string => `${(100 * v).toFixed(1)} %`;
/** Mean over the plotted steps of the chosen pairs' IoU and of all pairs' IoU (HVP's signature: the first below the second). */
function runningIouMeans(rows: readonly IouRow[]): { selected: number; all: number } | null {
  if (rows.length === 0) return null;
  let selected = 0;
  let all = 0;
  for (const r of rows) {
    selected += r.selectedIou;
    all += r.meanIou;
  }
  return { selected: selected / rows.length, all: all / rows.length };
}

/** The hit rate's axis: from 0, zoomed to the data and the chance line, never past 100 %. */
const RIGHT_AXIS: AxisSpec = { domain: [0, 'auto'], limits: [0, 100], label: 'hit rate (%)', formatValue: (v) => `${v.toFixed(1)} %` };

/** IoU and lowest-IoU hit rate vs step. */
export function IouChart() {
  const steps = useAppStore((s) => s.steps);
  const viewingStep = useAppStore((s) => s.viewingStep);
  const latest = useAppStore((s) => s.latestMetrics);
  const { numViews, hvpMode, method, batchSize, iouPolicyStart, iouPolicyEnd } = useAppStoreShallow((s) => {
    const c = selectShownConfig(s);
    return { numViews: c.numViews, hvpMode: c.hvpMode, method: c.method, batchSize: c.batchSize, iouPolicyStart: c.iouPolicyStart, iouPolicyEnd: c.iouPolicyEnd };
  });
  const isPolicy = hvpMode === 'iouPolicy';
  const policyMisses = useMemo(() => (isPolicy ? iouPolicyMissTotals(selectPlottedSteps(steps, latest), batchSize) : null), [isPolicy, steps, latest, batchSize]);
  const rows = useMemo(() => toIouRows(selectPlottedSteps(steps, latest)), [steps, latest]);
  // The hit rate in % for the right axis (shown in % everywhere else too).
  const plotted = useMemo(() => rows.map((r) => ({ ...r, runningHitRatePct: r.runningHitRate === null ? null : 100 * r.runningHitRate })), [rows]);
  const isMultiCrop = method === 'dino' || method === 'ibot';
  // DINO / iBOT choose among the (N/2)² even × odd global pairs (core/train/multiCropTelemetry.ts).
  const numCandidates = isMultiCrop ? Math.ceil(numViews / 2) * Math.floor(numViews / 2) : numViewPairs(numViews);
  const chance = isMultiCrop ? (hvpMode === 'off' ? null : 1 / numCandidates) : chanceOfLowestIou({ numViews, hvpMode });
  const hitRate = lastRunningHitRate(rows);
  const references: ReferenceSpec[] = chance !== null ? [{ y: 100 * chance, label: `chance 1/${numCandidates} = ${pct(chance)}`, color: '#17713a', isRightAxis: true }] : [];

  const caption = chance !== null && isMultiCrop ? (
    <>
      {method === 'dino' ? 'DINO' : 'iBOT'}: IoU of the two GLOBAL views of each image’s chosen combination (locals are not
      counted), the mean over its candidate global pairs (even × odd view ids) and a random candidate pair. Green (right
      axis, %): running share of images whose chosen pair is their lowest-overlap candidate; chance (dashed) is 1/(N/2)² = 1/{numCandidates} ≈ {pct(chance)} with
      N = {numViews} global views.
    </>
  ) : chance !== null ? (
    <>
      Green (right axis, %): running share of images whose selected pair is also their lowest-overlap pair. Chance (dashed) is
      1 / C(N,2) = 1/{numViewPairs(numViews)} ≈ {pct(chance)} with N = {numViews} views — what a random pair
      would score. Well above chance means the selection prefers far-apart crops.
    </>
  ) : isPolicy ? (
    <>
      IoU policy (no selection): each image’s two {isMultiCrop ? 'global ' : ''}views are redrawn until their crop IoU is below the
      bound (dashed black), which falls linearly from {iouPolicyStart} to {iouPolicyEnd} over the run; red is the IoU of the kept
      pairs. An image whose pair cannot get under the bound in 100 draws keeps its lowest draw and counts as a miss
      {policyMisses ? <> — <span data-testid="iou-policy-misses">{policyMisses.misses}</span> of {policyMisses.images} images in the logged steps</> : null}.
    </>
  ) : (
    <>HVP is off: the model trains on two {isMultiCrop ? 'global ' : ''}views and no selection runs, so there is no hit rate; the IoU lines show the overlap of the two views.</>
  );

  const means = useMemo(() => runningIouMeans(rows), [rows]);
  const aside = hitRate !== null && chance !== null ? (
    <div className={`${parts.latest} ${styles.accent}`} data-testid="iou-hit-rate"
      data-hit-rate={hitRate} data-chance={chance} data-selected-iou={means?.selected} data-mean-iou={means?.all}>
      <span className={parts.value}>{pct(hitRate)}</span>
      <span className={parts.unit}>lowest-IoU hits (chance {pct(chance)})</span>
      {means ? <span className={parts.unit}>chosen IoU {means.selected.toFixed(2)} vs mean {means.all.toFixed(2)}, run so far</span> : null}
    </div>
  ) : null;

  return (
    <Panel title="View overlap (IoU)" testId="chart-iou" numPoints={rows.length} pngFileName="hvp-iou" caption={caption} aside={aside}>
      {rows.length === 0 ? (
        <p className={`${parts.empty} ${styles.accent}`}>IoU appears after the first logged step.</p>
      ) : (
        <SeriesChart
          data={plotted}
          series={chance !== null ? SERIES : isPolicy ? POLICY_SERIES : IOU_SERIES}
          yDomain={[0, 1]}
          yLabel="IoU"
          formatY={(v) => v.toFixed(3)}
          rightAxis={chance !== null ? RIGHT_AXIS : undefined}
          references={references}
          markerStep={viewingStep}
          ariaLabel="IoU of the selected pair, mean IoU of all pairs, IoU of a random pair, and running lowest-IoU hit rate in percent (right axis) vs step, with the chance level"
        />
      )}
    </Panel>
  );
}
