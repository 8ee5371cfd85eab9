// Test helpers for checkpoint/export tests: read a model's variables to host tensors, and give its
// BatchNorms non-trivial eval-mode behaviour (fresh BNs have mean 0, var 1 and, with
// zero_init_residual, γ = 0 on every block's bn2, which would hide layout or BN bugs).
import * as tf from '@tensorflow/tfjs';
import type { SimSiamModel } from '../../src/core/models/simsiamModel';
import { createRng } from '../../src/core/random';
import { toHost, type HostTensor } from '../../src/core/state/hostTensor';

/** Every param and buffer of `model` on the host, by name. sync point: awaits data(). */
export async function readModelState(model: Pick<SimSiamModel, 'params' | 'buffers'>): Promise<Map<string, HostTensor>> {
  const state = new Map<string, HostTensor>();
  for (const [name, v] of [...model.params, ...model.buffers]) state.set(name, await toHost(v));
  return state;
}

/** Sets every BN's running stats and affine params to seeded values. NOTE: mutates the model. */
export function perturbBatchNorms(model: Pick<SimSiamModel, 'params' | 'buffers'>, seed: number): void {
  const rng = createRng(seed);
  const fill = (v: tf.Variable, lo: number, hi: number) =>
    v.assign(tf.tensor(Float32Array.from({ length: v.size }, () => rng.uniform(lo, hi)), v.shape));
  for (const [name, v] of [...model.params, ...model.buffers]) {
    if (name.endsWith('.running_mean')) fill(v, -0.3, 0.3);
    else if (name.endsWith('.running_var')) fill(v, 0.5, 2);
    else if (v.rank === 1 && name.endsWith('.weight')) fill(v, 0.5, 1.5); // BN γ (linear weights are rank 2)
    else if (v.rank === 1 && name.endsWith('.bias') && !name.startsWith('predictor.3')) fill(v, -0.2, 0.2); // BN β
  }
}
