/**
 * What each HVP mode (config/runConfig.ts HvpMode) does to a step, for the code that branches on it:
 * whether it runs a selection forward (hard / easy) and whether it samples only the two trained
 * global views per image (off, and iouPolicy whose pair comes from hvp/iouPolicy.ts).
 * Must not import: tfjs, DOM, anything outside core.
 */
import type { HvpMode } from '../config/runConfig';

/** Whether a mode runs a selection forward over candidates (hard / easy). */
export const isSelectingMode = (mode: HvpMode): mode is 'hard' | 'easy' => mode === 'hard' || mode === 'easy';

/** Whether a mode samples just the two trained global views per image (off, iouPolicy): no candidates. */
export const isTwoViewMode = (mode: HvpMode): mode is 'off' | 'iouPolicy' => mode === 'off' || mode === 'iouPolicy';
