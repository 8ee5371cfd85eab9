// A loaded run (runLoop isStartPaused) says "paused" before its first gallery probe, which compiles the
// GPU programs and can take half a minute on a software GPU, so Resume works at once: resumed during
// that probe, the loop says "running" when the probe ends and trains (tfjs CPU backend).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinDatasetFor } from '../../../tests/helpers/builtinDatasetFor';
import { tinyConfig } from '../../../tests/helpers/tinyConfig';
import { createRunLoop, type RunEvent } from './runLoop';
import { createTrainer } from '../train/trainer';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('a run loop that starts paused', () => {
  it('is paused before its first probe, and a resume during that probe trains on', async () => {
    const c = tinyConfig({ numTrainImages: 12, batchSize: 4, logEvery: 1 });
    const trainer = createTrainer(c, builtinDatasetFor(c));
    const events: RunEvent[] = [];
    const loop = createRunLoop({ trainer, maxSteps: 2, isStartPaused: true, yieldToEvents: () => new Promise((r) => setTimeout(r, 0)), emit: (e) => events.push(e) });
    const running = loop.run();
    // Synchronously after run(): the state is out, the probe is not.
    expect(events.map((e) => e.type)).toEqual(['state']);
    expect(events[0]).toMatchObject({ type: 'state', state: 'paused', step: 0 });
    loop.resume();
    await running;
    const kinds = events.map((e) => (e.type === 'state' ? `state:${e.state}` : e.type));
    expect(kinds.indexOf('probe')).toBeGreaterThan(0);
    expect(kinds.filter((k) => k === 'state:paused')).toHaveLength(1);
    expect(kinds.indexOf('state:running')).toBeGreaterThan(kinds.indexOf('probe'));
    expect(kinds.filter((k) => k === 'metrics')).toHaveLength(2);
    expect(kinds.at(-1)).toBe('done');
    trainer.dispose();
  });
});
