/**
 * Records of a twin run (worker/twinRun.ts): the same config trained with HVP off and on,
 * alternately, one step each. Plain data, JSON-serializable; the worker streams them and the UI
 * plots, tabulates and exports them.
 * Must not import: tfjs, DOM.
 */
import type { TwinArm } from '../config/twinConfig';
import type { LoopState } from './controlLoop';

/** Where a twin run is: building both twins, then the control loop's states. `done` = both twins reached the last step. */
export type TwinState = 'preparing' | LoopState;

/** One twin's logged training step. */
export interface TwinStepRecord {
  /** Training loss on the pairs trained on. */
  loss: number;
  /** Wall time of this twin's step, from queueing it to having its metrics read, ms. */
  stepMs: number;
  /** Mean IoU of the trained pairs' crop boxes. */
  selectedIou: number;
  learningRate: number;
}

/** Both twins at one logged step (the same step count: they advance together). */
export interface TwinStepRow {
  step: number;
  off: TwinStepRecord;
  on: TwinStepRecord;
}

/** One twin's evaluation: kNN and online linear probe top-1 on the held-out split (null: unlabelled set). */
export interface TwinEvalRecord {
  knnTop1: number | null;
  linearProbeTop1: number | null;
}

/** Both twins evaluated after the same step. */
export interface TwinEvalRow {
  step: number;
  off: TwinEvalRecord;
  on: TwinEvalRecord;
}

/** Summed step wall time and number of steps of each twin so far. */
export interface TwinTiming {
  totalMs: Record<TwinArm, number>;
  numSteps: number;
}
