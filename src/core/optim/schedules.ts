/**
 * Schedules as pure functions of the step: (step) => value. Cosine decay with linear warm-up
 * (nanoGPT get_lr, DINO cosine_scheduler), and the cosine EMA-momentum ramp of BYOL's target
 * network (Grill et al. 2020, arXiv 2006.07733, §3.2; solo-learn MomentumUpdater), and DINO's
 * teacher-temperature warm-up, cosine weight decay and last-layer freeze (Caron et al. 2021).
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

/**
 * DINO's teacher temperature at the step with 0-based index `step`: a linear warm-up from `start`
 * to `final` over the first `warmupSteps` steps (np.linspace(start, final, warmupSteps), as DINO's
 * teacher_temp_schedule per epoch, here per step), then `final` for good.
 */
export function teacherTemperature(step: number, start: number, final: number, warmupSteps: number): number {
  if (step < warmupSteps) return warmupSteps === 1 ? start : start + ((final - start) * Math.max(0, step)) / (warmupSteps - 1);
  return final;
}

/**
 * DINO's weight decay at the step with 0-based index `step`: a cosine from `base` to `final` over
 * the run without warm-up (DINO's wd_schedule = cosine_scheduler(weight_decay, weight_decay_end)).
 */
export function dinoWeightDecay(step: number, base: number, final: number, totalSteps: number): number {
  return cosineWithWarmup(step, base, totalSteps, 0, final);
}

/**
 * Steps with the head's last layer frozen: `epochs` whole epochs of ⌊numTrainImages / batchSize⌋
 * steps (the batch sampler drops the short tail of an epoch, so an epoch has that many steps);
 * the step with 0-based index s is frozen when s < this.
 */
export function frozenLastLayerSteps(epochs: number, numTrainImages: number, batchSize: number): number {
  return epochs * Math.max(1, Math.floor(numTrainImages / batchSize));
}
