// DINO's schedules: teacher-temperature warm-up, cosine weight decay, frozen last-layer steps.
import { describe, expect, it } from 'vitest';
import { dinoWeightDecay, frozenLastLayerSteps, teacherTemperature } from './schedules';

describe('DINO schedules', () => {
  it('warms the teacher temperature up linearly (linspace), then holds it', () => {
    // np.linspace(0.04, 0.07, 4) = 0.04, 0.05, 0.06, 0.07
    expect([0, 1, 2, 3].map((s) => teacherTemperature(s, 0.04, 0.07, 4))).toEqual([0.04, 0.05, 0.06, 0.07].map((v) => expect.closeTo(v, 12)));
    expect(teacherTemperature(4, 0.04, 0.07, 4)).toBe(0.07);
    expect(teacherTemperature(1000, 0.04, 0.07, 4)).toBe(0.07);
    expect(teacherTemperature(0, 0.04, 0.07, 1)).toBe(0.04);
    expect(teacherTemperature(0, 0.04, 0.07, 0)).toBe(0.07);
  });

  it('decays the weight decay along a cosine from base to final', () => {
    expect(dinoWeightDecay(0, 0.04, 0.4, 100)).toBeCloseTo(0.04, 12);
    expect(dinoWeightDecay(50, 0.04, 0.4, 100)).toBeCloseTo(0.22, 12);
    expect(dinoWeightDecay(100, 0.04, 0.4, 100)).toBeCloseTo(0.4, 12);
    expect(dinoWeightDecay(25, 0.04, 0.4, 100)).toBeCloseTo(0.4 + 0.5 * (0.04 - 0.4) * (1 + Math.cos(Math.PI / 4)), 12);
    let prev = 0;
    for (let s = 0; s <= 100; s++) {
      const v = dinoWeightDecay(s, 0.04, 0.4, 100);
      expect(v).toBeGreaterThanOrEqual(prev);
      prev = v;
    }
  });

  it('freezes the last layer for whole epochs of ⌊images / batch⌋ steps', () => {
    expect(frozenLastLayerSteps(1, 5000, 64)).toBe(78);
    expect(frozenLastLayerSteps(2, 32, 8)).toBe(8);
    expect(frozenLastLayerSteps(0, 32, 8)).toBe(0);
  });
});
