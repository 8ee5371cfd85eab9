/**
 * Planned schedules: the sampled steps (≤ 200, warm-up corners kept) and values equal to what the
 * trainer computes at the same steps, per method.
 */
import { describe, expect, it } from 'vitest';
import { cosineMomentum, cosineWithWarmup, dinoWeightDecay, teacherTemperature } from '../optim/schedules';
import { MAX_SCHEDULE_POINTS, plannedSchedules, sampleSteps, scheduleValuesAt } from './plannedSchedules';
import { DEFAULT_CONFIG, type RunConfig } from './runConfig';

const cfg = (over: Partial<RunConfig> = {}): RunConfig => ({ ...DEFAULT_CONFIG, ...over });
const byKey = (config: RunConfig) => new Map(plannedSchedules(config).series.map((s) => [s.key, s]));

describe('sampleSteps', () => {
  it('takes every step of a short run', () => {
    expect(sampleSteps(5)).toEqual([1, 2, 3, 4, 5]);
    expect(sampleSteps(1)).toEqual([1]);
  });
  it('caps a long run at the point budget, ascending, with both ends and the breakpoints', () => {
    const s = sampleSteps(10_000, [37]);
    expect(s.length).toBeLessThanOrEqual(MAX_SCHEDULE_POINTS);
    expect(s.length).toBeGreaterThan(MAX_SCHEDULE_POINTS - 5);
    expect(s[0]).toBe(1);
    expect(s[s.length - 1]).toBe(10_000);
    expect(s).toContain(37);
    expect(s).toContain(38);
    for (let i = 1; i < s.length; i++) expect(s[i]!).toBeGreaterThan(s[i - 1]!);
  });
  it('ignores breakpoints outside the run', () => {
    const s = sampleSteps(1000, [0, 5000, -3]);
    expect(s.every((x) => x >= 1 && x <= 1000)).toBe(true);
  });
});

describe('plannedSchedules', () => {
  it('gives the trainer’s learning rate at every sampled step (step s used index s − 1)', () => {
    const config = cfg({ totalSteps: 500, warmupSteps: 20, learningRate: 0.3 });
    const plan = plannedSchedules(config);
    const lr = byKey(config).get('learningRate')!;
    expect(lr.values).toHaveLength(plan.steps.length);
    plan.steps.forEach((s, i) => expect(lr.values[i]).toBe(cosineWithWarmup(s - 1, 0.3, 500, 20)));
    // warm-up corner: the peak sits at step 20 and the curve falls after it
    const at = (step: number) => lr.values[plan.steps.indexOf(step)]!;
    expect(at(1)).toBeCloseTo(0.3 / 20);
    expect(at(20)).toBeCloseTo(0.3);
    expect(at(500)).toBeLessThan(0.01);
    expect(lr.description).toContain('warm-up');
  });
  it('keeps weight decay constant for the pair methods', () => {
    const wd = byKey(cfg({ method: 'simclr', weightDecay: 1e-4 })).get('weightDecay')!;
    expect(new Set(wd.values)).toEqual(new Set([1e-4]));
  });
  it('adds BYOL’s cosine target momentum, none for SimSiam and SimCLR', () => {
    const config = cfg({ method: 'byol', emaMomentum: 0.99, totalSteps: 300 });
    const plan = plannedSchedules(config);
    const m = byKey(config).get('momentum')!;
    plan.steps.forEach((s, i) => expect(m.values[i]).toBe(cosineMomentum(s - 1, 0.99, 300)));
    expect(m.values[0]).toBeCloseTo(0.99);
    expect(m.values[m.values.length - 1]).toBeGreaterThan(0.9999);
    expect(byKey(cfg({ method: 'simsiam' })).has('momentum')).toBe(false);
    expect(byKey(cfg({ method: 'simclr' })).has('momentum')).toBe(false);
  });
  it('samples at most 200 points however long the run', () => {
    const plan = plannedSchedules(cfg({ totalSteps: 100_000, warmupSteps: 1000 }));
    expect(plan.steps.length).toBeLessThanOrEqual(MAX_SCHEDULE_POINTS);
    expect(plan.steps).toContain(1000);
    expect(plan.steps).toContain(1001);
    for (const s of plan.series) expect(s.values).toHaveLength(plan.steps.length);
  });
});

describe('scheduleValuesAt', () => {
  it('gives the exact value at any step, clamped to the run', () => {
    const config = cfg({ method: 'byol', totalSteps: 1000, warmupSteps: 10, learningRate: 0.5, emaMomentum: 0.98 });
    const v = scheduleValuesAt(config, 333);
    expect(v.learningRate).toBe(cosineWithWarmup(332, 0.5, 1000, 10));
    expect(v.momentum).toBe(cosineMomentum(332, 0.98, 1000));
    expect(v.weightDecay).toBe(config.weightDecay);
    expect(scheduleValuesAt(config, 0).learningRate).toBe(cosineWithWarmup(0, 0.5, 1000, 10));
    expect(scheduleValuesAt(config, 5000).learningRate).toBe(cosineWithWarmup(999, 0.5, 1000, 10));
    expect(scheduleValuesAt(cfg({ method: 'simsiam' }), 5).momentum).toBeUndefined();
  });
});

describe('plannedSchedules for DINO and iBOT', () => {
  for (const method of ['dino', 'ibot'] as const) {
    it(`${method}: cosine weight decay to weightDecayEnd, teacher momentum and temperature warm-up as the method computes them`, () => {
      const config = cfg({
        method, totalSteps: 400, warmupSteps: 10, weightDecay: 0.04, weightDecayEnd: 0.4, emaMomentum: 0.996,
        teacherTempWarmup: 0.02, teacherTemp: 0.06, teacherTempWarmupSteps: 50, numTrainImages: 640, batchSize: 64, freezeLastLayerEpochs: 1,
      });
      const plan = plannedSchedules(config);
      const m = byKey(config);
      expect([...m.keys()]).toEqual(method === 'ibot' ? ['learningRate', 'weightDecay', 'momentum', 'teacherTemp', 'teacherPatchTemp'] : ['learningRate', 'weightDecay', 'momentum', 'teacherTemp']);
      plan.steps.forEach((s, i) => {
        expect(m.get('weightDecay')!.values[i]).toBe(dinoWeightDecay(s - 1, 0.04, 0.4, 400));
        expect(m.get('momentum')!.values[i]).toBe(cosineMomentum(s - 1, 0.996, 400));
        expect(m.get('teacherTemp')!.values[i]).toBe(teacherTemperature(s - 1, 0.02, 0.06, 50));
      });
      const at = (key: 'weightDecay' | 'teacherTemp', step: number) => m.get(key)!.values[plan.steps.indexOf(step)]!;
      expect(at('weightDecay', 1)).toBeCloseTo(0.04);
      expect(at('weightDecay', 400)).toBeGreaterThan(0.39);
      expect(at('teacherTemp', 1)).toBeCloseTo(0.02);
      expect(at('teacherTemp', 50)).toBeCloseTo(0.06);
      expect(at('teacherTemp', 400)).toBeCloseTo(0.06);
      expect(m.get('momentum')!.label).toBe('Teacher momentum');
      if (method === 'ibot') plan.steps.forEach((s, i) => expect(m.get('teacherPatchTemp')!.values[i]).toBe(teacherTemperature(s - 1, 0.02, config.teacherPatchTemp, 50)));
      // last layer frozen for 1 epoch = 10 steps, said in the learning-rate text
      expect(m.get('learningRate')!.description).toContain('frozen for the first 10 steps');
    });
  }
  it('keeps the warm-up corners of long runs among the sampled steps', () => {
    const plan = plannedSchedules(cfg({ method: 'dino', totalSteps: 50_000, warmupSteps: 333, teacherTempWarmupSteps: 777 }));
    expect(plan.steps.length).toBeLessThanOrEqual(MAX_SCHEDULE_POINTS);
    for (const s of [333, 334, 777, 778]) expect(plan.steps).toContain(s);
  });
  it('names BYOL’s momentum the target’s', () => {
    expect(byKey(cfg({ method: 'byol' })).get('momentum')!.label).toBe('Target momentum');
  });
});
