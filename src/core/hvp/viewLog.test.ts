// The view log of real trainer steps (tfjs CPU backend, tiny configs): one row per image × candidate,
// exactly one selected per image, the selected row's loss is the image's max score (hard), and its
// pair metrics equal those of the step telemetry (selected IoU, mean IoU, lowest-IoU hit rate).
// Also the run loop: 'everySelection' logs every selection step without extra metrics events.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinDatasetFor } from '../../../tests/helpers/builtinDatasetFor';
import { tinyConfig } from '../../../tests/helpers/tinyConfig';
import { viewLogCsv, viewLogJsonl, VIEW_LOG_COLUMNS, type ViewLogRow } from '../analysis/viewLogRow';
import type { RunConfig } from '../config/runConfig';
import { createRunLoop, type RunEvent } from '../run/runLoop';
import { createTrainer } from '../train/trainer';
import { viewLogRows } from './viewLog';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const dino = (o: Partial<RunConfig> = {}): RunConfig => tinyConfig({
  method: 'dino', backboneWidth: 2, imageSize: 16, localSize: 8, numLocalViews: 1, numViews: 4, batchSize: 4, numTrainImages: 32,
  dinoOutDim: 16, dinoHiddenDim: 8, dinoBottleneckDim: 8, learningRate: 0.003, freezeLastLayerEpochs: 0, ...o,
});

/** Rows of one step grouped per image (consecutive). */
function perImage(rows: ViewLogRow[], numImages: number): ViewLogRow[][] {
  const C = rows.length / numImages;
  return Array.from({ length: numImages }, (_, m) => rows.slice(m * C, (m + 1) * C));
}

describe.each([
  ['simsiam', tinyConfig({ method: 'simsiam', hvpMode: 'hard', numViews: 4 }), 6, 0],
  ['dino', dino({ hvpMode: 'hard' }), 0, 1e-6],
] as const)('view log of %s', (_name, config, numCandidates, iouTolerance) => {
  it('has a row per image × candidate whose metrics equal the telemetry', async () => {
    const t = createTrainer(config, builtinDatasetFor(config));
    for (let s = 0; s < 3; s++) {
      const p = t.trainStep();
      const { viewLog, ...m } = await t.readStepMetrics(p, { withViewLog: true });
      expect(viewLog).toBeDefined();
      const rows = viewLogRows(viewLog!);
      const M = config.batchSize;
      const C = viewLog!.candidates.numCombos;
      if (numCandidates) expect(C).toBe(numCandidates);
      expect(rows.length).toBe(M * C);
      const groups = perImage(rows, M);
      let selIou = 0, hits = 0;
      groups.forEach((g, m) => {
        expect(g.every((r) => r.step === s && r.image === p.imageIdx[m])).toBe(true);
        const sel = g.filter((r) => r.selected === 1);
        expect(sel.length).toBe(1);
        expect(sel[0]!.loss).toBe(Math.max(...g.map((r) => r.loss))); // hard: the max score
        selIou += sel[0]!.iou;
        if (sel[0]!.iou <= Math.min(...g.map((r) => r.iou))) hits += 1;
      });
      if (iouTolerance === 0) {
        expect(selIou / M).toBe(m.selectedIou);
        expect(rows.reduce((a, r) => a + r.iou, 0) / rows.length).toBeCloseTo(m.meanIou, 12);
      } else {
        expect(Math.abs(selIou / M - m.selectedIou)).toBeLessThan(iouTolerance);
      }
      expect(hits / M).toBe(m.lowestIouHitRate);
    }
    t.dispose();
  });
});

describe('view log of the selection variants', () => {
  it('colorStatic logs the shared colour the scores saw; selectScale the scored size', async () => {
    const config = tinyConfig({ method: 'simsiam', hvpMode: 'hard', numViews: 4, imageSize: 16, colorStatic: 'step', selectScale: 0.5, jitterProb: 1 });
    const t = createTrainer(config, builtinDatasetFor(config));
    const p = t.trainStep();
    const { viewLog } = await t.readStepMetrics(p, { withViewLog: true });
    t.dispose();
    const rows = viewLogRows(viewLog!);
    expect(rows.every((r) => r.color_static === 1 && r.scored_size === 8 && r.color_distance === 0)).toBe(true);
    expect(new Set(rows.flatMap((r) => [r.a_brightness, r.b_brightness])).size).toBe(1); // one colour per step
    // The trained views kept their own colour.
    expect(new Set(p.params.map((v) => v.brightness)).size).toBeGreaterThan(1);
  });
});

describe('view log files', () => {
  it('CSV and JSON Lines document every column and hold every row', async () => {
    const config = tinyConfig({ method: 'simsiam', hvpMode: 'hard', numViews: 3 });
    const t = createTrainer(config, builtinDatasetFor(config));
    const { viewLog } = await t.readStepMetrics(t.trainStep(), { withViewLog: true });
    t.dispose();
    const rows = viewLogRows(viewLog!);
    const csv = viewLogCsv(rows).trimEnd().split('\n');
    const docLines = csv.filter((l) => l.startsWith('#'));
    expect(docLines.length).toBe(VIEW_LOG_COLUMNS.length + 1);
    const header = csv[docLines.length]!.split(',');
    expect(header).toEqual(VIEW_LOG_COLUMNS.map(([n]) => n));
    expect(csv.length - docLines.length - 1).toBe(rows.length);
    const first = csv[docLines.length + 1]!.split(',');
    expect(Number(first[header.indexOf('iou')])).toBe(rows[0]!.iou);
    const jsonl = viewLogJsonl(rows).trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(Object.keys(jsonl[0]!.columns as object)).toEqual(header);
    expect(jsonl.length).toBe(rows.length + 1);
    expect(jsonl[1]).toEqual(rows[0]);
  });
});

describe('run loop view log', () => {
  it("'everySelection' logs every selection step and emits metrics only every logEvery", async () => {
    const config = tinyConfig({ method: 'simsiam', hvpMode: 'hard', numViews: 3, hvpEvery: 2, logEvery: 3, totalSteps: 6 });
    const t = createTrainer(config, builtinDatasetFor(config));
    const events: RunEvent[] = [];
    await createRunLoop({ trainer: t, emit: (e) => events.push(e), viewLog: 'everySelection' }).run();
    t.dispose();
    expect(events.filter((e) => e.type === 'viewLog').map((e) => (e.type === 'viewLog' ? e.log.step : -1))).toEqual([0, 2, 4]);
    expect(events.filter((e) => e.type === 'metrics').map((e) => (e.type === 'metrics' ? e.metrics.step : -1))).toEqual([3, 6]);
    for (const e of events) if (e.type === 'metrics') expect('viewLog' in e.metrics).toBe(false);
  });
});
