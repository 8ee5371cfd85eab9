/**
 * RunHistory: the metric records a run has produced (step metrics at every log, kNN results), kept
 * by the run loop so a checkpoint carries them and a resumed run shows its whole curve.
 * Plain data, JSON-serializable.
 * Must not import: tfjs, DOM.
 */
import type { EvaluationRecord } from '../eval/evaluationMetrics';
import type { KnnMetrics, StepMetrics } from '../train/metrics';

export interface RunHistory {
  metrics: StepMetrics[];
  knn: KnnMetrics[];
  /** Probe and health records of each evaluation; absent in checkpoints made before they existed. */
  evaluations?: EvaluationRecord[];
}

/** Most step records kept; beyond it every other record is dropped (the curve keeps its shape). */
export const MAX_HISTORY_RECORDS = 20_000;

export const emptyHistory = (): RunHistory => ({ metrics: [], knn: [], evaluations: [] });

/** Step records that keep their pair-property histograms (the UI's rolling window is 50 steps);
 * older records drop them, so a long run's checkpoint does not carry ~60 numbers per logged step. */
export const PAIR_STATS_KEPT = 64;

/** Appends a record, thinning the oldest half when the cap is reached. NOTE: mutates `h`. */
export function pushMetrics(h: RunHistory, m: StepMetrics): void {
  h.metrics.push(m);
  const old = h.metrics[h.metrics.length - 1 - PAIR_STATS_KEPT];
  if (old?.pairStats) h.metrics[h.metrics.length - 1 - PAIR_STATS_KEPT] = { ...old, pairStats: undefined };
  if (h.metrics.length > MAX_HISTORY_RECORDS) {
    const half = Math.floor(h.metrics.length / 2);
    h.metrics = [...h.metrics.slice(0, half).filter((_, i) => i % 2 === 0), ...h.metrics.slice(half)];
  }
}

/** Records of `h` up to and including `step` (a history as it was when that step was saved). */
export function historyUpTo(h: RunHistory, step: number): RunHistory {
  return { metrics: h.metrics.filter((m) => m.step <= step), knn: h.knn.filter((k) => k.step <= step), evaluations: evaluationsOf(h).filter((e) => e.step <= step) };
}

/** The evaluation records of `h`, or none for an older history without the field (or a malformed one). */
export function evaluationsOf(h: RunHistory): EvaluationRecord[] {
  return Array.isArray(h.evaluations) ? h.evaluations : [];
}

/** Appends an evaluation record (creating the list for an older history). NOTE: mutates `h`. */
export function pushEvaluation(h: RunHistory, e: EvaluationRecord): void {
  if (!Array.isArray(h.evaluations)) h.evaluations = [];
  h.evaluations.push(e);
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Whether `v` is a well-formed evaluation record (an untrusted checkpoint's history item). */
export function isEvaluationRecord(v: unknown): v is EvaluationRecord {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  const h = r.health as Record<string, unknown> | null | undefined;
  const p = r.linearProbe as Record<string, unknown> | null | undefined;
  const healthOk = typeof h === 'object' && h !== null && isNum(h.meanStd) && isNum(h.uniformStd) && isNum(h.effectiveRank) && isNum(h.maxRank) && isNum(h.dim) && isNum(h.numSamples);
  const probeOk = p === null || (typeof p === 'object' && p !== undefined && isNum(p.top1) && isNum(p.trainTop1));
  return isNum(r.step) && healthOk && probeOk;
}

/** The well-formed evaluation records of an untrusted history field, and how many were dropped. */
export function validEvaluations(raw: unknown): { records: EvaluationRecord[]; numDropped: number } {
  if (raw === undefined) return { records: [], numDropped: 0 };
  if (!Array.isArray(raw)) return { records: [], numDropped: 1 };
  const records = raw.filter(isEvaluationRecord);
  return { records, numDropped: raw.length - records.length };
}
