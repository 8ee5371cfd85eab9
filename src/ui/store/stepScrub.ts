/**
 * Scrubbing back through a run: a bounded history of gallery (probe) snapshots and the
 * "viewing step" the step slider sets. Pure functions of store slices; `null` as viewing step
 * means live (follow the run).
 *
 * Snapshots are kept with the same uniform decimation as the metric histories (appendCapped),
 * capped at PROBE_HISTORY_CAP, so a long run keeps ≤ 50 evenly spaced snapshots (a few MB).
 * Must not import: React, zustand, recharts, tfjs.
 */
import type { KnnMetrics, ProbeSnapshot, StepMetrics } from '../../core/train/metrics';
import { appendCapped, type CappedHistory } from './history';

/** Most gallery snapshots kept for scrubbing. */
export const PROBE_HISTORY_CAP = 50;

/** The probe history with `probe` appended (decimated past the cap). */
export function appendProbe(history: CappedHistory<ProbeSnapshot>, probe: ProbeSnapshot, cap: number = PROBE_HISTORY_CAP): CappedHistory<ProbeSnapshot> {
  return appendCapped(history, probe, cap);
}

/** Steps the slider can reach: from the first recorded step to the run's current step. */
export interface ScrubRange {
  min: number;
  max: number;
}

/** What the scrub range is computed from. */
export interface ScrubSource {
  step: number;
  steps: CappedHistory<StepMetrics>;
  knn: CappedHistory<KnnMetrics>;
  probeHistory: CappedHistory<ProbeSnapshot>;
}

/** The scrub range, or null before anything was recorded (nothing to scrub). */
export function selectScrubRange(s: ScrubSource): ScrubRange | null {
  const firsts = [s.steps.points[0]?.step, s.knn.points[0]?.step, s.probeHistory.points[0]?.step]
    .filter((v): v is number => v !== undefined);
  if (firsts.length === 0) return null;
  const min = Math.min(...firsts);
  return { min, max: Math.max(min, s.step) };
}

/** The viewing step to store for a slider request: null (live) for null, at or past the end of
 * the range, or without a range; else the request rounded and clamped to the range. */
export function clampViewingStep(requested: number | null, range: ScrubRange | null): number | null {
  if (requested === null || range === null || !Number.isFinite(requested)) return null;
  const step = Math.round(requested);
  if (step >= range.max) return null;
  return Math.max(range.min, step);
}

/** The snapshot the gallery shows: the latest when live; else the newest kept snapshot at or
 * before the viewing step (the earliest kept one when the step precedes them all). */
export function selectViewedProbe(
  history: CappedHistory<ProbeSnapshot>, latest: ProbeSnapshot | null, viewingStep: number | null,
): ProbeSnapshot | null {
  if (viewingStep === null) return latest;
  let best: ProbeSnapshot | null = null;
  const candidates = latest ? [...history.points, latest] : history.points;
  for (const p of candidates) if (p.step <= viewingStep && (best === null || p.step > best.step)) best = p;
  return best ?? history.points[0] ?? latest;
}
