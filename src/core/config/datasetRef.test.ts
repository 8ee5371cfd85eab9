// The `dataset` config field: reference parsing, validation and the URL round trip.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, isDatasetRef, storedDatasetId, storedDatasetRef } from './runConfig';
import { validateConfig } from './schema';
import { decodeConfig, encodeConfig } from './urlCodec';

describe('dataset reference', () => {
  it('parses builtin and stored:<id>, refusing anything else', () => {
    expect(isDatasetRef('builtin')).toBe(true);
    expect(isDatasetRef('stored:lq3x9-a1b2c3d4')).toBe(true);
    for (const bad of ['', 'stored:', 'stored:UPPER', 'stored:../x', 'builtin ', 'cifar10', 42]) expect(isDatasetRef(bad)).toBe(false);
    expect(storedDatasetId('stored:abc')).toBe('abc');
    expect(storedDatasetId('builtin')).toBeNull();
    expect(storedDatasetRef('abc')).toBe('stored:abc');
  });

  it('round-trips through the URL and falls back to builtin with a warning', () => {
    const c = { ...DEFAULT_CONFIG, dataset: storedDatasetRef('abc-123') };
    expect(encodeConfig(c)).toBe('dataset=stored%3Aabc-123');
    expect(decodeConfig(encodeConfig(c))).toEqual({ config: c, warnings: [] });
    const r = decodeConfig('dataset=%3Cscript%3E');
    expect(r.config.dataset).toBe('builtin');
    expect(r.warnings[0]).toMatch(/Dataset: "<script>" is neither builtin nor stored:<id>/);
    expect(validateConfig({ dataset: 'stored:x' }).issues).toEqual([]);
  });
});
