/**
 * HVP telemetry computed on the CPU from the kept view parameters and the selected pair indices:
 * IoU of the selected pairs vs all pairs, and how often the selected pair is the image's
 * lowest-IoU pair (the paper's Fig. 2; chance is 1/C(N,2)), and the IoU of a random pair as a
 * baseline drawn from a side stream (randomPairIou).
 * Must not import: tfjs, DOM.
 */
import { pairIous } from './iou';
import type { ViewParams } from '../data/types';
import { createRng, deriveSeed } from '../random';
import { numPairs } from './pairs';

/** Per-step IoU summary. */
export interface IouSummary {
  selectedIou: number;
  meanIou: number;
  /** Fraction of images whose selected pair has the minimum IoU of its pairs (ties count as hits). */
  lowestIouHitRate: number;
}

/**
 * @param params view-major parameters of N·M views
 * @param selected selected pair index per image [M]
 */
export function summarizeIou(params: ViewParams[], numViews: number, numImages: number, selected: ArrayLike<number>): IouSummary {
  const P = numPairs(numViews);
  const ious = pairIous(params, numViews, numImages); // [M, P]
  let sel = 0, all = 0, hits = 0;
  for (let m = 0; m < numImages; m++) {
    const row = ious.subarray(m * P, (m + 1) * P);
    let min = Infinity;
    for (let p = 0; p < P; p++) {
      all += row[p]!;
      if (row[p]! < min) min = row[p]!;
    }
    const s = row[selected[m]!]!;
    sel += s;
    if (s <= min) hits += 1;
  }
  return { selectedIou: sel / numImages, meanIou: all / (numImages * P), lowestIouHitRate: hits / numImages };
}

/** Name of the side stream of the random-pair baseline at `step` (a completed-step count). */
export const randomPairStream = (step: number): string => `telemetry-random-pair-${step}`;

/**
 * Mean IoU over images of one uniformly random pair per image: what a random pick would have
 * overlapped at this step, beside the selected pair's IoU. The pairs come from a fresh generator
 * seeded with deriveSeed(seed, randomPairStream(step)) — one draw `int(C(N,2))` per image in image
 * order — so the value depends only on (seed, step, view params) and no run stream (views,
 * selection, data order, probes) is advanced.
 * @param params view-major parameters of N·M views
 */
export function randomPairIou(params: ViewParams[], numViews: number, numImages: number, seed: number, step: number): number {
  const P = numPairs(numViews);
  const ious = pairIous(params, numViews, numImages); // [M, P]
  const rng = createRng(deriveSeed(seed, randomPairStream(step)));
  let sum = 0;
  for (let m = 0; m < numImages; m++) sum += ious[m * P + rng.int(P)]!;
  return sum / numImages;
}
