/**
 * What "Explain the next step" shows, as host values: the result of both explain readers
 * (explainStep.ts for the pair methods, multiCropExplain.ts for DINO / iBOT), sent to the page
 * by the worker. Its own file so the two readers do not import each other.
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import type { ProbeImage } from '../train/metrics';

/** One shown image of an explained step. */
export type ExplainedImage = ProbeImage & {
  /** Eval-mode loss of the chosen pair before and after the update. */
  lossBefore: number;
  lossAfter: number;
};

/** The four stages of an explained step, as host values. */
export interface StepExplanation {
  /** 0-based index of the explained step (steps completed before it). */
  step: number;
  numViews: number;
  numImagesInBatch: number;
  /** True when the selection forward ran (hard/easy mode on an hvpEvery step). */
  isSelectionStep: boolean;
  /** How the pairs were chosen, in words. */
  selectionRule: string;
  images: ExplainedImage[];
  /** Training loss of the step on the chosen pairs (BN in training mode, before the update). */
  trainingLoss: number;
  /** Batch means of the chosen pairs' eval-mode losses before / after the update. */
  meanLossBefore: number;
  meanLossAfter: number;
  learningRate: number;
}
