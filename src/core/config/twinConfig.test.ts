// Twin configs: the two twins differ only in hvpMode (off vs the config's mode, hard when it is off).
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, HVP_MODES } from './runConfig';
import { twinArmLabel, twinConfigs, twinOnMode } from './twinConfig';

describe('twin configs', () => {
  it('keeps every field but hvpMode, and leaves the input unchanged', () => {
    for (const hvpMode of HVP_MODES) {
      const config = { ...DEFAULT_CONFIG, hvpMode, seed: 9 };
      const { off, on } = twinConfigs(config);
      expect(off).toEqual({ ...config, hvpMode: 'off' });
      expect(on).toEqual({ ...config, hvpMode: hvpMode === 'off' ? 'hard' : hvpMode });
      expect(config.hvpMode).toBe(hvpMode);
    }
  });

  it('names the twins', () => {
    expect(twinOnMode({ hvpMode: 'off' })).toBe('hard');
    expect(twinArmLabel('off', { hvpMode: 'easy', numViews: 6 })).toBe('HVP off');
    expect(twinArmLabel('on', { hvpMode: 'easy', numViews: 6 })).toBe('HVP on (easy, N=6)');
  });
});
