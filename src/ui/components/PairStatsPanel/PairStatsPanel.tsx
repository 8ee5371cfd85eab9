/**
 * PairStatsPanel ("What HVP picks"): over the last logged selection steps, how the selected pairs
 * differ from all pairs in crop scale, centre distance and colour-jitter distance — three paired
 * histograms of per-bin shares (core/train/pairStats.ts bins, summed in store/pairStatsWindow.ts).
 * DINO / iBOT: over the global views only (core/train/multiCropTelemetry.ts), said in the caption.
 * Must not import: zustand, recharts, tfjs.
 */
import { useMemo } from 'react';
import type { PairStatName } from '../../../core/hvp/pairStats';
import { PairedHistogram, type HistogramSide } from '../../charts/PairedHistogram/PairedHistogram';
import { binnedMean, PAIR_STATS_WINDOW, sumHistograms, toHistogramRows } from '../../store/pairStatsWindow';
import { selectShownConfig } from '../../store/selectors';
import { useAppStore } from '../../store/useAppStore';
import { Panel } from '../Panel/Panel';
import parts from '../Panel/ChartParts.module.css';
import styles from './PairStatsPanel.module.css';

const SIDES: readonly [HistogramSide, HistogramSide] = [
  { key: 'selected', label: 'selected pairs', color: '#d4380d' },
  { key: 'all', label: 'all pairs', color: '#1f54c4' },
];

/** The three properties: title, x-axis text and what the numbers mean. */
const PROPERTIES: ReadonlyArray<{ name: PairStatName; title: string; xLabel: string; hint: string }> = [
  { name: 'cropScale', title: 'Crop scale', xLabel: 'crop area / image area (each view)', hint: 'smaller = tighter crops' },
  { name: 'centerDistance', title: 'Centre distance', xLabel: 'distance of crop centres / image size', hint: 'larger = crops farther apart' },
  { name: 'jitterDistance', title: 'Colour-jitter distance', xLabel: 'L2 of Δ(brightness, contrast, saturation, hue)', hint: 'larger = more different colours' },
];

/** Paired histograms of what the selection picks vs all pairs. */
export function PairStatsPanel() {
  const pairWindow = useAppStore((s) => s.pairStatsWindow);
  const hvpMode = useAppStore((s) => selectShownConfig(s).hvpMode);
  const method = useAppStore((s) => selectShownConfig(s).method);
  const isMultiCrop = method === 'dino' || method === 'ibot';
  const charts = useMemo(
    () => PROPERTIES.map((p) => {
      const sum = sumHistograms(pairWindow, p.name);
      return {
        ...p,
        rows: sum ? toHistogramRows(sum) : [],
        meanSelected: sum ? binnedMean(sum.selected, sum.lo, sum.hi) : null,
        meanAll: sum ? binnedMean(sum.all, sum.lo, sum.hi) : null,
      };
    }),
    [pairWindow],
  );
  const isSelecting = hvpMode === 'hard' || hvpMode === 'easy';
  const multiCropNote = isMultiCrop
    ? ` ${method === 'dino' ? 'DINO' : 'iBOT'}: pairs of GLOBAL views only — “selected” is the chosen combination’s global pair, “all” every pair of the N globals, including same-parity pairs that are never candidates; the local views are not counted.`
    : '';
  const caption = isSelecting ? (
    <>
      Share of values per bin over the last {PAIR_STATS_WINDOW} logged selection steps: the pair the
      selection kept ({hvpMode}) vs all C(N,2) pairs of the same views. Where the red bars lean away
      from the blue ones, the selection prefers that kind of pair.{multiCropNote}
    </>
  ) : (
    <>
      HVP selection is {hvpMode === 'off' || hvpMode === 'iouPolicy' ? 'off' : 'random'}: the “selected” pair is {hvpMode === 'off' ? 'the only pair' : hvpMode === 'iouPolicy' ? 'the only pair (drawn under the IoU policy)' : 'a random pair'},
      so both sides should look alike. Share of values per bin over the last {PAIR_STATS_WINDOW} logged steps.{multiCropNote}
    </>
  );
  const aside = pairWindow.length > 0 ? (
    <div className={parts.latest} data-testid="pair-stats-steps">
      <span className={parts.value}>{pairWindow.length}</span>
      <span className={parts.unit}>steps in window</span>
    </div>
  ) : null;

  return (
    <Panel title="What HVP picks" testId="pair-stats" numPoints={pairWindow.length} caption={caption} aside={aside} isWide>
      {pairWindow.length === 0 ? (
        <p className={parts.empty}>The histograms appear after the first logged {isSelecting ? 'selection ' : ''}step.</p>
      ) : (
        <div className={styles.grid}>
          {charts.map((c) => (
            <figure key={c.name} className={styles.figure}>
              <figcaption className={styles.title}>
                {c.title}
                <span className={styles.means}>
                  mean ≈ {c.meanSelected?.toFixed(2) ?? '—'} selected · {c.meanAll?.toFixed(2) ?? '—'} all ({c.hint})
                </span>
              </figcaption>
              <PairedHistogram
                data={c.rows}
                sides={SIDES}
                xLabel={c.xLabel}
                testId={`pair-hist-${c.name}`}
                ariaLabel={`${c.title}: share of values per bin, selected pairs vs all pairs`}
              />
            </figure>
          ))}
        </div>
      )}
    </Panel>
  );
}
