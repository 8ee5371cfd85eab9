/**
 * The rolling window behind "What HVP picks": the pair-property histograms (core/train/pairStats.ts)
 * of the last PAIR_STATS_WINDOW logged steps, summed bin by bin, and the chart rows built from them.
 *
 * Which steps enter: in hard/easy mode only selection steps (with hvpEvery > 1 the other steps train
 * on a random pair, which would dilute what the selection picks); in random and off modes every
 * logged step (the "selected" pair is the random or only pair there). Records without histograms
 * (older checkpoints) are skipped.
 * Must not import: React, zustand, recharts, tfjs.
 */
import type { RunConfig } from '../../core/config/runConfig';
import type { StepMetrics } from '../../core/train/metrics';
import type { PairHistogram, PairStatName, PairStats } from '../../core/hvp/pairStats';

/** Number of logged steps the window keeps. */
export const PAIR_STATS_WINDOW = 50;

/** Whether a step's histograms describe what the run picks (see the file header). */
export function isWindowedStep(m: StepMetrics, hvpMode: RunConfig['hvpMode'] | null): boolean {
  if (!m.pairStats) return false;
  return m.isSelectionStep || !(hvpMode === 'hard' || hvpMode === 'easy');
}

/** The window with `m`'s histograms appended (oldest dropped past `cap`); the same array when `m`
 * does not enter. Never mutates `window`. */
export function appendPairStats(
  window: readonly PairStats[], m: StepMetrics, hvpMode: RunConfig['hvpMode'] | null, cap: number = PAIR_STATS_WINDOW,
): readonly PairStats[] {
  if (cap < 1) throw new RangeError(`Pair-statistics window must keep at least 1 step, got ${cap}`);
  if (!isWindowedStep(m, hvpMode)) return window;
  const next = [...window, m.pairStats!];
  return next.length > cap ? next.slice(next.length - cap) : next;
}

/** The window of a loaded run's history: its last `cap` windowed records. */
export function windowFromHistory(metrics: readonly StepMetrics[], hvpMode: RunConfig['hvpMode'] | null, cap: number = PAIR_STATS_WINDOW): readonly PairStats[] {
  const kept = metrics.filter((m) => isWindowedStep(m, hvpMode)).map((m) => m.pairStats!);
  return kept.slice(Math.max(0, kept.length - cap));
}

const sameBins = (a: PairHistogram, b: PairHistogram): boolean => a.lo === b.lo && a.hi === b.hi && a.all.length === b.all.length;

/** Bin-wise sum of one property over the window; entries with other bins than the newest are
 * skipped. Null for an empty window. */
export function sumHistograms(window: readonly PairStats[], name: PairStatName): PairHistogram | null {
  const newest = window[window.length - 1];
  if (!newest) return null;
  const ref = newest[name];
  const out: PairHistogram = { lo: ref.lo, hi: ref.hi, selected: ref.selected.map(() => 0), all: ref.all.map(() => 0) };
  for (const s of window) {
    const h = s[name];
    if (!sameBins(h, ref)) continue;
    h.selected.forEach((c, i) => (out.selected[i]! += c));
    h.all.forEach((c, i) => (out.all[i]! += c));
  }
  return out;
}

/** One bar group of a paired histogram: share of the selected and of all values in the bin. */
export interface HistogramRow {
  /** Bin label, e.g. "0.20–0.30"; the last bin reads "≥ 0.90" (it also holds clamped values). */
  bin: string;
  /** Fraction of the selected pairs' values in this bin, in [0, 1]. */
  selected: number;
  /** Fraction of all pairs' values in this bin. */
  all: number;
}

/** Chart rows of a summed histogram: per-bin fractions (each side sums to 1 unless it is empty). */
export function toHistogramRows(h: PairHistogram): HistogramRow[] {
  const n = h.all.length;
  const w = (h.hi - h.lo) / n;
  const totalSel = h.selected.reduce((s, x) => s + x, 0);
  const totalAll = h.all.reduce((s, x) => s + x, 0);
  return h.all.map((count, i) => {
    const lo = h.lo + i * w;
    return {
      bin: i === n - 1 ? `≥ ${lo.toFixed(2)}` : `${lo.toFixed(2)}–${(lo + w).toFixed(2)}`,
      selected: totalSel > 0 ? h.selected[i]! / totalSel : 0,
      all: totalAll > 0 ? count / totalAll : 0,
    };
  });
}

/** Mean of a summed histogram's values, from bin centres (a coarse summary for captions); null when empty. */
export function binnedMean(counts: readonly number[], lo: number, hi: number): number | null {
  const w = (hi - lo) / counts.length;
  let n = 0, sum = 0;
  counts.forEach((c, i) => {
    n += c;
    sum += c * (lo + (i + 0.5) * w);
  });
  return n > 0 ? sum / n : null;
}
