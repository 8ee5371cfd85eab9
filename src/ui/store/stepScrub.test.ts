// Step slider logic: the bounded probe history, the scrub range, clamping a requested step
// (live at the end), which snapshot the gallery shows, and the store wiring.
import { describe, expect, it } from 'vitest';
import type { ProbeSnapshot, StepMetrics } from '../../core/train/metrics';
import { createAppStore } from './appStore';
import { emptyHistory, type CappedHistory } from './history';
import { appendProbe, clampViewingStep, PROBE_HISTORY_CAP, selectScrubRange, selectViewedProbe } from './stepScrub';

const snap = (step: number): ProbeSnapshot => ({ step, numViews: 4, images: [] });
const metrics = (step: number): StepMetrics => ({
  step, loss: -0.5, meanPairLoss: -0.6, selectedIou: 0.2, meanIou: 0.3, lowestIouHitRate: 0.5,
  isSelectionStep: true, learningRate: 0.06, imagesPerSec: 800, msPerStep: 80,
});
function historyOf(steps: number[], cap = PROBE_HISTORY_CAP): CappedHistory<ProbeSnapshot> {
  let h = emptyHistory<ProbeSnapshot>();
  for (const s of steps) h = appendProbe(h, snap(s), cap);
  return h;
}

describe('probe history', () => {
  it('keeps at most the cap, evenly spaced, first snapshot kept', () => {
    const h = historyOf(Array.from({ length: 500 }, (_, i) => (i + 1) * 10));
    expect(h.points.length).toBeLessThanOrEqual(PROBE_HISTORY_CAP);
    expect(h.points.length).toBeGreaterThan(PROBE_HISTORY_CAP / 2);
    expect(h.points[0]!.step).toBe(10);
    const gaps = h.points.slice(1).map((p, i) => p.step - h.points[i]!.step);
    expect(new Set(gaps).size).toBe(1);
  });
});

describe('scrub range and clamping', () => {
  it('is null before anything was recorded', () => {
    expect(selectScrubRange({ step: 0, steps: emptyHistory(), knn: emptyHistory(), probeHistory: emptyHistory() })).toBeNull();
  });

  it('spans the first recorded step to the current step', () => {
    const steps: CappedHistory<StepMetrics> = { points: [metrics(2), metrics(3)], stride: 1, numSeen: 2 };
    expect(selectScrubRange({ step: 9, steps, knn: emptyHistory(), probeHistory: historyOf([1, 5]) })).toEqual({ min: 1, max: 9 });
  });

  it('clamps into the range, rounds, and returns live at or past the end', () => {
    const r = { min: 1, max: 10 };
    expect(clampViewingStep(4.4, r)).toBe(4);
    expect(clampViewingStep(-3, r)).toBe(1);
    expect(clampViewingStep(10, r)).toBeNull();
    expect(clampViewingStep(99, r)).toBeNull();
    expect(clampViewingStep(null, r)).toBeNull();
    expect(clampViewingStep(NaN, r)).toBeNull();
    expect(clampViewingStep(3, null)).toBeNull();
  });
});

describe('selectViewedProbe', () => {
  const h = historyOf([2, 4, 6]);
  const latest = snap(8);
  it('shows the latest when live', () => {
    expect(selectViewedProbe(h, latest, null)).toBe(latest);
  });
  it('shows the newest snapshot at or before the viewing step', () => {
    expect(selectViewedProbe(h, latest, 4)!.step).toBe(4);
    expect(selectViewedProbe(h, latest, 5)!.step).toBe(4);
    expect(selectViewedProbe(h, latest, 9)!.step).toBe(8);
  });
  it('falls back to the earliest snapshot before the first one, and null with none', () => {
    expect(selectViewedProbe(h, latest, 1)!.step).toBe(2);
    expect(selectViewedProbe(emptyHistory(), null, 3)).toBeNull();
  });
});

describe('store wiring', () => {
  it('records probes, scrubs, returns to live, and clears on a new run', () => {
    const store = createAppStore();
    const st = () => store.getState();
    for (const s of [1, 2, 3]) {
      st().applyWorkerMessage({ type: 'metrics', metrics: metrics(s) });
      st().applyWorkerMessage({ type: 'probe', probe: snap(s) });
    }
    expect(st().probeHistory.points.map((p) => p.step)).toEqual([1, 2, 3]);
    st().setViewingStep(1);
    expect(st().viewingStep).toBe(1);
    expect(selectViewedProbe(st().probeHistory, st().probe, st().viewingStep)!.step).toBe(1);
    st().setViewingStep(3);
    expect(st().viewingStep).toBeNull();
    st().setViewingStep(2);
    st().beginRun(st().config, null);
    expect(st().viewingStep).toBeNull();
    expect(st().probeHistory.points).toEqual([]);
  });
});
