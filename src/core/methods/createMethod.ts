/**
 * The method registry: RunConfig.method → its HvpMethod (simsiam, simclr, byol: pair kind; dino,
 * ibot: multi-crop kind) with weights drawn from `seed`.
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import type { RunConfig } from '../config/runConfig';
import { createByolMethod } from './byolMethod';
import { createDinoMethod } from './dinoMethod';
import type { HvpMethod } from '../hvp/hvpMethod';
import { createIbotMethod } from './ibotMethod';
import { createSimClrMethod } from './simclrMethod';
import { createSimSiamMethod } from './simsiamMethod';

/** Builds the run's method. */
export function createMethod(config: RunConfig, seed: number): HvpMethod {
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
