// The quick demo preset: valid under the schema, on the built-in dataset, and it keeps the backend
// unless the software-GPU banner names another one.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type RunConfig } from '../runConfig';
import { validateConfig } from '../schema';
import { QUICK_DEMO, quickDemoConfig } from './quickDemo';

describe('quick demo preset', () => {
  it('is valid with no cross-field issues and runs HVP hard with N = 4', () => {
    expect(validateConfig(QUICK_DEMO.overrides).issues).toEqual([]);
    const c = quickDemoConfig(DEFAULT_CONFIG);
    expect(validateConfig(c).issues).toEqual([]);
    expect([c.hvpMode, c.numViews, c.method]).toEqual(['hard', 4, 'simsiam']);
  });

  it('uses the built-in dataset and keeps the backend unless one is given', () => {
    const current: RunConfig = { ...DEFAULT_CONFIG, dataset: 'stored:my-set', backend: 'cpu' };
    expect(quickDemoConfig(current).dataset).toBe(DEFAULT_CONFIG.dataset);
    expect(quickDemoConfig(current).backend).toBe('cpu');
    expect(quickDemoConfig(current, 'wasm').backend).toBe('wasm');
  });
});
