// The per-step weight decay of Optimizer.apply (DINO's cosine wd schedule): a step with the override
// equals a step of an optimizer built with that decay; no-decay parameters stay undecayed; a
// parameter left out of the gradients (a frozen one) is untouched and gets no state.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Optimizer } from '../optimizer';
import { createAdamw } from './adamw';
import { createLars } from './lars';
import { createSgd } from './sgd';
import { makeParams, values } from './testing';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const init = () => makeParams({ w: { data: [0.5, -1, 2, 0.25], shape: [2, 2] }, b: { data: [0.3, -0.2], shape: [2] }, frozen: { data: [1, 2], shape: [2] } });
const grads = () => new Map<string, tf.Tensor>([['w', tf.tensor([0.1, 0.2, -0.3, 0.4], [2, 2])], ['b', tf.tensor([0.05, -0.05])]]);
const isNoDecay = (n: string) => n === 'b';

const makers: Record<string, (wd: number) => Optimizer> = {
  adamw: (wd) => createAdamw({ weightDecay: wd, isNoDecay }),
  sgd: (wd) => createSgd({ momentum: 0.9, weightDecay: wd, isNoDecay }),
  lars: (wd) => createLars({ momentum: 0.9, weightDecay: wd, eta: 0.02, clipLr: true }),
};

describe.each(Object.keys(makers))('%s with a per-step weight decay', (kind) => {
  it('equals the optimizer built with that decay; frozen parameters are untouched', () => {
    const make = makers[kind]!;
    const a = init();
    const b = init();
    const optA = make(0.01);
    const optB = make(0.3);
    for (let s = 0; s < 2; s++) {
      optA.apply(a, grads(), 0.1, 0.3);
      optB.apply(b, grads(), 0.1);
    }
    for (const n of ['w', 'b']) values(a.get(n)!).forEach((v, i) => expect(v).toBeCloseTo(values(b.get(n)!)[i]!, 6));
    // Without the override the decay differs, so the override mattered.
    const c = init();
    const optC = make(0.01);
    for (let s = 0; s < 2; s++) optC.apply(c, grads(), 0.1);
    expect(values(c.get('w')!)).not.toEqual(values(a.get('w')!));
    expect(values(a.get('frozen')!)).toEqual([1, 2]);
    expect([...optA.state().keys()].some((k) => k.startsWith('frozen.'))).toBe(false);
    for (const o of [optA, optB, optC]) o.dispose();
    for (const p of [a, b, c]) for (const v of p.values()) v.dispose();
  });
});
