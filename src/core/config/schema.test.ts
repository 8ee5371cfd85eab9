import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, HVP_MODES } from './runConfig';
import { CONFIG_SCHEMA, fieldSpec, isFieldApplicable, validateConfig } from './schema';
import { decodeConfig, encodeConfig } from './urlCodec';

describe('config schema', () => {
  it('has a row for every config field, and defaults are valid', () => {
    expect(CONFIG_SCHEMA.map((s) => s.key).sort()).toEqual(Object.keys(DEFAULT_CONFIG).sort());
    expect(validateConfig(DEFAULT_CONFIG).issues).toEqual([]);
  });
  it('every help text names the default and numeric ones their range', () => {
    for (const s of CONFIG_SCHEMA) {
      expect(s.help).toContain(`Default ${DEFAULT_CONFIG[s.key]}`);
      if (s.kind !== 'enum') expect(s.help).toMatch(/Range|range/);
    }
  });
  it('refuses out-of-range, non-integer, non-numeric and unknown values, keeping the base value', () => {
    const r = validateConfig({ numViews: 9, batchSize: 3.5, learningRate: 'abc', hvpMode: 'hardest', bogus: 1 } as never);
    expect(r.issues.map((i) => i.key).sort()).toEqual(['batchSize', 'config', 'hvpMode', 'learningRate', 'numViews']);
    expect(r.config.numViews).toBe(DEFAULT_CONFIG.numViews);
    expect(r.issues.find((i) => i.key === 'numViews')!.message).toMatch(/out of range 2–8/);
  });
  it('checks cross-field rules', () => {
    const r = validateConfig({ cropScaleMin: 0.9, cropScaleMax: 0.5 });
    expect(r.issues[0]!.key).toBe('cropScaleMin');
  });
  it('method-specific fields apply only to their methods; the predictor bottleneck rule only to SimSiam', () => {
    const applies = (key: 'temperature' | 'emaMomentum' | 'predHiddenDim' | 'numViews') =>
      (['simsiam', 'simclr', 'byol'] as const).filter((method) => isFieldApplicable(fieldSpec(key), { ...DEFAULT_CONFIG, method }));
    expect(applies('temperature')).toEqual(['simclr']);
    expect(applies('emaMomentum')).toEqual(['byol']);
    expect(applies('predHiddenDim')).toEqual(['simsiam', 'byol']);
    expect(applies('numViews')).toEqual(['simsiam', 'simclr', 'byol']);
    const wide = { predHiddenDim: 512, projDim: 256 };
    expect(validateConfig({ ...wide, method: 'simsiam' }).issues.map((i) => i.key)).toEqual(['predHiddenDim']);
    expect(validateConfig({ ...wide, method: 'byol' }).issues).toEqual([]);
    expect(validateConfig({ temperature: 0, emaMomentum: 1.5 }).issues.map((i) => i.key)).toEqual(['temperature', 'emaMomentum']);
  });
  it('the HVP variants show only in the modes they act in', () => {
    const modes = (key: 'iouPolicyStart' | 'iouPolicyEnd' | 'colorStatic' | 'selectScale') =>
      HVP_MODES.filter((hvpMode) => isFieldApplicable(fieldSpec(key), { ...DEFAULT_CONFIG, hvpMode }));
    expect(modes('iouPolicyStart')).toEqual(['iouPolicy']);
    expect(modes('iouPolicyEnd')).toEqual(['iouPolicy']);
    expect(modes('colorStatic')).toEqual(['hard', 'easy']);
    expect(modes('selectScale')).toEqual(['hard', 'easy']);
  });
});

describe('url codec', () => {
  it('round-trips a config and writes only non-default values', () => {
    const c = { ...DEFAULT_CONFIG, numViews: 6, hvpMode: 'easy' as const, learningRate: 0.01, seed: 5 };
    const s = encodeConfig(c);
    expect(s).toBe('numViews=6&hvpMode=easy&learningRate=0.01&seed=5');
    expect(decodeConfig(s)).toEqual({ config: c, warnings: [] });
    expect(encodeConfig(DEFAULT_CONFIG)).toBe('');
  });
  it('falls back to defaults with warnings on bad values', () => {
    const r = decodeConfig('?numViews=99&foo=1&hvpMode=hard&batchSize=x');
    expect(r.config.numViews).toBe(DEFAULT_CONFIG.numViews);
    expect(r.config.batchSize).toBe(DEFAULT_CONFIG.batchSize);
    expect(r.warnings).toHaveLength(3);
  });
});
