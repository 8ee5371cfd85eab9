// Reference AdamW (torch.optim.AdamW semantics) against hand-computed values for 3 steps.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { adamwScalars, createAdamw, resolveAdamwOptions } from './adamw';
import { makeParams, step, values } from './testing';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const close = (a: number[], b: number[], tol = 1e-6) =>
  a.forEach((x, i) => expect(Math.abs(x - b[i])).toBeLessThan(tol * Math.max(1, Math.abs(b[i]))));

describe('createAdamw', () => {
  it('fills in torch defaults and bias corrections', () => {
    const o = resolveAdamwOptions({});
    expect(o).toMatchObject({ weightDecay: 1e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8 });
    const k = adamwScalars(o, 0.1, 1);
    expect(k.stepSize).toBeCloseTo(1, 12); // 0.1 / (1 − 0.9)
    expect(k.bc2Sqrt).toBeCloseTo(Math.sqrt(0.001), 12);
  });

  it('matches hand-computed values for 3 steps, with decoupled decay and a no-decay parameter', () => {
    const params = makeParams({ w: { data: [1, -2], shape: [2] }, b: { data: [1, -2], shape: [2] } });
    const opt = createAdamw({ weightDecay: 0.1, isNoDecay: (n) => n === 'b' });
    const lr = 0.1;
    // step 1: w·(1 − 0.01) = [0.99, −1.98]; m = 0.1·g; v = 0.001·g²;
    //   m̂/√v̂ = sign(g) → w − 0.1·sign(g)
    step(opt, params, { w: [0.5, 0.25], b: [0.5, 0.25] }, lr);
    close(values(params.get('w')!), [0.890000002, -2.079999996]);
    close(values(params.get('b')!), [0.9, -2.1]); // no decay: 1 − 0.1, −2 − 0.1
    step(opt, params, { w: [-1, 0.5], b: [-1, 0.5] }, lr);
    close(values(params.get('w')!), [0.9177103542205653, -2.1557181961808047]);
    step(opt, params, { w: [0.25, 0], b: [0.25, 0] }, lr);
    close(values(params.get('w')!), [0.9222023167767704, -2.2087698622429617]);
    const st = opt.state();
    close(values(st.get('w.exp_avg')!), [-0.0245, 0.06525]);
    close(values(st.get('w.exp_avg_sq')!), [0.001311000250000001, 0.00031212506250000025]);
    expect(values(st.get('w.step')!)).toEqual([3]);
    expect(st.get('w.step')!.dtype).toBe('int32');
    expect([...st.keys()].sort()).toEqual([
      'b.exp_avg',
      'b.exp_avg_sq',
      'b.step',
      'w.exp_avg',
      'w.exp_avg_sq',
      'w.step',
    ]);
    opt.dispose();
    tf.dispose([...params.values()]);
  });

  it('keeps a per-parameter step count (torch state["step"])', () => {
    const params = makeParams({ a: { data: [1], shape: [1] }, c: { data: [1], shape: [1] } });
    const opt = createAdamw({ weightDecay: 0 });
    step(opt, params, { a: [1], c: [1] }, 0.1);
    step(opt, params, { a: [1] }, 0.1); // c gets no gradient this step
    expect(values(opt.state().get('a.step')!)).toEqual([2]);
    expect(values(opt.state().get('c.step')!)).toEqual([1]);
    opt.dispose();
    tf.dispose([...params.values()]);
  });

  it('does not leak tensors across steps and frees its state', () => {
    const params = makeParams({ w: { data: [1, 2, 3], shape: [3] } });
    const opt = createAdamw({});
    step(opt, params, { w: [1, 1, 1] }, 0.1);
    const after1 = tf.memory().numTensors;
    step(opt, params, { w: [1, 1, 1] }, 0.1);
    step(opt, params, { w: [1, 1, 1] }, 0.1);
    expect(tf.memory().numTensors).toBe(after1);
    opt.dispose();
    expect(tf.memory().numTensors).toBe(after1 - 3);
    tf.dispose([...params.values()]);
  });
});
