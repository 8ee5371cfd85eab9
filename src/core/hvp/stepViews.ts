/**
 * Which views an HVP step samples per image, for every method (methods/hvpMethod.ts):
 *   pair methods (SimSiam, SimCLR, BYOL): G = numViews globals (2 with HVP off or iouPolicy), no locals;
 *   DINO: G = numViews globals and L = (G/2)·l locals (l = numLocalViews), "twice the global and
 *     local views" at the paper's N = 4; HVP off or iouPolicy: G = 2, L = l (iouPolicy draws its
 *     two globals by rejection, hvp/iouPolicy.ts);
 *   iBOT: G = numViews globals and L = l locals (the authors' iBOT selects among global pairs only).
 * Globals use the config's augmentation at imageSize; locals the same with the local crop-scale
 * range at localSize (DINO's asymmetric gt1 / gt2 global transforms are not modelled).
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import type { RunConfig } from '../config/runConfig';
import { isSelectingMode, isTwoViewMode } from './hvpModes';
import { augmentFromConfig, type AugmentOptions } from '../data/viewParams';
import type { CropCounts, HvpMethod } from './hvpMethod';

/** Views sampled per image every step (see the header). */
export function sampledCropCounts(config: RunConfig, kind: HvpMethod['kind']): CropCounts {
  if (kind === 'pair') return { numGlobals: isTwoViewMode(config.hvpMode) ? 2 : config.numViews, numLocals: 0 };
  if (isTwoViewMode(config.hvpMode)) return { numGlobals: 2, numLocals: config.numLocalViews };
  if (config.method === 'ibot') return { numGlobals: config.numViews, numLocals: config.numLocalViews };
  return { numGlobals: config.numViews, numLocals: (config.numViews / 2) * config.numLocalViews };
}

/** Locals per candidate (l): 0 for the pair methods. */
export const localsPerCandidate = (config: RunConfig, kind: HvpMethod['kind']): number => (kind === 'pair' ? 0 : config.numLocalViews);

/** The augmentation of the local views: the config's, with the local crop scale range. */
export function localAugment(config: RunConfig): AugmentOptions {
  return augmentFromConfig({ ...config, cropScaleMin: config.localScaleMin, cropScaleMax: config.localScaleMax });
}

/** Checks the config fields the multi-crop methods rely on; throws a RangeError naming the field. */
export function checkMultiCropConfig(config: RunConfig): void {
  const l = config.numLocalViews;
  if (!Number.isInteger(l) || l < 0) throw new RangeError(`numLocalViews must be a non-negative integer, got ${l}`);
  if (!isTwoViewMode(config.hvpMode) && (config.numViews < 2 || config.numViews % 2 !== 0)) throw new RangeError(`${config.method} with HVP needs an even numViews ≥ 2 (even × odd global pairs), got ${config.numViews}`);
  if (config.method === 'ibot' && isSelectingMode(config.hvpMode) && config.selectScale !== 1) throw new RangeError(`ibot needs selectScale 1 (its masks are drawn for the full-size patch grid), got ${config.selectScale}`);
  if (!(config.localSize >= 1 && config.localSize <= config.imageSize)) throw new RangeError(`localSize must be in [1, imageSize = ${config.imageSize}], got ${config.localSize}`);
}
