/**
 * Exponential moving average of weights: the update of a momentum (target / teacher) network from
 * its online (student) network, as BYOL (Grill et al. 2020, arXiv 2006.07733, eq. 1) and DINO:
 *   target ← τ·target + (1 − τ)·online
 * Only what is listed is averaged; BN running statistics of the target come from its own
 * forwards (see models/byolModel.ts), as in torch BYOL implementations whose EMA loops over
 * `parameters()` only.
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';

/** One averaged tensor: the target variable and the online variable it follows. */
export interface EmaPair {
  target: tf.Variable;
  online: tf.Variable;
}

/**
 * target ← τ·target + (1 − τ)·online for every pair.
 * NOTE: mutates every `target` variable; `online` is only read.
 * @param momentum τ in [0, 1]; 1 leaves the target unchanged, 0 copies the online weights
 */
export function emaUpdate(pairs: readonly EmaPair[], momentum: number): void {
  if (!(momentum >= 0 && momentum <= 1)) throw new RangeError(`EMA momentum must be in [0, 1], got ${momentum}`);
  tf.tidy(() => {
    for (const { target, online } of pairs) {
      if (target.shape.join() !== online.shape.join()) throw new Error(`EMA: target ${target.name} [${target.shape}] does not match online ${online.name} [${online.shape}]`);
      // τ·t + (1 − τ)·o written as t + (1 − τ)·(o − t): the target stays bit-exact when τ = 1.
      target.assign(tf.add(target, tf.mul(tf.sub(online, target), 1 - momentum)));
    }
  });
}
