/**
 * ConfigPanel markup, rendered to static HTML in Node (react-dom/server, no DOM): every schema
 * row has an input with its short tooltip as title and ⓘ popup (long help behind "more"), a refused entry shows the schema's
 * message as an alert, conflicts surface hidden fields, and inputs lock during a run.
 */
import { createElement } from 'react';
import { describe, expect, it } from 'vitest';
import { countMatches, renderWithStore } from '../../../../tests/helpers/renderWithStore';
import { CONFIG_SCHEMA, fieldSpec, isFieldApplicable } from '../../../core/config/schema';
import { fieldTip } from '../../../core/config/schemaHelp';
import { createAppStore, type AppStore } from '../../store/appStore';
import { ConfigPanel } from './ConfigPanel';

const render = (store: AppStore): string => renderWithStore(store, createElement(ConfigPanel));

const escapeAttr = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&#x27;');

describe('ConfigPanel markup', () => {
  it('shows basic rows by default, each with its short tooltip as title and as an ⓘ tooltip', () => {
    const store = createAppStore();
    const html = render(store);
    const basic = CONFIG_SCHEMA.filter((s) => !s.isAdvanced && isFieldApplicable(s, store.getState().config));
    for (const spec of basic) {
      expect(html).toContain(`data-testid="config-field-${spec.key}"`);
      expect(html).toContain(`title="${escapeAttr(fieldTip(spec).short)}"`);
      expect(html).toContain(`aria-label="About ${escapeAttr(spec.label)}"`);
    }
    expect(countMatches(html, /role="tooltip"/g)).toBe(basic.length);
    for (const spec of CONFIG_SCHEMA.filter((s) => s.isAdvanced)) expect(html).not.toContain(`config-field-${spec.key}"`);
    expect(html).toContain('<select');
    expect(html).toContain('type="number"');
  });

  it('shows a long help as its short part with a collapsed "more" toggle, a short help whole without one', () => {
    const html = render(createAppStore());
    const row = (key: string): string => html.slice(html.indexOf(`data-field="${key}"`), html.indexOf('data-testid="config-field-', html.indexOf(`data-field="${key}"`)));
    const method = fieldSpec('method');
    expect(row('method')).toContain(`>${escapeAttr(fieldTip(method).short)}</span>`);
    expect(row('method')).not.toContain(escapeAttr(method.help));
    expect(row('method')).toMatch(/<button[^>]*aria-expanded="false"[^>]*data-testid="infotip-more"[^>]*>more<\/button>/);
    expect(row('method')).toMatch(/aria-label="About Method" aria-describedby="[^"]+" aria-expanded="false"/);
    const numViews = fieldSpec('numViews');
    expect(fieldTip(numViews).hasMore).toBe(false);
    expect(row('numViews')).toContain(`>${escapeAttr(numViews.help)}</span>`);
    expect(row('numViews')).not.toContain('infotip-more');
  });

  it('shows method-specific settings only for their methods', () => {
    const store = createAppStore();
    const fieldsOf = (method: string): string[] => {
      store.getState().setField('method', method);
      const html = render(store);
      return ['temperature', 'emaMomentum'].filter((k) => html.includes(`data-testid="config-field-${k}"`));
    };
    expect(fieldsOf('simsiam')).toEqual([]);
    expect(fieldsOf('simclr')).toEqual(['temperature']);
    expect(fieldsOf('byol')).toEqual(['emaMomentum']);
    const predHidden = CONFIG_SCHEMA.find((s) => s.key === 'predHiddenDim')!;
    const config = store.getState().config;
    expect(['simsiam', 'simclr', 'byol'].filter((method) => isFieldApplicable(predHidden, { ...config, method: method as never }))).toEqual(['simsiam', 'byol']);
  });

  it('shows a refused entry with the schema message as an alert, keeping the valid value in the store', () => {
    const store = createAppStore();
    store.getState().setField('numViews', '12');
    const html = render(store);
    expect(html).toMatch(/role="alert"[^>]*>Views per image \(N\): 12 is out of range 2–8\. Keeping 4\./);
    expect(html).toMatch(/data-testid="config-field-numViews"[^>]*value="12"|value="12"[^>]*data-testid="config-field-numViews"/);
    expect(store.getState().config.numViews).toBe(4);
  });

  it('surfaces an advanced field with a conflict even when advanced settings are hidden', () => {
    const store = createAppStore();
    store.getState().setField('totalSteps', '20');
    const html = render(store);
    expect(html).toContain('data-testid="config-conflicts"');
    expect(html).toContain('data-testid="config-field-warmupSteps"');
    expect(html).toContain('Warm-up steps (50) must not exceed total steps (20).');
  });

  it('locks every input while a run is active and says how to unlock', () => {
    const store = createAppStore();
    store.getState().applyWorkerMessage({ type: 'state', state: 'running', step: 3 });
    const html = render(store);
    expect(html).toContain('Stop the run to change settings.');
    const numInputs = countMatches(html, /data-testid="config-field-/g);
    expect(countMatches(html, /<(input|select)[^>]*disabled=""[^>]*data-testid="config-field-/g)).toBe(numInputs);
  });
});
