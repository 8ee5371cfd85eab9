/**
 * Derived values of the twin run: which twin buttons are enabled (and why Start is not), the
 * overlaid chart rows, and the summary table (final kNN and linear probe, step wall time, HVP
 * overhead). Pure functions of store slices, never stored.
 * Must not import: React, zustand, recharts, tfjs.
 */
import { crossFieldIssues } from '../../core/config/schema';
import { TWIN_ARMS, type TwinArm } from '../../core/config/twinConfig';
import type { TwinEvalRow, TwinStepRow } from '../../core/run/twinRecords';
import { selectDatasetBlockedReason } from './datasetSelectors';
import type { CappedHistory } from './history';
import type { AppState } from './storeTypes';
import { isTwinActive } from './twinSlice';

/** Which twin buttons are enabled, and why Start is not. */
export interface TwinControls {
  canStart: boolean;
  canPause: boolean;
  canResume: boolean;
  canStop: boolean;
  /** Why Start is disabled, or null when it is enabled or a twin is active. */
  startBlockedReason: string | null;
}

/** Twin-button availability from the twin's phase, the single run's state, the worker and the config. */
export function selectTwinControls(
  s: Pick<AppState, 'twin' | 'runState' | 'pending' | 'isWorkerAlive' | 'config' | 'fieldIssues' | 'storedDatasets' | 'datasetListError'>,
): TwinControls {
  const alive = s.isWorkerAlive && s.pending === null;
  const isActive = isTwinActive(s);
  const isSingleBusy = s.runState === 'running' || s.runState === 'preparing';
  const numFieldIssues = Object.keys(s.fieldIssues).length;
  const numCross = crossFieldIssues(s.config).length;
  const datasetBlocked = selectDatasetBlockedReason(s);
  let startBlockedReason: string | null = null;
  if (!s.isWorkerAlive) startBlockedReason = 'The training worker is not running; reload the page.';
  else if (isActive) startBlockedReason = null;
  else if (isSingleBusy) startBlockedReason = 'The single run is running. Pause or stop it to start a twin run; a paused run stays paused and keeps its model, charts and checkpoints.';
  else if (numFieldIssues > 0 || numCross > 0) startBlockedReason = 'Fix the refused or conflicting settings first.';
  else if (datasetBlocked) startBlockedReason = datasetBlocked;
  else if (s.pending !== null) startBlockedReason = 'Waiting for the worker to answer…';
  return {
    canStart: alive && !isActive && !isSingleBusy && numFieldIssues === 0 && numCross === 0 && datasetBlocked === null,
    canPause: alive && s.twin.phase === 'running',
    canResume: alive && s.twin.phase === 'paused',
    canStop: alive && isActive,
    startBlockedReason,
  };
}

/** The kept rows plus the newest one when decimation skipped it. */
export function selectTwinRows(rows: CappedHistory<TwinStepRow>, latest: TwinStepRow | null): readonly TwinStepRow[] {
  const pts = rows.points;
  if (!latest || pts.length === 0 || pts[pts.length - 1] === latest) return pts;
  return [...pts, latest];
}

/** One row of the overlaid loss chart. */
export interface TwinLossRow {
  step: number;
  lossOff: number;
  lossOn: number;
}

/** Loss chart rows: both twins' training loss at each logged step. */
export const toTwinLossRows = (rows: readonly TwinStepRow[]): TwinLossRow[] => rows.map((r) => ({ step: r.step, lossOff: r.off.loss, lossOn: r.on.loss }));

/** One row of the overlaid accuracy chart (percent; null for an unlabelled set). */
export interface TwinAccuracyRow {
  step: number;
  knnOff: number | null;
  knnOn: number | null;
  probeOff: number | null;
  probeOn: number | null;
}

const pct = (v: number | null): number | null => (v === null ? null : 100 * v);

/** Accuracy chart rows: both twins' kNN and linear-probe top-1 (percent) at each evaluation. */
export const toTwinAccuracyRows = (evals: readonly TwinEvalRow[]): TwinAccuracyRow[] =>
  evals.map((e) => ({ step: e.step, knnOff: pct(e.off.knnTop1), knnOn: pct(e.on.knnTop1), probeOff: pct(e.off.linearProbeTop1), probeOn: pct(e.on.linearProbeTop1) }));

/** One twin's column of the summary table. */
export interface TwinArmSummary {
  /** kNN top-1 of the last evaluation (0..1), or null before one (or for an unlabelled set). */
  finalKnn: number | null;
  finalLinearProbe: number | null;
  /** Step of that evaluation, or null. */
  evalStep: number | null;
  /** Summed wall time of this twin's steps, ms. */
  totalMs: number;
  /** Mean wall time per step, ms (0 before the first step). */
  msPerStep: number;
}

/** The summary table of a twin run. */
export interface TwinSummary {
  arms: Record<TwinArm, TwinArmSummary>;
  numSteps: number;
  targetStep: number;
  /** HVP-on ms/step over HVP-off ms/step (e.g. 1.8 = HVP steps take 80 % longer); null before a step. */
  overheadRatio: number | null;
}

/** Summary of the twin slice's records. */
export function selectTwinSummary(t: AppState['twin']): TwinSummary {
  const lastEval = t.evals.points.length > 0 ? t.evals.points[t.evals.points.length - 1]! : null;
  const numSteps = t.timing?.numSteps ?? 0;
  const arm = (a: TwinArm): TwinArmSummary => {
    const totalMs = t.timing?.totalMs[a] ?? 0;
    return {
      finalKnn: lastEval ? lastEval[a].knnTop1 : null,
      finalLinearProbe: lastEval ? lastEval[a].linearProbeTop1 : null,
      evalStep: lastEval ? lastEval.step : null,
      totalMs,
      msPerStep: numSteps > 0 ? totalMs / numSteps : 0,
    };
  };
  const arms = Object.fromEntries(TWIN_ARMS.map((a) => [a, arm(a)])) as Record<TwinArm, TwinArmSummary>;
  return { arms, numSteps, targetStep: t.targetStep, overheadRatio: numSteps > 0 && arms.off.msPerStep > 0 ? arms.on.msPerStep / arms.off.msPerStep : null };
}
