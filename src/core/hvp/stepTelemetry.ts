/**
 * The HVP fields of StepMetrics for a read step, from the kept view parameters and each image's
 * chosen candidate (CPU only): the chosen global pair per image, then
 *   pair methods — IoU summary, random-pair baseline and pair statistics over all C(N, 2) pairs
 *                  of the sampled views (telemetry.ts, pairStats.ts);
 *   DINO / iBOT  — the same fields over the rendered globals' candidate pairs, even × odd
 *                  (multiCropTelemetry.ts);
 * and on hvpMode iouPolicy steps the policy's miss count (hvp/iouPolicy.ts).
 * Must not import: tfjs, DOM.
 */
import type { ViewParams } from '../data/types';
import type { CropCounts, HvpMethod } from './hvpMethod';
import type { ComboTable } from './combinations';
import { multiCropTelemetry, type MultiCropTelemetry } from './multiCropTelemetry';
import { computePairStats } from './pairStats';
import { pairIndex } from './pairs';
import { randomPairIou, summarizeIou } from './telemetry';

/** What the telemetry reads of a queued step (trainer.ts PendingStep). */
export interface TelemetryInput {
  /** 0-based step index. */
  step: number;
  /** Sampled globals' parameters (G·M, view-major). */
  params: ViewParams[];
  sampled: CropCounts;
  rendered: CropCounts;
  numImages: number;
  candidates: ComboTable;
  /** hvpMode iouPolicy: images whose kept pair is not below the step's bound (hvp/iouPolicy.ts); absent otherwise. */
  iouPolicyMisses?: number;
  /** hvpMode iouPolicy: the step's IoU bound (hvp/iouPolicy.ts iouPolicyBound). */
  iouPolicyBound?: number;
}

/** The telemetry of a step: the IoU fields, plus the IoU policy's misses on iouPolicy steps. */
export type StepTelemetry = MultiCropTelemetry & { iouPolicyMisses?: number; iouPolicyBound?: number };

/**
 * @param selected index into p.candidates per image (read from the device, or fixed on the CPU)
 */
export function stepTelemetry(kind: HvpMethod['kind'], p: TelemetryInput, selected: ArrayLike<number>, seed: number, srcHeight: number, srcWidth: number): StepTelemetry {
  const iou = iouTelemetry(kind, p, selected, seed, srcHeight, srcWidth);
  return p.iouPolicyMisses === undefined ? iou : { ...iou, iouPolicyMisses: p.iouPolicyMisses, ...(p.iouPolicyBound === undefined ? {} : { iouPolicyBound: p.iouPolicyBound }) };
}

/** The IoU fields of stepTelemetry. */
function iouTelemetry(kind: HvpMethod['kind'], p: TelemetryInput, selected: ArrayLike<number>, seed: number, srcHeight: number, srcWidth: number): MultiCropTelemetry {
  const M = p.numImages;
  const width = 2 + p.candidates.numLocalsPerCombo;
  const chosenGlobals = new Int32Array(2 * M); // [M·2]: each image's chosen (first, second) global
  for (let m = 0; m < M; m++) {
    chosenGlobals[2 * m] = p.candidates.table[selected[m]! * width]!;
    chosenGlobals[2 * m + 1] = p.candidates.table[selected[m]! * width + 1]!;
  }
  const completed = p.step + 1; // names the random-pair side stream
  if (kind === 'multiCrop') {
    const G = p.rendered.numGlobals;
    return multiCropTelemetry(p.params.slice(0, G * M), G, M, chosenGlobals, seed, completed, srcHeight, srcWidth);
  }
  const N = p.sampled.numGlobals;
  const pairIdx = Int32Array.from({ length: M }, (_, m) => pairIndex(chosenGlobals[2 * m]!, chosenGlobals[2 * m + 1]!, N)); // into pairList(N)
  return {
    ...summarizeIou(p.params, N, M, pairIdx),
    randomPairIou: randomPairIou(p.params, N, M, seed, completed),
    pairStats: computePairStats(p.params, N, M, pairIdx, srcHeight, srcWidth),
  };
}
