/**
 * Derived views of the evaluation slice: chart rows (online probe next to kNN, health), the
 * latest records, the collapse verdict in words, and the PCA map scaled into a drawing box.
 * Must not import: React, zustand, recharts, tfjs.
 */
import type { CollapseReason, EvaluationRecord, HealthMetrics, PcaMap } from '../../core/eval/evaluationMetrics';
import type { KnnMetrics } from '../../core/train/metrics';

/** Collapsed when std·√d is below this (mirrors core/eval/health.ts STD_COLLAPSE_RATIO). */
export const STD_COLLAPSE_RATIO = 0.2;
/** Collapsed when the effective rank is below this (mirrors core/eval/health.ts). */
export const MIN_EFFECTIVE_RANK = 2;

/** Online probe and kNN top-1 (%) by step; null where one was not measured. */
export function toProbeRows(evals: readonly EvaluationRecord[], knn: readonly KnnMetrics[]): Array<{ step: number; probe: number | null; knn: number | null }> {
  const byStep = new Map<number, { step: number; probe: number | null; knn: number | null }>();
  for (const e of evals) if (e.linearProbe) byStep.set(e.step, { step: e.step, probe: 100 * e.linearProbe.top1, knn: null });
  for (const k of knn) {
    const row = byStep.get(k.step) ?? { step: k.step, probe: null, knn: null };
    row.knn = 100 * k.top1;
    byStep.set(k.step, row);
  }
  return [...byStep.values()].sort((a, b) => a.step - b.step);
}

/** Health rows: std·√d (1 = evenly spread, 0 = collapsed) and effective rank by step. */
export function toHealthRows(evals: readonly EvaluationRecord[]): Array<{ step: number; stdRatio: number; effectiveRank: number }> {
  return evals.map((e) => ({ step: e.step, stdRatio: e.health.meanStd / e.health.uniformStd, effectiveRank: e.health.effectiveRank }));
}

/** Newest record with a linear probe, or null. */
export function selectLatestProbe(evals: readonly EvaluationRecord[]): EvaluationRecord | null {
  for (let i = evals.length - 1; i >= 0; i--) if (evals[i]!.linearProbe) return evals[i]!;
  return null;
}

/** What a collapse verdict means, in a sentence (null: healthy). */
export function collapseText(h: Pick<HealthMetrics, 'collapse' | 'meanStd' | 'uniformStd' | 'effectiveRank'>): string | null {
  const reasons: Record<Exclude<CollapseReason, null>, string> = {
    std: `the embedding std is ${(h.meanStd / h.uniformStd).toFixed(2)}·(1/√d), below ${STD_COLLAPSE_RATIO}·(1/√d): the images map to nearly one point`,
    rank: `the effective rank is ${h.effectiveRank.toFixed(2)}, below ${MIN_EFFECTIVE_RANK}: the embeddings vary along a single direction`,
    'std-and-rank': `the embedding std is ${(h.meanStd / h.uniformStd).toFixed(2)}·(1/√d) and the effective rank ${h.effectiveRank.toFixed(2)}: the images map to nearly one point`,
  };
  return h.collapse ? `Collapse: ${reasons[h.collapse]}. Lower the learning rate, check the predictor / stop-gradient settings, or restart with another seed.` : null;
}

/** A PCA point placed in a box, with its held-out index and class. */
export interface MapPoint {
  idx: number;
  x: number;
  y: number;
  label: number;
}

/** Scales the map's coordinates into [pad, width-pad] × [pad, height-pad] (y up), keeping aspect. */
export function layoutPcaPoints(map: PcaMap, width: number, height: number, pad: number): MapPoint[] {
  const n = map.labels.length;
  if (n === 0) return [];
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = map.coords[2 * i]!, y = map.coords[2 * i + 1]!;
    minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y);
  }
  const span = Math.max(maxX - minX, maxY - minY, 1e-9);
  const scale = Math.min(width - 2 * pad, height - 2 * pad) / span;
  const cx = (minX + maxX) / 2, cy = (minY + maxY) / 2;
  return Array.from({ length: n }, (_, i) => ({
    idx: i,
    x: width / 2 + (map.coords[2 * i]! - cx) * scale,
    y: height / 2 - (map.coords[2 * i + 1]! - cy) * scale,
    label: map.labels[i]!,
  }));
}

/** A distinct colour per class (grey for unlabelled). */
export function classColor(label: number): string {
  if (label < 0) return '#5b6472';
  const palette = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
  return label < palette.length ? palette[label]! : `hsl(${(label * 137.5) % 360}, 60%, 45%)`;
}
