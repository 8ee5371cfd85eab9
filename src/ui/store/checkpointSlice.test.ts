// Checkpoint slice: exported files queue for download, a loaded checkpoint replaces config and
// histories (and clears the banners of earlier failed loads), autosave lists arrive, and the
// controls say why export/import are disabled.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../core/config/runConfig';
import type { StepMetrics } from '../../core/train/metrics';
import { createAppStore } from './appStore';
import { formatAge, selectAutosaveOffer, selectCheckpointControls } from './checkpointSelectors';
import { selectVisibleErrors } from './selectors';

const metric = (step: number): StepMetrics => ({ step, loss: -0.1 * step, meanPairLoss: null, selectedIou: 0.3, meanIou: 0.4, lowestIouHitRate: 0.5, isSelectionStep: true, learningRate: 0.05, imagesPerSec: 10, msPerStep: 100 });

describe('checkpoint slice', () => {
  it('queues exported files and takes them once downloaded', () => {
    const store = createAppStore();
    const bytes = new ArrayBuffer(4);
    store.getState().applyWorkerMessage({ type: 'exported', id: 3, kind: 'checkpoint', step: 7, files: [{ name: 'a.safetensors', bytes, mimeType: 'application/octet-stream' }] });
    const [d] = store.getState().downloads;
    expect(d).toMatchObject({ kind: 'checkpoint', step: 7 });
    expect(store.getState().lastExport).toEqual({ kind: 'checkpoint', step: 7, names: ['a.safetensors'] });
    store.getState().takeDownload(d!.seq);
    expect(store.getState().downloads).toEqual([]);
  });

  it('a loaded checkpoint brings its config, step and history, and a log line', () => {
    const store = createAppStore();
    const config = { ...DEFAULT_CONFIG, seed: 42, hvpMode: 'random' as const };
    store.getState().applyWorkerMessage({ type: 'loaded', id: 1, config, step: 3, history: { metrics: [metric(1), metric(2), metric(3)], knn: [{ step: 3, top1: 0.4, numBank: 10, numQueries: 10 }] }, notes: ['n1'], sourceName: 'x.safetensors' });
    const s = store.getState();
    expect(s.config).toEqual(config);
    expect(s.runConfig).toEqual(config);
    expect(s.step).toBe(3);
    expect(s.steps.points.map((p) => p.step)).toEqual([1, 2, 3]);
    expect(s.knn.points).toHaveLength(1);
    expect(s.latestMetrics?.step).toBe(3);
    expect(s.loadedCheckpoint).toEqual({ name: 'x.safetensors', step: 3, notes: ['n1'] });
    expect(s.logs.at(-1)?.message).toMatch(/Loaded x\.safetensors at step 3 \(n1\)\. Press Resume/);
  });

  it('a later successful load dismisses the banners of failed loads, not other errors; the log keeps all', () => {
    const store = createAppStore();
    const s = store.getState();
    s.notePending(5, 'loadCheckpoint');
    s.applyWorkerMessage({ type: 'error', id: 5, isFatal: false, hint: 'Choose a checkpoint.', error: { name: 'CheckpointFormatError', message: 'This file is not a checkpoint.' } });
    s.reportUiError('CheckpointFileError', 'empty.safetensors is empty (0 bytes).', 'Nothing was loaded.');
    s.notePending(6, 'exportBackbone');
    s.applyWorkerMessage({ type: 'error', id: 6, isFatal: false, hint: 'Export the checkpoint instead.', error: { name: 'UnsupportedExportError', message: 'No tfjs export for ViT.' } });
    s.applyWorkerMessage({ type: 'error', isFatal: false, hint: 'h', error: { name: 'SomeError', message: 'unrelated' } });
    expect(selectVisibleErrors(store.getState().errors).map((e) => e.action)).toEqual(['loadCheckpoint', 'loadCheckpoint', 'exportBackbone', null]);

    s.notePending(7, 'loadCheckpoint');
    s.applyWorkerMessage({ type: 'ack', id: 7 });
    s.applyWorkerMessage({ type: 'loaded', id: 7, config: DEFAULT_CONFIG, step: 3, history: { metrics: [], knn: [] }, notes: [], sourceName: 'good.safetensors' });
    expect(selectVisibleErrors(store.getState().errors).map((e) => e.name)).toEqual(['UnsupportedExportError', 'SomeError']);
    const logged = store.getState().logs.filter((l) => l.level === 'error').map((l) => l.message);
    expect(logged).toHaveLength(4);
    expect(logged[0]).toMatch(/^CheckpointFormatError: This file is not a checkpoint/);

    s.applyWorkerMessage({ type: 'exported', id: 8, kind: 'checkpoint', step: 3, files: [] });
    expect(selectVisibleErrors(store.getState().errors).map((e) => e.name)).toEqual(['UnsupportedExportError', 'SomeError']);
    s.applyWorkerMessage({ type: 'exported', id: 9, kind: 'backbone', step: 3, files: [] });
    expect(selectVisibleErrors(store.getState().errors).map((e) => e.name)).toEqual(['SomeError']);
  });

  it('offers the newest autosave only while idle and not dismissed', () => {
    const store = createAppStore();
    const e = { runId: 'r1', step: 5, totalSteps: 10, savedAt: new Date().toISOString(), method: 'simsiam', hvpMode: 'hard', datasetName: 'shapes-10', byteLength: 100 };
    store.getState().applyWorkerMessage({ type: 'autosaves', entries: [e] });
    expect(selectAutosaveOffer(store.getState())).toEqual(e);
    store.getState().dismissAutosaveOffer();
    expect(selectAutosaveOffer(store.getState())).toBeNull();
  });

  it('says why export and import are disabled', () => {
    const base = { runState: 'idle' as const, pending: null, isWorkerAlive: true, runConfig: null };
    expect(selectCheckpointControls(base)).toMatchObject({ canExport: false, exportBlockedReason: 'Start a run or import a checkpoint first.', canImport: true });
    const running = selectCheckpointControls({ ...base, runState: 'running', runConfig: DEFAULT_CONFIG });
    expect(running).toMatchObject({ canExport: true, canImport: false });
    expect(running.importBlockedReason).toMatch(/Stop the current run/);
    expect(selectCheckpointControls({ ...base, runState: 'failed', runConfig: DEFAULT_CONFIG }).exportBlockedReason).toMatch(/failed/);
  });

  it('formats ages', () => {
    expect(formatAge(new Date(1000).toISOString(), 31_000)).toBe('30 s ago');
    expect(formatAge(new Date(0).toISOString(), 3 * 3600_000)).toBe('3 h ago');
  });
});
