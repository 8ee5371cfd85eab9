/**
 * Reference SGD with momentum and (coupled, PyTorch-style) weight decay, in plain tfjs ops.
 *
 * torch.optim.SGD semantics (dampening 0, no Nesterov): g ← grad + wd·w; buf ← m·buf + g (buf ← g on the
 * first step); w ← w − lr·buf. With momentum 0 there is no buffer: w ← w − lr·g. Parameters for which
 * `isNoDecay(name)` is true (BN affine, biases) get no weight decay.
 * The fused WebGPU version is gpu/kernels/sgdMomentumUpdate.ts; both keep state under the same names.
 * Must not import: gpu/, worker/, ui/, DOM or worker globals.
 */
import * as tf from '@tensorflow/tfjs';
import { checkOptimizerState, shapesOf } from '../../ops/optimizerState';
import { fromHost, type HostTensor } from '../../state/hostTensor';
import type { Optimizer } from '../optimizer';

/** Options of SGD. */
export interface SgdOptions {
  /** Momentum factor; 0 disables the buffer. Typical 0.9. */
  momentum: number;
  /** L2 penalty added to the gradient (coupled decay). Typical 5e-4 for CIFAR ResNets. */
  weightDecay: number;
  /** Returns true for parameter names that get no weight decay. Default: none excluded. */
  isNoDecay?: (name: string) => boolean;
}

/** State key of the momentum buffer of parameter `name`. */
export const momentumKey = (name: string): string => `${name}.momentum`;

/** Momentum buffers keyed by parameter name, shared by SGD and LARS (torch semantics). */
export interface MomentumBuffers {
  /** w ← w − lr·buf with buf ← m·buf + d (buf ← d on the first step); w ← w − lr·d when m = 0.
   * NOTE: mutates `w` and the buffer; call inside tf.tidy. */
  step(name: string, w: tf.Variable, d: tf.Tensor, lr: number): void;
  /** Buffers under their state keys `<name>.momentum`. */
  state(): Map<string, tf.Variable>;
  /** Replaces the buffers with saved ones (validated first; unchanged on error). */
  load(state: ReadonlyMap<string, HostTensor>, params: ReadonlyMap<string, tf.Variable>, optimizerName: string): void;
  dispose(): void;
}

/** Creates empty momentum buffers for momentum factor `momentum`. */
export function createMomentumBuffers(momentum: number): MomentumBuffers {
  const buffers = new Map<string, tf.Variable>();
  return {
    step(name, w, d, lr) {
      let update: tf.Tensor = d;
      if (momentum > 0) {
        let buf = buffers.get(name);
        if (!buf) {
          // Unnamed: tfjs variable names are global, and two optimizers may share parameter names.
          buf = tf.variable(d, false);
          buffers.set(name, buf);
        } else {
          buf.assign(buf.mul(momentum).add(d));
        }
        update = buf;
      }
      w.assign(w.sub(update.mul(lr)));
    },
    state() {
      const out = new Map<string, tf.Variable>();
      for (const [name, b] of buffers) out.set(momentumKey(name), b);
      return out;
    },
    load(state, params, optimizerName) {
      const grouped = checkOptimizerState(optimizerName, state, shapesOf(params), { momentum: 'param' });
      this.dispose();
      for (const [name, slots] of grouped) buffers.set(name, tf.tidy(() => tf.variable(fromHost(slots.get('momentum')!), false)));
    },
    dispose() {
      for (const b of buffers.values()) b.dispose();
      buffers.clear();
    },
  };
}

/**
 * Reference SGD with momentum and weight decay (a few tfjs kernels per variable).
 * State: `<name>.momentum` (absent until the first step, and when momentum is 0).
 */
export function createSgd(opts: SgdOptions): Optimizer {
  const buffers = createMomentumBuffers(opts.momentum);
  return {
    apply(params, grads, lr, stepWeightDecay) {
      for (const [name, g] of grads) {
        const w = params.get(name);
        if (!w) throw new Error(`Optimizer got a gradient for unknown parameter "${name}"`);
        const wd = opts.isNoDecay?.(name) ? 0 : (stepWeightDecay ?? opts.weightDecay);
        tf.tidy(() => buffers.step(name, w, wd > 0 ? g.add(w.mul(wd)) : g, lr));
        g.dispose();
      }
    },
    state: () => buffers.state(),
    loadState: (state, params) => buffers.load(state, params, 'SGD'),
    dispose: () => buffers.dispose(),
  };
}
