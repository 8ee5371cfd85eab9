/**
 * Schedules as pure functions of the step: (step) => value. Cosine decay with linear warm-up
 * (nanoGPT get_lr, DINO cosine_scheduler), and the cosine EMA-momentum ramp of BYOL's target
 * network (Grill et al. 2020, arXiv 2006.07733, §3.2; solo-learn MomentumUpdater).
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

/**
 * BYOL's target momentum at step k of K: τ_k = final − (final − base)·(cos(πk/K) + 1)/2, so τ_0 = base,
 * τ_{K/2} = (base + final)/2 and τ_K = final (default 1: the target freezes at the end). k is clamped
 * to [0, K]. With solo-learn's order (EMA update, then τ advances) the update after the step with
 * 0-based index k uses τ_k.
 */
export function cosineMomentum(step: number, base: number, totalSteps: number, final = 1): number {
  const k = Math.min(Math.max(step, 0), Math.max(1, totalSteps));
  return final - (final - base) * (Math.cos((Math.PI * k) / Math.max(1, totalSteps)) + 1) / 2;
}
