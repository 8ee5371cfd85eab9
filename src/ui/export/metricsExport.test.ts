// Metrics export: CSV escaping and number formatting, kNN merged by step, new StepMetrics
// fields picked up as columns, nested records flattened to scalar columns with stable names, and
// the JSON document (config + seed, non-finite numbers, nested records kept whole).
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../core/config/runConfig';
import type { KnnMetrics, StepMetrics } from '../../core/train/metrics';
import type { PairHistogram, PairStats } from '../../core/hvp/pairStats';
import { csvField, flattenRecord, formatCsvNumber, metricsToCsv, toCsv } from './metricsCsv';
import { buildMetricsDocument, metricsFileBase, metricsToJson, type MetricsExportInput } from './metricsJson';

function metrics(step: number, over: Partial<StepMetrics> = {}): StepMetrics {
  return {
    step, loss: -0.5, meanPairLoss: -0.6, selectedIou: 0.25, meanIou: 0.375, lowestIouHitRate: 0.5,
    isSelectionStep: true, learningRate: 0.06, imagesPerSec: 800, msPerStep: 80, ...over,
  };
}
const knn = (step: number, top1: number): KnnMetrics => ({ step, top1, numBank: 64, numQueries: 40 });
const hist = (hi: number, numBins: number): PairHistogram => ({
  lo: 0, hi, selected: Array.from({ length: numBins }, (_, i) => i % 3), all: Array.from({ length: numBins }, (_, i) => 2 * i),
});
const pairStats = (numBins = 10): PairStats => ({ cropScale: hist(1, numBins), centerDistance: hist(Math.SQRT2, numBins), jitterDistance: hist(2, numBins) });

/** Minimal RFC 4180 parser for round-trip checks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inQuotes) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') inQuotes = false; else field += c;
    } else if (c === '"') inQuotes = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; }
    else field += c;
  }
  return rows;
}

describe('csvField / formatCsvNumber', () => {
  it('formats numbers without locale and spells out non-finite values', () => {
    expect(formatCsvNumber(1234567.5)).toBe('1234567.5');
    expect(formatCsvNumber(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(formatCsvNumber(5e-7)).toBe('5e-7');
    expect(formatCsvNumber(-0)).toBe('0');
    expect(formatCsvNumber(NaN)).toBe('NaN');
    expect(formatCsvNumber(-Infinity)).toBe('-Infinity');
    expect(Number(formatCsvNumber(-0.123456789012345))).toBe(-0.123456789012345);
  });

  it('quotes fields with commas, quotes, line breaks or edge spaces and doubles inner quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(' padded')).toBe('" padded"');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(csvField(true)).toBe('true');
    expect(csvField({ a: [1, 2] })).toBe('"{""a"":[1,2]}"');
  });

  it('toCsv writes a header and CRLF-terminated rows that parse back', () => {
    const text = toCsv(['name', 'value'], [{ name: 'x,"y"', value: 1.5 }, { name: 'z', value: null }]);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(parseCsv(text)).toEqual([['name', 'value'], ['x,"y"', '1.5'], ['z', '']]);
  });
});

describe('metricsToCsv', () => {
  it('writes one row per logged step with kNN merged by step', () => {
    const text = metricsToCsv([metrics(1), metrics(2, { meanPairLoss: null }), metrics(3)], [knn(2, 0.425)]);
    const rows = parseCsv(text);
    const header = rows[0]!;
    expect(header.slice(0, 3)).toEqual(['step', 'loss', 'meanPairLoss']);
    expect(header.slice(-3)).toEqual(['knn_top1', 'knn_numBank', 'knn_numQueries']);
    expect(rows).toHaveLength(4);
    const col = (name: string) => header.indexOf(name);
    expect(rows.map((r) => r[0])).toEqual(['step', '1', '2', '3']);
    expect(rows[2]![col('knn_top1')]).toBe('0.425');
    expect(rows[2]![col('meanPairLoss')]).toBe('');
    expect(rows[1]![col('knn_top1')]).toBe('');
    expect(rows[1]![col('isSelectionStep')]).toBe('true');
  });

  it('gives an unlogged kNN step its own row, in step order', () => {
    const rows = parseCsv(metricsToCsv([metrics(1), metrics(4)], [knn(2, 0.5)]));
    expect(rows.map((r) => r[0])).toEqual(['step', '1', '2', '4']);
    expect(rows[2]![1]).toBe(''); // no loss logged at step 2
  });

  it('picks up optional or new fields as columns (absent cells empty)', () => {
    const extra = { ...metrics(2), randomPairIou: 0.3 } as StepMetrics;
    const rows = parseCsv(metricsToCsv([metrics(1), extra], []));
    const c = rows[0]!.indexOf('randomPairIou');
    expect(c).toBeGreaterThan(0);
    expect(rows[1]![c]).toBe('');
    expect(rows[2]![c]).toBe('0.3');
  });

  it('is just the header for an empty run', () => {
    expect(parseCsv(metricsToCsv([], []))).toEqual([['step']]);
  });
});

describe('metricsToCsv flattening', () => {
  /** The documented pairStats columns of one histogram (metricsCsv.ts header). */
  const histCols = (name: string, numBins: number) => [
    `pairStats_${name}_lo`, `pairStats_${name}_hi`,
    ...Array.from({ length: numBins }, (_, i) => `pairStats_${name}_selected_${i}`),
    ...Array.from({ length: numBins }, (_, i) => `pairStats_${name}_all_${i}`),
  ];

  it('writes pairStats as one scalar column per bin with stable, documented names', () => {
    const full = { ...metrics(1), randomPairIou: 0.3, pairStats: pairStats() };
    const rows = parseCsv(metricsToCsv([metrics(0), full, { ...full, step: 2 }], [knn(2, 0.5)]));
    expect(rows[0]).toEqual([
      'step', 'loss', 'meanPairLoss', 'selectedIou', 'meanIou', 'lowestIouHitRate', 'isSelectionStep', 'learningRate', 'imagesPerSec', 'msPerStep',
      'randomPairIou', ...histCols('cropScale', 10), ...histCols('centerDistance', 10), ...histCols('jitterDistance', 10),
      'knn_top1', 'knn_numBank', 'knn_numQueries',
    ]);
    const col = (name: string) => rows[0]!.indexOf(name);
    expect(rows[2]![col('pairStats_cropScale_selected_4')]).toBe('1');
    expect(rows[2]![col('pairStats_jitterDistance_all_9')]).toBe('18');
    expect(Number(rows[2]![col('pairStats_centerDistance_hi')])).toBe(Math.SQRT2);
    expect(rows[1]![col('pairStats_cropScale_all_0')]).toBe(''); // step 0 had no pairStats
  });

  it('holds only scalars: every cell a number, true/false or empty, no JSON', () => {
    const text = metricsToCsv([metrics(1, { pairStats: pairStats() }), metrics(2, { pairStats: pairStats(), loss: NaN, meanPairLoss: null })], [knn(2, 0.25)]);
    expect(text).not.toMatch(/[{}[\]"]/);
    const rows = parseCsv(text);
    for (const row of rows.slice(1)) {
      expect(row).toHaveLength(rows[0]!.length);
      for (const cell of row) expect(cell === '' || cell === 'true' || cell === 'false' || cell === 'NaN' || Number.isFinite(Number(cell)), cell).toBe(true);
    }
  });

  it('flattens nested objects, arrays and typed arrays by path and index', () => {
    expect(flattenRecord({ a: 1, b: { c: [2, 3], d: { e: true } }, f: new Float32Array([0.5]), g: null, h: [] })).toEqual({
      a: 1, b_c_0: 2, b_c_1: 3, b_d_e: true, f_0: 0.5, g: null,
    });
  });
});

describe('metrics JSON', () => {
  const input = (over: Partial<MetricsExportInput> = {}): MetricsExportInput => ({
    config: { ...DEFAULT_CONFIG, seed: 42 }, runState: 'done', step: 3,
    steps: [metrics(1), metrics(2), metrics(3, { loss: NaN })], knn: [knn(2, 0.5)],
    stepStride: 1, numStepsSeen: 3, exportedAt: '2026-01-01T00:00:00.000Z', ...over,
  });

  it('holds the config, seed, records and decimation', () => {
    const doc = buildMetricsDocument(input());
    expect(doc.format).toBe('hvp-playground-metrics');
    expect(doc.seed).toBe(42);
    expect(doc.config.seed).toBe(42);
    expect(doc.config.hvpMode).toBe(DEFAULT_CONFIG.hvpMode);
    expect(doc.steps.map((m) => m.step)).toEqual([1, 2, 3]);
    expect(doc.knn).toEqual([knn(2, 0.5)]);
    expect(doc.decimation).toEqual({ stepStride: 1, numStepsSeen: 3, numStepsKept: 3 });
  });

  it('keeps nested records whole (the full-fidelity format)', () => {
    const parsed = JSON.parse(metricsToJson(input({ steps: [metrics(1, { pairStats: pairStats() })] }))) as { steps: Array<{ pairStats: PairStats }> };
    expect(parsed.steps[0]!.pairStats).toEqual(pairStats());
  });

  it('serialises non-finite numbers as strings and parses back', () => {
    const parsed = JSON.parse(metricsToJson(input())) as { steps: Array<{ loss: unknown }>; config: { seed: number } };
    expect(parsed.steps[2]!.loss).toBe('NaN');
    expect(parsed.steps[0]!.loss).toBe(-0.5);
    expect(parsed.config.seed).toBe(42);
  });

  it('names files after method, mode, views, seed and step', () => {
    expect(metricsFileBase({ method: 'simsiam', hvpMode: 'hard', numViews: 4, seed: 7 }, 120)).toBe('hvp-metrics-simsiam-hard-N4-seed7-step120');
  });
});
