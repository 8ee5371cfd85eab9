/**
 * The pure parts of the URL bridge: the app's own parameters (autostart, maxSteps, classroom),
 * the config part of a query, and the query string written back, which keeps the valid app
 * parameters while re-encoding the config.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../core/config/runConfig';
import { decodeConfig } from '../../core/config/urlCodec';
import { buildSearch, configSearch, parseRunOptions } from './useUrlConfig';

describe('parseRunOptions', () => {
  it('reads autostart and maxSteps', () => {
    expect(parseRunOptions('?autostart=1&maxSteps=20&seed=3')).toEqual({ autostart: true, maxSteps: 20, isClassroom: false, warnings: [] });
    expect(parseRunOptions('')).toEqual({ autostart: false, maxSteps: null, isClassroom: false, warnings: [] });
    expect(parseRunOptions('autostart=0').autostart).toBe(false);
  });
  it('warns about values it cannot use', () => {
    const r = parseRunOptions('?autostart=yes&maxSteps=-3');
    expect(r.autostart).toBe(false);
    expect(r.maxSteps).toBeNull();
    expect(r.warnings).toHaveLength(2);
    expect(parseRunOptions('?maxSteps=2.5').warnings[0]).toMatch(/whole number/);
    for (const hex of ['0x10', '0b101', '0o17', 'Infinity']) expect(parseRunOptions(`?maxSteps=${hex}`).maxSteps, hex).toBeNull();
    const huge = parseRunOptions('?maxSteps=1e308');
    expect(huge.maxSteps).toBe(1_000_000);
    expect(huge.warnings[0]).toMatch(/above 1000000/);
    const long = parseRunOptions(`?maxSteps=${'9x'.repeat(50_000)}`).warnings[0]!;
    expect(long.length).toBeLessThan(300);
  });
  it('reads the classroom flag and names a refused value', () => {
    expect(parseRunOptions('?classroom=1').isClassroom).toBe(true);
    expect(parseRunOptions('?classroom=true&seed=2').isClassroom).toBe(true);
    expect(parseRunOptions('?classroom=0')).toMatchObject({ isClassroom: false, warnings: [] });
    const r = parseRunOptions('?classroom=big');
    expect(r.isClassroom).toBe(false);
    expect(r.warnings).toEqual(['classroom="big" is not 1 or 0; showing the full page.']);
  });
});

describe('configSearch', () => {
  it('leaves out the app parameters, so the codec does not call them unknown', () => {
    expect(configSearch('?classroom=1&seed=3&autostart=1&maxSteps=5')).toBe('?seed=3');
    expect(configSearch('classroom=1')).toBe('');
    expect(decodeConfig(configSearch('?classroom=1&seed=3')).warnings).toEqual([]);
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
  it('keeps classroom=1 and drops app parameters it refused', () => {
    const params = new URLSearchParams(buildSearch(DEFAULT_CONFIG, '?classroom=true&maxSteps=abc&autostart=yes').slice(1));
    expect(params.get('classroom')).toBe('1');
    expect(params.has('maxSteps')).toBe(false);
    expect(params.has('autostart')).toBe(false);
  });
  it('is empty for the defaults', () => {
    expect(buildSearch(DEFAULT_CONFIG, '')).toBe('');
    expect(buildSearch(DEFAULT_CONFIG, '?classroom=0')).toBe('');
  });
});
