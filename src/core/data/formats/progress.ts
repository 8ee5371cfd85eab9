/**
 * Progress reporting of an import: maps each phase onto its share of [0, 1], keeps the reported
 * fraction non-decreasing, and throttles calls (a new stage, or at least 0.5 % more; numbers in
 * the stage text do not make it new) so decoding 60,000 images posts a few hundred messages.
 * Must not import: tfjs, DOM.
 */
import type { ProgressFn } from './types';

/** Reports progress of one phase: `fraction` is of the phase, in [0, 1]. */
export type PhaseProgress = (stage: string, fraction: number) => void;

/** Progress of a whole import, split into phases. */
export interface ImportProgress {
  /** The phase that covers [from, to] of the whole import. */
  phase(from: number, to: number): PhaseProgress;
}

const MIN_STEP = 0.005;

/** Wraps the user's callback (may be undefined: then every report is a no-op). */
export function createImportProgress(onProgress: ProgressFn | undefined): ImportProgress {
  let lastStage = '';
  let lastFraction = -1;
  const emit = (stage: string, fraction: number): void => {
    if (!onProgress) return;
    const f = Math.min(1, Math.max(fraction, lastFraction, 0));
    const key = stage.replace(/\d[\d,]*/g, '#'); // "Decoding images (12/500)" throttles like "Decoding images (#/#)"
    if (key === lastStage && f - lastFraction < MIN_STEP && !(f === 1 && lastFraction < 1)) return;
    lastStage = key;
    lastFraction = f;
    onProgress(stage, f);
  };
  return {
    phase: (from, to) => (stage, fraction) => emit(stage, from + (to - from) * Math.min(1, Math.max(0, fraction))),
  };
}
