/**
 * RunHistory: the metric records a run has produced (step metrics at every log, kNN results), kept
 * by the run loop so a checkpoint carries them and a resumed run shows its whole curve.
 * Plain data, JSON-serializable.
 * Must not import: tfjs, DOM.
 */
import type { KnnMetrics, StepMetrics } from './metrics';

export interface RunHistory {
  metrics: StepMetrics[];
  knn: KnnMetrics[];
}

/** Most step records kept; beyond it every other record is dropped (the curve keeps its shape). */
export const MAX_HISTORY_RECORDS = 20_000;

export const emptyHistory = (): RunHistory => ({ metrics: [], knn: [] });

/** Appends a record, thinning the oldest half when the cap is reached. NOTE: mutates `h`. */
export function pushMetrics(h: RunHistory, m: StepMetrics): void {
  h.metrics.push(m);
  if (h.metrics.length > MAX_HISTORY_RECORDS) {
    const half = Math.floor(h.metrics.length / 2);
    h.metrics = [...h.metrics.slice(0, half).filter((_, i) => i % 2 === 0), ...h.metrics.slice(half)];
  }
}

/** Records of `h` up to and including `step` (a history as it was when that step was saved). */
export function historyUpTo(h: RunHistory, step: number): RunHistory {
  return { metrics: h.metrics.filter((m) => m.step <= step), knn: h.knn.filter((k) => k.step <= step) };
}
