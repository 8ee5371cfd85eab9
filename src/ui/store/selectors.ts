/**
 * Derived values of the store: pure functions of state slices, never stored.
 *
 * Functions that build arrays take the slice they need (not the whole state) so components can
 * memoise them on stable references (`useMemo(() => f(steps), [steps])`); zustand selectors must
 * not return fresh arrays.
 * Must not import: React, zustand, recharts, tfjs.
 */
import type { RunConfig } from '../../core/config/runConfig';
import { crossFieldIssues, type ConfigIssue } from '../../core/config/schema';
import type { KnnMetrics, StepMetrics } from '../../core/train/metrics';
import { selectDatasetBlockedReason } from './datasetSelectors';
import type { CappedHistory } from './history';
import type { AppState, ErrorEntry } from './storeTypes';
import { numViewPairs } from './viewPairs';
import { isTwinActive } from './twinSlice';
import { ACTIVE_STATES } from './workerReducer';

/** Whether the config panel may be edited (no run, single or twin, holds the worker). */
export function selectCanEditConfig(s: Pick<AppState, 'runState'> & Partial<Pick<AppState, 'twin'>>): boolean {
  return !ACTIVE_STATES.includes(s.runState) && !(s.twin && isTwinActive({ twin: s.twin }));
}

/** Cross-field problems of a config (per-field problems never reach `config`). */
export function selectCrossIssues(config: RunConfig): ConfigIssue[] {
  return crossFieldIssues(config);
}

/** Which run controls are enabled, and why Start is not, as plain text. */
export interface ControlAvailability {
  canStart: boolean;
  canPause: boolean;
  canResume: boolean;
  canStop: boolean;
  canEvaluate: boolean;
  /** "Explain the next step": only a paused run, no request in flight. */
  canExplain: boolean;
  /** Why Start is disabled, or null when it is enabled or a run is active. */
  startBlockedReason: string | null;
}

/** Control availability from run state, pending request, worker health and config validity. */
export function selectControls(
  s: Pick<AppState, 'runState' | 'pending' | 'isWorkerAlive' | 'config' | 'fieldIssues' | 'storedDatasets' | 'datasetListError'> & Partial<Pick<AppState, 'twin'>>,
): ControlAvailability {
  const isBusy = s.pending !== null;
  const isActive = ACTIVE_STATES.includes(s.runState);
  // A twin run holds the worker: the single run may not start, resume or take an explained step.
  const isTwinBusy = s.twin !== undefined && isTwinActive({ twin: s.twin });
  const numFieldIssues = Object.keys(s.fieldIssues).length;
  const numCross = crossFieldIssues(s.config).length;
  const datasetBlocked = selectDatasetBlockedReason(s);
  let startBlockedReason: string | null = null;
  if (!s.isWorkerAlive) startBlockedReason = 'The training worker is not running; reload the page.';
  else if (isTwinBusy) startBlockedReason = 'A twin run is in progress. Stop it (Twin run panel) to start or resume a single run; the single run\'s charts and model are kept meanwhile.';
  else if (isActive) startBlockedReason = null;
  else if (numFieldIssues > 0) startBlockedReason = `Fix or revert ${numFieldIssues} refused setting${numFieldIssues > 1 ? 's' : ''} first.`;
  else if (numCross > 0) startBlockedReason = `Resolve ${numCross} conflicting setting${numCross > 1 ? 's' : ''} first.`;
  else if (datasetBlocked) startBlockedReason = datasetBlocked;
  else if (isBusy) startBlockedReason = s.pending?.type === 'init' ? 'Starting the compute backend…' : 'Waiting for the worker to answer…';
  const alive = s.isWorkerAlive && !isBusy;
  return {
    canStart: alive && !isTwinBusy && !isActive && numFieldIssues === 0 && numCross === 0 && datasetBlocked === null,
    canPause: alive && s.runState === 'running',
    canResume: alive && !isTwinBusy && s.runState === 'paused',
    canStop: alive && isActive,
    canEvaluate: alive && (s.runState === 'running' || s.runState === 'paused'),
    canExplain: alive && !isTwinBusy && s.runState === 'paused',
    startBlockedReason,
  };
}

/** The config the live panels describe: the run's, or the panel's before any run. */
export function selectShownConfig(s: Pick<AppState, 'runConfig' | 'config'>): RunConfig {
  return s.runConfig ?? s.config;
}

/** The step the run will stop at (totalSteps, or maxSteps when smaller). */
export function selectStopStep(s: Pick<AppState, 'runConfig' | 'config' | 'maxSteps'>): number {
  const total = selectShownConfig(s).totalSteps;
  return s.maxSteps !== null ? Math.min(total, s.maxSteps) : total;
}

/** Chance that a uniformly random pair of N views is the lowest-IoU pair: 1 / C(N,2);
 * null when HVP is off or iouPolicy (no selection runs) or N < 2. */
export function chanceOfLowestIou(config: Pick<RunConfig, 'numViews' | 'hvpMode'>): number | null {
  if (config.hvpMode === 'off' || config.hvpMode === 'iouPolicy' || config.numViews < 2) return null;
  return 1 / numViewPairs(config.numViews);
}

/** The kept step points plus the newest one when decimation skipped it, so charts end at the
 * latest logged step. */
export function selectPlottedSteps(steps: CappedHistory<StepMetrics>, latest: StepMetrics | null): readonly StepMetrics[] {
  const pts = steps.points;
  if (!latest || pts.length === 0 || pts[pts.length - 1] === latest) return pts;
  return [...pts, latest];
}

/** One row of the loss chart. */
export interface LossRow {
  step: number;
  /** Training loss of the update pass (on the chosen pairs). */
  loss: number;
  /** Selection pass: the chosen pair's loss and the mean over all pairs (null on non-selection
   * steps; the chosen one also in records made before it was logged). */
  selectedPairLoss: number | null;
  meanPairLoss: number | null;
}

/** Loss chart rows: the training loss, and from the selection pass the chosen pair's loss and the mean over all pairs. */
export function toLossRows(points: readonly StepMetrics[]): LossRow[] {
  // Selection scores per loss term (scoreTerms: DINO sums 2·(2 + l) − 2 terms per combination), so all lines compare.
  const perTerm = (x: number | null | undefined, terms: number | undefined): number | null => (x === null || x === undefined ? null : x / (terms ?? 1));
  return points.map((m) => ({ step: m.step, loss: m.loss, selectedPairLoss: perTerm(m.selectedPairLoss, m.scoreTerms), meanPairLoss: perTerm(m.meanPairLoss, m.scoreTerms) }));
}

/** One row of the IoU chart. */
export interface IouRow {
  step: number;
  selectedIou: number;
  meanIou: number;
  /** IoU of one random pair per image (baseline); null in records of older checkpoints. */
  randomPairIou: number | null;
  /** Running mean of lowestIouHitRate over the selection steps so far; null before the first. */
  runningHitRate: number | null;
  /** hvpMode iouPolicy: the step's IoU bound; null otherwise. */
  iouPolicyBound: number | null;
}

/** IoU chart rows with the running lowest-IoU hit rate. Decimated histories give the running
 * mean over the kept points, an unbiased estimate since they are evenly spaced. */
export function toIouRows(points: readonly StepMetrics[]): IouRow[] {
  let sum = 0;
  let count = 0;
  return points.map((m) => {
    if (m.isSelectionStep) {
      sum += m.lowestIouHitRate;
      count += 1;
    }
    return { step: m.step, selectedIou: m.selectedIou, meanIou: m.meanIou, randomPairIou: m.randomPairIou ?? null, runningHitRate: count > 0 ? sum / count : null, iouPolicyBound: m.iouPolicyBound ?? null };
  });
}

/** hvpMode iouPolicy: images whose pair could not get under the bound, summed over the logged steps, and the images of those steps. */
export function iouPolicyMissTotals(points: readonly StepMetrics[], batchSize: number): { misses: number; images: number } {
  let misses = 0, images = 0;
  for (const m of points) {
    if (m.iouPolicyMisses === undefined) continue;
    misses += m.iouPolicyMisses;
    images += batchSize;
  }
  return { misses, images };
}

/** The last running hit rate of `rows`, or null when no selection step was logged. */
export function lastRunningHitRate(rows: readonly IouRow[]): number | null {
  return rows.length > 0 ? rows[rows.length - 1]!.runningHitRate : null;
}

/** The newest kNN result, or null before the first evaluation. */
export function selectLatestKnn(knn: CappedHistory<KnnMetrics>): KnnMetrics | null {
  const pts = knn.points;
  return pts.length > 0 ? pts[pts.length - 1]! : null;
}

/** kNN chart rows (top-1 as a percentage). */
export function toKnnRows(points: readonly KnnMetrics[]): Array<{ step: number; top1: number }> {
  return points.map((k) => ({ step: k.step, top1: 100 * k.top1 }));
}

/** Text saying how often kNN runs and, before the first result, when it will appear. */
export function knnScheduleText(config: Pick<RunConfig, 'knnEvery' | 'totalSteps'>, hasResult = false): string {
  if (config.knnEvery <= 0) return hasResult ? 'Scheduled kNN is off; results come from "Evaluate kNN now".' : 'kNN evaluation is off (kNN every k steps = 0); use "Evaluate kNN now".';
  if (hasResult) return `Evaluated every ${config.knnEvery} steps.`;
  if (config.knnEvery > config.totalSteps) return `kNN runs every ${config.knnEvery} steps, after the end of this ${config.totalSteps}-step run; use "Evaluate kNN now".`;
  return `kNN runs every ${config.knnEvery} steps; the first result appears at step ${config.knnEvery}.`;
}

/** Errors still shown as banners. */
export function selectVisibleErrors(errors: readonly ErrorEntry[]): ErrorEntry[] {
  return errors.filter((e) => !e.isDismissed);
}
