// Driving a core Trainer step by step in Node tests, and comparing two runs.
import { expect } from 'vitest';
import type { StepMetrics } from '../../src/core/train/metrics';
import type { Trainer } from '../../src/core/train/trainer';

/** Runs `n` training steps, reading each step's metrics before the next (logEvery 1), timed as
 * 1 ms per step (tests never read the clock). */
export async function trainSteps(trainer: Trainer, n: number): Promise<StepMetrics[]> {
  const out: StepMetrics[] = [];
  for (let i = 0; i < n; i++) {
    const p = trainer.trainStep();
    out.push({ ...(await trainer.readStepMetrics(p)), msPerStep: 1, imagesPerSec: 1000 * p.numImages });
  }
  return out;
}

/** The losses of `n` training steps (trainSteps). */
export async function stepLosses(trainer: Trainer, n: number): Promise<number[]> {
  return (await trainSteps(trainer, n)).map((m) => m.loss);
}

/** Step metrics without the wall-clock fields, so two runs compare equal. */
export const timeless = (m: StepMetrics[]) => m.map(({ imagesPerSec: _i, msPerStep: _m, ...rest }) => rest);

/** The arithmetic mean. */
export const mean = (xs: number[]): number => xs.reduce((s, v) => s + v, 0) / xs.length;

/** Every tensor of `expected` has the same values in `actual` (looked up by name; a failure names it). */
export function expectSameValues(actual: ReadonlyMap<string, { data: ArrayLike<number> }>, expected: ReadonlyMap<string, { data: ArrayLike<number> }>): void {
  for (const [k, v] of expected) expect(Array.from(actual.get(k)!.data), k).toEqual(Array.from(v.data));
}
