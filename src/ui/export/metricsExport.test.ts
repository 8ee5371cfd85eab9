// Metrics export: CSV escaping and number formatting, kNN merged by step, new StepMetrics
// fields picked up as columns, and the JSON document (config + seed, non-finite numbers).
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../core/config/runConfig';
import type { KnnMetrics, StepMetrics } from '../../core/train/metrics';
import { csvField, formatCsvNumber, metricsToCsv, toCsv } from './metricsCsv';
import { buildMetricsDocument, metricsFileBase, metricsToJson, type MetricsExportInput } from './metricsJson';

function metrics(step: number, over: Partial<StepMetrics> = {}): StepMetrics {
  return {
    step, loss: -0.5, meanPairLoss: -0.6, selectedIou: 0.25, meanIou: 0.375, lowestIouHitRate: 0.5,
    isSelectionStep: true, learningRate: 0.06, imagesPerSec: 800, msPerStep: 80, ...over,
  };
}
const knn = (step: number, top1: number): KnnMetrics => ({ step, top1, numBank: 64, numQueries: 40 });

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
