/**
 * Store tests (Node, vanilla zustand, no React): worker message sequences through
 * applyWorkerMessage, config edits with refusal, and run bookkeeping.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../core/config/runConfig';
import { fieldSpec } from '../../core/config/schema';
import type { ProbeSnapshot, StepMetrics } from '../../core/train/metrics';
import { PROTOCOL_VERSION, type FromWorker } from '../../worker/protocol';
import { createAppStore } from './appStore';
import { selectControls, selectCrossIssues, selectVisibleErrors } from './selectors';

function metrics(step: number, over: Partial<StepMetrics> = {}): StepMetrics {
  return {
    step, loss: -0.5 - step / 1000, meanPairLoss: -0.6, selectedIou: 0.2, meanIou: 0.35,
    lowestIouHitRate: 0.5, isSelectionStep: true, learningRate: 0.06, imagesPerSec: 800, msPerStep: 80,
    ...over,
  };
}

function probe(step: number): ProbeSnapshot {
  const n = 4;
  const view = (top: number) => ({
    top, left: 0, height: 16, width: 16, isFlipped: false, hasJitter: false, brightness: 1, contrast: 1,
    saturation: 1, hue: 0, jitterOrder: [0, 1, 2, 3] as [number, number, number, number], isGrayscale: false,
    blurSigma: 0, isSolarized: false,
  });
  return {
    step, numViews: n,
    images: [{
      imageIdx: 3, label: 1, className: 'square', source: new Uint8Array(32 * 32 * 3), sourceSize: 32,
      params: [view(0), view(4), view(8), view(12)], views: new Uint8Array(n * 16 * 16 * 3), viewSize: 16,
      pairLosses: [-0.9, -0.8, -0.2, -0.7, -0.6, -0.5], selectedPair: [0, 3], pairIous: [0.6, 0.3, 0.1, 0.6, 0.3, 0.6],
    }],
  };
}

function feed(store: ReturnType<typeof createAppStore>, msgs: FromWorker[]): void {
  for (const m of msgs) store.getState().applyWorkerMessage(m);
}

describe('applyWorkerMessage over a realistic run', () => {
  it('tracks start → progress → metrics → knn → probe → pause → fatal error', () => {
    const store = createAppStore();
    feed(store, [
      { type: 'ready', protocolVersion: PROTOCOL_VERSION },
      { type: 'backend', backend: { name: 'webgl', adapter: '', fallbackReason: 'navigator.gpu is missing' } },
    ]);
    expect(store.getState().backend?.fallbackReason).toBe('navigator.gpu is missing');
    expect(store.getState().protocolVersion).toBe(PROTOCOL_VERSION);

    store.getState().notePending(7, 'init');
    expect(selectControls(store.getState())).toMatchObject({ canStart: false, startBlockedReason: 'Starting the compute backend…' });
    feed(store, [{ type: 'ack', id: 7 }]);
    expect(selectControls(store.getState()).canStart).toBe(true);

    const s0 = store.getState();
    s0.beginRun(s0.config, 50);
    s0.notePending(1, 'start');
    expect(selectControls(store.getState()).canStart).toBe(false);
    feed(store, [
      { type: 'ack', id: 1 },
      { type: 'state', state: 'preparing', step: 0 },
      { type: 'progress', stage: 'Generating dataset', fraction: 0.25 },
    ]);
    expect(store.getState().pending).toBeNull();
    expect(store.getState().runState).toBe('preparing');
    expect(store.getState().progress).toEqual({ stage: 'Generating dataset', fraction: 0.25 });
    expect(store.getState().setField('numViews', '6')).toBe(false); // locked while preparing
    expect(store.getState().config.numViews).toBe(DEFAULT_CONFIG.numViews);

    feed(store, [
      { type: 'progress', stage: 'Generating dataset', fraction: 1 },
      { type: 'state', state: 'running', step: 0 },
      { type: 'metrics', metrics: metrics(1) },
      { type: 'metrics', metrics: metrics(2) },
      { type: 'metrics', metrics: metrics(3, { isSelectionStep: false, meanPairLoss: null }) },
      { type: 'knn', knn: { step: 3, top1: 0.31, numBank: 2000, numQueries: 1000 } },
      { type: 'probe', probe: probe(3) },
      { type: 'log', level: 'info', message: 'kNN bank embedded' },
    ]);
    let s = store.getState();
    expect(s.progress).toBeNull();
    expect(s.runState).toBe('running');
    expect(s.step).toBe(3);
    expect(s.steps.points.map((m) => m.step)).toEqual([1, 2, 3]);
    expect(s.latestMetrics?.step).toBe(3);
    expect(s.knn.points).toHaveLength(1);
    expect(s.probe?.images[0]!.selectedPair).toEqual([0, 3]);
    expect(s.logs.map((l) => l.message)).toContain('kNN bank embedded');
    expect(selectControls(s)).toMatchObject({ canPause: true, canResume: false, canStop: true, canStart: false });

    s.notePending(2, 'pause');
    feed(store, [{ type: 'ack', id: 2 }, { type: 'state', state: 'paused', step: 3 }]);
    expect(selectControls(store.getState())).toMatchObject({ canPause: false, canResume: true, canStop: true });

    feed(store, [{
      type: 'error', isFatal: true, hint: 'Lower the learning rate and start again.',
      error: { name: 'NonFiniteLossError', message: 'Loss became NaN at step 3.' },
    }]);
    s = store.getState();
    expect(s.runState).toBe('failed');
    expect(s.isWorkerAlive).toBe(true); // a failed run, not a dead worker: Start works again
    expect(selectVisibleErrors(s.errors)).toHaveLength(1);
    expect(s.errors[0]).toMatchObject({ name: 'NonFiniteLossError', hint: 'Lower the learning rate and start again.', step: 3 });
    expect(s.logs.at(-1)!.level).toBe('error');
    expect(selectControls(s).canStart).toBe(true);

    s.dismissError(s.errors[0]!.seq);
    s = store.getState();
    expect(selectVisibleErrors(s.errors)).toHaveLength(0);
    expect(s.errors).toHaveLength(1); // dismissed but still logged
  });

  it('beginRun clears the previous run and records its config', () => {
    const store = createAppStore();
    feed(store, [{ type: 'metrics', metrics: metrics(1) }, { type: 'probe', probe: probe(1) }, { type: 'done', step: 1 }]);
    expect(store.getState().runState).toBe('done');
    const cfg = { ...DEFAULT_CONFIG, numViews: 6 };
    store.getState().beginRun(cfg, null);
    const s = store.getState();
    expect(s.steps.points).toHaveLength(0);
    expect(s.latestMetrics).toBeNull();
    expect(s.probe).toBeNull();
    expect(s.runConfig?.numViews).toBe(6);
  });

  it('refuses a worker that speaks another protocol version', () => {
    const store = createAppStore();
    feed(store, [{ type: 'ready', protocolVersion: PROTOCOL_VERSION + 1 }]);
    const s = store.getState();
    expect(s.isWorkerAlive).toBe(false);
    expect(s.errors[0]!.name).toBe('ProtocolMismatchError');
    expect(selectControls(s).canStart).toBe(false);
  });

  it('shows the backend banner again when the fallback reason changes', () => {
    const store = createAppStore();
    feed(store, [{ type: 'backend', backend: { name: 'webgl', adapter: '', fallbackReason: 'no adapter' } }]);
    store.getState().dismissBackendNote();
    feed(store, [{ type: 'backend', backend: { name: 'webgl', adapter: '', fallbackReason: 'no adapter' } }]);
    expect(store.getState().isBackendNoteDismissed).toBe(true);
    feed(store, [{ type: 'backend', backend: { name: 'cpu', adapter: '', fallbackReason: 'WebGL context lost' } }]);
    expect(store.getState().isBackendNoteDismissed).toBe(false);
  });

  it('logs unknown message types instead of throwing', () => {
    const store = createAppStore();
    feed(store, [{ type: 'telemetry' } as unknown as FromWorker]);
    expect(store.getState().logs[0]!.message).toMatch(/unknown message type "telemetry"/);
  });
});

describe('config edits', () => {
  it('accepts a valid value and keeps the typed text until the field is committed', () => {
    const store = createAppStore();
    expect(store.getState().setField('learningRate', '0.03')).toBe(true);
    expect(store.getState().config.learningRate).toBe(0.03);
    expect(store.getState().drafts.learningRate).toBe('0.03');
    store.getState().commitField('learningRate');
    expect(store.getState().drafts.learningRate).toBeUndefined();
    expect(store.getState().setField('hvpMode', 'random')).toBe(true);
    expect(store.getState().config.hvpMode).toBe('random');
  });

  it('refuses an out-of-range value with the schema message and keeps the previous value', () => {
    const store = createAppStore();
    store.getState().setField('numViews', '6');
    expect(store.getState().setField('numViews', '9')).toBe(false);
    const s = store.getState();
    expect(s.config.numViews).toBe(6);
    expect(s.fieldIssues.numViews).toContain(`${fieldSpec('numViews').label}: 9 is out of range 2–8.`);
    expect(s.fieldIssues.numViews).toContain('Keeping 6.');
    expect(s.drafts.numViews).toBe('9');
    expect(selectControls(s).canStart).toBe(false);
    store.getState().commitField('numViews'); // a refused draft survives blur
    expect(store.getState().drafts.numViews).toBe('9');
    store.getState().revertField('numViews');
    expect(store.getState().fieldIssues.numViews).toBeUndefined();
    expect(store.getState().drafts.numViews).toBeUndefined();
    expect(selectControls(store.getState()).canStart).toBe(true);
  });

  it('refuses non-integers, non-numbers and unknown choices', () => {
    const store = createAppStore();
    expect(store.getState().setField('batchSize', '12.5')).toBe(false);
    expect(store.getState().fieldIssues.batchSize).toMatch(/whole number/);
    expect(store.getState().setField('learningRate', '')).toBe(false);
    expect(store.getState().fieldIssues.learningRate).toMatch(/not a number/);
    expect(store.getState().setField('hvpMode', 'hardest')).toBe(false);
    expect(store.getState().config).toEqual(DEFAULT_CONFIG);
  });

  it('accepts per-field-valid values that conflict, reports the conflict and blocks Start', () => {
    const store = createAppStore();
    store.getState().setField('warmupSteps', '3000');
    const s = store.getState();
    expect(s.config.warmupSteps).toBe(3000);
    expect(selectCrossIssues(s.config).map((i) => i.key)).toEqual(['warmupSteps']);
    expect(selectControls(s)).toMatchObject({ canStart: false, startBlockedReason: 'Resolve 1 conflicting setting first.' });
    store.getState().setField('totalSteps', '4000');
    expect(selectControls(store.getState()).canStart).toBe(true);
  });

  it('loads a URL config with its warnings and can reset to defaults', () => {
    const store = createAppStore();
    store.getState().loadConfig({ ...DEFAULT_CONFIG, seed: 7 }, ['Unknown URL setting "foo" was ignored.']);
    expect(store.getState().config.seed).toBe(7);
    expect(store.getState().urlWarnings).toHaveLength(1);
    store.getState().dismissUrlWarnings();
    expect(store.getState().isUrlNoteDismissed).toBe(true);
    store.getState().resetConfig();
    expect(store.getState().config).toEqual(DEFAULT_CONFIG);
  });
});
