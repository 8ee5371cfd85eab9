// Explain slice: the request → `explained` result (stale ids ignored), a refused request's error,
// the "Explain the next step" availability (paused only), and a new run or loaded checkpoint clearing it.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../core/config/runConfig';
import type { StepExplanation } from '../../core/explain/stepExplanation';
import { emptyHistory } from '../../core/run/runHistory';
import { createAppStore } from './appStore';
import { selectControls } from './selectors';

function explanation(step: number): StepExplanation {
  return {
    step, numViews: 2, numImagesInBatch: 4, isSelectionStep: true, selectionRule: 'hardest pair (highest loss) per image',
    images: [{
      imageIdx: 3, label: 1, className: 'b', source: new Uint8Array(12), sourceSize: 2,
      params: [], views: new Uint8Array(24), viewSize: 2, pairLosses: [-0.5], selectedPair: [0, 1], pairIous: [0.4],
      lossBefore: -0.5, lossAfter: -0.6,
    }],
    trainingLoss: -0.45, meanLossBefore: -0.5, meanLossAfter: -0.55, learningRate: 0.05,
  };
}

describe('explain slice', () => {
  it('is available only while paused and keeps the result of its own request', () => {
    const store = createAppStore();
    const apply = store.getState().applyWorkerMessage;
    apply({ type: 'state', state: 'running', step: 3 });
    expect(selectControls(store.getState()).canExplain).toBe(false);
    apply({ type: 'state', state: 'paused', step: 3 });
    expect(selectControls(store.getState()).canExplain).toBe(true);

    store.getState().noteExplainRequest(7);
    apply({ type: 'explained', id: 6, explanation: explanation(1) }); // stale request
    expect(store.getState().explain).toEqual({ requestId: 7, explanation: null, failure: null });
    apply({ type: 'explained', id: 7, explanation: explanation(3) });
    expect(store.getState().explain.requestId).toBeNull();
    expect(store.getState().explain.explanation!.step).toBe(3);

    store.getState().beginRun(DEFAULT_CONFIG, null);
    expect(store.getState().explain).toEqual({ requestId: null, explanation: null, failure: null });
  });

  it('records why a request was refused, keeps the last result, and a loaded checkpoint clears it', () => {
    const store = createAppStore();
    const apply = store.getState().applyWorkerMessage;
    store.getState().noteExplainRequest(1);
    apply({ type: 'explained', id: 1, explanation: explanation(0) });
    store.getState().noteExplainRequest(2);
    apply({ type: 'error', id: 9, error: { name: 'Error', message: 'other request' }, isFatal: false, hint: 'x' });
    expect(store.getState().explain.requestId).toBe(2);
    apply({ type: 'error', id: 2, error: { name: 'Error', message: 'Only a paused run can explain its next step (the run is running).' }, isFatal: false, hint: 'Pause the run first.' });
    const e = store.getState().explain;
    expect(e.requestId).toBeNull();
    expect(e.failure).toBe('Only a paused run can explain its next step (the run is running). Pause the run first.');
    expect(e.explanation!.step).toBe(0);

    apply({ type: 'loaded', id: 3, config: DEFAULT_CONFIG, step: 5, history: emptyHistory(), notes: [], sourceName: 'a.safetensors' });
    expect(store.getState().explain).toEqual({ requestId: null, explanation: null, failure: null });
  });
});
