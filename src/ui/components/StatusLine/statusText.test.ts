// Status-line wording: durations, the ETA and the first-step wait say what the page is doing.
import { describe, expect, it } from 'vitest';
import { etaText, formatDuration, waitText } from './statusText';

describe('status text', () => {
  it('formats durations from tenths of a second to hours', () => {
    expect(formatDuration(400)).toBe('0.4 s');
    expect(formatDuration(42_000)).toBe('42 s');
    expect(formatDuration(185_000)).toBe('3 min 05 s');
    expect(formatDuration(4_320_000)).toBe('1 h 12 min');
    expect(formatDuration(Number.NaN)).toBe('—');
  });

  it('gives an ETA only with a measured step time and steps left', () => {
    expect(etaText(100, 250)).toBe('about 25 s left');
    expect(etaText(0, 250)).toBeNull();
    expect(etaText(100, null)).toBeNull();
    expect(etaText(100, 0)).toBeNull();
  });

  it('names the first-step wait by engine', () => {
    const base = { isFirstStep: true, elapsedMs: 12_000, backendName: 'webgpu', isSoftwareGpu: false, nextLoggedStep: 1 };
    expect(waitText(base)).toBe('compiling the GPU programs and taking the first step… 12 s (this can take a minute)');
    expect(waitText({ ...base, isSoftwareGpu: true })).toMatch(/software GPU needs a few minutes/);
    expect(waitText({ ...base, backendName: 'wasm' })).toBe('taking the first step… 12 s');
    expect(waitText({ ...base, isFirstStep: false, nextLoggedStep: 40 })).toBe('working on step 40… 12 s');
  });
});
