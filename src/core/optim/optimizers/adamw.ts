/**
 * Reference AdamW (decoupled weight decay, Loshchilov & Hutter 2019, https://arxiv.org/abs/1711.05101)
 * in plain tfjs ops, with the exact update order of torch.optim.AdamW (amsgrad off, not maximize):
 *
 *   t ← t + 1                                  (per parameter, like torch's state['step'])
 *   w ← w · (1 − lr·wd)                        (skipped for `isNoDecay` parameters)
 *   m ← β1·m + (1 − β1)·g
 *   v ← β2·v + (1 − β2)·g²
 *   w ← w − (lr / (1 − β1^t)) · m / (√v / √(1 − β2^t) + eps)
 *
 * m and v start at zero. Bias corrections are computed on the CPU in float64 from the step count, which
 * the optimizer also keeps on the CPU, so no step needs a readback.
 * The fused WebGPU version is gpu/kernels/adamwUpdate.ts; both keep state under the same names.
 * Must not import: gpu/, worker/, ui/, DOM or worker globals.
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptimizerState, shapesOf } from '../../ops/optimizerState';
import { fromHost } from '../../state/hostTensor';
import type { Optimizer } from '../optimizer';

/** Options of AdamW. Defaults are torch.optim.AdamW's. */
export interface AdamwOptions {
  /** Decoupled weight decay. Default 1e-2; SSL ViT recipes use 0.04–0.1. */
  weightDecay?: number;
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Default 1e-8. */
  eps?: number;
  /** Returns true for parameter names that get no weight decay. Default: none excluded. */
  isNoDecay?: (name: string) => boolean;
}

/** AdamW options with defaults filled in. */
export type ResolvedAdamwOptions = Required<Omit<AdamwOptions, 'isNoDecay'>> & Pick<AdamwOptions, 'isNoDecay'>;

/** Fills in torch.optim.AdamW's defaults. */
export function resolveAdamwOptions(opts: AdamwOptions): ResolvedAdamwOptions {
  return {
    weightDecay: opts.weightDecay ?? 1e-2,
    beta1: opts.beta1 ?? 0.9,
    beta2: opts.beta2 ?? 0.999,
    eps: opts.eps ?? 1e-8,
    isNoDecay: opts.isNoDecay,
  };
}

/** State keys of parameter `name` (torch names: exp_avg, exp_avg_sq, step). */
export const adamwKeys = (name: string) =>
  ({ expAvg: `${name}.exp_avg`, expAvgSq: `${name}.exp_avg_sq`, step: `${name}.step` }) as const;

/**
 * The per-step scalars of AdamW for step `t` (1-based), in float64: `stepSize` = lr / (1 − β1^t) and
 * `bc2Sqrt` = √(1 − β2^t).
 */
export function adamwScalars(
  o: ResolvedAdamwOptions,
  lr: number,
  t: number,
): { stepSize: number; bc2Sqrt: number } {
  return { stepSize: lr / (1 - o.beta1 ** t), bc2Sqrt: Math.sqrt(1 - o.beta2 ** t) };
}

interface AdamwState {
  expAvg: tf.Variable;
  expAvgSq: tf.Variable;
  /** int32 scalar mirror of `t` for checkpoints. */
  stepVar: tf.Variable;
  t: number;
}

/** Reference AdamW. State: `<name>.exp_avg`, `<name>.exp_avg_sq`, `<name>.step` (int32 scalar). */
export function createAdamw(opts: AdamwOptions): Optimizer {
  const o = resolveAdamwOptions(opts);
  const states = new Map<string, AdamwState>();
  return {
    apply(params, grads, lr, stepWeightDecay) {
      for (const [name, g] of grads) {
        const w = params.get(name);
        if (!w) throw new Error(`Optimizer got a gradient for unknown parameter "${name}"`);
        let s = states.get(name);
        if (!s) {
          // Unnamed variables (tfjs variable names are global); tidy frees the initial values' handles.
          s = tf.tidy(() => ({
            expAvg: tf.variable(tf.zerosLike(w), false),
            expAvgSq: tf.variable(tf.zerosLike(w), false),
            stepVar: tf.variable(tf.scalar(0, 'int32'), false, undefined, 'int32'),
            t: 0,
          }));
          states.set(name, s);
        }
        const st = s;
        st.t += 1;
        const wd = o.isNoDecay?.(name) ? 0 : (stepWeightDecay ?? o.weightDecay);
        const k = adamwScalars(o, lr, st.t);
        tf.tidy(() => {
          const decayed = wd > 0 ? w.mul(1 - lr * wd) : w;
          st.expAvg.assign(st.expAvg.mul(o.beta1).add(g.mul(1 - o.beta1)));
          st.expAvgSq.assign(st.expAvgSq.mul(o.beta2).add(g.square().mul(1 - o.beta2)));
          const denom = st.expAvgSq.sqrt().div(k.bc2Sqrt).add(o.eps);
          w.assign(decayed.sub(st.expAvg.div(denom).mul(k.stepSize)));
          st.stepVar.assign(tf.scalar(st.t, 'int32'));
        });
        g.dispose();
      }
    },
    state() {
      const out = new Map<string, tf.Variable>();
      for (const [name, s] of states) {
        const key = adamwKeys(name);
        out.set(key.expAvg, s.expAvg);
        out.set(key.expAvgSq, s.expAvgSq);
        out.set(key.step, s.stepVar);
      }
      return out;
    },
    loadState(state, params) {
      const grouped = checkOptimizerState('AdamW', state, shapesOf(params), { exp_avg: 'param', exp_avg_sq: 'param', step: 'scalar' });
      this.dispose();
      for (const [name, slots] of grouped) {
        const t = slots.get('step')!.data[0]!;
        states.set(name, tf.tidy(() => ({
          expAvg: tf.variable(fromHost(slots.get('exp_avg')!), false),
          expAvgSq: tf.variable(fromHost(slots.get('exp_avg_sq')!), false),
          stepVar: tf.variable(tf.scalar(t, 'int32'), false, undefined, 'int32'),
          t,
        })));
      }
    },
    dispose() {
      for (const s of states.values()) tf.dispose([s.expAvg, s.expAvgSq, s.stepVar]);
      states.clear();
    },
  };
}
