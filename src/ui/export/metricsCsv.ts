/**
 * Metrics → CSV text (RFC 4180: comma-separated, CRLF line ends, fields quoted when needed).
 *
 * One row per logged step, in step order; kNN results are merged in by step as `knn_*` columns
 * (empty on steps without an evaluation; a kNN step that was not logged gets a row of its own).
 * Columns are the union of the record fields in first-seen order, so fields added to
 * StepMetrics later appear without changes here. Nested records (e.g. `pairStats` histograms)
 * go into one cell as JSON, quoted, so the file stays one row per step and loses nothing.
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

/** CSV of the step metrics with the kNN results merged in by step. */
export function metricsToCsv(steps: readonly StepMetrics[], knn: readonly KnnMetrics[]): string {
  const stepCols = unionKeys(steps, 'step');
  const knnCols = unionKeys(knn, 'step').map((k) => KNN_PREFIX + k);
  const byStep = new Map<number, Record<string, unknown>>();
  const rowAt = (step: number): Record<string, unknown> => {
    let row = byStep.get(step);
    if (!row) {
      row = { step };
      byStep.set(step, row);
    }
    return row;
  };
  for (const m of steps) Object.assign(rowAt(m.step), m);
  for (const k of knn) {
    const row = rowAt(k.step);
    for (const [key, v] of Object.entries(k)) if (key !== 'step') row[KNN_PREFIX + key] = v;
  }
  const rows = [...byStep.values()].sort((a, b) => (a.step as number) - (b.step as number));
  return toCsv(['step', ...stepCols, ...knnCols], rows);
}

/** Keys of all records in first-seen order, without `skip`. */
function unionKeys(records: ReadonlyArray<object>, skip: string): string[] {
  const seen = new Set<string>();
  for (const r of records) for (const k of Object.keys(r)) if (k !== skip) seen.add(k);
  return [...seen];
}
