/**
 * The method registry: RunConfig.method → a PairMethod (simsiam, simclr, byol) or a MultiCropMethod
 * (dino, ibot) with weights drawn from `seed`.
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import type { RunConfig } from '../config/runConfig';
import { createByolMethod } from './byolMethod';
import { createDinoMethod } from './dinoMethod';
import { createIbotMethod } from './ibotMethod';
import type { MultiCropMethod } from './multiCropMethod';
import type { PairMethod } from './pairMethod';
import { createSimClrMethod } from './simclrMethod';
import { createSimSiamMethod } from './simsiamMethod';

/** Builds the run's method. */
export function createMethod(config: RunConfig, seed: number): PairMethod | MultiCropMethod {
  switch (config.method) {
    case 'simsiam':
      return createSimSiamMethod(config, seed);
    case 'simclr':
      return createSimClrMethod(config, seed);
    case 'byol':
      return createByolMethod(config, seed);
    case 'dino':
      return createDinoMethod(config, seed);
    case 'ibot':
      return createIbotMethod(config, seed);
    default:
      throw new RangeError(`Unknown method "${String(config.method)}"`);
  }
}
