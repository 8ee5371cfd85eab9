/**
 * Pure helpers of the schedule chart: which config and step it shows, chart rows of a planned
 * series, and number formats per schedule. No DOM, so all of it is unit-tested in Node.
 * Must not import: React, zustand, recharts, tfjs.
 */
import type { PlannedSchedules, ScheduleKey } from '../../../core/config/plannedSchedules';
import type { RunConfig } from '../../../core/config/runConfig';
import type { RunState } from '../../../worker/protocol';

/** Run states in which the run's config is fixed and its step advances (store/workerReducer ACTIVE_STATES). */
const RUNNING_STATES: readonly RunState[] = ['preparing', 'running', 'paused'];

/** What the schedule chart plots: the run's config with a marker at its step while a run is
 * active (or at the step being viewed when scrubbing back), else the config being edited. */
export function scheduleSource(s: { runState: RunState; runConfig: RunConfig | null; config: RunConfig; step: number; viewingStep: number | null }): { config: RunConfig; markerStep: number | null; isRun: boolean } {
  if (s.runConfig && RUNNING_STATES.includes(s.runState)) {
    return { config: s.runConfig, markerStep: s.viewingStep ?? Math.max(1, s.step), isRun: true };
  }
  return { config: s.config, markerStep: null, isRun: false };
}

/** One chart row: the completed step and the schedule's value there. */
export interface ScheduleRow {
  step: number;
  value: number;
}

/** Chart rows of the series `key` of a plan (empty when the plan has no such series). */
export function scheduleRows(plan: PlannedSchedules, key: ScheduleKey): ScheduleRow[] {
  const series = plan.series.find((s) => s.key === key);
  if (!series) return [];
  return plan.steps.map((step, i) => ({ step, value: series.values[i]! }));
}

/** Formats a schedule value for the readout and the tooltip (the axis prints round ticks):
 * momenta need 4+ decimals near 1, rates and decays 3 significant digits (exponent form below
 * 1e-3). */
export function formatScheduleValue(key: ScheduleKey, v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (key === 'momentum') return v.toFixed(v > 0.999 ? 5 : 4);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a < 1e-3) return v.toExponential(1);
  if (a >= 100) return v.toFixed(0);
  return Number(v.toPrecision(3)).toString();
}
