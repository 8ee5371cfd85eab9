/**
 * The metric history of an untrusted checkpoint record (record.history), checked entry by entry:
 * step metrics without a step and a finite loss, or with a known field of the wrong type, and kNN
 * results whose fields are not numbers of the right kind are dropped (with a count for a note), never passed on to the charts, `info` or a resumed run that would crash on
 * them; a history that is not a list at all is an error. Evaluations keep their own check
 * (train/runHistory.ts validEvaluations). Entries are kept as parsed, so fields a newer version
 * added survive a resume; the record's nesting is bounded before parsing (record.ts), so what is
 * kept is safe to structuredClone.
 * Must not import: tfjs, DOM, gpu/, worker/, ui/.
 */
import type { KnnMetrics, StepMetrics } from '../train/metrics';
import type { PairHistogram } from '../hvp/pairStats';
import { MAX_HISTORY_RECORDS, validEvaluations, type RunHistory } from '../run/runHistory';

/** A validated history and what was dropped from it. */
export interface CheckedHistory {
  history: RunHistory;
  /** Plain sentences for the reader's notes (empty when nothing was dropped). */
  notes: string[];
}

type Obj = Record<string, unknown>;
const isObject = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const isFiniteNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isCount = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;
const isNumOrNull = (x: unknown) => x === null || isFiniteNum(x);

/** Fields that may be absent (a record older than the field) but must be numbers when present. */
const NUMBERS = ['selectedIou', 'meanIou', 'lowestIouHitRate', 'learningRate', 'randomPairIou', 'scoreTerms', 'iouPolicyBound'] as const;
/** May also be null: no selection ran, or JSON wrote the Infinity of a step timed at 0 ms as null. */
const NUMBERS_OR_NULL = ['meanPairLoss', 'selectedPairLoss', 'imagesPerSec', 'msPerStep'] as const;

function isHistogram(x: unknown): x is PairHistogram {
  if (!isObject(x) || !isFiniteNum(x.lo) || !isFiniteNum(x.hi)) return false;
  const { selected, all } = x;
  return Array.isArray(selected) && Array.isArray(all) && selected.length === all.length && selected.length <= 1000
    && selected.every(isFiniteNum) && all.every(isFiniteNum);
}

/**
 * Whether `m` is a usable step-metrics record: a step and a finite loss (what `info` and every chart
 * read), and every other known field, when present, of its type. Absent fields are allowed, so
 * records written before a field existed still load.
 */
function isStepMetrics(m: unknown): m is StepMetrics {
  if (!isObject(m) || !isCount(m.step) || !isFiniteNum(m.loss)) return false;
  if (!NUMBERS.every((k) => m[k] === undefined || isFiniteNum(m[k]))) return false;
  if (!NUMBERS_OR_NULL.every((k) => m[k] === undefined || isNumOrNull(m[k]))) return false;
  if (m.isSelectionStep !== undefined && typeof m.isSelectionStep !== 'boolean') return false;
  if (m.iouPolicyMisses !== undefined && !isCount(m.iouPolicyMisses)) return false; // hvpMode iouPolicy only
  if (m.pairStats !== undefined && m.pairStats !== null) {
    const p = m.pairStats;
    if (!isObject(p) || !isHistogram(p.cropScale) || !isHistogram(p.centerDistance) || !isHistogram(p.jitterDistance)) return false;
  }
  return true;
}

const isKnnMetrics = (k: unknown): k is KnnMetrics =>
  isObject(k) && isCount(k.step) && isFiniteNum(k.top1) && isCount(k.numBank) && isCount(k.numQueries);

/**
 * Checks `raw` (record.history). Returns null when it is not a history at all (not an object,
 * metrics / knn not lists, or more step records than a run keeps), else the usable entries and notes.
 * Records with a selection score but older than `scoreTerms` get `scoreTerms` (the run's method's,
 * HvpMethod.scoreTerms), so every reader finds the per-term scale in the record.
 */
export function checkHistory(raw: unknown, scoreTerms = 1): CheckedHistory | null {
  if (!isObject(raw) || !Array.isArray(raw.metrics) || !Array.isArray(raw.knn)) return null;
  // The run loop keeps at most MAX_HISTORY_RECORDS step records (kNN results are few and uncapped;
  // the header limit bounds them).
  if (raw.metrics.length > MAX_HISTORY_RECORDS) return null;
  const metrics = raw.metrics.filter(isStepMetrics).map((m) => (m.meanPairLoss !== null && m.meanPairLoss !== undefined && m.scoreTerms === undefined ? { ...m, scoreTerms } : m));
  const knn = raw.knn.filter(isKnnMetrics);
  const notes: string[] = [];
  const numDropped = raw.metrics.length - metrics.length + raw.knn.length - knn.length;
  if (numDropped) notes.push(`${numDropped} malformed metric record(s) in the history were ignored; the charts lack those points.`);
  const history: RunHistory = { metrics, knn };
  if (raw.evaluations !== undefined) {
    // Optional since probe/health records were added; malformed ones are dropped, not fatal.
    const { records, numDropped: numBadEvaluations } = validEvaluations(raw.evaluations);
    history.evaluations = records;
    if (numBadEvaluations) notes.push(`${numBadEvaluations} malformed evaluation record(s) in the history were ignored.`);
  }
  return { history, notes };
}
