// The ViT config fields: defaults, tooltips, cross-field rules (patch divides the view size, heads
// divide the dim) only when the backbone is the ViT, the `backbones` filter, and the URL codec.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from './runConfig';
import { CONFIG_SCHEMA, crossFieldIssues, fieldSpec, isFieldApplicable, validateConfig } from './schema';
import { decodeConfig, encodeConfig } from './urlCodec';

const VIT_KEYS = ['vitPatchSize', 'vitDim', 'vitDepth', 'vitHeads', 'vitDropPath'] as const;
const vit = { ...DEFAULT_CONFIG, backbone: 'vit' as const };

describe('ViT config fields', () => {
  it('have defaults that validate, and tooltips stating default, range and failure mode', () => {
    expect(validateConfig({ backbone: 'vit' }).issues).toEqual([]);
    expect(DEFAULT_CONFIG.imageSize % DEFAULT_CONFIG.vitPatchSize).toBe(0);
    expect(DEFAULT_CONFIG.vitDim % DEFAULT_CONFIG.vitHeads).toBe(0);
    for (const key of VIT_KEYS) {
      const help = fieldSpec(key).help;
      expect(help, key).toMatch(new RegExp(`^Default ${DEFAULT_CONFIG[key]}\\.`));
      expect(help, key).toMatch(/Range/);
    }
    expect(fieldSpec('vitDim').help).toMatch(/SwiftShader/);
    expect(fieldSpec('backbone').help).toMatch(/vit/);
  });

  it('are shown only for the ViT; backboneWidth only for the ResNets; other fields always', () => {
    for (const key of VIT_KEYS) {
      expect(isFieldApplicable(fieldSpec(key), vit), key).toBe(true);
      expect(isFieldApplicable(fieldSpec(key), DEFAULT_CONFIG), key).toBe(false);
    }
    expect(isFieldApplicable(fieldSpec('backboneWidth'), DEFAULT_CONFIG)).toBe(true);
    expect(isFieldApplicable(fieldSpec('backboneWidth'), vit)).toBe(false);
    const always = CONFIG_SCHEMA.filter((s) => !s.backbones && !s.methods && !s.hvpModes).map((s) => s.key);
    expect(always).toContain('projDim');
    for (const key of always) expect(isFieldApplicable(fieldSpec(key), vit) && isFieldApplicable(fieldSpec(key), DEFAULT_CONFIG), key).toBe(true);
  });

  it('refuse a patch size that does not divide the view size, naming the divisors', () => {
    const issues = crossFieldIssues({ ...vit, imageSize: 24, vitPatchSize: 5 });
    expect(issues).toEqual([{ key: 'vitPatchSize', message: 'ViT patch size (5) must divide the view size (24 px) into whole patches; use one of 2, 3, 4, 6, 8, 12.' }]);
    expect(crossFieldIssues({ ...vit, imageSize: 24, vitPatchSize: 6 })).toEqual([]);
  });

  it('refuse a head count that does not divide the dim', () => {
    const issues = crossFieldIssues({ ...vit, vitDim: 100, vitHeads: 3 });
    expect(issues).toHaveLength(1);
    expect(issues[0]!.key).toBe('vitHeads');
    expect(issues[0]!.message).toMatch(/heads \(3\) must divide the embedding dim \(100\).*e\.g\. 100 with 1, 2, 4 heads/);
  });

  it('are not checked against each other for a ResNet run', () => {
    expect(crossFieldIssues({ ...DEFAULT_CONFIG, imageSize: 30, vitPatchSize: 4, vitDim: 100, vitHeads: 3 })).toEqual([]);
  });

  it('round-trip through the URL; a bad combination falls back with a warning', () => {
    const c = { ...vit, imageSize: 16, vitPatchSize: 2, vitDim: 32, vitDepth: 2, vitHeads: 4, vitDropPath: 0.2 };
    const q = encodeConfig(c);
    expect(q).toContain('backbone=vit');
    expect(q).toContain('vitDropPath=0.2');
    expect(decodeConfig(q)).toEqual({ config: c, warnings: [] });
    const bad = decodeConfig('backbone=vit&imageSize=30&vitPatchSize=4');
    expect(bad.warnings.join(' ')).toMatch(/ViT patch size \(4\) must divide the view size \(30 px\)/);
    expect(crossFieldIssues(bad.config)).toEqual([]);
  });
});
