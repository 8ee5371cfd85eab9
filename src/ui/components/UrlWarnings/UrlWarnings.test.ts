/**
 * UrlWarnings markup, rendered to static HTML in Node (react-dom/server, no DOM): nothing for a
 * clean link, every warning with a count while not dismissed, nothing after dismissing.
 */
import { createElement } from 'react';
import { describe, expect, it } from 'vitest';
import { renderWithStore } from '../../../../tests/helpers/renderWithStore';
import { createAppStore, type AppStore } from '../../store/appStore';
import { UrlWarnings } from './UrlWarnings';

const render = (store: AppStore): string => renderWithStore(store, createElement(UrlWarnings));

describe('UrlWarnings', () => {
  it('lists the link warnings until dismissed', () => {
    const store = createAppStore();
    expect(render(store)).toBe('');
    store.getState().loadConfig(store.getState().config, ['Unknown URL setting "foo" was ignored.', 'maxSteps="abc" is not a whole number ≥ 1; the run goes to its total steps.']);
    const html = render(store);
    expect(html).toContain('data-testid="url-warnings"');
    expect(html).toContain('2 values in this link');
    expect(html).toContain('Unknown URL setting &quot;foo&quot; was ignored.');
    expect(html).toContain('maxSteps=&quot;abc&quot;');
    store.getState().dismissUrlWarnings();
    expect(render(store)).toBe('');
  });

  it('cuts each line and the list to a bounded size, whatever the link held', () => {
    const store = createAppStore();
    const long = `maxSteps="${'9'.repeat(1 << 20)}" is not a whole number ≥ 1; the run goes to its total steps.`;
    store.getState().loadConfig(store.getState().config, [long, ...Array.from({ length: 30 }, (_, i) => `Unknown URL setting "u${i}" was ignored.`)]);
    const html = render(store);
    expect(html.length).toBeLessThan(10_000);
    expect(html).toContain('31 values in this link');
    expect(html).toContain('… (1048647 characters)');
    expect(html).toContain('…and 19 more.');
    expect(html).not.toContain('&quot;u11&quot;');
  });
});
