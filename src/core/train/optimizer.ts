/**
 * Optimizer contract shared by the reference (plain tfjs ops) and fused GPU implementations,
 * plus the reference SGD with momentum and decoupled-from-nothing (PyTorch-style, coupled) weight decay.
 *
 * PyTorch SGD semantics: g = grad + wd·w; buf = momentum·buf + g (buf = g on the first step);
 * w = w − lr·buf. Parameters listed in `noDecay` (BN affine, biases) get no weight decay.
 * Must not import: DOM, gpu/.
 */
import * as tf from '@tensorflow/tfjs';

/** An optimizer over named variables. */
export interface Optimizer {
  /** Applies one update with learning rate `lr`. NOTE: disposes every gradient tensor in `grads`. */
  apply(params: ReadonlyMap<string, tf.Variable>, grads: Map<string, tf.Tensor>, lr: number): void;
  /** Named state tensors (e.g. `layer1.0.conv1.weight.momentum`), for checkpoints. */
  state(): Map<string, tf.Variable>;
  /** Frees all state. */
  dispose(): void;
}

/** Options of SGD. */
export interface SgdOptions {
  momentum: number;
  weightDecay: number;
  /** Returns true for parameter names that get no weight decay. */
  isNoDecay?: (name: string) => boolean;
}

/** Reference SGD with momentum and weight decay, in plain tfjs ops (a few kernels per variable). */
export function createSgd(opts: SgdOptions): Optimizer {
  const buffers = new Map<string, tf.Variable>();
  return {
    apply(params, grads, lr) {
      for (const [name, g] of grads) {
        const w = params.get(name);
        if (!w) throw new Error(`Optimizer got a gradient for unknown parameter "${name}"`);
        const wd = opts.isNoDecay?.(name) ? 0 : opts.weightDecay;
        tf.tidy(() => {
          const d = wd > 0 ? g.add(w.mul(wd)) : g;
          let buf = buffers.get(name);
          let update: tf.Tensor = d;
          if (opts.momentum > 0) {
            if (!buf) {
              buf = tf.variable(d, false); // unnamed: tfjs variable names are global
              buffers.set(name, buf);
            } else {
              buf.assign(buf.mul(opts.momentum).add(d));
            }
            update = buf;
          }
          w.assign(w.sub(update.mul(lr)));
        });
        g.dispose();
      }
    },
    state: () => new Map(buffers),
    dispose() {
      for (const b of buffers.values()) b.dispose();
      buffers.clear();
    },
  };
}
