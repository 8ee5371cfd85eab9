// Twin slice and selectors (Node, vanilla store): a twin run's messages fill its own records and
// leave the single run's untouched; a refused request keeps the previous twin; the single run's
// Start/Resume/Explain are blocked while a twin is active and the twin's Start while the single run
// runs; the summary table and the chart rows.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../core/config/runConfig';
import type { StepMetrics } from '../../core/train/metrics';
import type { TwinStepRow } from '../../core/run/twinRecords';
import type { FromWorker } from '../../worker/protocol';
import { createAppStore } from './appStore';
import { selectCanEditConfig, selectControls } from './selectors';
import { selectTwinControls, selectTwinRows, selectTwinSummary, toTwinAccuracyRows, toTwinLossRows } from './twinSelectors';

const row = (step: number, offMs = 10, onMs = 25): TwinStepRow => ({
  step,
  off: { loss: -0.1 * step, stepMs: offMs, selectedIou: 0.4, learningRate: 0.05 },
  on: { loss: -0.05 * step, stepMs: onMs, selectedIou: 0.2, learningRate: 0.05 },
});
const metrics = (step: number): StepMetrics => ({
  step, loss: -0.5, meanPairLoss: null, selectedIou: 0.3, meanIou: 0.3, lowestIouHitRate: 0, isSelectionStep: false, learningRate: 0.05, imagesPerSec: 100, msPerStep: 20,
});

function started(config = { ...DEFAULT_CONFIG, seed: 7 }) {
  const store = createAppStore();
  const apply = (m: FromWorker) => store.getState().applyWorkerMessage(m);
  store.getState().notePending(4, 'twinStart');
  store.getState().noteTwinRequest(4, config);
  apply({ type: 'ack', id: 4 });
  apply({ type: 'twinState', state: 'preparing', step: 0, targetStep: 3, message: 'building both twins' });
  return { store, apply };
}

describe('twin slice', () => {
  it('collects both twins\' records, timing and evaluations', () => {
    const { store, apply } = started();
    apply({ type: 'twinState', state: 'running', step: 0, targetStep: 3 });
    apply({ type: 'twinMetrics', row: row(1), timing: { totalMs: { off: 10, on: 25 }, numSteps: 1 } });
    apply({ type: 'twinMetrics', row: row(2, 20, 45), timing: { totalMs: { off: 30, on: 70 }, numSteps: 2 } });
    apply({ type: 'twinEval', row: { step: 2, off: { knnTop1: 0.25, linearProbeTop1: 0.5 }, on: { knnTop1: 0.375, linearProbeTop1: null } } });
    apply({ type: 'twinState', state: 'done', step: 2, targetStep: 3 });
    const t = store.getState().twin;
    expect(t.phase).toBe('done');
    expect(t.config?.seed).toBe(7);
    expect(toTwinLossRows(selectTwinRows(t.rows, t.latest))).toEqual([{ step: 1, lossOff: -0.1, lossOn: -0.05 }, { step: 2, lossOff: -0.2, lossOn: -0.1 }]);
    expect(toTwinAccuracyRows(t.evals.points)).toEqual([{ step: 2, knnOff: 25, knnOn: 37.5, probeOff: 50, probeOn: null }]);
    const sum = selectTwinSummary(t);
    expect(sum.numSteps).toBe(2);
    expect(sum.arms.off).toEqual({ finalKnn: 0.25, finalLinearProbe: 0.5, evalStep: 2, totalMs: 30, msPerStep: 15 });
    expect(sum.arms.on.msPerStep).toBe(35);
    expect(sum.overheadRatio).toBeCloseTo(35 / 15, 12);
    expect(store.getState().steps.points).toHaveLength(0); // the single run's charts are untouched
  });

  it('keeps the single run\'s records and state while a twin runs beside a paused single run', () => {
    const store = createAppStore();
    const apply = (m: FromWorker) => store.getState().applyWorkerMessage(m);
    store.getState().beginRun(DEFAULT_CONFIG, null);
    apply({ type: 'state', state: 'running', step: 0 });
    apply({ type: 'metrics', metrics: metrics(1) });
    expect(selectTwinControls(store.getState())).toMatchObject({ canStart: false });
    expect(selectTwinControls(store.getState()).startBlockedReason).toMatch(/single run is running. Pause or stop it/);
    apply({ type: 'state', state: 'paused', step: 1 });
    expect(selectTwinControls(store.getState()).canStart).toBe(true);
    store.getState().noteTwinRequest(9, DEFAULT_CONFIG);
    apply({ type: 'twinState', state: 'preparing', step: 0, targetStep: 5 });
    apply({ type: 'twinState', state: 'running', step: 0, targetStep: 5 });
    apply({ type: 'twinMetrics', row: row(1), timing: { totalMs: { off: 10, on: 25 }, numSteps: 1 } });
    const s = store.getState();
    expect(s.runState).toBe('paused');
    expect(s.steps.points.map((m) => m.step)).toEqual([1]);
    expect(selectControls(s)).toMatchObject({ canStart: false, canResume: false, canExplain: false, canStop: true });
    expect(selectControls(s).startBlockedReason).toMatch(/twin run is in progress/);
    expect(selectCanEditConfig(s)).toBe(false);
    expect(s.setField('seed', '5')).toBe(false);
    expect(selectTwinControls(s)).toMatchObject({ canStart: false, canPause: true, canStop: true, canResume: false });
    apply({ type: 'twinState', state: 'stopped', step: 1, targetStep: 5 });
    expect(selectControls(store.getState())).toMatchObject({ canResume: true, startBlockedReason: null });
    expect(selectCanEditConfig(store.getState())).toBe(false); // still held by the paused single run
  });

  it('keeps the previous twin when a request is refused, and replaces it when one is accepted', () => {
    const { store, apply } = started();
    apply({ type: 'twinMetrics', row: row(1), timing: { totalMs: { off: 10, on: 25 }, numSteps: 1 } });
    apply({ type: 'twinState', state: 'done', step: 1, targetStep: 1 });
    store.getState().noteTwinRequest(11, { ...DEFAULT_CONFIG, seed: 99 });
    apply({ type: 'error', id: 11, error: { name: 'Error', message: 'The single run is running, so the twin run was not started.' }, isFatal: false, hint: 'Pause or stop the single run first.' });
    let t = store.getState().twin;
    expect(t.failure).toMatch(/single run is running.*Pause or stop/);
    expect(t.request).toBeNull();
    expect(t.rows.points).toHaveLength(1);
    expect(t.config?.seed).toBe(7);
    expect(store.getState().runState).toBe('idle'); // a twin refusal never fails the single run

    store.getState().noteTwinRequest(12, { ...DEFAULT_CONFIG, seed: 99 });
    apply({ type: 'twinState', state: 'preparing', step: 0, targetStep: 4 });
    t = store.getState().twin;
    expect(t.rows.points).toHaveLength(0);
    expect(t.config?.seed).toBe(99);
    expect(t.failure).toBeNull();
    expect(selectTwinSummary(t)).toMatchObject({ numSteps: 0, overheadRatio: null, targetStep: 4 });
  });

  it('marks an active twin failed when the worker crashes', () => {
    const { store, apply } = started();
    apply({ type: 'twinState', state: 'running', step: 0, targetStep: 3 });
    apply({ type: 'error', error: { name: 'WorkerCrashError', message: 'The training worker crashed: out of memory' }, isFatal: true, hint: 'Reload.' });
    expect(store.getState().twin).toMatchObject({ phase: 'failed', message: 'The training worker crashed: out of memory' });
    expect(selectTwinControls(store.getState()).canStart).toBe(false);
  });
});
