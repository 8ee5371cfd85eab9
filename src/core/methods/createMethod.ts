/**
 * The method registry: RunConfig.method → a PairMethod with weights drawn from `seed`.
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import type { RunConfig } from '../config/runConfig';
import { createByolMethod } from './byolMethod';
import type { PairMethod } from './pairMethod';
import { createSimClrMethod } from './simclrMethod';
import { createSimSiamMethod } from './simsiamMethod';

/** Builds the run's method. */
export function createMethod(config: RunConfig, seed: number): PairMethod {
  switch (config.method) {
    case 'simsiam':
      return createSimSiamMethod(config, seed);
    case 'simclr':
      return createSimClrMethod(config, seed);
    case 'byol':
      return createByolMethod(config, seed);
    default:
      throw new RangeError(`Unknown method "${String(config.method)}"`);
  }
}
