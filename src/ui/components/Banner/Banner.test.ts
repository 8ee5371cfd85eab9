/**
 * Banner and StatusLine markup in Node (react-dom/server): the backend-fallback sentence, error
 * message + hint until dismissed, and the status test hooks (run-state text is the RunState).
 * (The reference below types the components' CSS-module imports under tsconfig.node.json.)
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { createAppStore, type AppStore } from '../../store/appStore';
import { AppStoreContext } from '../../store/useAppStore';
import { StatusLine } from '../StatusLine/StatusLine';
import { Banner } from './Banner';

/** Server rendering reads zustand's *initial* state, so pass a view whose initial state is current. */
function render(store: AppStore, component: () => React.ReactNode): string {
  const current: AppStore = { ...store, getInitialState: () => store.getState() };
  return renderToStaticMarkup(createElement(AppStoreContext.Provider, { value: current }, createElement(component)));
}

const text = (html: string): string => html.replace(/<[^>]+>/g, '');

describe('Banner', () => {
  it('renders nothing when all is well', () => {
    expect(render(createAppStore(), Banner)).toBe('');
  });

  it('explains a backend fallback', () => {
    const store = createAppStore();
    store.getState().applyWorkerMessage({ type: 'backend', backend: { name: 'webgl', adapter: '', fallbackReason: 'navigator.gpu is missing.' } });
    const html = render(store, Banner);
    expect(html).toContain('data-testid="banner-backend"');
    expect(text(html)).toContain('WebGPU unavailable: navigator.gpu is missing. Training runs on webgl instead, which is slower.');
    store.getState().dismissBackendNote();
    expect(render(store, Banner)).toBe('');
  });

  it('shows each error with its hint until dismissed', () => {
    const store = createAppStore();
    store.getState().applyWorkerMessage({
      type: 'error', isFatal: true, hint: 'Lower the learning rate.', error: { name: 'NonFiniteLossError', message: 'Loss is NaN.' },
    });
    const html = render(store, Banner);
    expect(html).toContain('data-testid="banner-error"');
    expect(html).toContain('role="alert"');
    expect(text(html)).toContain('Loss is NaN. Lower the learning rate.');
    store.getState().dismissError(store.getState().errors[0]!.seq);
    expect(render(store, Banner)).toBe('');
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
    const html = render(store, StatusLine);
    expect(html).toMatch(/data-testid="run-state"[^>]*>running</);
    expect(html).toContain('data-step="7"');
    expect(text(html)).toContain('7 / 50');
    expect(text(html)).toContain('webgpu · nvidia hopper');
    expect(text(html)).toContain('img/s · 52 ms/step');
  });
});
