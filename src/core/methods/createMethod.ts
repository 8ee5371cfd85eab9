/**
 * The method registry: RunConfig.method → a PairMethod with weights drawn from `seed`.
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import type { RunConfig } from '../config/runConfig';
import type { PairMethod } from './pairMethod';
import { createSimSiamMethod } from './simsiamMethod';

/** Builds the run's method. */
export function createMethod(config: RunConfig, seed: number): PairMethod {
  switch (config.method) {
    case 'simsiam':
      return createSimSiamMethod(config, seed);
    default:
      throw new RangeError(`Unknown method "${String(config.method)}"`);
  }
}
