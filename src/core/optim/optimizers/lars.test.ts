// Reference LARS (solo-learn semantics) against hand-computed values for 3 steps.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLars } from './lars';
import { makeParams, step, values } from './testing';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const close = (a: number[], b: number[], tol = 1e-6) =>
  a.forEach((x, i) => expect(Math.abs(x - b[i])).toBeLessThan(tol * Math.max(1, Math.abs(b[i]))));

describe('createLars', () => {
  it('matches hand-computed trust ratios, zero-norm fallback and exclusion for 3 steps', () => {
    const params = makeParams({
      'conv.weight': { data: [3, 4], shape: [1, 2] }, // rank 2: adapted
      'bn.bias': { data: [3, 4], shape: [2] }, // rank 1: excluded by default
    });
    const opt = createLars({ momentum: 0.9, weightDecay: 0.1, eta: 0.02 });
    const lr = 0.5;
    // step 1: ‖w‖ = 5, ‖g‖ = 1; trust = 0.02·5 / (1 + 0.1·5 + 1e-8) ≈ 0.0666667
    //   d = (g + 0.1·w)·trust = [0.9, 1.2]·trust = [0.06, 0.08]; buf = d; w = w − 0.5·buf = [2.97, 3.96]
    step(opt, params, { 'conv.weight': [0.6, 0.8], 'bn.bias': [0.6, 0.8] }, lr);
    close(values(params.get('conv.weight')!), [2.9700000002, 3.9600000002666667]);
    // excluded: plain momentum SGD without decay: b = [3 − 0.3, 4 − 0.4]
    close(values(params.get('bn.bias')!), [2.7, 3.6]);
    // step 2: ‖g‖ = 0 → d = g = 0 (no decay, no scaling); buf = 0.9·buf; w = [2.943, 3.924]
    step(opt, params, { 'conv.weight': [0, 0], 'bn.bias': [0, 0] }, lr);
    close(values(params.get('conv.weight')!), [2.94300000038, 3.9240000005066666]);
    // step 3: ‖w‖ = 4.905, ‖g‖ = 0.5; trust = 0.02·4.905 / (0.5 + 0.4905 + 1e-8)
    step(opt, params, { 'conv.weight': [-0.3, 0.4], 'bn.bias': [-0.3, 0.4] }, lr);
    close(values(params.get('conv.weight')!), [2.9189822670693415, 3.8523600011137633]);
    close(values(opt.state().get('conv.weight.momentum')!), [0.048035466621317205, 0.14327999878580622]);
    // bias buf: [0.6, 0.8] → [0.54, 0.72] → [0.186, 1.048]; b −= 0.5·buf each step
    close(values(params.get('bn.bias')!), [2.337, 2.716]);
    opt.dispose();
    tf.dispose([...params.values()]);
  });

  it('clipLr caps the trust ratio at 1 after dividing by lr', () => {
    for (const [lr, expected] of [
      [0.5, [2.94, 3.92]], // trust/lr = 0.1333 < 1: d = [0.12, 0.16]
      [0.01, [2.991, 3.988]], // trust/lr = 6.67 → 1: d = g + 0.1·w = [0.9, 1.2]
    ] as const) {
      const params = makeParams({ w: { data: [3, 4], shape: [2, 1] } });
      const opt = createLars({ momentum: 0.9, weightDecay: 0.1, eta: 0.02, clipLr: true });
      step(opt, params, { w: [0.6, 0.8] }, lr);
      close(values(params.get('w')!), [...expected]);
      opt.dispose();
      tf.dispose([...params.values()]);
    }
  });

  it('honours a custom exclusion rule, momentum 0, and disposes gradients', () => {
    const params = makeParams({ w: { data: [3, 4], shape: [2, 1] } });
    const opt = createLars({ momentum: 0, weightDecay: 0.1, eta: 0.02, isExcluded: () => true });
    const before = tf.memory().numTensors;
    step(opt, params, { w: [1, 1] }, 0.5); // excluded, no momentum: w − 0.5·g
    close(values(params.get('w')!), [2.5, 3.5]);
    expect(tf.memory().numTensors).toBe(before);
    expect(opt.state().size).toBe(0);
    opt.dispose();
    tf.dispose([...params.values()]);
  });
});
