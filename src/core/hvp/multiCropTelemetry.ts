/**
 * HVP telemetry of a multi-crop step (DINO, iBOT), computed on the CPU from the kept view parameters
 * and each image's chosen combination — the same StepMetrics fields as the pair methods
 * (telemetry.ts, pairStats.ts), defined over the G GLOBAL views (locals are small crops of a
 * different scale, so their IoU with a global says little about how hard a combination is):
 *   selectedIou       mean IoU of the chosen global pair (even, odd) per image;
 *   meanIou           mean IoU over the candidate global pairs (even × odd) of every image;
 *   lowestIouHitRate  fraction of images whose chosen pair has the lowest IoU of its candidate
 *                     pairs (ties count as hits; chance 1/(G/2)² when the choice is random);
 *   randomPairIou     one uniformly random candidate pair per image from the side stream
 *                     deriveSeed(seed, randomPairStream(step)) (advances no run stream);
 *   pairStats         computePairStats over all C(G, 2) global pairs, the chosen pair marked
 *                     (same-parity pairs are never chosen but show the spread of the views).
 * Without HVP (G = 2) the only candidate pair is (0, 1).
 * Must not import: tfjs, DOM.
 */
import { boxIou } from './iou';
import type { ViewParams } from '../data/types';
import { createRng, deriveSeed } from '../random';
import { candidateGlobalPairs } from './combinations';
import { computePairStats, type PairStats } from './pairStats';
import { pairIndex } from './pairs';
import { randomPairStream, type IouSummary } from './telemetry';

/** IoU summary, random-pair baseline and pair statistics of one multi-crop step. */
export interface MultiCropTelemetry extends IouSummary {
  randomPairIou: number;
  pairStats: PairStats;
}

/**
 * @param globalParams view-major parameters of the G·M global views
 * @param chosenGlobals the chosen (even, odd) global ids per image, [M·2] row-major
 * @param step completed-step count of the step (names the random-pair side stream)
 */
export function multiCropTelemetry(globalParams: ViewParams[], numGlobals: number, numImages: number, chosenGlobals: ArrayLike<number>, seed: number, step: number, srcHeight: number, srcWidth: number): MultiCropTelemetry {
  const cands = candidateGlobalPairs(numGlobals);
  const box = (k: number, m: number) => globalParams[k * numImages + m]!;
  const rng = createRng(deriveSeed(seed, randomPairStream(step)));
  let sel = 0, all = 0, hits = 0, rand = 0;
  const selectedPair = new Int32Array(numImages);
  for (let m = 0; m < numImages; m++) {
    const e = chosenGlobals[2 * m]!, o = chosenGlobals[2 * m + 1]!;
    const ious = cands.map(([a, b]) => boxIou(box(a, m), box(b, m)));
    const s = boxIou(box(e, m), box(o, m));
    sel += s;
    for (const v of ious) all += v;
    if (s <= Math.min(...ious)) hits += 1;
    rand += ious[rng.int(ious.length)]!;
    selectedPair[m] = pairIndex(e, o, numGlobals);
  }
  return {
    selectedIou: sel / numImages,
    meanIou: all / (numImages * cands.length),
    lowestIouHitRate: hits / numImages,
    randomPairIou: rand / numImages,
    pairStats: computePairStats(globalParams, numGlobals, numImages, selectedPair, srcHeight, srcWidth),
  };
}
