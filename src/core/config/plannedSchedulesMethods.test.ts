/**
 * The schedule chart shows what runs: the planned weight decay and frozen-last-layer span of DINO
 * and iBOT equal what the method objects themselves hand the optimizer (stepOptimization) at every
 * step, on tiny models (CPU backend).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { tinyConfig } from '../../../tests/helpers/tinyConfig';
import { createMethod } from '../methods/createMethod';
import { plannedSchedules, scheduleValuesAt } from './plannedSchedules';
import type { RunConfig } from './runConfig';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const SHARED: Partial<RunConfig> = {
  imageSize: 8, numViews: 4, numLocalViews: 1, dinoOutDim: 16, dinoHiddenDim: 8, dinoBottleneckDim: 4, numTrainImages: 32, batchSize: 8,
  freezeLastLayerEpochs: 1, weightDecay: 0.04, weightDecayEnd: 0.4, totalSteps: 20,
};
const SETUPS: Record<'dino' | 'ibot', Partial<RunConfig>> = {
  dino: { method: 'dino', backbone: 'resnet10', backboneWidth: 2, localSize: 4 },
  ibot: { method: 'ibot', backbone: 'vit', vitPatchSize: 4, vitDim: 8, vitDepth: 1, vitHeads: 2, vitDropPath: 0, localSize: 8 },
};

describe('planned schedules match the multi-crop methods', () => {
  for (const name of ['dino', 'ibot'] as const) {
    it(`${name}: weight decay and the frozen last layer, step by step`, () => {
      const config = tinyConfig({ ...SHARED, ...SETUPS[name] });
      const method = createMethod(config, 1);
      try {
        if (method.kind !== 'multiCrop') throw new Error(`${name} is not a multi-crop method`);
        const frozenSteps = 32 / 8; // 1 epoch of ⌊32 / 8⌋ steps
        expect(plannedSchedules(config).series.find((s) => s.key === 'learningRate')!.description).toContain(`frozen for the first ${frozenSteps} steps`);
        for (let step = 1; step <= config.totalSteps; step++) {
          const opt = method.stepOptimization({ stepIdx: step - 1, totalSteps: config.totalSteps }); // the schedule counts completed steps
          expect(scheduleValuesAt(config, step).weightDecay).toBe(opt.weightDecay);
          expect(opt.frozen.size > 0).toBe(step <= frozenSteps);
        }
      } finally {
        method.dispose();
      }
    });
  }
});
