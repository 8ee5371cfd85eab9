// Reference SGD against hand-computed values for 3 steps (PyTorch SGD semantics).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSgd } from './sgd';
import { makeParams, step, values } from './testing';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const close = (a: number[], b: number[], tol = 1e-6) =>
  a.forEach((x, i) => expect(Math.abs(x - b[i])).toBeLessThan(tol * Math.max(1, Math.abs(b[i]))));

describe('createSgd', () => {
  it('matches hand-computed momentum + coupled weight decay for 3 steps', () => {
    const params = makeParams({ w: { data: [1, -2], shape: [2] }, b: { data: [1, -2], shape: [2] } });
    const opt = createSgd({ momentum: 0.9, weightDecay: 0.01, isNoDecay: (n) => n === 'b' });
    // step 1: d = g + 0.01·w = [0.51, 0.23]; buf = d; w = w − 0.1·buf = [0.949, −2.023]
    step(opt, params, { w: [0.5, 0.25], b: [0.5, 0.25] }, 0.1);
    close(values(params.get('w')!), [0.949, -2.023]);
    // b has no decay: buf = g; b = [1 − 0.05, −2 − 0.025]
    close(values(params.get('b')!), [0.95, -2.025]);
    // step 2: d = [−1 + 0.00949, 0.5 − 0.02023]; buf = 0.9·[0.51, 0.23] + d = [−0.53151, 0.68677]
    step(opt, params, { w: [-1, 0.5], b: [-1, 0.5] }, 0.1);
    close(values(params.get('w')!), [1.002151, -2.091677]);
    close(values(opt.state().get('w.momentum')!), [-0.53151, 0.68677]);
    // step 3: buf = 0.9·buf + [0.25 + 0.01002151, −0.02091677]
    step(opt, params, { w: [0.25, 0], b: [0.25, 0] }, 0.1);
    close(values(params.get('w')!), [1.023984749, -2.151394623]);
    close(values(opt.state().get('w.momentum')!), [-0.21833749, 0.59717623]);
    // b: buf = [0.5, 0.25] → [−0.55, 0.725] → [−0.245, 0.6525]; b −= 0.1·buf each step
    close(values(params.get('b')!), [1.0295, -2.16275]);
    expect([...opt.state().keys()].sort()).toEqual(['b.momentum', 'w.momentum']);
    opt.dispose();
    tf.dispose([...params.values()]);
  });

  it('without momentum keeps no state: w −= lr·(g + wd·w)', () => {
    const params = makeParams({ w: { data: [2], shape: [1] } });
    const opt = createSgd({ momentum: 0, weightDecay: 0.5 });
    step(opt, params, { w: [1] }, 0.1); // 2 − 0.1·(1 + 1) = 1.8
    step(opt, params, { w: [1] }, 0.1); // 1.8 − 0.1·(1 + 0.9) = 1.61
    close(values(params.get('w')!), [1.61]);
    expect(opt.state().size).toBe(0);
    opt.dispose();
    tf.dispose([...params.values()]);
  });

  it('disposes gradients, frees its state and rejects unknown parameters', () => {
    const params = makeParams({ w: { data: [1, 2], shape: [2] } });
    const opt = createSgd({ momentum: 0.9, weightDecay: 0 });
    const before = tf.memory().numTensors;
    step(opt, params, { w: [1, 1] }, 0.1);
    step(opt, params, { w: [1, 1] }, 0.1);
    expect(tf.memory().numTensors).toBe(before + 1); // + the momentum buffer
    opt.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const g = tf.tensor([1]);
    expect(() => opt.apply(params, new Map([['nope', g]]), 0.1)).toThrow(/unknown parameter "nope"/);
    g.dispose();
    tf.dispose([...params.values()]);
  });

  it('two optimizers can hold state for the same parameter names', () => {
    const params = makeParams({ w: { data: [1], shape: [1] } });
    const a = createSgd({ momentum: 0.9, weightDecay: 0 });
    const b = createSgd({ momentum: 0.9, weightDecay: 0 });
    step(a, params, { w: [1] }, 0.1);
    expect(() => step(b, params, { w: [1] }, 0.1)).not.toThrow();
    a.dispose();
    b.dispose();
    tf.dispose([...params.values()]);
  });
});
