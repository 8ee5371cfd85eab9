// Twin export: CSV with both twins side by side and evaluations merged by step, JSON with the
// config, both modes, the summary and the records; the file name.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../core/config/runConfig';
import type { TwinStepRow } from '../../core/run/twinRecords';
import { TWIN_CSV_COLUMNS, twinFileBase, twinToCsv, twinToJson } from './twinExport';

const row = (step: number, lossOn: number): TwinStepRow => ({
  step, off: { loss: -0.25, stepMs: 10, selectedIou: 0.5, learningRate: 0.05 }, on: { loss: lossOn, stepMs: 30, selectedIou: 0.125, learningRate: 0.05 },
});

describe('twin export', () => {
  it('writes one CSV row per step, both twins side by side, evaluations at their step', () => {
    const csv = twinToCsv([row(2, -0.5), row(1, Number.NaN)], [{ step: 2, off: { knnTop1: 0.25, linearProbeTop1: null }, on: { knnTop1: 0.5, linearProbeTop1: 0.75 } }, { step: 3, off: { knnTop1: 0.5, linearProbeTop1: 0.5 }, on: { knnTop1: 1, linearProbeTop1: 1 } }]);
    const lines = csv.trimEnd().split('\r\n').map((l) => l.split(','));
    expect(lines[0]).toEqual([...TWIN_CSV_COLUMNS]);
    expect(lines[0]!.slice(0, 3)).toEqual(['step', 'off_loss', 'on_loss']);
    const col = (name: string) => lines[0]!.indexOf(name);
    expect(lines.slice(1).map((l) => l[0])).toEqual(['1', '2', '3']);
    expect(lines[1]![col('on_loss')]).toBe('NaN');
    expect(lines[1]![col('off_knnTop1')]).toBe('');
    expect(lines[2]![col('on_stepMs')]).toBe('30');
    expect(lines[2]![col('off_knnTop1')]).toBe('0.25');
    expect(lines[2]![col('off_linearProbeTop1')]).toBe('');
    expect(lines[2]![col('on_linearProbeTop1')]).toBe('0.75');
    expect(lines[3]![col('off_loss')]).toBe('');
    expect(lines.every((l) => l.length === TWIN_CSV_COLUMNS.length)).toBe(true);
  });

  it('writes a self-describing JSON document and names files after the comparison', () => {
    const config = { ...DEFAULT_CONFIG, hvpMode: 'off' as const, seed: 5 };
    const doc = JSON.parse(twinToJson({ config, phase: 'done', step: 1, targetStep: 1, rows: [row(1, Number.POSITIVE_INFINITY)], evals: [], summary: { overheadRatio: 3 }, exportedAt: 'now' }));
    expect(doc).toMatchObject({ format: 'hvp-playground-twin-metrics', version: 1, seed: 5, hvpModes: { off: 'off', on: 'hard' }, phase: 'done', summary: { overheadRatio: 3 } });
    expect(doc.steps[0].on.loss).toBe('Infinity');
    expect(doc.config.seed).toBe(5);
    expect(twinFileBase(config, 12)).toBe('hvp-twin-simsiam-off-vs-hard-N4-seed5-step12');
    expect(twinFileBase({ ...config, hvpMode: 'easy' }, 3)).toBe('hvp-twin-simsiam-off-vs-easy-N4-seed5-step3');
  });
});
