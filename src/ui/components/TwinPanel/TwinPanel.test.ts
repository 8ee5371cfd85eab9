/**
 * TwinPanel markup, rendered to static HTML in Node (react-dom/server, no DOM): before a twin run,
 * while the single run runs (Start refused with the reason), and after a twin run (summary numbers
 * for both twins, overhead, exports enabled, the single run's note).
 */
import { createElement } from 'react';
import { describe, expect, it } from 'vitest';
import { renderWithStore } from '../../../../tests/helpers/renderWithStore';
import { DEFAULT_CONFIG } from '../../../core/config/runConfig';
import type { TrainerCommands } from '../../../worker/client';
import { TrainerContext } from '../../hooks/useTrainer';
import { createAppStore, type AppStore } from '../../store/appStore';
import { TwinPanel } from './TwinPanel';

/** Commands are never called by static rendering. */
const NO_COMMANDS = {} as TrainerCommands;

const render = (store: AppStore): string =>
  renderWithStore(store, createElement(TrainerContext.Provider, { value: NO_COMMANDS }, createElement(TwinPanel, { maxSteps: 4 })));

const attr = (html: string, testId: string, name: string): string | null => new RegExp(`<[^>]*data-testid="${testId}"[^>]*>`).exec(html)?.[0].match(new RegExp(`${name}="([^"]*)"`))?.[1] ?? null;
const isDisabled = (html: string, testId: string) => /\sdisabled=""/.test(new RegExp(`<button[^>]*data-testid="${testId}"[^>]*>`).exec(html)![0]);

describe('TwinPanel markup', () => {
  it('before any run: Start enabled, nothing to export, empty charts that say what comes', () => {
    const html = render(createAppStore());
    expect(html).toContain('HVP off and HVP hard');
    expect(isDisabled(html, 'twin-start')).toBe(false);
    for (const id of ['twin-pause', 'twin-resume', 'twin-stop', 'twin-export-csv', 'twin-export-json']) expect(isDisabled(html, id)).toBe(true);
    expect(attr(html, 'twin-state', 'data-phase')).toBe('idle');
    expect(html).toContain('Both twins are evaluated every 100 steps');
    expect(attr(html, 'twin-knn-off', 'data-value')).toBe('');
    expect(html).not.toContain('twin-single-note');
  });

  it('refuses Start with the reason while the single run runs', () => {
    const store = createAppStore();
    store.getState().applyWorkerMessage({ type: 'state', state: 'running', step: 3 });
    const html = render(store);
    expect(isDisabled(html, 'twin-start')).toBe(true);
    expect(html).toContain('The single run is running. Pause or stop it to start a twin run');
    expect(html).toContain('The single run (running at step 3) is kept as it is');
  });

  it('after a twin run: numbers for both twins, the overhead and the steps done', () => {
    const store = createAppStore();
    const apply = store.getState().applyWorkerMessage;
    store.getState().noteTwinRequest(1, { ...DEFAULT_CONFIG, hvpMode: 'random', numViews: 6 });
    apply({ type: 'twinState', state: 'preparing', step: 0, targetStep: 2 });
    apply({ type: 'twinMetrics', row: { step: 2, off: { loss: 0.1, stepMs: 40, selectedIou: 0.4, learningRate: 0.05 }, on: { loss: 0.2, stepMs: 100, selectedIou: 0.3, learningRate: 0.05 } }, timing: { totalMs: { off: 80, on: 200 }, numSteps: 2 } });
    apply({ type: 'twinEval', row: { step: 2, off: { knnTop1: 0.25, linearProbeTop1: 0.5 }, on: { knnTop1: 0.375, linearProbeTop1: 0.625 } } });
    apply({ type: 'twinState', state: 'done', step: 2, targetStep: 2 });
    const html = render(store);
    expect(html).toContain('HVP on (random, N=6)');
    expect(attr(html, 'twin-knn-off', 'data-value')).toBe('0.25');
    expect(attr(html, 'twin-probe-on', 'data-value')).toBe('0.625');
    expect(attr(html, 'twin-ms-on', 'data-value')).toBe('100');
    expect(attr(html, 'twin-wall-off', 'data-value')).toBe('80');
    expect(attr(html, 'twin-overhead', 'data-value')).toBe('2.5');
    expect(html).toContain('2.50× (+150 %)');
    expect(html).toContain('37.5 %');
    expect(attr(html, 'twin-steps', 'data-value')).toBe('2');
    expect(attr(html, 'twin-chart-loss', 'data-points')).toBe('1');
    expect(attr(html, 'twin-chart-knn', 'data-points')).toBe('1');
    expect(isDisabled(html, 'twin-export-csv')).toBe(false);
    expect(isDisabled(html, 'twin-start')).toBe(false);
    expect(html).toContain('released when the twin run ends');
  });
});
