/**
 * Metrics → CSV text (RFC 4180: comma-separated, CRLF line ends, fields quoted when needed).
 *
 * One row per logged step, in step order; kNN results are merged in by step as `knn_*` columns
 * (empty on steps without an evaluation; a kNN step that was not logged gets a row of its own).
 * Every cell is a scalar (number, true/false, text or empty): nested records are flattened into
 * one column per leaf, named by the path joined with '_' and array entries by their index. The
 * `pairStats` histograms thus become, for each of cropScale, centerDistance, jitterDistance:
 *   pairStats_<name>_lo, pairStats_<name>_hi     edges of the binned range
 *   pairStats_<name>_selected_<i>                count of the selected pairs in bin i (0-based)
 *   pairStats_<name>_all_<i>                     count of all pairs in bin i
 * where bin i covers [lo + i·(hi − lo)/numBins, lo + (i + 1)·(hi − lo)/numBins) (core/train/pairStats.ts).
 * Columns are the union of the flattened fields in first-seen order, so fields added to
 * StepMetrics later appear without changes here. The JSON export keeps the records as they are.
 * Must not import: React, zustand, recharts, tfjs.
 */
import type { KnnMetrics, StepMetrics } from '../../core/train/metrics';

/** One CSV field: numbers in shortest round-trip form without locale ('.' decimal point, no
 * thousands separators; NaN / Infinity spelled out), null and undefined empty, booleans
 * true/false, objects as JSON; quoted when it holds a comma, quote, line break or edge space. */
export function csvField(value: unknown): string {
  let text: string;
  if (value === null || value === undefined) text = '';
  else if (typeof value === 'number') text = formatCsvNumber(value);
  else if (typeof value === 'string') text = value;
  else if (typeof value === 'boolean') text = value ? 'true' : 'false';
  else if (ArrayBuffer.isView(value)) text = JSON.stringify(Array.from(value as unknown as ArrayLike<number>));
  else text = JSON.stringify(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A number as CSV text: integers and finite floats round-trip exactly (`String`), -0 becomes
 * 0, non-finite values are written as NaN, Infinity, -Infinity. */
export function formatCsvNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  if (Object.is(n, -0)) return '0';
  return String(n);
}

/** Rows of objects → CSV text with a header row (the given columns, in order). */
export function toCsv(columns: readonly string[], rows: ReadonlyArray<Readonly<Record<string, unknown>>>): string {
  const lines = [columns.map(csvField).join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvField(row[c])).join(','));
  return lines.join('\r\n') + '\r\n';
}

/** Prefix of the merged kNN columns. */
export const KNN_PREFIX = 'knn_';

/** CSV of the step metrics (flattened to scalar columns) with the kNN results merged in by step. */
export function metricsToCsv(steps: readonly StepMetrics[], knn: readonly KnnMetrics[]): string {
  const flatSteps = steps.map((m) => flattenRecord(m));
  const flatKnn = knn.map((k) => flattenRecord(k));
  const stepCols = unionKeys(flatSteps, 'step');
  const knnCols = unionKeys(flatKnn, 'step').map((k) => KNN_PREFIX + k);
  const byStep = new Map<number, Record<string, unknown>>();
  const rowAt = (step: number): Record<string, unknown> => {
    let row = byStep.get(step);
    if (!row) {
      row = { step };
      byStep.set(step, row);
    }
    return row;
  };
  for (const m of flatSteps) Object.assign(rowAt(m.step as number), m);
  for (const k of flatKnn) {
    const row = rowAt(k.step as number);
    for (const [key, v] of Object.entries(k)) if (key !== 'step') row[KNN_PREFIX + key] = v;
  }
  const rows = [...byStep.values()].sort((a, b) => (a.step as number) - (b.step as number));
  return toCsv(['step', ...stepCols, ...knnCols], rows);
}

/** Separator of the path parts of a flattened column name. */
export const PATH_SEPARATOR = '_';

/** A record flattened to scalar leaves: nested objects and arrays (typed ones too) become one
 * field per leaf named `<path>_<key or index>`; an empty object or array leaves no field. */
export function flattenRecord(record: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const visit = (value: unknown, path: string) => {
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) value = Array.from(value as unknown as ArrayLike<number>);
    if (Array.isArray(value)) value.forEach((v, i) => visit(v, `${path}${PATH_SEPARATOR}${i}`));
    else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) visit(v, path === '' ? k : `${path}${PATH_SEPARATOR}${k}`);
    else out[path] = value;
  };
  for (const [k, v] of Object.entries(record)) visit(v, k);
  return out;
}

/** Keys of all records in first-seen order, without `skip`. */
function unionKeys(records: ReadonlyArray<object>, skip: string): string[] {
  const seen = new Set<string>();
  for (const r of records) for (const k of Object.keys(r)) if (k !== skip) seen.add(k);
  return [...seen];
}
