import { describe, expect, it } from 'vitest';
import { cosineWithWarmup } from './schedules';

describe('cosineWithWarmup', () => {
  it('warms up linearly, peaks, then decays to the final value', () => {
    expect(cosineWithWarmup(0, 1, 110, 10)).toBeCloseTo(0.1);
    expect(cosineWithWarmup(9, 1, 110, 10)).toBeCloseTo(1);
    expect(cosineWithWarmup(10, 1, 110, 10)).toBeCloseTo(1);
    expect(cosineWithWarmup(60, 1, 110, 10)).toBeCloseTo(0.5);
    expect(cosineWithWarmup(110, 1, 110, 10)).toBeCloseTo(0);
    expect(cosineWithWarmup(500, 1, 110, 10, 0.1)).toBeCloseTo(0.1);
  });
  it('without warm-up starts at the base value and is monotone', () => {
    let prev = Infinity;
    for (let s = 0; s <= 100; s++) {
      const v = cosineWithWarmup(s, 0.5, 100, 0);
      expect(v).toBeLessThanOrEqual(prev + 1e-12);
      prev = v;
    }
    expect(cosineWithWarmup(0, 0.5, 100, 0)).toBeCloseTo(0.5);
  });
});
