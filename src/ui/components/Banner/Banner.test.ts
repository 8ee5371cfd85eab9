/**
 * Banner markup in Node (react-dom/server): the backend-fallback sentence, error message + hint
 * until dismissed (StatusLine has its own test).
 */
import { createElement } from 'react';
import { describe, expect, it } from 'vitest';
import { markupText, renderWithStore } from '../../../../tests/helpers/renderWithStore';
import { createAppStore, type AppStore } from '../../store/appStore';
import { Banner } from './Banner';

const render = (store: AppStore): string => renderWithStore(store, createElement(Banner));

describe('Banner', () => {
  it('renders nothing when all is well', () => {
    expect(render(createAppStore())).toBe('');
  });

  it('explains a backend fallback', () => {
    const store = createAppStore();
    store.getState().applyWorkerMessage({ type: 'backend', backend: { name: 'webgl', adapter: '', fallbackReason: 'navigator.gpu is missing.' } });
    const html = render(store);
    expect(html).toContain('data-testid="banner-backend"');
    expect(markupText(html)).toContain('WebGPU unavailable: navigator.gpu is missing. Training runs on webgl instead, which is slower.');
    store.getState().dismissBackendNote();
    expect(render(store)).toBe('');
  });

  it('shows each error with its hint until dismissed', () => {
    const store = createAppStore();
    store.getState().applyWorkerMessage({
      type: 'error', isFatal: true, hint: 'Lower the learning rate.', error: { name: 'NonFiniteLossError', message: 'Loss is NaN.' },
    });
    const html = render(store);
    expect(html).toContain('data-testid="banner-error"');
    expect(html).toContain('role="alert"');
    expect(markupText(html)).toContain('Loss is NaN. Lower the learning rate.');
    store.getState().dismissError(store.getState().errors[0]!.seq);
    expect(render(store)).toBe('');
  });
});
