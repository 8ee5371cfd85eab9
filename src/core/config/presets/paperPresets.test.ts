// Presets: every override passes the config schema, the comparisons differ only in what they
// compare, and applying one keeps the browser's dataset and backend.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type RunConfig } from '../runConfig';
import { validateConfig } from '../schema';
import { applyPreset, PAPER_PRESETS, presetById } from './paperPresets';

const diffKeys = (a: RunConfig, b: RunConfig): string[] =>
  (Object.keys(a) as Array<keyof RunConfig>).filter((k) => a[k] !== b[k]).sort();

describe('paper presets', () => {
  it('are valid under the schema with no cross-field issues', () => {
    for (const p of PAPER_PRESETS) {
      const { issues } = validateConfig(p.overrides);
      expect(issues, p.id).toEqual([]);
    }
  });

  it('have unique ids, a description, and compare with an existing preset', () => {
    const ids = PAPER_PRESETS.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of PAPER_PRESETS) {
      expect(p.description.length, p.id).toBeGreaterThan(80);
      if (p.compareWith !== null) expect(ids).toContain(p.compareWith);
    }
  });

  it('pairs differ only in the compared field', () => {
    const cfg = (id: string) => applyPreset(presetById(id), DEFAULT_CONFIG);
    expect(diffKeys(cfg('simsiam-off'), cfg('simsiam-hvp-hard'))).toEqual(['hvpMode']);
    expect(diffKeys(cfg('simsiam-hvp-easy'), cfg('simsiam-hvp-hard'))).toEqual(['hvpMode']);
    expect(diffKeys(cfg('simsiam-hvp-hard-n8'), cfg('simsiam-hvp-hard'))).toEqual(['numViews']);
    expect(cfg('simsiam-hvp-hard-n8').numViews).toBe(8);
    expect(cfg('simsiam-hvp-easy').hvpMode).toBe('easy');
    expect(diffKeys(cfg('simsiam-iou-policy'), cfg('simsiam-hvp-hard'))).toEqual(['hvpMode']); // the bound schedule at its defaults, set explicitly
    expect(cfg('simsiam-iou-policy')).toMatchObject({ hvpMode: 'iouPolicy', iouPolicyStart: 0.5, iouPolicyEnd: 0.2 });
    expect(diffKeys(cfg('simsiam-hvp-color-static'), cfg('simsiam-hvp-hard'))).toEqual(['colorStatic']);
    expect(presetById('simsiam-iou-policy').compareWith).toBe('simsiam-hvp-hard');
    expect(presetById('simsiam-hvp-color-static').compareWith).toBe('simsiam-hvp-hard');
  });

  it('applyPreset resets other fields to defaults but keeps dataset and backend', () => {
    const current: RunConfig = { ...DEFAULT_CONFIG, dataset: 'stored:my-set', backend: 'cpu', imageSize: 16, hvpMode: 'random' };
    const out = applyPreset(presetById('simsiam-hvp-easy'), current);
    expect(out.dataset).toBe('stored:my-set');
    expect(out.backend).toBe('cpu');
    expect(out.imageSize).toBe(DEFAULT_CONFIG.imageSize);
    expect(out.hvpMode).toBe('easy');
  });

  it('presetById names the known ids for an unknown one', () => {
    expect(() => presetById('nope')).toThrow(/Unknown preset "nope".*simsiam-off/);
  });
});
