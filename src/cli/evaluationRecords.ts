/**
 * The evaluation records a run's history keeps (kNN top-1 and, at the same steps, the online linear
 * probe and collapse health), merged by step into rows for `eval` and one-line summaries for `train`.
 * Pure functions of plain records.
 * Must not import: tfjs, worker/, ui/, gpu/.
 */
import type { EvaluationRecord, HealthMetrics } from '../core/eval/evaluationMetrics';
import { evaluationsOf, type RunHistory } from '../core/run/runHistory';

/** One evaluation point of a run's history. */
export interface EvaluationRow {
  step: number;
  /** Weighted kNN top-1 in [0, 1], or null when none was recorded at this step. */
  knnTop1: number | null;
  /** Online linear probe top-1 in [0, 1], or null (unlabelled set, or no record). */
  linearProbeTop1: number | null;
  /** Collapse health, or null when only a kNN result was recorded (older checkpoints). */
  health: HealthMetrics | null;
}

/** The history's kNN and evaluation records merged by step, in step order. */
export function evaluationRows(history: RunHistory): EvaluationRow[] {
  const byStep = new Map<number, EvaluationRow>();
  const at = (step: number) => {
    let r = byStep.get(step);
    if (!r) byStep.set(step, (r = { step, knnTop1: null, linearProbeTop1: null, health: null }));
    return r;
  };
  for (const k of history.knn) at(k.step).knnTop1 = k.top1;
  for (const e of evaluationsOf(history)) {
    const r = at(e.step);
    r.linearProbeTop1 = e.linearProbe ? e.linearProbe.top1 : null;
    r.health = e.health;
  }
  return [...byStep.values()].sort((a, b) => a.step - b.step);
}

const pct = (v: number | null) => (v === null ? '—' : `${(100 * v).toFixed(2)} %`);
const COLLAPSE_TEXT: Record<NonNullable<HealthMetrics['collapse']>, string> = {
  std: 'COLLAPSED (embedding std)',
  rank: 'COLLAPSED (effective rank)',
  'std-and-rank': 'COLLAPSED (std and rank)',
};

/** Health as short text: "rank 5.2 of 16, std 0.180 (1/√d 0.250)" plus a collapse flag. */
export function healthText(h: HealthMetrics): string {
  return `rank ${h.effectiveRank.toFixed(1)} of ${h.maxRank}, std ${h.meanStd.toFixed(3)} (1/√d ${h.uniformStd.toFixed(3)})${h.collapse ? `, ${COLLAPSE_TEXT[h.collapse]}` : ''}`;
}

/** The rows as an aligned text table (header first); a single line when there are none. */
export function evaluationTable(rows: readonly EvaluationRow[]): string[] {
  if (rows.length === 0) return ['No evaluations recorded (the run had knnEvery = 0 or stopped before its first evaluation).'];
  const cells = [['step', 'kNN top-1', 'linear probe', 'health'], ...rows.map((r) => [String(r.step), pct(r.knnTop1), pct(r.linearProbeTop1), r.health ? healthText(r.health) : '—'])];
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((c) => c[i]!.length)));
  return cells.map((c) => c.map((v, i) => (i === c.length - 1 ? v : v.padEnd(widths[i]!))).join('  ').trimEnd());
}

/** The `train` line of one evaluation: linear probe and health. */
export function evaluationLine(e: EvaluationRecord): string {
  return `step ${e.step}: linear probe top-1 ${e.linearProbe ? pct(e.linearProbe.top1) : 'not measured (no usable labels)'}; ${healthText(e.health)}`;
}
