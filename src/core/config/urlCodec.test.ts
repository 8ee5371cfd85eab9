// URL codec: a round trip of edited fields, and bad, unknown and repeated keys falling back to the
// defaults with a warning that names each of them.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from './runConfig';
import { decodeConfig, encodeConfig } from './urlCodec';

describe('URL codec', () => {
  it('round-trips edited fields and writes only what differs from the defaults', () => {
    const config = { ...DEFAULT_CONFIG, seed: 11, numViews: 3, learningRate: 0.03, hvpMode: 'easy' as const };
    const query = encodeConfig(config);
    expect(query.split('&').sort()).toEqual(['hvpMode=easy', 'learningRate=0.03', 'numViews=3', 'seed=11']);
    expect(decodeConfig(`?${query}`)).toEqual({ config, warnings: [] });
  });

  it('names bad and unknown values and uses the defaults for them', () => {
    const { config, warnings } = decodeConfig('numViews=abc&colour=blue&seed=12&hvpMode=hardest');
    expect(config).toEqual({ ...DEFAULT_CONFIG, seed: 12 });
    expect(warnings).toEqual([
      'Views per image (N): "abc" is not a number. Using the default 4.',
      'Unknown URL setting "colour" was ignored.',
      'HVP mode: "hardest" is not one of off, hard, easy, random, iouPolicy. Using the default hard.',
    ]);
  });

  it('uses the default when a repeated key ends with a bad value, as its note says', () => {
    const { config, warnings } = decodeConfig('learningRate=0.05&learningRate=-5');
    expect(config.learningRate).toBe(DEFAULT_CONFIG.learningRate);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/Learning rate: -5 is out of range .* Using the default 0\.06\./);
    expect(decodeConfig('learningRate=-5&learningRate=0.05').config.learningRate).toBe(0.05);
  });
});
