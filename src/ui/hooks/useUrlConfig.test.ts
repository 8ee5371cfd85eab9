/**
 * The pure parts of the URL bridge: the app's own parameters (autostart, maxSteps) and the
 * query string written back, which keeps them while re-encoding the config.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../core/config/runConfig';
import { decodeConfig } from '../../core/config/urlCodec';
import { buildSearch, parseRunOptions } from './useUrlConfig';

describe('parseRunOptions', () => {
  it('reads autostart and maxSteps', () => {
    expect(parseRunOptions('?autostart=1&maxSteps=20&seed=3')).toEqual({ autostart: true, maxSteps: 20, warnings: [] });
    expect(parseRunOptions('')).toEqual({ autostart: false, maxSteps: null, warnings: [] });
    expect(parseRunOptions('autostart=0').autostart).toBe(false);
  });
  it('warns about values it cannot use', () => {
    const r = parseRunOptions('?autostart=yes&maxSteps=-3');
    expect(r.autostart).toBe(false);
    expect(r.maxSteps).toBeNull();
    expect(r.warnings).toHaveLength(2);
    expect(parseRunOptions('?maxSteps=2.5').warnings[0]).toMatch(/whole number/);
  });
});

describe('buildSearch', () => {
  it('writes only non-default config values and keeps the app parameters', () => {
    const c = { ...DEFAULT_CONFIG, seed: 9, numViews: 6 };
    const s = buildSearch(c, '?autostart=1&numViews=3&maxSteps=40&junk=1');
    const params = new URLSearchParams(s.slice(1));
    expect(params.get('seed')).toBe('9');
    expect(params.get('numViews')).toBe('6');
    expect(params.get('autostart')).toBe('1');
    expect(params.get('maxSteps')).toBe('40');
    expect(params.has('junk')).toBe(false);
    expect(decodeConfig(s).config).toEqual(c);
    expect(decodeConfig(s).warnings).toEqual([]);
  });
  it('is empty for the defaults', () => {
    expect(buildSearch(DEFAULT_CONFIG, '')).toBe('');
  });
});
