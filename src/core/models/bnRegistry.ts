/**
 * A model's BatchNorm modules by name: the running-stat update after a training-mode forward and
 * the no-weight-decay rule (BN affine and biases) shared by the SimSiam, SimCLR and BYOL models; and
 * the helpers that keep BN batch statistics alive across tf.tidy.
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import { updateRunningStat, type BatchNormVars, type BnStat } from './layers';

/** BatchNorm modules of a model by name, and what is done with them. */
export interface BnRegistry {
  readonly batchNorms: ReadonlyMap<string, BatchNormVars>;
  /** Running-stat update from `stats` (momentum 0.1). NOTE: disposes the stat tensors. */
  updateRunningStats(stats: BnStat[]): void;
  /** True for BN affine params and biases (no weight decay under SGD / AdamW). */
  isNoDecay(paramName: string): boolean;
}

/** A registry over the union of `parts` (each a name → BN map, e.g. a backbone's and a head's). */
export function createBnRegistry(...parts: ReadonlyMap<string, BatchNormVars>[]): BnRegistry {
  const batchNorms = new Map<string, BatchNormVars>();
  for (const part of parts) {
    for (const [name, vars] of part) {
      if (batchNorms.has(name)) throw new Error(`BatchNorm "${name}" is registered twice`);
      batchNorms.set(name, vars);
    }
  }
  const affineNames = new Set<string>();
  for (const vars of batchNorms.values()) {
    if (vars.weight) affineNames.add(`${vars.name}.weight`);
    if (vars.bias) affineNames.add(`${vars.name}.bias`);
  }
  return {
    batchNorms,
    updateRunningStats(stats) {
      for (const s of stats) {
        const vars = batchNorms.get(s.name);
        if (!vars) throw new Error(`updateRunningStats: unknown BatchNorm "${s.name}"`);
        updateRunningStat(vars, s);
      }
      for (const s of stats) {
        s.mean.dispose();
        s.variance.dispose();
      }
    },
    isNoDecay(name) {
      return name.endsWith('.bias') || affineNames.has(name);
    },
  };
}

/**
 * Runs a forward inside tf.tidy and returns its outputs together with the BN batch statistics it
 * pushed (training mode), all of which survive the tidy. Usable inside tf.variableGrads.
 * The caller owns every returned tensor (the stats are disposed by updateRunningStats).
 */
export function tidyWithStats<T extends Record<string, tf.Tensor>>(fn: (stats: BnStat[]) => T): { out: T; bnStats: BnStat[] } {
  const names: string[] = [];
  const kept = tf.tidy(() => {
    const stats: BnStat[] = [];
    const out = fn(stats);
    for (const s of stats) names.push(s.name);
    return { out, means: stats.map((s) => s.mean), variances: stats.map((s) => s.variance) };
  });
  return { out: kept.out, bnStats: names.map((name, i) => ({ name, mean: kept.means[i]!, variance: kept.variances[i]! })) };
}

/** Keeps BN statistics alive past an enclosing tidy (updateRunningStats disposes them). */
export function keepStats(stats: BnStat[]): BnStat[] {
  for (const s of stats) {
    tf.keep(s.mean);
    tf.keep(s.variance);
  }
  return stats;
}
