/**
 * Fused WebGPU optimizers implementing the core Optimizer contract: SGD (PyTorch), LARS (solo-learn) and
 * AdamW (torch), each updating a variable with the fused kernels in gpu/kernels/ (1–3 dispatches per
 * variable instead of 5–15 small tfjs kernels). Same state names and semantics as the references in
 * core/train/optimizers/, so checkpoints move between the two; e2e/kernels.spec.ts checks parity.
 *
 * Ownership: every kernel returns fresh tensors; the parameter variable and the state variables are
 * re-pointed with `assign` (the old data is freed once nothing else references it). Nothing is written in
 * place, so a tensor that aliases a variable's data (tf.clone, reshape, an EMA teacher initialised by
 * assign) is never changed behind its back.
 * Must not import: core/ values (types only), worker/, ui/, DOM.
 */
import * as tf from '@tensorflow/tfjs';
import { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { Optimizer } from '../core/optim/optimizer';
import type { AdamwOptions } from '../core/optim/optimizers/adamw';
import type { LarsOptions } from '../core/optim/optimizers/lars';
import type { SgdOptions } from '../core/optim/optimizers/sgd';
import { checkOptimizerState, shapesOf, type GroupedState, type SlotShape } from '../core/ops/optimizerState';
import { ADAMW_UPDATE, adamwUpdate } from './kernels/adamwUpdate';
import { LARS_UPDATE, larsUpdate } from './kernels/larsUpdate';
import { SGD_MOMENTUM_UPDATE, sgdMomentumUpdate } from './kernels/sgdMomentumUpdate';

/** Options per optimizer kind (the reference optimizers' option types). */
export interface FusedOptimizerOptions {
  sgd: SgdOptions;
  lars: LarsOptions;
  adamw: AdamwOptions;
}

/** Which fused optimizer to build. */
export type FusedOptimizerKind = keyof FusedOptimizerOptions;

/** Thrown when the fused optimizers cannot run on the current tfjs backend. */
export class FusedOptimizerError extends Error {
  override name = 'FusedOptimizerError';
}

// State names and defaults mirror core/train/optimizers/{sgd,lars,adamw}.ts (gpu/ may import only types
// from core/train); e2e/kernels.spec.ts compares the state maps of both implementations.
const momentumKey = (name: string) => `${name}.momentum`;
const LARS_DEFAULTS = { eps: 1e-8, clipLr: false, isExcluded: (_: string, p: tf.Variable) => p.rank <= 1 };
const ADAMW_DEFAULTS = { weightDecay: 1e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8 };

/** Named state variables; `put` re-points an existing variable or creates an unnamed one. */
class StateStore {
  readonly vars = new Map<string, tf.Variable>();
  get = (key: string): tf.Variable | undefined => this.vars.get(key);
  put(key: string, value: tf.Tensor): void {
    const v = this.vars.get(key);
    if (v) v.assign(value);
    else this.vars.set(key, tf.variable(value, false)); // unnamed: tfjs variable names are global
  }
  dispose(): void {
    tf.dispose([...this.vars.values()]);
    this.vars.clear();
  }
}

/** One parameter's update; `weightDecay` is the step's override (Optimizer.apply), if any. */
type UpdateFn = (name: string, w: tf.Variable, g: tf.Tensor, lr: number, weightDecay: number | undefined) => void;

/** How saved state is loaded: slot shapes, and a hook for per-parameter host-side values (AdamW's step). */
interface StateLayout {
  name: string;
  slots: Record<string, SlotShape>;
  onLoad?: (grouped: GroupedState) => void;
}

function makeOptimizer(store: StateStore, update: UpdateFn, layout: StateLayout): Optimizer {
  return {
    apply(params, grads, lr, stepWeightDecay) {
      for (const [name, g] of grads) {
        const w = params.get(name);
        if (!w) throw new Error(`Optimizer got a gradient for unknown parameter "${name}"`);
        tf.tidy(() => update(name, w, g, lr, stepWeightDecay));
        g.dispose();
      }
    },
    state: () => new Map(store.vars),
    loadState(state, params) {
      const grouped = checkOptimizerState(layout.name, state, shapesOf(params), layout.slots);
      store.dispose();
      for (const [name, slots] of grouped) {
        for (const [slot, h] of slots) store.put(`${name}.${slot}`, tf.tensor(h.data, h.shape, h.dtype));
      }
      layout.onLoad?.(grouped);
    },
    dispose: () => store.dispose(),
  };
}

function assertWebGpuReady(kernelNames: string[]): void {
  const backendName = tf.getBackend();
  if (!(tf.backend() instanceof WebGPUBackend)) {
    throw new FusedOptimizerError(
      `Fused optimizers need the WebGPU backend, but the tfjs backend is '${backendName}'. ` +
        'Use the reference optimizers from core/train/optimizers instead.',
    );
  }
  for (const k of kernelNames) {
    if (!tf.getKernel(k, backendName)) {
      throw new FusedOptimizerError(
        `Kernel '${k}' is not registered for backend '${backendName}'. ` +
          `Call registerGpuKernels('${backendName}') first.`,
      );
    }
  }
}

function fusedSgd(opts: SgdOptions): Optimizer {
  const store = new StateStore();
  return makeOptimizer(store, (name, w, g, lr, stepWd) => {
    const weightDecay = opts.isNoDecay?.(name) ? 0 : (stepWd ?? opts.weightDecay);
    const key = momentumKey(name);
    const [w2, buf2] = sgdMomentumUpdate(w, g, store.get(key), { lr, momentum: opts.momentum, weightDecay });
    w.assign(w2);
    if (buf2) store.put(key, buf2);
  }, { name: 'SGD', slots: { momentum: 'param' } });
}

function fusedLars(opts: LarsOptions): Optimizer {
  const o = { ...LARS_DEFAULTS, ...opts };
  const store = new StateStore();
  return makeOptimizer(store, (name, w, g, lr, stepWd) => {
    const key = momentumKey(name);
    const buf = store.get(key);
    const [w2, buf2] = o.isExcluded(name, w)
      ? sgdMomentumUpdate(w, g, buf, { lr, momentum: o.momentum, weightDecay: 0 })
      : larsUpdate(w, g, buf, {
          lr,
          momentum: o.momentum,
          weightDecay: stepWd ?? o.weightDecay,
          eta: o.eta,
          eps: o.eps,
          clipLr: o.clipLr,
        });
    w.assign(w2);
    if (buf2) store.put(key, buf2);
  }, { name: 'LARS', slots: { momentum: 'param' } });
}

function fusedAdamw(opts: AdamwOptions): Optimizer {
  const o = { ...ADAMW_DEFAULTS, ...opts };
  const store = new StateStore();
  const steps = new Map<string, number>();
  return makeOptimizer(store, (name, w, g, lr, stepWd) => {
    const keys = { m: `${name}.exp_avg`, v: `${name}.exp_avg_sq`, step: `${name}.step` };
    if (!store.get(keys.m)) {
      store.put(keys.m, tf.zerosLike(w));
      store.put(keys.v, tf.zerosLike(w));
    }
    const step = (steps.get(name) ?? 0) + 1;
    steps.set(name, step);
    const weightDecay = o.isNoDecay?.(name) ? 0 : (stepWd ?? o.weightDecay);
    const [w2, m2, v2] = adamwUpdate(w, g, store.get(keys.m)!, store.get(keys.v)!, {
      lr,
      weightDecay,
      beta1: o.beta1,
      beta2: o.beta2,
      eps: o.eps,
      step,
    });
    w.assign(w2);
    store.put(keys.m, m2);
    store.put(keys.v, v2);
    store.put(keys.step, tf.scalar(step, 'int32'));
  }, {
    name: 'AdamW',
    slots: { exp_avg: 'param', exp_avg_sq: 'param', step: 'scalar' },
    onLoad: (grouped) => {
      steps.clear();
      for (const [name, slots] of grouped) steps.set(name, slots.get('step')!.data[0]!);
    },
  });
}

/**
 * Creates a fused WebGPU optimizer. Requires the current tfjs backend to be a WebGPUBackend with
 * {@link registerGpuKernels} called for its name; throws {@link FusedOptimizerError} otherwise.
 *
 * @example
 *   registerGpuKernels();
 *   const opt = createFusedOptimizer('lars', { momentum: 0.9, weightDecay: 1e-6, eta: 0.02 });
 */
export function createFusedOptimizer<K extends FusedOptimizerKind>(
  kind: K,
  opts: FusedOptimizerOptions[K],
): Optimizer {
  switch (kind) {
    case 'sgd':
      assertWebGpuReady([SGD_MOMENTUM_UPDATE]);
      return fusedSgd(opts as SgdOptions);
    case 'lars':
      assertWebGpuReady([SGD_MOMENTUM_UPDATE, LARS_UPDATE]);
      return fusedLars(opts as LarsOptions);
    case 'adamw':
      assertWebGpuReady([ADAMW_UPDATE]);
      return fusedAdamw(opts as AdamwOptions);
    default:
      throw new FusedOptimizerError(`Unknown fused optimizer kind '${String(kind)}'`);
  }
}
