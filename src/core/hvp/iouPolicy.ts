/**
 * The manual IoU policy (hvpMode 'iouPolicy'; the paper's App. F.1.1, Table 4): a hand-made
 * curriculum to compare HVP against. No selection forward: each image's two (global) views are
 * rejection-sampled until their crop-box IoU is strictly below a bound that moves linearly from
 * iouPolicyStart (step 0) to iouPolicyEnd (the last step).
 *
 * Draw order (it defines reproducibility; never reorder), all from the run's view stream:
 *   for each image m = 0 … M − 1: up to IOU_POLICY_ATTEMPTS attempts of
 *     view 0 (sampleViewParams, the full per-view order of data/viewParams.ts), then view 1;
 *   stop at the first pair with IoU < bound. When none of the attempts gets under the bound the
 *   image keeps the pair with the lowest IoU drawn (the earliest on ties) and counts as a MISS.
 * The result is view-major like every batch of views: element k·M + m is view k of image m.
 * DINO / iBOT apply it to their two globals; their locals are drawn after all globals as usual.
 * Must not import: tfjs, DOM, anything outside core.
 */
import type { RunConfig } from '../config/runConfig';
import { sampleViewParams, type AugmentOptions } from '../data/viewParams';
import type { ViewParams } from '../data/types';
import type { Rng } from '../random';
import { boxIou } from './iou';

/** Most pair draws per image before the policy keeps its lowest-IoU pair and counts a miss. */
export const IOU_POLICY_ATTEMPTS = 100;

/** The IoU bound of the 0-based step `stepIdx`: linear from iouPolicyStart at step 0 to iouPolicyEnd at step totalSteps − 1 (the start when the run has a single step). */
export function iouPolicyBound(config: Pick<RunConfig, 'iouPolicyStart' | 'iouPolicyEnd' | 'totalSteps'>, stepIdx: number): number {
  const { iouPolicyStart: a, iouPolicyEnd: b, totalSteps } = config;
  if (totalSteps <= 1) return a;
  const t = Math.min(1, Math.max(0, stepIdx / (totalSteps - 1)));
  return a + (b - a) * t;
}

/** The two views per image the policy keeps, and what it cost. */
export interface IouPolicyDraw {
  /** Views 0 and 1 of every image, view-major (2·M; element k·M + m). */
  params: ViewParams[];
  /** Images whose kept pair is NOT below the bound (no attempt got under it). */
  misses: number;
  /** Pair draws made in all (2 views each), for diagnostics. */
  attempts: number;
  /** IoU of each image's kept pair [M]. */
  ious: Float64Array;
}

/**
 * Draws each image's view pair under the policy (order in the file header).
 * NOTE: advances rng by a data-dependent number of draws (the snapshot's viewRng state carries it).
 */
export function sampleIouPolicyPairs(rng: Rng, aug: AugmentOptions, numImages: number, bound: number, srcHeight: number, srcWidth: number, maxAttempts = IOU_POLICY_ATTEMPTS): IouPolicyDraw {
  const first: ViewParams[] = [];
  const second: ViewParams[] = [];
  const ious = new Float64Array(numImages);
  let misses = 0;
  let attempts = 0;
  for (let m = 0; m < numImages; m++) {
    let best: [ViewParams, ViewParams] | null = null;
    let bestIou = Infinity;
    for (let a = 0; a < maxAttempts; a++) {
      const v0 = sampleViewParams(rng, aug, srcHeight, srcWidth);
      const v1 = sampleViewParams(rng, aug, srcHeight, srcWidth);
      attempts += 1;
      const iou = boxIou(v0, v1);
      if (iou < bestIou) {
        best = [v0, v1];
        bestIou = iou;
      }
      if (iou < bound) break;
    }
    if (!(bestIou < bound)) misses += 1;
    first.push(best![0]);
    second.push(best![1]);
    ious[m] = bestIou;
  }
  return { params: [...first, ...second], misses, attempts, ious };
}
