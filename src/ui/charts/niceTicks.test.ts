// niceTicks: steps of 1, 2, 5 × 10^k, ends snapped outwards to ticks, fixed ends and limits kept,
// integer axes, flat and empty data, and tick text with the decimals the step needs.
import { describe, expect, it } from 'vitest';
import { extendToIntervals, formatTick, niceScale, niceStepAtLeast } from './niceTicks';

/** Whether x is 1, 2 or 5 × 10^k. */
function isNice(x: number): boolean {
  const mant = x / 10 ** Math.floor(Math.log10(x));
  return [1, 2, 5].some((m) => Math.abs(mant - m) < 1e-9);
}

describe('niceStepAtLeast', () => {
  it('rounds up to 1, 2 or 5 × 10^k', () => {
    expect(niceStepAtLeast(0.007)).toBe(0.01);
    expect(niceStepAtLeast(0.022)).toBe(0.05);
    expect(niceStepAtLeast(1.5)).toBe(2);
    expect(niceStepAtLeast(2)).toBe(2);
    expect(niceStepAtLeast(3)).toBe(5);
    expect(niceStepAtLeast(7)).toBe(10);
    expect(niceStepAtLeast(0.2 + 1e-12)).toBe(0.2);
  });
});

describe('niceScale', () => {
  it('snaps the domain outwards to round ticks (the issue: 0.007 … 0.022)', () => {
    const s = niceScale(0.007, 0.022);
    expect(s.step).toBe(0.005);
    expect(s.domain).toEqual([0.005, 0.025]);
    expect(s.ticks).toEqual([0.005, 0.01, 0.015, 0.02, 0.025]);
  });

  it('gives nice steps, at most maxIntervals intervals and ticks on the ends, over many ranges', () => {
    const ranges: Array<[number, number]> = [[-0.08, 0.16], [0.41, 0.63], [1, 14], [1, 400], [12.5, 17.5], [-0.97, -0.2], [3e-5, 5e-4], [0.9961, 0.99995], [0, 2000]];
    for (const [min, max] of ranges) {
      for (const maxIntervals of [3, 5, 7]) {
        const s = niceScale(min, max, { maxIntervals });
        expect(isNice(s.step), `${min}..${max}`).toBe(true);
        expect(s.ticks.length - 1).toBeLessThanOrEqual(maxIntervals);
        expect(s.domain[0]).toBeLessThanOrEqual(min);
        expect(s.domain[1]).toBeGreaterThanOrEqual(max);
        expect(s.ticks[0]).toBe(s.domain[0]);
        expect(s.ticks.at(-1)).toBe(s.domain[1]);
        for (const t of s.ticks) expect(Math.abs(t / s.step - Math.round(t / s.step))).toBeLessThan(1e-9);
        // No float noise in the tick values themselves.
        for (const t of s.ticks) expect(String(t).length).toBeLessThan(12);
      }
    }
  });

  it('keeps fixed ends and stays inside limits', () => {
    expect(niceScale(0.41, 0.63, { fixed: [0, 1] })).toEqual({ domain: [0, 1], ticks: [0, 0.2, 0.4, 0.6, 0.8, 1], step: 0.2 });
    const pct = niceScale(91, 99.5, { limits: [0, 100] });
    expect(pct.domain[1]).toBe(100);
    expect(pct.ticks.every((t) => t >= 0 && t <= 100)).toBe(true);
    const low = niceScale(0.4, 7, { limits: [0, 100] });
    expect(low.domain).toEqual([0, 8]);
    expect(niceScale(0.55, 0.62, { fixed: [0, 'auto'] }).domain).toEqual([0, 0.8]);
  });

  it('uses integer steps on integer axes', () => {
    const s = niceScale(1, 3, { isInteger: true });
    expect(s.step).toBe(1);
    expect(s.ticks).toEqual([1, 2, 3]);
    expect(niceScale(1, 14, { isInteger: true, maxIntervals: 7 }).ticks).toEqual([0, 2, 4, 6, 8, 10, 12, 14]);
  });

  it('widens flat data around its value and falls back to [0, 1] without data', () => {
    const flat = niceScale(0.0005, 0.0005);
    expect(flat.domain[0]).toBeLessThan(0.0005);
    expect(flat.domain[1]).toBeGreaterThan(0.0005);
    expect(niceScale(0, 0).domain).toEqual([-0.5, 0.5]);
    expect(niceScale(5, 5, { fixed: [0, 'auto'] }).domain[0]).toBe(0);
    expect(niceScale(Infinity, -Infinity).domain).toEqual([0, 1]);
    expect(niceScale(NaN, NaN).domain).toEqual([0, 1]);
  });
});

describe('extendToIntervals', () => {
  it('moves the upper end up so a second axis has as many intervals as the first', () => {
    const right = niceScale(0, 75, { fixed: [0, 'auto'], maxIntervals: 5 });
    expect(right.ticks).toEqual([0, 20, 40, 60, 80]);
    expect(extendToIntervals(right, 5, 100)).toEqual({ domain: [0, 100], ticks: [0, 20, 40, 60, 80, 100], step: 20 });
    expect(extendToIntervals(right, 6, 100)).toBe(right); // would pass the limit
    expect(extendToIntervals(right, 3)).toBe(right); // has enough already
    expect(extendToIntervals(niceScale(0.1, 0.25, { fixed: [0, 'auto'] }), 6).ticks).toEqual([0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3]);
  });
});

describe('formatTick', () => {
  it('prints the decimals the step needs', () => {
    expect(formatTick(0.15, 0.05)).toBe('0.15');
    expect(formatTick(0.1, 0.05)).toBe('0.10');
    expect(formatTick(0.4, 0.2)).toBe('0.4');
    expect(formatTick(40, 10)).toBe('40');
    expect(formatTick(2000, 500)).toBe('2000');
    expect(formatTick(-0.08, 0.04)).toBe('-0.08');
    expect(formatTick(0, 0.05)).toBe('0');
  });

  it('uses exponent form for steps below 0.001', () => {
    expect(formatTick(5e-4, 1e-4)).toBe('5e-4');
    expect(formatTick(1.5e-4, 5e-5)).toBe('1.5e-4');
    expect(formatTick(1e-4, 5e-5)).toBe('1e-4');
  });
});
