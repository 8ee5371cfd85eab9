/**
 * HVP telemetry computed on the CPU from the kept view parameters and the selected pair indices:
 * IoU of the selected pairs vs all pairs, and how often the selected pair is the image's
 * lowest-IoU pair (the paper's Fig. 2; chance is 1/C(N,2)).
 * Must not import: tfjs, DOM.
 */
import { pairIous } from '../data/iou';
import type { ViewParams } from '../data/types';
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
