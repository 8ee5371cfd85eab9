// Seeded, name-keyed replacement values for every weight of a model (not its centers or fixed
// weight_g): at init a DINO/iBOT head's outputs hardly depend on the input, which would hide a wrong
// mask, view or layout in a comparison. The same names get the same values in every model, so two
// models built from one config match after perturbing; teacher tensors (other names) get other values.
import * as tf from '@tensorflow/tfjs';
import { createRng, hashString } from '../../src/core/random';

/** NOTE: mutates the variables. */
export function perturbWeights(vars: Iterable<[string, tf.Variable]>): void {
  for (const [name, v] of vars) {
    if (/(^|\.)center2?$|weight_g$/.test(name)) continue;
    const rng = createRng(hashString(name));
    const bound = name.endsWith('.bias') ? 0.2 : v.rank === 1 ? 0.5 : v.rank === 2 ? 1.5 / Math.sqrt(v.shape[0]!) : 1;
    const base = v.rank === 1 && !name.endsWith('.bias') ? 1 : 0;
    v.assign(tf.tensor(Float32Array.from({ length: v.size }, () => base + rng.uniform(-bound, bound)), v.shape));
  }
}
