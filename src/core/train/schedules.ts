/**
 * Schedules as pure functions of the step: (step) => value. Cosine decay with linear warm-up
 * (nanoGPT get_lr, DINO cosine_scheduler).
 * Must not import: tfjs, DOM.
 */

/** Cosine schedule from `base` to `final` over [warmupSteps, totalSteps), after a linear
 * warm-up from 0 over the first `warmupSteps` steps; holds `final` past totalSteps. */
export function cosineWithWarmup(step: number, base: number, totalSteps: number, warmupSteps: number, final = 0): number {
  if (warmupSteps > 0 && step < warmupSteps) return (base * (step + 1)) / warmupSteps;
  const decaySteps = Math.max(1, totalSteps - warmupSteps);
  const t = Math.min(1, (step - warmupSteps) / decaySteps);
  return final + 0.5 * (base - final) * (1 + Math.cos(Math.PI * t));
}
