/**
 * HealthPanel: collapse health of the held-out embeddings at every evaluation — the std of the
 * L2-normalised embeddings (mean over dims) in units of 1/√d, and the effective rank — with a
 * warning when the run collapses (std < 0.2/√d or effective rank < 2). Works without labels.
 * Must not import: zustand, recharts, tfjs.
 */
import { useMemo } from 'react';
import { SeriesChart, type SeriesSpec } from '../../charts/SeriesChart/SeriesChart';
import { collapseText, MIN_EFFECTIVE_RANK, STD_COLLAPSE_RATIO, toHealthRows } from '../../store/evaluationSelectors';
import { knnScheduleText, selectShownConfig } from '../../store/selectors';
import { useAppStore } from '../../store/useAppStore';
import { InfoTip } from '../InfoTip/InfoTip';
import { Panel } from '../Panel/Panel';
import parts from '../Panel/ChartParts.module.css';
import styles from './HealthPanel.module.css';

const STD_SERIES: readonly SeriesSpec[] = [{ key: 'stdRatio', label: 'std · √d', color: '#0f6e8c', width: 2, hasDots: true }];
const RANK_SERIES: readonly SeriesSpec[] = [{ key: 'effectiveRank', label: 'effective rank', color: '#8c2f6e', width: 2, hasDots: true }];

const TIP =
  'std · √d: the std over held-out images of each dimension of the L2-normalised embedding, averaged over the d dims, times √d. ' +
  'Unit vectors spread evenly over d dims give 1; a collapsed run (every image → one point) gives 0. SimSiam (Chen & He 2021, §4) shows collapsed runs near 0 and healthy ones near 1, ' +
  `so the warning fires below ${STD_COLLAPSE_RATIO}, far from both. Effective rank (Roy & Vetterli 2007; RankMe, Garrido et al. 2023): exp of the entropy of the normalised singular values of the centred embedding matrix, ` +
  `from 1 (one direction) to min(images, d). Below ${MIN_EFFECTIVE_RANK} all variance lies on one axis (dimensional collapse), so no linear classifier separates more than two groups.`;

/** Collapse health vs step and the collapse warning. */
export function HealthPanel() {
  const evaluations = useAppStore((s) => s.evaluations);
  const viewingStep = useAppStore((s) => s.viewingStep);
  const knnEvery = useAppStore((s) => selectShownConfig(s).knnEvery);
  const totalSteps = useAppStore((s) => selectShownConfig(s).totalSteps);
  const rows = useMemo(() => toHealthRows(evaluations.points), [evaluations]);
  const latest = evaluations.points.at(-1) ?? null;
  const warning = latest ? collapseText(latest.health) : null;
  const state = latest ? (warning ? 'collapsed' : 'healthy') : 'none';

  const aside = (
    <div className={`${parts.latest} ${styles.accent}`} data-testid="health-values" data-state={state}
      data-std-ratio={latest ? latest.health.meanStd / latest.health.uniformStd : ''} data-effective-rank={latest ? latest.health.effectiveRank : ''}>
      <span className={parts.value}>{latest ? `${(latest.health.meanStd / latest.health.uniformStd).toFixed(2)} · rank ${latest.health.effectiveRank.toFixed(1)}` : '—'}</span>
      <span className={parts.unit}>{latest ? `std·√d and effective rank (of ≤ ${latest.health.maxRank}) at step ${latest.step}` : 'no evaluation yet'}</span>
    </div>
  );

  return (
    <Panel
      title="Collapse health"
      testId="panel-health"
      numPoints={rows.length}
      pngFileName="hvp-collapse-health"
      aside={aside}
      caption={<>Spread of the held-out embeddings: std·√d (1 = evenly spread, 0 = collapsed) and effective rank. <InfoTip label="collapse health" text={TIP} /></>}
    >
      {warning ? (
        <p className={styles.warning} role="alert" data-testid="health-warning">{warning}</p>
      ) : latest ? (
        <p className={styles.ok} data-testid="health-ok">No collapse at step {latest.step} (d = {latest.health.dim}, {latest.health.numSamples} held-out images).</p>
      ) : null}
      {rows.length === 0 ? (
        <p className={`${parts.empty} ${styles.accent}`}>{knnScheduleText({ knnEvery, totalSteps }, false)}</p>
      ) : (
        <div className={styles.charts}>
          <SeriesChart data={rows} series={STD_SERIES} yDomain={[0, 'auto']} formatY={(v) => v.toFixed(2)} height={160}
            references={[{ y: STD_COLLAPSE_RATIO, label: `collapse < ${STD_COLLAPSE_RATIO}`, color: '#b42318' }, { y: 1, label: 'even spread = 1', color: '#5a6472' }]}
            ariaLabel="Embedding std times square root of the dimension vs step" markerStep={viewingStep} />
          <SeriesChart data={rows} series={RANK_SERIES} yDomain={[0, 'auto']} formatY={(v) => v.toFixed(1)} height={160}
            references={[{ y: MIN_EFFECTIVE_RANK, label: `collapse < ${MIN_EFFECTIVE_RANK}`, color: '#b42318' }]}
            ariaLabel="Effective rank of the held-out embeddings vs step" markerStep={viewingStep} />
        </div>
      )}
    </Panel>
  );
}
