// StatusLine markup in Node (react-dom/server): a run that has not logged a step says what it waits
// for, Pause reads "pausing" until the run leaves running, the ETA comes from the measured step
// time, the URL's maxSteps is the stop step before any run, and a twin run shows in the header.
import { createElement } from 'react';
import { describe, expect, it } from 'vitest';
import { markupText, renderWithStore } from '../../../../tests/helpers/renderWithStore';
import type { StepMetrics } from '../../../core/train/metrics';
import { createAppStore, type AppStore } from '../../store/appStore';
import { StatusLine } from './StatusLine';

const render = (store: AppStore, maxSteps: number | null = null): string => markupText(renderWithStore(store, createElement(StatusLine, { maxSteps })));

const metrics = (step: number): StepMetrics => ({
  step, loss: -0.4, meanPairLoss: -0.5, selectedPairLoss: -0.3, selectedIou: 0.2, meanIou: 0.4, lowestIouHitRate: 0.5,
  isSelectionStep: true, learningRate: 0.06, imagesPerSec: 100, msPerStep: 250,
});

describe('StatusLine waits', () => {
  it('before the first logged step names the work; pausing until the run leaves running', () => {
    const store = createAppStore();
    const s = store.getState();
    s.applyWorkerMessage({ type: 'backend', backend: { name: 'webgpu', adapter: 'google · swiftshader', fallbackReason: null, isSoftware: true } });
    s.beginRun({ ...s.config, totalSteps: 100 }, null);
    s.applyWorkerMessage({ type: 'state', state: 'running', step: 0 });
    // Server rendering runs no effects, so the wait is not measured there; the backend is named as software.
    expect(render(store)).toContain('(software GPU)');
    s.applyWorkerMessage({ type: 'metrics', metrics: metrics(20) });
    expect(render(store)).toContain('about 20 s left'); // 80 steps × 250 ms
    s.notePending(7, 'pause');
    s.applyWorkerMessage({ type: 'ack', id: 7 });
    expect(render(store)).toContain('pausing after this step…');
    s.applyWorkerMessage({ type: 'state', state: 'paused', step: 21 });
    const paused = render(store);
    expect(paused).not.toContain('pausing');
    expect(paused).toContain('paused');
  });

  it('shows the URL maxSteps as the stop step before a run, and a twin run', () => {
    const store = createAppStore();
    expect(render(store, 30)).toContain(`0 / 30`);
    store.setState((st) => ({ twin: { ...st.twin, phase: 'running', step: 12, targetStep: 40 } }));
    expect(render(store)).toMatch(/Twin run\s*running\s*12 \/ 40/);
  });
});

describe('StatusLine', () => {
  it('exposes state, step, backend and throughput', () => {
    const store = createAppStore();
    const s = store.getState();
    s.applyWorkerMessage({ type: 'backend', backend: { name: 'webgpu', adapter: 'nvidia hopper', fallbackReason: null } });
    s.beginRun(s.config, 50);
    s.applyWorkerMessage({ type: 'state', state: 'running', step: 0 });
    s.applyWorkerMessage({ type: 'metrics', metrics: {
      step: 7, loss: -0.4, meanPairLoss: -0.5, selectedIou: 0.2, meanIou: 0.4, lowestIouHitRate: 0.5, isSelectionStep: true,
      learningRate: 0.06, imagesPerSec: 1234.4, msPerStep: 51.8,
    } });
    const html = render(store);
    expect(html).toContain('running');
    
    expect(html).toContain('7 / 50');
    expect(html).toContain('webgpu · nvidia hopper');
    expect(html).toContain('img/s · 52 ms/step');
  });
});
