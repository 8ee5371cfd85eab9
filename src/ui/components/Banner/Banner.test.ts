/**
 * Banner markup in Node (react-dom/server): the backend-fallback sentence, error message + hint
 * until dismissed (StatusLine has its own test).
 * (The reference below types the components' CSS-module imports under tsconfig.node.json.)
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { createAppStore, type AppStore } from '../../store/appStore';
import { AppStoreContext } from '../../store/useAppStore';
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
