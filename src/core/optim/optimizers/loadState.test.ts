// Saved optimizer state resumes exactly: N steps in one go equal k steps, save (host copies),
// a fresh optimizer loading that state, N−k more steps. And bad state is refused, leaving the
// optimizer as it was. Node, tfjs CPU backend.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { toHost, type HostTensor } from '../../state/hostTensor';
import type { Optimizer } from '../optimizer';
import { createAdamw } from './adamw';
import { createLars } from './lars';
import { createSgd } from './sgd';
import { makeParams, step, values } from './testing';

const INIT = { w: { data: [0.5, -1, 2, 0.25], shape: [2, 2] }, b: { data: [0.1, -0.2], shape: [2] } };
const GRADS = [
  { w: [0.1, 0.2, -0.3, 0.4], b: [0.5, -0.5] },
  { w: [-0.2, 0.1, 0.3, 0.0], b: [0.25, 0.1] },
  { w: [0.3, -0.1, 0.05, 0.2], b: [-0.3, 0.2] },
  { w: [0.0, 0.4, -0.1, -0.2], b: [0.1, 0.3] },
];

const makers: Record<string, () => Optimizer> = {
  sgd: () => createSgd({ momentum: 0.9, weightDecay: 1e-3, isNoDecay: (n) => n === 'b' }),
  lars: () => createLars({ momentum: 0.9, weightDecay: 1e-3, eta: 0.02 }),
  adamw: () => createAdamw({ weightDecay: 0.05 }),
};

async function hostState(opt: Optimizer): Promise<Map<string, HostTensor>> {
  const out = new Map<string, HostTensor>();
  for (const [k, v] of opt.state()) out.set(k, await toHost(v));
  return out;
}

describe.each(Object.keys(makers))('%s loadState', (kind) => {
  it('resumes bit-exactly from saved state', async () => {
    const straight = makeParams(INIT);
    const a = makers[kind]!();
    GRADS.forEach((g, i) => step(a, straight, g, 0.1 * (i + 1)));

    const first = makeParams(INIT);
    const b = makers[kind]!();
    GRADS.slice(0, 2).forEach((g, i) => step(b, first, g, 0.1 * (i + 1)));
    const saved = await hostState(b);
    const savedParams = new Map(await Promise.all([...first].map(async ([k, v]) => [k, await toHost(v)] as const)));
    b.dispose();

    const resumed = makeParams({ w: { data: Array.from(savedParams.get('w')!.data), shape: [2, 2] }, b: { data: Array.from(savedParams.get('b')!.data), shape: [2] } });
    const c = makers[kind]!();
    c.loadState(saved, resumed);
    GRADS.slice(2).forEach((g, i) => step(c, resumed, g, 0.1 * (i + 3)));
    expect(values(resumed.get('w')!)).toEqual(values(straight.get('w')!));
    expect(values(resumed.get('b')!)).toEqual(values(straight.get('b')!));
    const keys = [...c.state().keys()].sort();
    expect(keys).toEqual([...a.state().keys()].sort());
    for (const k of keys) expect(values(c.state().get(k)!)).toEqual(values(a.state().get(k)!));
  });

  it('refuses state of other parameters or shapes and keeps its own', async () => {
    const params = makeParams(INIT);
    const opt = makers[kind]!();
    step(opt, params, GRADS[0]!, 0.1);
    const before = await hostState(opt);
    const good = await hostState(opt);
    const firstKey = [...good.keys()][0]!;
    const renamed = new Map(good);
    renamed.set(firstKey.replace(/^w\./, 'conv9.'), good.get(firstKey)!);
    renamed.delete(firstKey);
    expect(() => opt.loadState(renamed, params)).toThrow(/belongs to no parameter/);
    const misshapen = new Map(good);
    const wKey = [...good.keys()].find((k) => k.startsWith('w.') && good.get(k)!.shape.length === 2)!;
    misshapen.set(wKey, { dtype: 'float32', shape: [4], data: new Float32Array(4) });
    expect(() => opt.loadState(misshapen, params)).toThrow(/is \[4\], expected \[2, 2\]/);
    const after = await hostState(opt);
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [k, v] of before) expect(Array.from(after.get(k)!.data)).toEqual(Array.from(v.data));
    tf.dispose([...params.values()]);
    opt.dispose();
  });
});
