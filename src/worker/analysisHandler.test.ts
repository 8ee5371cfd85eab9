// The analysis worker's handler and client without a Worker: a view log of real trainer steps (tfjs
// CPU, tiny config) is loaded from a Blob, fitted (loss drivers with the paper's features beside,
// choice accuracy vs chance) and exported; every request gets exactly one answer with its id; bad
// files and too little data answer with a message and a hint; a crashed worker rejects what is pending.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinDatasetFor } from '../../tests/helpers/builtinDatasetFor';
import { tinyConfig } from '../../tests/helpers/tinyConfig';
import { viewLogRows } from '../core/hvp/viewLog';
import { parseViewLog } from '../core/analysis/viewLogParse';
import { viewLogCsv, type ViewLogRow } from '../core/analysis/viewLogRow';
import { createTrainer } from '../core/train/trainer';
import { AnalysisRequestError, AnalysisWorkerClient, ANALYSIS_WORKER_CRASH_ERROR_NAME } from './analysisClient';
import { ANALYSIS_INPUT_HINT, createAnalysisHandler, summarizeRows } from './analysisHandler';
import type { FromAnalysisWorker, ToAnalysisWorker } from './analysisProtocol';

let rows: ViewLogRow[] = [];

beforeAll(async () => {
  await tf.setBackend('cpu');
  const config = tinyConfig({ method: 'simsiam', hvpMode: 'hard', numViews: 4, batchSize: 8 });
  const t = createTrainer(config, builtinDatasetFor(config));
  for (let s = 0; s < 4; s++) {
    const { viewLog } = await t.readStepMetrics(t.trainStep(), { withViewLog: true });
    rows.push(...viewLogRows(viewLog!));
  }
  t.dispose();
});

/** A handler with its answers collected. */
function harness() {
  const out: FromAnalysisWorker[] = [];
  const handle = createAnalysisHandler({ post: (m) => out.push(m) });
  return { out, handle };
}

/** A Worker stand-in that runs the handler in this thread (answers arrive on a later task). */
class FakeWorker extends EventTarget {
  readonly handle = createAnalysisHandler({ post: (m) => setTimeout(() => this.dispatchEvent(new MessageEvent('message', { data: m })), 0) });
  isTerminated = false;
  postMessage(msg: ToAnalysisWorker): void {
    void this.handle(msg);
  }
  terminate(): void {
    this.isTerminated = true;
  }
}

describe('analysis handler', () => {
  it('loads a file, fits both models on it and exports it; one answer per id', async () => {
    const { out, handle } = harness();
    expect(out).toEqual([{ type: 'ready', protocolVersion: 1 }]);
    await handle({ type: 'parseFile', id: 1, name: 'views.csv', data: new Blob([viewLogCsv(rows)]) });
    const parsed = out[1]!;
    if (parsed.type !== 'parsed') throw new Error(JSON.stringify(parsed));
    expect(parsed.summary).toMatchObject({ name: 'views.csv', format: 'csv', numRows: 4 * 8 * 6, numSteps: 4, numGroups: 32, firstStep: 0, lastStep: 3, minCandidates: 6, maxCandidates: 6 });
    const file = { kind: 'file' as const, fileId: parsed.summary.fileId };

    await handle({ type: 'lossDrivers', id: 2, source: file, method: 'fanova' });
    const ld = out[2]!;
    if (ld.type !== 'lossDrivers') throw new Error(JSON.stringify(ld));
    expect(ld.result.method).toBe('fanova');
    expect(ld.result.numRows).toBe(rows.length);
    expect(ld.result.features.map((f) => f.name)).toEqual(['iou', 'brightness', 'center_distance', 'color_distance', 'contrast', 'saturation', 'hue']);
    expect(ld.features.map((f) => f.label)).toEqual(['IoU', 'brightness', 'relative distance', 'colour distance', 'contrast', 'saturation', 'hue']);
    expect(ld.features[0]!.paperShare).toBe(0.152);
    expect(ld.forest.sampleFraction).toBe(1);
    for (const f of ld.result.features) expect(f.share).toBeGreaterThanOrEqual(0);

    await handle({ type: 'lossDrivers', id: 3, source: { kind: 'rows', rows }, method: 'permutation' });
    expect(out[3]).toMatchObject({ type: 'lossDrivers', id: 3, result: { method: 'permutation' } });

    await handle({ type: 'choice', id: 4, source: file });
    const choice = out[4]!;
    if (choice.type !== 'choice') throw new Error(JSON.stringify(choice));
    expect(choice.result.chance).toBeCloseTo(1 / 6, 12);
    expect(choice.result.numTrainGroups + choice.result.numTestGroups).toBe(32);
    expect(choice.result.accuracy).toBeGreaterThanOrEqual(0);
    expect(choice.result.accuracy).toBeLessThanOrEqual(1);

    await handle({ type: 'export', id: 5, source: file, format: 'jsonl' });
    const ex = out[5]!;
    if (ex.type !== 'exported') throw new Error(JSON.stringify(ex));
    expect(ex.numRows).toBe(rows.length);
    expect(parseViewLog(ex.text).rows).toEqual(parseViewLog(viewLogCsv(rows)).rows);
    expect(out.map((m) => ('id' in m ? m.id : null))).toEqual([null, 1, 2, 3, 4, 5]);
  });

  it('answers a bad file, a stale file id, too little data and an unknown request with an error and a hint', async () => {
    const { out, handle } = harness();
    await handle({ type: 'parseFile', id: 1, name: 'photo.png', data: new Uint8Array([0x89, 0x50, 0xff, 0xfe, 0x00]).buffer });
    await handle({ type: 'parseFile', id: 2, name: 'bad.csv', data: viewLogCsv(rows.slice(0, 2)).replace(/\n([^#\n][^\n]*)\n$/, '\n$1,extra\n') });
    await handle({ type: 'choice', id: 3, source: { kind: 'file', fileId: 1 } });
    await handle({ type: 'lossDrivers', id: 4, source: { kind: 'rows', rows: rows.slice(0, 1) }, method: 'fanova' });
    await handle({ type: 'choice', id: 5, source: { kind: 'rows', rows: rows.slice(0, 6) } });
    await handle({ type: 'nonsense', id: 6 } as unknown as ToAnalysisWorker);
    const errors = out.slice(1);
    expect(errors.map((m) => m.type)).toEqual(['error', 'error', 'error', 'error', 'error', 'error']);
    expect(errors.map((m) => (m.type === 'error' ? m.id : -1))).toEqual([1, 2, 3, 4, 5, 6]);
    const texts = errors.map((m) => (m.type === 'error' ? `${m.error.name}: ${m.error.message} | ${m.hint}` : ''));
    expect(texts[0]).toMatch(/ViewLogParseError: photo\.png is not text/);
    expect(texts[1]).toMatch(/ViewLogParseError: bad\.csv, line \d+ \(row 2\): \d+ cells/);
    expect(texts[2]).toMatch(/no longer in the analysis worker.*Load the view log again/);
    expect(texts[3]).toContain(`AnalysisInputError: the view log has 1 pair row; train a few HVP selection steps first (at least 2 rows) | ${ANALYSIS_INPUT_HINT}`);
    expect(texts[4]).toMatch(/AnalysisInputError: need at least 2 groups/);
    expect(texts[5]).toMatch(/ProtocolError: Unknown request "nonsense"/);
    for (const m of errors) if (m.type === 'error') expect(m.hint).not.toBe('');
  });

  it('refuses a file over the size limit before reading it', async () => {
    const { out, handle } = harness();
    const big = { size: 300 * 1024 * 1024, arrayBuffer: () => Promise.reject(new Error('read')) } as unknown as Blob;
    Object.setPrototypeOf(big, Blob.prototype);
    await handle({ type: 'parseFile', id: 1, name: 'huge.csv', data: big });
    expect(out[1]).toMatchObject({ type: 'error', id: 1, error: { name: 'ViewLogParseError' } });
    expect(out[1]!.type === 'error' && out[1].error.message).toMatch(/huge\.csv is 300\.0 MB; view logs over 256\.0 MB are not read/);
  });

  it('summarizes steps and groups in log order', () => {
    expect(summarizeRows([])).toMatchObject({ numRows: 0, numSteps: 0, numGroups: 0 });
    expect(summarizeRows(rows.filter((r) => r.step === 2))).toMatchObject({ numSteps: 1, numGroups: 8, firstStep: 2, lastStep: 2 });
  });
});

describe('analysis client', () => {
  it('resolves each request with its answer and rejects failures with the hint', async () => {
    const workers: FakeWorker[] = [];
    const client = new AnalysisWorkerClient(() => {
      const w = new FakeWorker();
      workers.push(w);
      return w as unknown as Worker;
    });
    const [summary, bad] = await Promise.allSettled([
      client.parseFile(viewLogCsv(rows), 'views.csv'),
      client.choice({ kind: 'rows', rows: rows.slice(0, 6) }),
    ]);
    expect(workers.length).toBe(1);
    expect(summary.status === 'fulfilled' && summary.value.numRows).toBe(rows.length);
    expect(bad.status).toBe('rejected');
    const err = (bad as PromiseRejectedResult).reason as AnalysisRequestError;
    expect(err).toBeInstanceOf(AnalysisRequestError);
    expect(err.name).toBe('AnalysisInputError');
    expect(err.hint).toBe(ANALYSIS_INPUT_HINT);
    const fileId = (summary as PromiseFulfilledResult<{ fileId: number }>).value.fileId;
    const exported = await client.exportLog({ kind: 'file', fileId }, 'csv');
    expect(exported.numRows).toBe(rows.length);
    expect(exported.text.startsWith('# hvp-playground-view-log version 1')).toBe(true);
  });

  it('rejects every pending request when the worker crashes, and starts a new one for the next', async () => {
    const workers: FakeWorker[] = [];
    const client = new AnalysisWorkerClient(() => {
      const w = new FakeWorker();
      w.postMessage = () => {}; // never answers
      workers.push(w);
      return w as unknown as Worker;
    });
    const a = client.choice({ kind: 'rows', rows });
    const b = client.exportLog({ kind: 'rows', rows }, 'csv');
    workers[0]!.dispatchEvent(Object.assign(new Event('error'), { message: 'out of memory' }));
    for (const p of [a, b]) {
      await expect(p).rejects.toMatchObject({ name: ANALYSIS_WORKER_CRASH_ERROR_NAME, message: expect.stringContaining('out of memory') as unknown });
    }
    expect(workers[0]!.isTerminated).toBe(true);
    void client.choice({ kind: 'rows', rows }).catch(() => {});
    expect(workers.length).toBe(2);
    client.terminate();
  });
});
