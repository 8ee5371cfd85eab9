// The "What HVP picks" rolling window: which steps enter, the cap, bin-wise sums and chart rows,
// and the store wiring (metrics messages, a new run, a loaded checkpoint with and without histograms).
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../core/config/runConfig';
import type { StepMetrics } from '../../core/train/metrics';
import type { PairHistogram, PairStats } from '../../core/hvp/pairStats';
import { createAppStore } from './appStore';
import { appendPairStats, binnedMean, PAIR_STATS_WINDOW, sumHistograms, toHistogramRows, windowFromHistory } from './pairStatsWindow';
import { toIouRows } from './selectors';

/** Histograms with one selected value in bin `sel` and one "all" value in bins `sel` and 0. */
function stats(sel: number): PairStats {
  const h = (): PairHistogram => {
    const selected = [0, 0, 0, 0];
    const all = [1, 0, 0, 0];
    selected[sel] = 1;
    all[sel]! += 1;
    return { lo: 0, hi: 1, selected, all };
  };
  return { cropScale: h(), centerDistance: h(), jitterDistance: h() };
}

const metric = (step: number, over: Partial<StepMetrics> = {}): StepMetrics => ({
  step, loss: 0, meanPairLoss: 0, selectedIou: 0.3, meanIou: 0.4, lowestIouHitRate: 0.5, isSelectionStep: true,
  learningRate: 0.05, imagesPerSec: 1, msPerStep: 1, randomPairIou: 0.38, pairStats: stats(step % 4), ...over,
});

describe('window', () => {
  it('keeps the last `cap` windowed steps, oldest first', () => {
    let w: readonly PairStats[] = [];
    for (let s = 1; s <= 7; s++) w = appendPairStats(w, metric(s), 'hard', 5);
    expect(w).toHaveLength(5);
    expect(w.map((x) => x.cropScale.selected.indexOf(1))).toEqual([3, 0, 1, 2, 3]); // steps 3…7
    expect(() => appendPairStats(w, metric(8), 'hard', 0)).toThrow(/at least 1/);
  });
  it('skips non-selection steps of hard/easy runs and records without histograms', () => {
    const w0: readonly PairStats[] = [];
    expect(appendPairStats(w0, metric(1, { isSelectionStep: false }), 'hard')).toBe(w0);
    expect(appendPairStats(w0, metric(1, { isSelectionStep: false }), 'easy')).toBe(w0);
    expect(appendPairStats(w0, metric(1, { pairStats: undefined }), 'hard')).toBe(w0);
    // Random and off runs never select; every logged step counts.
    expect(appendPairStats(w0, metric(1, { isSelectionStep: false }), 'random')).toHaveLength(1);
    expect(appendPairStats(w0, metric(1, { isSelectionStep: false }), 'off')).toHaveLength(1);
  });
  it('sums bins over the window and turns them into per-side fractions', () => {
    const w = [stats(1), stats(1), stats(3)];
    const sum = sumHistograms(w, 'centerDistance')!;
    expect(sum.selected).toEqual([0, 2, 0, 1]);
    expect(sum.all).toEqual([3, 2, 0, 1]);
    const rows = toHistogramRows(sum);
    expect(rows.map((r) => r.bin)).toEqual(['0.00–0.25', '0.25–0.50', '0.50–0.75', '≥ 0.75']);
    expect(rows.map((r) => r.selected)).toEqual([0, 2 / 3, 0, 1 / 3]);
    expect(rows.map((r) => r.all)).toEqual([0.5, 2 / 6, 0, 1 / 6]);
    expect(sumHistograms([], 'cropScale')).toBeNull();
    expect(binnedMean(sum.selected, 0, 1)).toBeCloseTo((2 * 0.375 + 0.875) / 3, 12);
    expect(binnedMean([0, 0], 0, 1)).toBeNull();
  });
  it('skips entries whose bins differ from the newest', () => {
    const odd: PairStats = { ...stats(0), cropScale: { lo: 0, hi: 2, selected: [5, 5, 5, 5], all: [5, 5, 5, 5] } };
    expect(sumHistograms([odd, stats(2)], 'cropScale')!.selected).toEqual([0, 0, 1, 0]);
  });
});

describe('store wiring', () => {
  it('accumulates metrics messages of the run, caps at PAIR_STATS_WINDOW and clears on a new run', () => {
    const store = createAppStore();
    store.getState().beginRun({ ...DEFAULT_CONFIG, hvpMode: 'hard' }, null);
    for (let s = 1; s <= PAIR_STATS_WINDOW + 10; s++) store.getState().applyWorkerMessage({ type: 'metrics', metrics: metric(s, { isSelectionStep: s % 2 === 0 }) });
    expect(store.getState().pairStatsWindow).toHaveLength(Math.min(PAIR_STATS_WINDOW, 30));
    store.getState().beginRun(DEFAULT_CONFIG, null);
    expect(store.getState().pairStatsWindow).toEqual([]);
  });
  it('rebuilds the window from a loaded history; an old checkpoint without histograms loads with an empty one', () => {
    const store = createAppStore();
    const config = { ...DEFAULT_CONFIG, hvpMode: 'hard' as const };
    const history = { metrics: [metric(1), metric(2, { isSelectionStep: false }), metric(3)], knn: [] };
    store.getState().applyWorkerMessage({ type: 'loaded', id: 1, config, step: 3, history, notes: [], sourceName: 'new.safetensors' });
    expect(store.getState().pairStatsWindow).toEqual([stats(1), stats(3)]);
    expect(windowFromHistory(history.metrics, 'hard', 1)).toEqual([stats(3)]);

    const old = [1, 2].map((s) => {
      const { randomPairIou: _r, pairStats: _p, ...rest } = metric(s);
      return rest;
    });
    store.getState().applyWorkerMessage({ type: 'loaded', id: 2, config, step: 2, history: { metrics: old, knn: [] }, notes: [], sourceName: 'old.safetensors' });
    const s = store.getState();
    expect(s.pairStatsWindow).toEqual([]);
    expect(s.steps.points).toHaveLength(2);
    // The IoU chart shows a gap (null) where an old record has no random-pair IoU.
    expect(toIouRows(s.steps.points).map((r) => r.randomPairIou)).toEqual([null, null]);
  });
});
