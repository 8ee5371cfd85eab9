// Tests of the random-pair IoU baseline (deterministic by seed and step, from its own side stream)
// and a trainer guard: reading telemetry does not move the run's generators or change its losses.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinDatasetFor } from '../../../tests/helpers/builtinDatasetFor';
import { tinyConfig } from '../../../tests/helpers/tinyConfig';
import { pairIous } from './iou';
import type { ViewParams } from '../data/types';
import { createRng, deriveSeed } from '../random';
import { randomPairIou, randomPairStream } from './telemetry';
import { createTrainer } from '../train/trainer';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const box = (top: number, left: number, height: number, width: number): ViewParams => ({
  top, left, height, width, isFlipped: false, hasJitter: false, brightness: 1, contrast: 1, saturation: 1, hue: 0,
  jitterOrder: [0, 1, 2, 3], isGrayscale: false, blurSigma: 0, isSolarized: false,
});

describe('randomPairIou', () => {
  // 4 views × 8 images of varied boxes, view-major.
  const params = Array.from({ length: 32 }, (_, v) => box(v % 5, (3 * v) % 7, 4 + (v % 4), 5 + (v % 3)));

  it('is the mean IoU of the pairs drawn from deriveSeed(seed, stream of step)', () => {
    const ious = pairIous(params, 4, 8); // [8, 6]
    const rng = createRng(deriveSeed(7, randomPairStream(12)));
    let sum = 0;
    for (let m = 0; m < 8; m++) sum += ious[m * 6 + rng.int(6)]!;
    expect(randomPairIou(params, 4, 8, 7, 12)).toBeCloseTo(sum / 8, 12);
  });
  it('is deterministic by (seed, step) and changes with either', () => {
    const a = randomPairIou(params, 4, 8, 7, 12);
    expect(randomPairIou(params, 4, 8, 7, 12)).toBe(a);
    const others = [randomPairIou(params, 4, 8, 8, 12), randomPairIou(params, 4, 8, 7, 13), randomPairIou(params, 4, 8, 7, 14)];
    expect(others.some((x) => x !== a)).toBe(true);
  });
  it('equals the single pair IoU when N = 2', () => {
    const two = [box(0, 0, 4, 4), box(0, 0, 2, 4)];
    expect(randomPairIou(two, 2, 1, 1, 1)).toBeCloseTo(0.5, 12);
  });
});

describe('trainer telemetry', () => {
  for (const mode of ['hard', 'random'] as const) {
    it(`(${mode}) reading every step's telemetry leaves losses and generator states as a run that reads none`, async () => {
      const c = tinyConfig({ hvpMode: mode, numViews: 4 });
      const ds = builtinDatasetFor(c);
      const reading = createTrainer(c, ds);
      const quiet = createTrainer(c, ds);
      let lastRead = null;
      for (let i = 0; i < 4; i++) {
        lastRead = await reading.readStepMetrics(reading.trainStep());
        const p = quiet.trainStep();
        if (i < 3) quiet.releaseStep(p);
        else {
          const q = await quiet.readStepMetrics(p);
          expect(q.loss).toBe(lastRead.loss);
          expect(q.randomPairIou).toBe(lastRead.randomPairIou);
          expect(q.pairStats).toEqual(lastRead.pairStats);
        }
      }
      expect((await reading.snapshot()).progress).toEqual((await quiet.snapshot()).progress);
      // The metrics carry the baseline and the histograms of this step's M images.
      expect(lastRead!.randomPairIou).toBeGreaterThanOrEqual(0);
      expect(lastRead!.randomPairIou).toBeLessThanOrEqual(1);
      const selectedCount = lastRead!.pairStats!.centerDistance.selected.reduce((s, x) => s + x, 0);
      expect(selectedCount).toBe(c.batchSize);
      reading.dispose();
      quiet.dispose();
    });
  }
});
